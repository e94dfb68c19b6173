package kernels

import (
	"errors"
	"math"
	"math/rand/v2"

	"github.com/nncc/nncc/ir"
)

// Dropout, BitCast and Col2Im.

func init() {
	Register("", "Dropout", buildDropout)
	Register("", "BitCast", buildBitCast)
	Register("", "Col2Im", buildCol2Im)
}

// buildDropout: in inference (the default of every version from 7 on, and
// is_test=1 before) the output is the input, returned as a view, and the
// mask is all true (all 1 for opset < 10, whose mask has the data's type).
// In training mode (training_mode input true from opset 12, is_test=0
// before opset 7) with ratio > 0, element i is kept when the i-th uniform
// draw u satisfies u >= ratio and then scaled by 1/(1-ratio), as the spec
// defines. The draws come from MT19937 seeded with the seed attribute
// (reduced to 32 bits), the stream the ONNX reference implementation
// uses, so seeded results reproduce it; without a seed the generator is
// seeded randomly on every run.
func buildDropout(b *Build) (Func, error) {
	a := b.Attrs()
	opset := b.Node.Opset
	attrRatio := float64(a.Float("ratio", 0.5))
	trainingAttr := opset > 0 && opset < 7 && a.Int("is_test", 0) == 0
	hasSeed, seed := a.Has("seed"), a.Int("seed", 0)
	maskBool := opset == 0 || opset >= 10
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		ratio := attrRatio
		if len(in) > 1 && in[1] != nil {
			if in[1].Len() != 1 {
				return c.Errorf("ratio must be a scalar")
			}
			ratio = in[1].Float64At(0)
		}
		training := trainingAttr
		if len(in) > 2 && in[2] != nil {
			if in[2].DType != ir.Bool || in[2].Len() != 1 {
				return c.Errorf("training_mode must be a bool scalar")
			}
			training = ir.Data[bool](in[2])[0]
		}
		if math.IsNaN(ratio) || ratio < 0 || ratio >= 1 {
			return c.Errorf("ratio %g must be in [0, 1)", ratio)
		}
		wantMask := c.NumOutputs() > 1
		if !training || ratio == 0 {
			c.SetView(0, x, x.Shape)
			if wantMask {
				return mvFillMask(c, x, maskBool, nil)
			}
			return nil
		}
		s := rand.Uint32()
		if hasSeed {
			s = uint32(seed)
		}
		rng := newNumpyRNG(s)
		keep := make([]bool, x.Len())
		for i := range keep {
			keep[i] = rng.Float64() >= ratio
		}
		scale := 1 / (1 - ratio)
		scale32 := 1 / (1 - float32(ratio))
		y, err := c.OutputUninit(0, x.DType, x.Shape)
		if err != nil {
			return err
		}
		switch d := x.Data.(type) {
		case []float32:
			o := y.F32()
			for i, v := range d {
				o[i] = 0
				if keep[i] {
					o[i] = v * scale32
				}
			}
		case []float64:
			o := ir.Data[float64](y)
			for i, v := range d {
				o[i] = 0
				if keep[i] {
					o[i] = v * scale
				}
			}
		case []ir.F16:
			o := ir.Data[ir.F16](y)
			for i, v := range d {
				o[i] = 0
				if keep[i] {
					o[i] = ir.NewFloat16(v.Float32() * scale32)
				}
			}
		case []ir.BF16:
			o := ir.Data[ir.BF16](y)
			for i, v := range d {
				o[i] = 0
				if keep[i] {
					o[i] = ir.NewBFloat16(v.Float32() * scale32)
				}
			}
		default:
			return c.Errorf("training-mode dropout is not supported for dtype %v", x.DType)
		}
		if wantMask {
			return mvFillMask(c, x, maskBool, keep)
		}
		return nil
	}, nil
}

// mvFillMask writes output 1: keep (all true when nil) as bool, or as 1/0
// in the data's type for opset < 10.
func mvFillMask(c *Ctx, x *ir.Tensor, asBool bool, keep []bool) error {
	if asBool {
		m, err := c.OutputUninit(1, ir.Bool, x.Shape)
		if err != nil {
			return err
		}
		md := ir.Data[bool](m)
		for i := range md {
			md[i] = keep == nil || keep[i]
		}
		return nil
	}
	m, err := c.Output(1, x.DType, x.Shape)
	if err != nil {
		return err
	}
	one, err := mvScalar(x.DType, 1)
	if err != nil {
		return c.Errorf("%v", err)
	}
	dst, src := mvOf(m.Data), mvOf(one)
	for i := 0; i < x.Len(); i++ {
		if keep == nil || keep[i] {
			dst.Copy(i, src, 0, 1)
		}
	}
	return nil
}

