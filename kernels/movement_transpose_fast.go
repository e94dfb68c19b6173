package kernels

import "github.com/nncc/nncc/ir"

// Transpose of float32 data without allocation: the permutation is
// resolved at Build time when the perm attribute fixes it (else per call
// into scratch), the index arithmetic lives in Ctx scratch, and the copy
// walks the output in order with an odometer over the input strides, so
// the innermost loop is a strided gather into a contiguous row.

// transposeF32 writes y = x permuted by perm (output axis i is input axis
// perm[i]): a strided copy whose stride along output axis i is input axis
// perm[i]'s stride. shape is x's shape; tmp must hold 3*len(shape) values.
func transposeF32(y, x []float32, shape []int64, perm []int, tmp []int64) {
	r := len(shape)
	if r == 0 || len(x) == 0 {
		copy(y, x)
		return
	}
	var strides [8]int // ranks above 8 make append allocate
	outShape, st := transposeStrides(shape, perm, tmp, strides[:0])
	if ps, ok := findPlaneSwap(outShape, st); ok { // movement_transpose_planes.go
		ps.run(y, x, 0, ps.blocks()*ps.p)
		return
	}
	stridedF32(y, x, outShape, st, 0, tmp[2*r:3*r])
}

// transposeStrides writes the output shape of x (shape) permuted by perm
// into tmp[r:2r] and returns it, with the input stride along each output
// axis appended to st; tmp[:r] receives the input strides.
func transposeStrides(shape []int64, perm []int, tmp []int64, st []int) ([]int64, []int) {
	r := len(shape)
	inStride, outShape := tmp[:r], tmp[r:2*r]
	s := int64(1)
	for a := r - 1; a >= 0; a-- {
		inStride[a] = s
		s *= shape[a]
	}
	for i, a := range perm {
		outShape[i] = shape[a]
		st = append(st, int(inStride[a]))
	}
	return outShape, st
}

// transposeFast handles float32 Transpose; it reports false for other
// dtypes so the generic path runs.
func transposeFast(c *Ctx, x *ir.Tensor, fixed []int) (bool, error) {
	xs, ok := x.Data.([]float32)
	if !ok {
		return false, nil
	}
	r := len(x.Shape)
	perm := fixed
	tmp := c.ScratchI64(5*r + 1)
	if perm == nil || len(perm) != r {
		return false, nil
	}
	shape := tmp[3*r : 4*r]
	for i, a := range perm {
		shape[i] = x.Shape[a]
	}
	y, err := c.OutputUninit(0, ir.Float32, shape)
	if err != nil {
		return true, err
	}
	transposeF32Pool(c, y.F32(), xs, x.Shape, perm, tmp[:3*r])
	return true, nil
}
