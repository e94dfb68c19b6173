package ir

import (
	"fmt"
	"math"
)

// Op table rows of the neural-network ops: convolutions, pooling, matrix
// products and recurrent cells. The sliding-window geometry (WindowAttrs)
// lives here too, so that shape inference and the kernels compute output
// sizes and padding with the same code.

var (
	nnConvAttrs = []AttrSpec{
		{Name: "auto_pad", Kind: AttrString},
		{Name: "dilations", Kind: AttrInts},
		{Name: "group", Kind: AttrInt},
		{Name: "kernel_shape", Kind: AttrInts},
		{Name: "pads", Kind: AttrInts},
		{Name: "strides", Kind: AttrInts},
	}
	nnPoolAttrs = []AttrSpec{
		{Name: "auto_pad", Kind: AttrString},
		{Name: "ceil_mode", Kind: AttrInt},
		{Name: "dilations", Kind: AttrInts},
		{Name: "kernel_shape", Kind: AttrInts, Required: true},
		{Name: "pads", Kind: AttrInts},
		{Name: "strides", Kind: AttrInts},
	}
	nnRNNAttrs = []AttrSpec{
		{Name: "activation_alpha", Kind: AttrFloats},
		{Name: "activation_beta", Kind: AttrFloats},
		{Name: "activations", Kind: AttrStrings},
		{Name: "clip", Kind: AttrFloat},
		{Name: "direction", Kind: AttrString},
		{Name: "hidden_size", Kind: AttrInt},
		{Name: "layout", Kind: AttrInt},
		{Name: "output_sequence", Kind: AttrInt}, // opset 1 only; informational
	}
)

func nnWithAttrs(base []AttrSpec, extra ...AttrSpec) []AttrSpec {
	return append(append([]AttrSpec{}, base...), extra...)
}

func init() {
	RegisterOp(
		&OpSchema{Name: "Conv", MinOpset: 1, MinInputs: 2, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: nnConvAttrs, Infer: nnInferConvLike(0, 1, Undefined)},
		&OpSchema{Name: "ConvInteger", MinOpset: 10, MinInputs: 2, MaxInputs: 4, MinOutputs: 1, MaxOutputs: 1,
			Attrs: nnConvAttrs, Infer: nnInferConvLike(0, 1, Int32)},
		&OpSchema{Name: "QLinearConv", MinOpset: 10, MinInputs: 8, MaxInputs: 9, MinOutputs: 1, MaxOutputs: 1,
			Attrs: nnConvAttrs, Infer: nnInferConvLike(0, 3, -7)},
		&OpSchema{Name: "DeformConv", MinOpset: 19, MinInputs: 3, MaxInputs: 5, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "dilations", Kind: AttrInts},
				{Name: "group", Kind: AttrInt},
				{Name: "kernel_shape", Kind: AttrInts},
				{Name: "offset_group", Kind: AttrInt},
				{Name: "pads", Kind: AttrInts},
				{Name: "strides", Kind: AttrInts},
			}, Infer: nnInferConvLike(0, 1, Undefined)},
		&OpSchema{Name: "ConvTranspose", MinOpset: 1, MinInputs: 2, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: nnWithAttrs(nnConvAttrs,
				AttrSpec{Name: "output_padding", Kind: AttrInts},
				AttrSpec{Name: "output_shape", Kind: AttrInts}),
			Infer: nnInferConvTranspose},
		&OpSchema{Name: "MaxPool", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 2,
			Attrs: nnWithAttrs(nnPoolAttrs, AttrSpec{Name: "storage_order", Kind: AttrInt}),
			Infer: nnInferPool},
		&OpSchema{Name: "AveragePool", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: nnWithAttrs(nnPoolAttrs, AttrSpec{Name: "count_include_pad", Kind: AttrInt}),
			Infer: nnInferPool},
		// LpPool-1 declared p as a float; from opset 2 on it is an int,
		// which is the form accepted here.
		&OpSchema{Name: "LpPool", MinOpset: 2, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: nnWithAttrs(nnPoolAttrs, AttrSpec{Name: "p", Kind: AttrInt}),
			Infer: nnInferPool},
		&OpSchema{Name: "GlobalAveragePool", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Infer: nnInferGlobalPool},
		&OpSchema{Name: "GlobalMaxPool", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Infer: nnInferGlobalPool},
		&OpSchema{Name: "GlobalLpPool", MinOpset: 2, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "p", Kind: AttrInt}}, Infer: nnInferGlobalPool},
		&OpSchema{Name: "MaxUnpool", MinOpset: 9, MinInputs: 2, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "kernel_shape", Kind: AttrInts, Required: true},
				{Name: "pads", Kind: AttrInts},
				{Name: "strides", Kind: AttrInts},
			}, Infer: nnInferMaxUnpool},
		&OpSchema{Name: "Gemm", MinOpset: 1, MinInputs: 2, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "alpha", Kind: AttrFloat},
				{Name: "beta", Kind: AttrFloat},
				{Name: "broadcast", Kind: AttrInt}, // opset < 7
				{Name: "transA", Kind: AttrInt},
				{Name: "transB", Kind: AttrInt},
			}, Infer: nnInferGemm},
		&OpSchema{Name: "MatMul", MinOpset: 1, MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Infer: nnInferMatMul(0, 1, Undefined)},
		&OpSchema{Name: "MatMulInteger", MinOpset: 10, MinInputs: 2, MaxInputs: 4, MinOutputs: 1, MaxOutputs: 1,
			Infer: nnInferMatMul(0, 1, Int32)},
		&OpSchema{Name: "QLinearMatMul", MinOpset: 10, MinInputs: 8, MaxInputs: 8, MinOutputs: 1, MaxOutputs: 1,
			Infer: nnInferMatMul(0, 3, -7)},
		&OpSchema{Name: "LSTM", MinOpset: 1, MinInputs: 3, MaxInputs: 8, MinOutputs: 0, MaxOutputs: 3,
			Attrs: nnWithAttrs(nnRNNAttrs, AttrSpec{Name: "input_forget", Kind: AttrInt}),
			Infer: nnInferRNN(4)},
		&OpSchema{Name: "GRU", MinOpset: 1, MinInputs: 3, MaxInputs: 6, MinOutputs: 0, MaxOutputs: 2,
			Attrs: nnWithAttrs(nnRNNAttrs, AttrSpec{Name: "linear_before_reset", Kind: AttrInt}),
			Infer: nnInferRNN(3)},
		&OpSchema{Name: "RNN", MinOpset: 1, MinInputs: 3, MaxInputs: 6, MinOutputs: 0, MaxOutputs: 2,
			Attrs: nnRNNAttrs, Infer: nnInferRNN(1)},
	)
}

