package main

import (
	pb "github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// dataSizeCases are ops whose output size, or the size of a table their
// kernel builds, comes from tensor data given at run time, and encoded
// images whose headers declare far more pixels than their bytes hold.
// Each once allocated from the hostile value before checking it.
var dataSizeCases = []hostileCase{
	{Name: "shape_pad_2p33_input", Group: "huge shapes and work", What: "Pad float[4] by 2^33 at the end, pads from an input (the per-axis index tables were built before the output size was checked)", Expect: "elements",
		build: func(c *caseDir) error { return shapeInputGraph(c, "Pad", 0, 1<<33) }},
	{Name: "shape_stft_frame_2p40", Group: "huge shapes and work", What: "STFT of float[1,16,1] with frame_length 2^40 from an input (its window was made before the length was checked)", Expect: "frame_length",
		build: func(c *caseDir) error {
			return dataGraph(c, node("STFT", ss("sig", "step", "", "len"), ss("y")),
				[]*pb.ValueInfoProto{vi("sig", ir.Float32, 1, 16, 1), vi("step", ir.Int64), vi("len", ir.Int64)},
				floats("sig", []int64{1, 16, 1}, make([]float32, 16)...), int64s("step", nil, 1), int64s("len", nil, p40))
		}},
	{Name: "shape_melweight_2p40", Group: "huge shapes and work", What: "MelWeightMatrix with num_mel_bins 2^40 from an input (its band edges were made before the output size was checked)", Expect: "elements",
		build: func(c *caseDir) error {
			return dataGraph(c, node("MelWeightMatrix", ss("bins", "n", "rate", "lo", "hi"), ss("y")),
				[]*pb.ValueInfoProto{vi("bins", ir.Int64), vi("n", ir.Int64), vi("rate", ir.Int64), vi("lo", ir.Float32), vi("hi", ir.Float32)},
				int64s("bins", nil, p40), int64s("n", nil, 512), int64s("rate", nil, 16000), floats("lo", nil, 0), floats("hi", nil, 8000))
		}},
	{Name: "shape_dft_length_negative", Group: "huge shapes and work", What: "DFT with dft_length -8 from an input (it was taken as absent)", Expect: "dft_length must be positive",
		build: func(c *caseDir) error {
			return dataGraph(c, node("DFT", ss("sig", "n"), ss("y")),
				[]*pb.ValueInfoProto{vi("sig", ir.Float32, 1, 4, 1), vi("n", ir.Int64)},
				floats("sig", []int64{1, 4, 1}, 1, 2, 3, 4), int64s("n", nil, -8))
		}},
	{Name: "shape_convtranspose_group_2p40", Group: "huge shapes and work", What: "ConvTranspose of float[N,2,4,4] with group 2^40 (2^40 output channels) and a constant added per channel, batch unknown (found by the mutation sweep over a real OCR model: the epilogue fusion built a bias of one value per channel, 2^40, before any size check; 2 input channels cannot be split into 2^40 groups, which inference now says)", Expect: "not divisible by group",
		build: func(c *caseDir) error {
			g := &pb.GraphProto{
				Name:  "g",
				Input: []*pb.ValueInfoProto{vi("x", ir.Float32, "N", 2, 4, 4)},
				Initializer: []*pb.TensorProto{
					floats("w", []int64{2, 1, 1, 1}, 1, 2), floats("b", []int64{1}, 0.5),
				},
				Node: []*pb.NodeProto{
					node("ConvTranspose", ss("x", "w"), ss("t"), intAttr("group", p40)),
					node("Add", ss("t", "b"), ss("y")),
				},
				Output: []*pb.ValueInfoProto{{Name: "y"}},
			}
			return c.writeModel(model(g), floats("x", []int64{1, 2, 4, 4}, make([]float32, 32)...))
		}},
	{Name: "image_pnm_tiny_huge", Group: "huge shapes and work", What: "ImageDecoder on a 20-byte PPM declaring 10000×10000 pixels: the stream cannot be decoded, so the image is empty (0, 0, 3), with nothing allocated for the declared size", Outcome: "runs",
		build: func(c *caseDir) error { return imageGraph(c, []byte("P6 10000 10000 255\n\x00")) }},
	{Name: "image_tiff_packbits_bomb", Group: "huge shapes and work", What: "ImageDecoder on a PackBits TIFF declaring 8000×8000 pixels with 16 bytes of strip data (64 MB once expanded): an empty image, nothing allocated for it", Outcome: "runs",
		build: func(c *caseDir) error {
			d := []byte("II*\x00\x18\x00\x00\x00")
			for i := 0; i < 8; i++ {
				d = append(d, 0x81, 0) // 128 zero bytes each
			}
			// IFD at 24: width, height, compression, strip offset and count.
			d = append(d, 5, 0)
			for _, e := range [][3]uint32{{256, 4, 8000}, {257, 4, 8000}, {259, 3, 32773}, {273, 4, 8}, {279, 4, 16}} {
				d = append(d, byte(e[0]), byte(e[0]>>8), byte(e[1]), 0, 1, 0, 0, 0)
				d = append(d, byte(e[2]), byte(e[2]>>8), byte(e[2]>>16), byte(e[2]>>24))
			}
			return imageGraph(c, append(d, 0, 0, 0, 0))
		}},
}

// dataGraph is a one-node graph y = n(inputs...) whose inputs are all
// graph inputs fed by the test data set.
func dataGraph(c *caseDir, n *pb.NodeProto, ins []*pb.ValueInfoProto, feeds ...*pb.TensorProto) error {
	g := &pb.GraphProto{Name: "g", Input: ins, Node: []*pb.NodeProto{n}, Output: []*pb.ValueInfoProto{{Name: "y"}}}
	return c.writeModel(model(g), feeds...)
}

// imageGraph is y = ImageDecoder(stream) (opset 20) fed the given bytes.
func imageGraph(c *caseDir, stream []byte) error {
	g := &pb.GraphProto{Name: "g", Input: []*pb.ValueInfoProto{vi("stream", ir.Uint8, len(stream))},
		Node: []*pb.NodeProto{node("ImageDecoder", ss("stream"), ss("y"))}, Output: []*pb.ValueInfoProto{{Name: "y"}}}
	m := model(g)
	m.OpsetImport[0].Version = 20
	return c.writeModel(m, &pb.TensorProto{Name: "stream", DataType: int32(ir.Uint8), Dims: []int64{int64(len(stream))}, RawData: stream})
}
