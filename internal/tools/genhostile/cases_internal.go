package main

import (
	pb "github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// internalCases use nncc's internal ops (domain "nncc": the fused,
// NCHWc-layout and attention ops the optimisation passes create) directly
// in an imported ONNX model, with wrong arity, attributes and shapes.
var internalCases = []hostileCase{
	{Name: "nncc_conv_nchwc_block_mismatch", Group: "internal ops", What: "nncc.ConvNCHWc whose block attribute (8) disagrees with its input's last dim (16)", Expect: "input has block 16",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, dims(1, 1, 4, 4, 16), nil}},
				[]*pb.TensorProto{filled("w", 8, 8, 3, 3)},
				inode("ConvNCHWc", ss("x", "w"), intAttr("block", 8), intsAttr("kernel_shape", 3, 3)))
		}},
	{Name: "nncc_conv_nchwc_symbolic", Group: "internal ops", What: "nncc.ConvNCHWc over an input of symbolic shape [N,C,H,W,B], run with a last dim (16) that is not the block (8) and too few channels for W", Expect: "input has block 16",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, []any{"N", "C", "H", "W", "B"}, dims(1, 1, 4, 4, 16)}},
				[]*pb.TensorProto{filled("w", 32, 32, 3, 3)},
				inode("ConvNCHWc", ss("x", "w"), intAttr("block", 8), intsAttr("kernel_shape", 3, 3)))
		}},
	{Name: "nncc_conv_nchwc_unranked", Group: "internal ops", What: "nncc.ConvNCHWc over an input of unknown rank, run with a rank-3 tensor", Expect: "rank 4 or 5",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, nil, dims(2, 4, 4)}},
				[]*pb.TensorProto{filled("w", 8, 8, 3, 3)},
				inode("ConvNCHWc", ss("x", "w"), intAttr("block", 8), intsAttr("kernel_shape", 3, 3)))
		}},
	{Name: "nncc_conv_nchwc_plain_channels", Group: "internal ops", What: "nncc.ConvNCHWc over a symbolic plain NCHW input run with 5 channels where W has 3", Expect: "W expects 3",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, []any{"N", "C", "H", "W"}, dims(1, 5, 6, 6)}},
				[]*pb.TensorProto{filled("w", 8, 3, 3, 3)},
				inode("ConvNCHWc", ss("x", "w"), intAttr("block", 8), intsAttr("kernel_shape", 3, 3)))
		}},
	{Name: "nncc_conv_nchwc_residual", Group: "internal ops", What: "nncc.ConvNCHWc with a symbolic residual input run smaller than the output", Expect: "residual R",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, dims(1, 1, 6, 6, 8), nil}, {"r", ir.Float32, []any{"A", "B", "C", "D", "E"}, dims(1, 1, 1, 1, 1)}},
				[]*pb.TensorProto{filled("w", 8, 8, 3, 3), filled("b", 8)},
				inode("ConvNCHWc", ss("x", "w", "b", "r"), intAttr("block", 8), intsAttr("kernel_shape", 3, 3)))
		}},
	{Name: "nncc_conv_nchwc_no_kernel", Group: "internal ops", What: "nncc.ConvNCHWc without its required kernel_shape and with block 0", Expect: "kernel_shape",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, dims(1, 1, 4, 4, 8), nil}},
				[]*pb.TensorProto{filled("w", 8, 8, 3, 3)},
				inode("ConvNCHWc", ss("x", "w"), intAttr("block", 0)))
		}},
	{Name: "nncc_conv_nchwc_huge_block", Group: "internal ops", What: "nncc.ConvNCHWc with block 2^40", Expect: "must be in 1..64",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, dims(1, 1, 4, 4, 8), nil}},
				[]*pb.TensorProto{filled("w", 8, 8, 3, 3)},
				inode("ConvNCHWc", ss("x", "w"), intAttr("block", p40), intsAttr("kernel_shape", 3, 3)))
		}},
	{Name: "nncc_conv_nchwc_int_weights", Group: "internal ops", What: "nncc.ConvNCHWc with int64 weights", Expect: "dtype int64",
		build: func(c *caseDir) error {
			w := int64s("w", []int64{8, 8, 1, 1}, make([]int64, 64)...)
			return internalModel(c, []input{{"x", ir.Float32, dims(1, 1, 4, 4, 8), nil}}, []*pb.TensorProto{w},
				inode("ConvNCHWc", ss("x", "w"), intAttr("block", 8), intsAttr("kernel_shape", 1, 1)))
		}},
	{Name: "nncc_reorder_to_symbolic", Group: "internal ops", What: "nncc.ReorderToNCHWc over a symbolic input run with rank 2", Expect: "rank 4",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, nil, dims(3, 5)}}, nil,
				inode("ReorderToNCHWc", ss("x"), intAttr("block", 8)))
		}},
	{Name: "nncc_reorder_from_channels", Group: "internal ops", What: "nncc.ReorderFromNCHWc whose channels (40) need more blocks than the symbolic input is run with (1)", Expect: "need 5 blocks",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, []any{"N", "C", "H", "W", "B"}, dims(1, 1, 2, 2, 8)}}, nil,
				inode("ReorderFromNCHWc", ss("x"), intAttr("block", 8), intAttr("channels", 40)))
		}},
	{Name: "nncc_reorder_from_huge", Group: "internal ops", What: "nncc.ReorderFromNCHWc with channels 2^40", Expect: "channels need|limit MaxTensorElements",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, []any{"N", "C", "H", "W", "B"}, dims(1, 1, 2, 2, 8)}}, nil,
				inode("ReorderFromNCHWc", ss("x"), intAttr("block", 8), intAttr("channels", p40)))
		}},
	{Name: "nncc_maxpool_nchwc_symbolic", Group: "internal ops", What: "nncc.MaxPoolNCHWc over a symbolic input run with last dim 3 (block 8) and a 2×2 image for a 5×5 window", Expect: "block 3",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, []any{"N", "C", "H", "W", "B"}, dims(1, 1, 2, 2, 3)}}, nil,
				inode("MaxPoolNCHWc", ss("x"), intAttr("block", 8), intsAttr("kernel_shape", 5, 5)))
		}},
	{Name: "nncc_avgpool_nchwc_symbolic", Group: "internal ops", What: "nncc.AveragePoolNCHWc over a symbolic input run with last dim 16 (block 8)", Expect: "block 16",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, []any{"N", "C", "H", "W", "B"}, dims(1, 1, 4, 4, 16)}}, nil,
				inode("AveragePoolNCHWc", ss("x"), intAttr("block", 8), intsAttr("kernel_shape", 2, 2)))
		}},
	{Name: "nncc_globalpool_nchwc_symbolic", Group: "internal ops", What: "nncc.GlobalAveragePoolNCHWc over a symbolic input run with last dim 3 (block 8)", Expect: "block 3",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, []any{"N", "C", "H", "W", "B"}, dims(1, 1, 2, 2, 3)}}, nil,
				inode("GlobalAveragePoolNCHWc", ss("x"), intAttr("block", 8)))
		}},
	{Name: "nncc_fusedgemm_symbolic", Group: "internal ops", What: "nncc.FusedGemm of symbolic A [M,K] run with K=5 against B [3,4], with a residual run as [1]", Expect: "inner dimensions",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, []any{"M", "K"}, dims(2, 5)}, {"r", ir.Float32, []any{"R"}, dims(1)}},
				[]*pb.TensorProto{filled("b", 3, 4), filled("c", 4)},
				inode("FusedGemm", ss("x", "b", "c", "r"), strAttr("activation", "Relu")))
		}},
	{Name: "nncc_fusedgemm_bad_activation", Group: "internal ops", What: "nncc.FusedGemm with activation Clip and one parameter", Expect: "takes 2 parameters",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, dims(2, 3), nil}}, []*pb.TensorProto{filled("b", 3, 4)},
				inode("FusedGemm", ss("x", "b"), strAttr("activation", "Clip"), floatsAttr("activation_params", 1)))
		}},
	{Name: "nncc_fusedconv_symbolic", Group: "internal ops", What: "nncc.FusedConv of a symbolic input run with 5 channels where W has 3 and group 1, residual run as [1]", Expect: "channels",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, []any{"N", "C", "H", "W"}, dims(1, 5, 6, 6)}, {"r", ir.Float32, nil, dims(1)}},
				[]*pb.TensorProto{filled("w", 4, 3, 3, 3), filled("b", 4)},
				inode("FusedConv", ss("x", "w", "b", "r"), intsAttr("kernel_shape", 3, 3)))
		}},
	{Name: "nncc_attention_symbolic", Group: "internal ops", What: "nncc.FusedAttention whose layouts reach far past symbolic Q, K, V that are run with 4 elements", Expect: "q_layout reaches",
		build: func(c *caseDir) error {
			sym := []any{"S"}
			return internalModel(c, []input{{"q", ir.Float32, sym, dims(4)}, {"k", ir.Float32, sym, dims(4)}, {"v", ir.Float32, sym, dims(4)}}, nil,
				inode("FusedAttention", ss("q", "k", "v"), intsAttr("sizes", 64, 64, 64, 64), floatAttr("scale", 1),
					intsAttr("q_layout", 0, 64, 1), intsAttr("k_layout", 0, 64, 1), intsAttr("v_layout", 0, 64, 1),
					intsAttr("y_layout", 0, 64, 1), intsAttr("y_shape", 64, 64)))
		}},
	{Name: "nncc_attention_mask_symbolic", Group: "internal ops", What: "nncc.FusedAttention with a symbolic mask run with 1 element for a 4×4 score matrix", Expect: "mask_layout reaches",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"q", ir.Float32, dims(4, 4), nil}, {"m", ir.Float32, []any{"A"}, dims(1)}},
				nil,
				inode("FusedAttention", ss("q", "q", "q", "m"), intsAttr("sizes", 4, 4, 4, 4), floatAttr("scale", 1),
					intsAttr("q_layout", 0, 4, 1), intsAttr("k_layout", 0, 4, 1), intsAttr("v_layout", 0, 4, 1),
					intsAttr("y_layout", 0, 4, 1), intsAttr("y_shape", 4, 4), intsAttr("mask_layout", 0, 4, 1)))
		}},
	{Name: "nncc_attention_huge", Group: "internal ops", What: "nncc.FusedAttention with sizes 2^40 and y_shape [2^20, 2^20]", Expect: "zero seq or dim stride",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"q", ir.Float32, dims(4), nil}}, nil,
				inode("FusedAttention", ss("q", "q", "q"), intsAttr("sizes", p40, p40, 1, 1), floatAttr("scale", 1),
					intsAttr("q_layout", 0, 0, 0), intsAttr("k_layout", 0, 0, 0), intsAttr("v_layout", 0, 0, 0),
					intsAttr("y_layout", 0, 0, 0), intsAttr("y_shape", p20, p20)))
		}},
	{Name: "nncc_attention_missing_layout", Group: "internal ops", What: "nncc.FusedAttention without its layouts", Expect: "q_layout",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"q", ir.Float32, dims(4), nil}}, nil,
				inode("FusedAttention", ss("q", "q", "q"), intsAttr("sizes", 2, 2, 2, 2), floatAttr("scale", 1)))
		}},
	{Name: "nncc_elementwise_bad_ref", Group: "internal ops", What: "nncc.FusedElementwise whose program refers to instruction results not yet computed", Expect: "not an input or an earlier result",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, dims(4), nil}}, nil,
				inode("FusedElementwise", ss("x"), stringsAttr("ops", "Add", "Relu"), intsAttr("args", 0, 5, 1, -1), floatsAttr("params", 0, 0, 0, 0, 0, 0)))
		}},
	{Name: "nncc_elementwise_symbolic", Group: "internal ops", What: "nncc.FusedElementwise of two symbolic inputs run with shapes that do not broadcast", Expect: "cannot broadcast",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, []any{"A"}, dims(4)}, {"z", ir.Float32, []any{"B"}, dims(3)}}, nil,
				inode("FusedElementwise", ss("x", "z"), stringsAttr("ops", "Add"), intsAttr("args", 0, 1), floatsAttr("params", 0, 0, 0)))
		}},
	{Name: "nncc_too_many_inputs", Group: "internal ops", What: "nncc.GlobalAveragePoolNCHWc with three inputs", Expect: "expects 1 inputs",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, dims(1, 1, 2, 2, 8), nil}}, nil,
				inode("GlobalAveragePoolNCHWc", ss("x", "x", "x"), intAttr("block", 8)))
		}},
	{Name: "nncc_attention_work_bomb", Group: "internal ops", What: "nncc.FusedAttention over 4-element inputs whose zero strides make sizes [2^20, 2^20, 1, 1] and batch [2^20] legal: 2^60 multiply-adds", Expect: "cannot hold",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"q", ir.Float32, dims(4), nil}}, nil,
				inode("FusedAttention", ss("q", "q", "q"), intsAttr("batch", p20), intsAttr("sizes", p20, p20, 1, 1), floatAttr("scale", 1),
					intsAttr("q_layout", 0, 0, 0, 0), intsAttr("k_layout", 0, 0, 0, 0), intsAttr("v_layout", 0, 0, 0, 0),
					intsAttr("y_layout", 0, 0, 0, 0), intsAttr("y_shape", 1)))
		}},
	{Name: "nncc_conv_nchwc_dilation_huge", Group: "internal ops", What: "nncc.ConvNCHWc with dilations 2^40 and pads 2^40", Expect: "dilated kernel|too many|overflow|exceeds|too large",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, dims(1, 1, 4, 4, 16), nil}}, []*pb.TensorProto{filled("w", 16, 16, 3, 3)},
				inode("ConvNCHWc", ss("x", "w"), intAttr("block", 16), intsAttr("kernel_shape", 3, 3), intsAttr("dilations", p40, p40), intsAttr("pads", p40, p40, p40, p40)))
		}},
	{Name: "nncc_avgpool_nchwc_zero_stride", Group: "internal ops", What: "nncc.AveragePoolNCHWc with strides [0, 0] and negative pads", Expect: "must be positive",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, dims(1, 1, 4, 4, 8), nil}}, nil,
				inode("AveragePoolNCHWc", ss("x"), intAttr("block", 8), intsAttr("kernel_shape", 2, 2), intsAttr("strides", 0, 0), intsAttr("pads", -1, -1, -1, -1)))
		}},
	{Name: "nncc_conv_nchwc_zero_batch", Group: "internal ops", What: "nncc.ConvNCHWc over a symbolic input run with a zero-size batch and zero-size image", Expect: "dilated kernel",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, []any{"N", "C", "H", "W", "B"}, dims(0, 1, 0, 0, 8)}}, []*pb.TensorProto{filled("w", 8, 8, 1, 1)},
				inode("ConvNCHWc", ss("x", "w"), intAttr("block", 8), intsAttr("kernel_shape", 1, 1)))
		}},
	{Name: "nncc_reorder_to_zero", Group: "internal ops", What: "nncc.ReorderToNCHWc of a symbolic input run with zero channels (an empty output)", Outcome: "runs",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, []any{"N", "C", "H", "W"}, dims(1, 0, 2, 2)}}, nil,
				inode("ReorderToNCHWc", ss("x"), intAttr("block", 8)))
		}},
	{Name: "nncc_fusedgemm_transA_rank3", Group: "internal ops", What: "nncc.FusedGemm with transA on a symbolic rank-3 A and C of the wrong size", Expect: "must be 2-D",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, []any{"A", "B", "C"}, dims(2, 3, 4)}, {"cc", ir.Float32, []any{"Z"}, dims(7)}}, []*pb.TensorProto{filled("b", 3, 4)},
				inode("FusedGemm", ss("x", "b", "cc"), intAttr("transA", 1)))
		}},
	{Name: "nncc_attention_cond_int", Group: "internal ops", What: "nncc.FusedAttention with a float condition input and keep 7", Expect: "bool",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"q", ir.Float32, dims(4, 4), nil}}, nil,
				inode("FusedAttention", ss("q", "q", "q", "", "q"), intsAttr("sizes", 4, 4, 4, 4), floatAttr("scale", 1),
					intsAttr("q_layout", 0, 4, 1), intsAttr("k_layout", 0, 4, 1), intsAttr("v_layout", 0, 4, 1),
					intsAttr("y_layout", 0, 4, 1), intsAttr("y_shape", 4, 4), intsAttr("cond_layout", 0, 4, 1), intAttr("keep", 7)))
		}},
	{Name: "nncc_attention_stride_wrap", Group: "internal ops", What: "nncc.FusedAttention whose Q and Y seq stride 2^32 times sq-1 = 2^32 wraps int64 to 0, so the layouts seem to fit 4-element tensors", Expect: "cannot hold",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"q", ir.Float32, dims(4), nil}}, nil,
				inode("FusedAttention", ss("q", "q", "q"), intsAttr("sizes", 1<<32+1, 0, 1, 1), floatAttr("scale", 1),
					intsAttr("q_layout", 0, 1<<32, 1), intsAttr("k_layout", 0, 1, 1), intsAttr("v_layout", 0, 1, 1),
					intsAttr("y_layout", 0, 1<<32, 1), intsAttr("y_shape", 4)))
		}},
	{Name: "nncc_attention_stride_wrap_k", Group: "internal ops", What: "nncc.FusedAttention whose K seq stride 2^32 times sk-1 = 2^32 wraps int64 to 0 (sq 1)", Expect: "overflows",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"q", ir.Float32, dims(4), nil}}, nil,
				inode("FusedAttention", ss("q", "q", "q"), intsAttr("sizes", 1, 1<<32+1, 1, 1), floatAttr("scale", 1),
					intsAttr("q_layout", 0, 1, 1), intsAttr("k_layout", 0, 1<<32, 1), intsAttr("v_layout", 0, 1<<32, 1),
					intsAttr("y_layout", 0, 1, 1), intsAttr("y_shape", 4)))
		}},
	{Name: "nncc_maxpool_nchwc_pads_huge", Group: "internal ops", What: "nncc.MaxPoolNCHWc with dilations and pads 2^40 (window attributes are bounded by 2^31-1)", Expect: "too large",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, dims(1, 1, 4, 4, 16), nil}}, nil,
				inode("MaxPoolNCHWc", ss("x"), intAttr("block", 16), intsAttr("kernel_shape", 3, 3), intsAttr("dilations", p40, p40), intsAttr("pads", p40, p40, p40, p40)))
		}},
	{Name: "nncc_avgpool_nchwc_pads_huge", Group: "internal ops", What: "nncc.AveragePoolNCHWc with dilations and pads 2^40 (window attributes are bounded by 2^31-1)", Expect: "too large",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, dims(1, 1, 4, 4, 16), nil}}, nil,
				inode("AveragePoolNCHWc", ss("x"), intAttr("block", 16), intsAttr("kernel_shape", 3, 3), intsAttr("dilations", p40, p40), intsAttr("pads", p40, p40, p40, p40)))
		}},
	{Name: "nncc_fusedconv_pads_huge", Group: "internal ops", What: "nncc.FusedConv with dilations and pads 2^40", Expect: "too large",
		build: func(c *caseDir) error {
			return internalModel(c, []input{{"x", ir.Float32, dims(1, 3, 4, 4), nil}}, []*pb.TensorProto{filled("w", 4, 3, 3, 3)},
				inode("FusedConv", ss("x", "w"), intsAttr("kernel_shape", 3, 3), intsAttr("dilations", p40, p40), intsAttr("pads", p40, p40, p40, p40)))
		}},
	{Name: "shape_conv_pads_huge", Group: "huge shapes and work", What: "Conv with dilations and pads 2^40 (a padded copy of the input would be 2^82 elements)", Expect: "too large",
		build: func(c *caseDir) error {
			g := &pb.GraphProto{Name: "g", Input: []*pb.ValueInfoProto{vi("x", ir.Float32, 1, 3, 4, 4)}, Initializer: []*pb.TensorProto{filled("w", 4, 3, 3, 3)},
				Node:   []*pb.NodeProto{node("Conv", ss("x", "w"), ss("y"), intsAttr("kernel_shape", 3, 3), intsAttr("dilations", p40, p40), intsAttr("pads", p40, p40, p40, p40))},
				Output: []*pb.ValueInfoProto{{Name: "y"}}}
			return c.writeModel(model(g), filled("x", 1, 3, 4, 4))
		}},
}