// WindowAttrs is the parsed geometry of a sliding-window op (convolution
// or pooling) over n spatial axes.
type WindowAttrs struct {
	AutoPad   string  // NOTSET, SAME_UPPER, SAME_LOWER or VALID
	Kernel    []int64 // kernel size per axis
	Strides   []int64
	Dilations []int64
	Pads      []int64 // [begin..., end...], 2n values
	CeilMode  bool
}

// MaxWindowAttr bounds every kernel size, stride, dilation and pad of a
// window: with all four below 2^31 the window arithmetic ((k-1)·d + 1,
// in + pads, out·stride) cannot overflow an int64 for any tensor that
// fits in memory.
const MaxWindowAttr = 1<<31 - 1

// ParseWindowAttrs reads auto_pad, strides, dilations, pads and ceil_mode
// for n spatial axes; kernel is the kernel size (from kernel_shape or the
// weight shape). Missing attributes take their ONNX defaults.
func ParseWindowAttrs(a Attrs, n int, kernel []int64) (WindowAttrs, error) {
	w := WindowAttrs{AutoPad: a.String("auto_pad", "NOTSET"), Kernel: kernel, CeilMode: a.Int("ceil_mode", 0) != 0}
	if w.AutoPad == "" {
		w.AutoPad = "NOTSET"
	}
	switch w.AutoPad {
	case "NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID":
	default:
		return w, fmt.Errorf("auto_pad %q is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID", w.AutoPad)
	}
	if len(kernel) != n {
		return w, fmt.Errorf("kernel has %d dims, input has %d spatial dims", len(kernel), n)
	}
	for _, k := range kernel {
		if k <= 0 {
			return w, fmt.Errorf("kernel shape %v has a non-positive size", kernel)
		}
		if k > MaxWindowAttr {
			return w, fmt.Errorf("kernel shape %v is too large (a size above %d)", kernel, MaxWindowAttr)
		}
	}
	var err error
	if w.Strides, err = nnOnesOr(a, "strides", n); err != nil {
		return w, err
	}
	if w.Dilations, err = nnOnesOr(a, "dilations", n); err != nil {
		return w, err
	}
	w.Pads = make([]int64, 2*n)
	if p := a.Ints("pads", nil); p != nil {
		if len(p) != 2*n {
			return w, fmt.Errorf("pads has %d values, want %d", len(p), 2*n)
		}
		for _, v := range p {
			if v < 0 {
				return w, fmt.Errorf("pads %v has a negative value", p)
			}
			if v > MaxWindowAttr {
				return w, fmt.Errorf("pads %v are too large (a value above %d)", p, MaxWindowAttr)
			}
		}
		if w.AutoPad == "NOTSET" {
			copy(w.Pads, p)
		}
	}
	return w, nil
}

