package kernels

import (
	"github.com/nncc/nncc/ir"
)

// Nearest-neighbour Resize as a gather, exact for every dtype.

const (
	resizeFill = -1 // tf_crop_and_resize extrapolation: extrapolation_value
	resizeZero = -2 // every weight excluded (exclude_outside): zero
)

// resizeNearestMap turns the taps of one axis into one source index per
// output position (or resizeFill / resizeZero); nil taps is the identity.
func resizeNearestMap(t []resizeTap, inW int) []int {
	if t == nil {
		m := make([]int, inW)
		for i := range m {
			m[i] = i
		}
		return m
	}
	m := make([]int, len(t))
	for o, tap := range t {
		switch {
		case tap.extrapolate:
			m[o] = resizeFill
		default:
			m[o] = resizeZero
			for k, w := range tap.w {
				if w != 0 {
					m[o] = tap.idx[k]
				}
			}
		}
	}
	return m
}

func resizeNearest(c *Ctx, cfg *resizeConfig, x, y *ir.Tensor, taps [][]resizeTap) error {
	r := len(x.Shape)
	maps := make([][]int, r)
	for a := range maps {
		maps[a] = resizeNearestMap(taps[a], int(x.Shape[a]))
	}
	// src[i] is the flat source index of output element i.
	n := y.Len()
	src := make([]int, n)
	strides := make([]int, r)
	s := 1
	for a := r - 1; a >= 0; a-- {
		strides[a] = s
		s *= int(x.Shape[a])
	}
	outShape := y.Shape
	idx := make([]int, r)
	for i := 0; i < n; i++ {
		off := 0
		for a := 0; a < r; a++ {
			m := maps[a][idx[a]]
			if m < 0 {
				if off >= 0 || m == resizeFill {
					off = m
				}
				continue
			}
			if off >= 0 {
				off += m * strides[a]
			}
		}
		src[i] = off
		for a := r - 1; a >= 0; a-- {
			idx[a]++
			if idx[a] < int(outShape[a]) {
				break
			}
			idx[a] = 0
		}
	}
	fill := ir.NewTensor(x.DType, []int64{1})
	_ = advStore(fill, []float64{cfg.extrapolate}) // strings stay ""
	switch d := x.Data.(type) {
	case []float32:
		resizeGather(y.Data.([]float32), d, src, fill.Data.([]float32)[0])
	case []float64:
		resizeGather(y.Data.([]float64), d, src, fill.Data.([]float64)[0])
	case []ir.F16:
		resizeGather(y.Data.([]ir.F16), d, src, fill.Data.([]ir.F16)[0])
	case []ir.BF16:
		resizeGather(y.Data.([]ir.BF16), d, src, fill.Data.([]ir.BF16)[0])
	case []int8:
		resizeGather(y.Data.([]int8), d, src, fill.Data.([]int8)[0])
	case []int16:
		resizeGather(y.Data.([]int16), d, src, fill.Data.([]int16)[0])
	case []int32:
		resizeGather(y.Data.([]int32), d, src, fill.Data.([]int32)[0])
	case []int64:
		resizeGather(y.Data.([]int64), d, src, fill.Data.([]int64)[0])
	case []uint8:
		resizeGather(y.Data.([]uint8), d, src, fill.Data.([]uint8)[0])
	case []uint16:
		resizeGather(y.Data.([]uint16), d, src, fill.Data.([]uint16)[0])
	case []uint32:
		resizeGather(y.Data.([]uint32), d, src, fill.Data.([]uint32)[0])
	case []uint64:
		resizeGather(y.Data.([]uint64), d, src, fill.Data.([]uint64)[0])
	case []bool:
		resizeGather(y.Data.([]bool), d, src, fill.Data.([]bool)[0])
	case []string:
		resizeGather(y.Data.([]string), d, src, "")
	case []complex64:
		resizeGather(y.Data.([]complex64), d, src, complex(float32(cfg.extrapolate), 0))
	case []complex128:
		resizeGather(y.Data.([]complex128), d, src, complex(cfg.extrapolate, 0))
	default:
		return c.Errorf("unsupported dtype %v", x.DType)
	}
	return nil
}

func resizeGather[T any](dst, src []T, idx []int, fill T) {
	var zero T
	for i, s := range idx {
		switch {
		case s >= 0:
			dst[i] = src[s]
		case s == resizeFill:
			dst[i] = fill
		default:
			dst[i] = zero
		}
	}
}