func buildBitCast(b *Build) (Func, error) {
	to := ir.DType(b.Attrs().Int("to", 0))
	if !to.Valid() || to == ir.String {
		return nil, b.Errorf("cannot bitcast to %v", to)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		if !ir.BitCastCompatible(x.DType, to) {
			return c.Errorf("cannot bitcast %v to %v: bit widths differ or a type is unsupported", x.DType, to)
		}
		y, err := c.OutputUninit(0, to, x.Shape)
		if err != nil {
			return err
		}
		if x.DType == to || (x.DType == ir.Complex128) {
			mvOf(y.Data).Copy(0, mvOf(x.Data), 0, x.Len())
			return nil
		}
		mvFromBits(y, mvToBits(x))
		return nil
	}, nil
}

// mvToBits returns each element's bit pattern (the low Bits bits).
func mvToBits(t *ir.Tensor) []uint64 {
	n := t.Len()
	out := make([]uint64, n)
	mask := uint64(1)<<t.DType.Info().Bits - 1
	if t.DType.Info().Bits == 64 {
		mask = math.MaxUint64
	}
	switch d := t.Data.(type) {
	case []float32:
		for i, v := range d {
			out[i] = uint64(math.Float32bits(v))
		}
	case []float64:
		for i, v := range d {
			out[i] = math.Float64bits(v)
		}
	case []complex64:
		for i, v := range d {
			out[i] = uint64(math.Float32bits(real(v))) | uint64(math.Float32bits(imag(v)))<<32
		}
	case []ir.F16:
		for i, v := range d {
			out[i] = uint64(v)
		}
	case []ir.BF16:
		for i, v := range d {
			out[i] = uint64(v)
		}
	case []int8:
		for i, v := range d {
			out[i] = uint64(uint8(v)) & mask
		}
	case []int16:
		for i, v := range d {
			out[i] = uint64(uint16(v))
		}
	case []int32:
		for i, v := range d {
			out[i] = uint64(uint32(v))
		}
	case []int64:
		for i, v := range d {
			out[i] = uint64(v)
		}
	case []uint8:
		for i, v := range d {
			out[i] = uint64(v) & mask
		}
	case []uint16:
		for i, v := range d {
			out[i] = uint64(v)
		}
	case []uint32:
		for i, v := range d {
			out[i] = uint64(v)
		}
	case []uint64:
		copy(out, d)
	case []bool:
		for i, v := range d {
			if v {
				out[i] = 1
			}
		}
	}
	return out
}

// mvFromBits stores bit patterns into y's elements.
func mvFromBits(y *ir.Tensor, bits []uint64) {
	w := uint(y.DType.Info().Bits)
	switch d := y.Data.(type) {
	case []float32:
		for i := range d {
			d[i] = math.Float32frombits(uint32(bits[i]))
		}
	case []float64:
		for i := range d {
			d[i] = math.Float64frombits(bits[i])
		}
	case []complex64:
		for i := range d {
			d[i] = complex(math.Float32frombits(uint32(bits[i])), math.Float32frombits(uint32(bits[i]>>32)))
		}
	case []ir.F16:
		for i := range d {
			d[i] = ir.F16(bits[i])
		}
	case []ir.BF16:
		for i := range d {
			d[i] = ir.BF16(bits[i])
		}
	case []int8:
		for i := range d {
			d[i] = int8(uint8(bits[i]<<(8-w))) >> (8 - w) // sign-extend int4/int2
		}
	case []int16:
		for i := range d {
			d[i] = int16(bits[i])
		}
	case []int32:
		for i := range d {
			d[i] = int32(bits[i])
		}
	case []int64:
		for i := range d {
			d[i] = int64(bits[i])
		}
	case []uint8:
		for i := range d {
			d[i] = uint8(bits[i])
		}
	case []uint16:
		for i := range d {
			d[i] = uint16(bits[i])
		}
	case []uint32:
		for i := range d {
			d[i] = uint32(bits[i])
		}
	case []uint64:
		copy(d, bits)
	case []bool:
		for i := range d {
			d[i] = bits[i] != 0
		}
	}
}