func nnOnesOr(a Attrs, name string, n int) ([]int64, error) {
	v := a.Ints(name, nil)
	if v == nil {
		v = make([]int64, n)
		for i := range v {
			v[i] = 1
		}
		return v, nil
	}
	if len(v) != n {
		return nil, fmt.Errorf("%s has %d values, want %d", name, len(v), n)
	}
	for _, x := range v {
		if x <= 0 {
			return nil, fmt.Errorf("%s %v must be positive", name, v)
		}
		if x > MaxWindowAttr {
			return nil, fmt.Errorf("%s %v are too large (a value above %d)", name, v, MaxWindowAttr)
		}
	}
	return v, nil
}

// Axis resolves spatial axis i for an input of size in: the output size
// and the padding actually applied at the beginning and end.
func (w *WindowAttrs) Axis(i int, in int64) (out, padBegin, padEnd int64, err error) {
	k, s, d := w.Kernel[i], w.Strides[i], w.Dilations[i]
	dk := (k-1)*d + 1
	n := int64(len(w.Kernel))
	switch w.AutoPad {
	case "SAME_UPPER", "SAME_LOWER":
		out = (in + s - 1) / s
		total := (out-1)*s + dk - in
		if total < 0 {
			total = 0
		}
		if w.AutoPad == "SAME_UPPER" {
			padBegin, padEnd = total/2, total-total/2
		} else {
			padBegin, padEnd = total-total/2, total/2
		}
	case "VALID":
		if in < dk {
			return 0, 0, 0, fmt.Errorf("spatial axis %d: input size %d is smaller than the dilated kernel %d", i, in, dk)
		}
		out = (in-dk)/s + 1
	default:
		padBegin, padEnd = w.Pads[i], w.Pads[int64(i)+n]
		span := in + padBegin + padEnd - dk
		if span < 0 {
			return 0, 0, 0, fmt.Errorf("spatial axis %d: padded input size %d is smaller than the dilated kernel %d", i, in+padBegin+padEnd, dk)
		}
		if w.CeilMode {
			out = (span+s-1)/s + 1
			// The last window must start inside the input or the left padding.
			if (out-1)*s >= in+padBegin {
				out--
			}
		} else {
			out = span/s + 1
		}
	}
	return out, padBegin, padEnd, nil
}

// nnKernelOf returns kernel_shape, or the trailing dims of the weight type.
func nnKernelOf(c *InferCtx, wIdx, n int) ([]int64, bool) {
	if ks := c.Attrs().Ints("kernel_shape", nil); ks != nil {
		return ks, true
	}
	if !c.Has(wIdx) || !c.In[wIdx].RankKnown || len(c.In[wIdx].Shape) != n+2 {
		return nil, false
	}
	return c.In[wIdx].Shape[2:].Concrete()
}

// nnOutDType resolves an Infer dtype parameter: a concrete dtype, Undefined
// for "same as input xIdx", or -i for "same as input i".
func nnOutDType(c *InferCtx, dt DType, xIdx int) DType {
	switch {
	case dt == Undefined:
		return c.In[xIdx].DType
	case dt < 0:
		if c.Has(int(-dt)) {
			return c.In[-dt].DType
		}
		return Uint8
	}
	return dt
}

