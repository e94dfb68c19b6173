package ir

// CopyData copies src's elements into dst and reports success; it fails
// (copying nothing) unless both hold the same storage type and length.
func CopyData(dst, src *Tensor) bool {
	switch d := dst.Data.(type) {
	case []float32:
		s, ok := src.Data.([]float32)
		return ok && len(s) == len(d) && copy(d, s) == len(d)
	case []float64:
		s, ok := src.Data.([]float64)
		return ok && len(s) == len(d) && copy(d, s) == len(d)
	case []F16:
		s, ok := src.Data.([]F16)
		return ok && len(s) == len(d) && copy(d, s) == len(d)
	case []BF16:
		s, ok := src.Data.([]BF16)
		return ok && len(s) == len(d) && copy(d, s) == len(d)
	case []int8:
		s, ok := src.Data.([]int8)
		return ok && len(s) == len(d) && copy(d, s) == len(d)
	case []int16:
		s, ok := src.Data.([]int16)
		return ok && len(s) == len(d) && copy(d, s) == len(d)
	case []int32:
		s, ok := src.Data.([]int32)
		return ok && len(s) == len(d) && copy(d, s) == len(d)
	case []int64:
		s, ok := src.Data.([]int64)
		return ok && len(s) == len(d) && copy(d, s) == len(d)
	case []uint8:
		s, ok := src.Data.([]uint8)
		return ok && len(s) == len(d) && copy(d, s) == len(d)
	case []uint16:
		s, ok := src.Data.([]uint16)
		return ok && len(s) == len(d) && copy(d, s) == len(d)
	case []uint32:
		s, ok := src.Data.([]uint32)
		return ok && len(s) == len(d) && copy(d, s) == len(d)
	case []uint64:
		s, ok := src.Data.([]uint64)
		return ok && len(s) == len(d) && copy(d, s) == len(d)
	case []bool:
		s, ok := src.Data.([]bool)
		return ok && len(s) == len(d) && copy(d, s) == len(d)
	case []complex64:
		s, ok := src.Data.([]complex64)
		return ok && len(s) == len(d) && copy(d, s) == len(d)
	case []complex128:
		s, ok := src.Data.([]complex128)
		return ok && len(s) == len(d) && copy(d, s) == len(d)
	}
	return false
}