func buildCol2Im(b *Build) (Func, error) {
	a := b.Attrs()
	attrDil, attrPads, attrStrides := a.Ints("dilations", nil), a.Ints("pads", nil), a.Ints("strides", nil)
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		img, ok1, err := mvInts(c, in, 1)
		if err != nil {
			return err
		}
		blk, ok2, err := mvInts(c, in, 2)
		if err != nil {
			return err
		}
		if !ok1 || !ok2 {
			return c.Errorf("image_shape and block_shape are required")
		}
		nd := len(img)
		if len(blk) != nd || nd == 0 {
			return c.Errorf("image_shape %v and block_shape %v must have the same, non-zero length", img, blk)
		}
		if len(x.Shape) != 3 {
			return c.Errorf("input must have rank 3, has shape %v", x.Shape)
		}
		dil, pads, strides := attrDil, attrPads, attrStrides
		if dil == nil {
			dil = mvOnes(nd)
		}
		if strides == nil {
			strides = mvOnes(nd)
		}
		if pads == nil {
			pads = make([]int64, 2*nd)
		}
		if len(dil) != nd || len(strides) != nd || len(pads) != 2*nd {
			return c.Errorf("dilations, strides and pads must have %d, %d and %d values", nd, nd, 2*nd)
		}
		kSize := int64(1)
		nBlocks := make([]int64, nd)
		total := int64(1)
		for i := 0; i < nd; i++ {
			const lim = 1 << 31
			if blk[i] <= 0 || dil[i] <= 0 || strides[i] <= 0 || img[i] < 0 ||
				blk[i] > lim || dil[i] > lim || strides[i] > lim || img[i] > lim ||
				pads[i] < 0 || pads[nd+i] < 0 || pads[i] > lim || pads[nd+i] > lim {
				return c.Errorf("block_shape, dilations and strides must be positive, pads non-negative, all below 2^31")
			}
			if kSize > 1<<31 {
				return c.Errorf("block_shape %v has too many elements", blk)
			}
			kSize *= blk[i]
			span := dil[i]*(blk[i]-1) + 1
			nBlocks[i] = (img[i]+pads[i]+pads[nd+i]-span)/strides[i] + 1
			if nBlocks[i] < 0 {
				nBlocks[i] = 0
			}
			total *= nBlocks[i]
			if total > x.Shape[2] {
				return c.Errorf("image_shape and block_shape give more than the input's %d blocks", x.Shape[2])
			}
		}
		if x.Shape[1]%kSize != 0 {
			return c.Errorf("input dim 1 (%d) is not divisible by the block size %d", x.Shape[1], kSize)
		}
		if x.Shape[2] != total {
			return c.Errorf("input has %d blocks, image_shape and block_shape give %d", x.Shape[2], total)
		}
		n, ch := x.Shape[0], x.Shape[1]/kSize
		out := append([]int64{n, ch}, img...)
		y, err := c.Output(0, x.DType, out)
		if err != nil || y.Len() == 0 || x.Len() == 0 {
			return err
		}
		// Pair every input element with the image pixel it lands on.
		ist := mvStrides(img)
		var dIdx, sIdx []int
		imgSize := ir.NumElements(img)
		mvEach(blk, func(k []int64, kf int) {
			mvEach(nBlocks, func(l []int64, lf int) {
				off := 0
				for i := 0; i < nd; i++ {
					p := l[i]*strides[i] - pads[i] + k[i]*dil[i]
					if p < 0 || p >= img[i] {
						return
					}
					off += int(p) * ist[i]
				}
				dIdx = append(dIdx, off)
				sIdx = append(sIdx, kf*int(total)+lf)
			})
		})
		for b := 0; b < int(n*ch); b++ {
			dBase := b * imgSize
			sBase := b * int(kSize*total)
			for i := range dIdx {
				if err := mvAddOne(y.Data, dBase+dIdx[i], x.Data, sBase+sIdx[i]); err != nil {
					return c.Errorf("%v", err)
				}
			}
		}
		return nil
	}, nil
}

func mvOnes(n int) []int64 {
	v := make([]int64, n)
	for i := range v {
		v[i] = 1
	}
	return v
}

// mvAddOne adds src[s] to dst[d].
func mvAddOne(dst any, d int, src any, s int) error {
	switch dst.(type) {
	case []string:
		return errors.New("string elements cannot be summed")
	}
	mvApply(mvRedAdd, dst, d, src, s, 1)
	return nil
}