// nnInferConvLike gives [N, M, out...] where M is the weight's first dim.
func nnInferConvLike(xIdx, wIdx int, dt DType) func(*InferCtx) error {
	return func(c *InferCtx) error {
		if !c.Has(xIdx) || !c.Has(wIdx) {
			return c.Errorf("input X or W is missing")
		}
		x, w := c.In[xIdx], c.In[wIdx]
		odt := nnOutDType(c, dt, xIdx)
		if !x.RankKnown {
			c.SetOut(0, UnrankedOf(odt))
			return nil
		}
		if len(x.Shape) < 3 {
			return c.Errorf("input X must have rank >= 3, got %v", x.Shape)
		}
		n := len(x.Shape) - 2
		out := make(Shape, len(x.Shape))
		out[0] = x.Shape[0]
		out[1] = UnknownDim
		if w.RankKnown {
			if len(w.Shape) != n+2 {
				return c.Errorf("weight W has rank %d, expected %d", len(w.Shape), n+2)
			}
			out[1] = w.Shape[0]
		}
		for i := range n {
			out[2+i] = UnknownDim
		}
		if k, ok := nnKernelOf(c, wIdx, n); ok {
			wa, err := ParseWindowAttrs(c.Attrs(), n, k)
			if err != nil {
				return c.Errorf("%v", err)
			}
			for i := range n {
				if d := x.Shape[2+i]; d.Known() {
					o, _, _, err := wa.Axis(i, d.Size)
					if err != nil {
						return c.Errorf("%v", err)
					}
					out[2+i] = D(o)
				}
			}
		}
		c.SetOut(0, TensorOf(odt, out))
		return nil
	}
}

// ConvTransposeAxis resolves spatial axis i of ConvTranspose for input
// size in: the output size and the padding removed at both ends. outShape
// is the output_shape attribute restricted to spatial axes (nil if absent).
func ConvTransposeAxis(w *WindowAttrs, outPad, outShape []int64, i int, in int64) (out, padBegin, padEnd int64, err error) {
	k, s, d := w.Kernel[i], w.Strides[i], w.Dilations[i]
	full := s*(in-1) + outPad[i] + (k-1)*d + 1
	n := len(w.Kernel)
	want := int64(-1)
	switch {
	case outShape != nil:
		want = outShape[i]
	case w.AutoPad == "SAME_UPPER" || w.AutoPad == "SAME_LOWER":
		want = in * s
	}
	if want >= 0 {
		// total may be negative (output_shape larger than the full
		// result): halve it rounding down, as ONNX's reference does.
		total := full - want
		half := total / 2
		if total < 0 && total%2 != 0 {
			half--
		}
		if w.AutoPad == "SAME_UPPER" {
			padBegin, padEnd = half, total-half
		} else {
			padBegin, padEnd = total-half, half
		}
		return want, padBegin, padEnd, nil
	}
	padBegin, padEnd = w.Pads[i], w.Pads[i+n]
	out = full - padBegin - padEnd
	if out <= 0 {
		return 0, 0, 0, fmt.Errorf("spatial axis %d: output size %d is not positive", i, out)
	}
	return out, padBegin, padEnd, nil
}

// ConvTransposeShapes returns output_padding and the spatial part of
// output_shape (nil when absent) for n spatial axes.
func ConvTransposeShapes(a Attrs, n int) (outPad, outShape []int64, err error) {
	outPad = a.Ints("output_padding", nil)
	if outPad == nil {
		outPad = make([]int64, n)
	}
	if len(outPad) == 2*n { // some exporters write begin/end pairs; only the end counts
		outPad = outPad[n:]
	}
	if len(outPad) != n {
		return nil, nil, fmt.Errorf("output_padding has %d values, want %d", len(outPad), n)
	}
	if os := a.Ints("output_shape", nil); os != nil {
		switch len(os) {
		case n:
			outShape = os
		case n + 2:
			outShape = os[2:]
		default:
			return nil, nil, fmt.Errorf("output_shape has %d values, want %d", len(os), n)
		}
	}
	return outPad, outShape, nil
}