// input is a graph input: its declared dims (nil: unknown rank; int or
// string entries as vi takes) and, when they are not all known, the dims
// of the tensor the test data set gives.
type input struct {
	name string
	dt   ir.DType
	decl []any
	run  []any
}

func dims(d ...int64) []any {
	out := make([]any, len(d))
	for i, x := range d {
		out[i] = x
	}
	return out
}

// internalModel is y = n(inputs..., inits...) with n in domain nncc
// (imported at opset 1), y of unknown type.
func internalModel(c *caseDir, ins []input, inits []*pb.TensorProto, n *pb.NodeProto) error {
	g := &pb.GraphProto{Name: "g", Initializer: inits, Node: []*pb.NodeProto{n}, Output: []*pb.ValueInfoProto{{Name: "y"}}}
	var data []*pb.TensorProto
	for _, in := range ins {
		v := vi(in.name, in.dt, in.decl...)
		if in.decl == nil {
			v.Type.GetTensorType().Shape = nil
		}
		g.Input = append(g.Input, v)
		run := in.run
		if run == nil {
			run = in.decl
		}
		var shape []int64
		for _, d := range run {
			shape = append(shape, d.(int64))
		}
		t := filled(in.name, shape...)
		t.DataType = int32(in.dt)
		data = append(data, t)
	}
	m := model(g)
	m.OpsetImport = append(m.OpsetImport, &pb.OperatorSetIdProto{Domain: ir.FusedDomain, Version: 1})
	return c.writeModel(m, data...)
}

// inode is a node of domain nncc with output y.
func inode(op string, in []string, attrs ...*pb.AttributeProto) *pb.NodeProto {
	n := node(op, in, ss("y"), attrs...)
	n.Domain = ir.FusedDomain
	return n
}

// filled is a float32 tensor of dims holding small varied values.
func filled(name string, dims ...int64) *pb.TensorProto {
	n := int64(1)
	for _, d := range dims {
		n *= d
	}
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(i%7)*0.25 - 0.5
	}
	return floats(name, dims, v...)
}

func intsAttr(name string, v ...int64) *pb.AttributeProto {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_INTS, Ints: v}
}

func floatAttr(name string, v float32) *pb.AttributeProto {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_FLOAT, F: v}
}

func floatsAttr(name string, v ...float32) *pb.AttributeProto {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_FLOATS, Floats: v}
}

func strAttr(name, v string) *pb.AttributeProto {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_STRING, S: []byte(v)}
}

func stringsAttr(name string, v ...string) *pb.AttributeProto {
	a := &pb.AttributeProto{Name: name, Type: pb.AttributeProto_STRINGS}
	for _, s := range v {
		a.Strings = append(a.Strings, []byte(s))
	}
	return a
}
