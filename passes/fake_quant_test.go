package passes

import "github.com/nncc/nncc/ir"

func init() {
	goldenCases = append(goldenCases, goldenCase{"fake_quant", "fake-quant", buildFakeQuantGolden})
}

// buildFakeQuantGolden: a uint8 pair with zero point 128 and an int8 pair
// whose codes two DequantizeLinear nodes read become nncc.FakeQuant; a
// pair whose DequantizeLinear has another scale, one whose codes are a
// graph output, and a per-axis pair stay.
func buildFakeQuantGolden() *ir.Graph {
	b := newGB("fake_quant")
	x := b.input("x", ir.TensorType(ir.Float32, 2, 3, 4, 4))
	s := b.constant("s", ir.Scalar(float32(0.05)))
	s2 := b.constant("s2", ir.Scalar(float32(0.1)))
	zu := b.constant("zu", &ir.Tensor{DType: ir.Uint8, Shape: []int64{}, Data: []uint8{128}})
	zs := b.constant("zs", &ir.Tensor{DType: ir.Int8, Shape: []int64{}, Data: []int8{-3}})
	q := b.op("QuantizeLinear", nil, 1, x, s, zu)[0]
	y := b.op("DequantizeLinear", nil, 1, q, s, zu)[0]
	y = b.op("Relu", nil, 1, y)[0]
	q = b.op("QuantizeLinear", nil, 1, y, s, zs)[0]
	a := b.op("DequantizeLinear", nil, 1, q, s, zs)[0]
	c := b.op("DequantizeLinear", nil, 1, q, s, zs)[0]
	y = b.op("Add", nil, 1, a, c)[0]
	// Stays: the DequantizeLinear's scale differs.
	q = b.op("QuantizeLinear", nil, 1, y, s, zu)[0]
	y = b.op("DequantizeLinear", nil, 1, q, s2, zu)[0]
	// Stays: the codes are an output.
	codes := b.op("QuantizeLinear", nil, 1, y, s, zu)[0]
	y = b.op("DequantizeLinear", nil, 1, codes, s, zu)[0]
	// Stays: per axis.
	sa := b.constant("sa", ir.FromSlice([]float32{0.1, 0.2, 0.3}, 3))
	za := b.constant("za", &ir.Tensor{DType: ir.Uint8, Shape: []int64{3}, Data: []uint8{1, 2, 3}})
	q = b.op("QuantizeLinear", ir.Attrs{"axis": &ir.Attr{Name: "axis", Kind: ir.AttrInt, I: 1}}, 1, y, sa, za)[0]
	y = b.op("DequantizeLinear", ir.Attrs{"axis": &ir.Attr{Name: "axis", Kind: ir.AttrInt, I: 1}}, 1, q, sa, za)[0]
	return b.output(y, codes)
}