func nnInferConvTranspose(c *InferCtx) error {
	if !c.Has(0) || !c.Has(1) {
		return c.Errorf("input X or W is missing")
	}
	x, w := c.In[0], c.In[1]
	if !x.RankKnown {
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	if len(x.Shape) < 3 {
		return c.Errorf("input X must have rank >= 3, got %v", x.Shape)
	}
	n := len(x.Shape) - 2
	out := make(Shape, len(x.Shape))
	out[0], out[1] = x.Shape[0], UnknownDim
	group := c.Attrs().Int("group", 1)
	if group < 1 {
		return c.Errorf("group must be positive, got %d", group)
	}
	if ch := x.Shape[1]; ch.Known() && ch.Size%group != 0 {
		return c.Errorf("input X has %d channels, not divisible by group %d", ch.Size, group)
	}
	if w.RankKnown {
		if len(w.Shape) != n+2 {
			return c.Errorf("weight W has rank %d, expected %d", len(w.Shape), n+2)
		}
		if ch := x.Shape[1]; ch.Known() && w.Shape[0].Known() && w.Shape[0].Size != ch.Size {
			return c.Errorf("weight W has %d input channels, X has %d", w.Shape[0].Size, ch.Size)
		}
		if m := w.Shape[1]; m.Known() {
			if m.Size > 0 && group > math.MaxInt64/m.Size {
				return c.Errorf("group %d times %d output channels per group overflows", group, m.Size)
			}
			out[1] = D(m.Size * group)
		}
	}
	for i := range n {
		out[2+i] = UnknownDim
	}
	if k, ok := nnKernelOf(c, 1, n); ok {
		wa, err := ParseWindowAttrs(c.Attrs(), n, k)
		if err != nil {
			return c.Errorf("%v", err)
		}
		outPad, outShape, err := ConvTransposeShapes(c.Attrs(), n)
		if err != nil {
			return c.Errorf("%v", err)
		}
		for i := range n {
			if d := x.Shape[2+i]; d.Known() {
				o, _, _, err := ConvTransposeAxis(&wa, outPad, outShape, i, d.Size)
				if err != nil {
					return c.Errorf("%v", err)
				}
				out[2+i] = D(o)
			} else if outShape != nil {
				out[2+i] = D(outShape[i])
			}
		}
	}
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

func nnInferPool(c *InferCtx) error {
	if !c.Has(0) {
		return c.Errorf("input X is missing")
	}
	x := c.In[0]
	if !x.RankKnown {
		c.SetOut(0, UnrankedOf(x.DType))
		c.SetOut(1, UnrankedOf(Int64))
		return nil
	}
	if len(x.Shape) < 3 {
		return c.Errorf("input X must have rank >= 3, got %v", x.Shape)
	}
	n := len(x.Shape) - 2
	wa, err := ParseWindowAttrs(c.Attrs(), n, c.Attrs().Ints("kernel_shape", nil))
	if err != nil {
		return c.Errorf("%v", err)
	}
	out := append(Shape{}, x.Shape...)
	for i := range n {
		out[2+i] = UnknownDim
		if d := x.Shape[2+i]; d.Known() {
			o, _, _, err := wa.Axis(i, d.Size)
			if err != nil {
				return c.Errorf("%v", err)
			}
			out[2+i] = D(o)
		}
	}
	c.SetOut(0, TensorOf(x.DType, out))
	c.SetOut(1, TensorOf(Int64, append(Shape{}, out...)))
	return nil
}

func nnInferGlobalPool(c *InferCtx) error {
	if !c.Has(0) {
		return c.Errorf("input X is missing")
	}
	x := c.In[0]
	if !x.RankKnown {
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	if len(x.Shape) < 2 {
		return c.Errorf("input X must have rank >= 2, got %v", x.Shape)
	}
	out := append(Shape{}, x.Shape...)
	for i := 2; i < len(out); i++ {
		out[i] = D(1)
	}
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

func nnInferMaxUnpool(c *InferCtx) error {
	if !c.Has(0) {
		return c.Errorf("input X is missing")
	}
	x := c.In[0]
	if !x.RankKnown {
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	if len(x.Shape) < 3 {
		return c.Errorf("input X must have rank >= 3, got %v", x.Shape)
	}
	r := len(x.Shape)
	out := make(Shape, r)
	for i := range out {
		out[i] = UnknownDim
	}
	if c.Has(2) {
		if v, ok := c.ConstInts(2); ok {
			if len(v) != r {
				return c.Errorf("output_shape has %d values, want %d", len(v), r)
			}
			out = KnownShape(v)
		}
		c.SetOut(0, TensorOf(x.DType, out))
		return nil
	}
	n := r - 2
	out[0], out[1] = x.Shape[0], x.Shape[1]
	wa, err := ParseWindowAttrs(c.Attrs(), n, c.Attrs().Ints("kernel_shape", nil))
	if err != nil {
		return c.Errorf("%v", err)
	}
	for i := range n {
		if d := x.Shape[2+i]; d.Known() {
			out[2+i] = D((d.Size-1)*wa.Strides[i] + wa.Kernel[i] - wa.Pads[i] - wa.Pads[i+n])
		}
	}
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

func nnInferGemm(c *InferCtx) error {
	if !c.Has(0) || !c.Has(1) {
		return c.Errorf("input A or B is missing")
	}
	a, b := c.In[0], c.In[1]
	m, n := UnknownDim, UnknownDim
	if a.RankKnown {
		if len(a.Shape) != 2 {
			return c.Errorf("input A must be 2-D, got %v", a.Shape)
		}
		m = a.Shape[0]
		if c.Attrs().Int("transA", 0) != 0 {
			m = a.Shape[1]
		}
	}
	if b.RankKnown {
		if len(b.Shape) != 2 {
			return c.Errorf("input B must be 2-D, got %v", b.Shape)
		}
		n = b.Shape[1]
		if c.Attrs().Int("transB", 0) != 0 {
			n = b.Shape[0]
		}
	}
	c.SetOut(0, TensorOf(a.DType, Shape{m, n}))
	return nil
}

// MatMulShape computes numpy matmul's output shape for static shapes.
func MatMulShape(a, b Shape) (Shape, error) {
	if len(a) == 0 || len(b) == 0 {
		return nil, fmt.Errorf("matmul operands must have rank >= 1, got %v and %v", a, b)
	}
	a1, b1 := len(a) == 1, len(b) == 1
	if a1 {
		a = Shape{D(1), a[0]}
	}
	if b1 {
		b = Shape{b[0], D(1)}
	}
	ka, kb := a[len(a)-1], b[len(b)-2]
	if ka.Known() && kb.Known() && ka.Size != kb.Size {
		return nil, fmt.Errorf("matmul inner dimensions differ: %v and %v", a, b)
	}
	batch, err := BroadcastShapes(a[:len(a)-2], b[:len(b)-2])
	if err != nil {
		return nil, err
	}
	out := append(Shape{}, batch...)
	if !a1 {
		out = append(out, a[len(a)-2])
	}
	if !b1 {
		out = append(out, b[len(b)-1])
	}
	return out, nil
}

func nnInferMatMul(aIdx, bIdx int, dt DType) func(*InferCtx) error {
	return func(c *InferCtx) error {
		if !c.Has(aIdx) || !c.Has(bIdx) {
			return c.Errorf("input A or B is missing")
		}
		a, b := c.In[aIdx], c.In[bIdx]
		odt := nnOutDType(c, dt, aIdx)
		if !a.RankKnown || !b.RankKnown {
			c.SetOut(0, UnrankedOf(odt))
			return nil
		}
		s, err := MatMulShape(a.Shape, b.Shape)
		if err != nil {
			return c.Errorf("%v", err)
		}
		c.SetOut(0, TensorOf(odt, s))
		return nil
	}
}

// nnInferRNN handles LSTM (gates 4), GRU (3) and RNN (1).
func nnInferRNN(gates int64) func(*InferCtx) error {
	return func(c *InferCtx) error {
		if !c.Has(0) || !c.Has(1) || !c.Has(2) {
			return c.Errorf("inputs X, W and R are required")
		}
		x, r := c.In[0], c.In[2]
		a := c.Attrs()
		dirs := int64(1)
		switch a.String("direction", "forward") {
		case "forward", "reverse":
		case "bidirectional":
			dirs = 2
		default:
			return c.Errorf("direction %q is not forward, reverse or bidirectional", a.String("direction", ""))
		}
		hidden := UnknownDim
		if a.Has("hidden_size") {
			hidden = D(a.Int("hidden_size", 0))
		} else if r.RankKnown && len(r.Shape) == 3 {
			hidden = r.Shape[2]
		}
		layout := a.Int("layout", 0)
		seq, batch := UnknownDim, UnknownDim
		if x.RankKnown {
			if len(x.Shape) != 3 {
				return c.Errorf("input X must be 3-D, got %v", x.Shape)
			}
			seq, batch = x.Shape[0], x.Shape[1]
			if layout != 0 {
				seq, batch = batch, seq
			}
		}
		dt := x.DType
		if layout == 0 {
			c.SetOut(0, TensorOf(dt, Shape{seq, D(dirs), batch, hidden}))
			c.SetOut(1, TensorOf(dt, Shape{D(dirs), batch, hidden}))
			c.SetOut(2, TensorOf(dt, Shape{D(dirs), batch, hidden}))
		} else {
			c.SetOut(0, TensorOf(dt, Shape{batch, seq, D(dirs), hidden}))
			c.SetOut(1, TensorOf(dt, Shape{batch, D(dirs), hidden}))
			c.SetOut(2, TensorOf(dt, Shape{batch, D(dirs), hidden}))
		}
		return nil
	}
}
