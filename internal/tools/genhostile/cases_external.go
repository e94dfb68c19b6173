package main

import (
	"math/rand/v2"

	pb "github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// fileCases are model files that are not (valid) models.
var fileCases = []hostileCase{
	{Name: "file_empty", Group: "file", What: "empty model file", Expect: "model has no graph",
		build: func(c *caseDir) error { return c.write("model.onnx", nil) }},
	{Name: "file_truncated", Group: "file", What: "valid model cut in the middle of a tensor", Expect: "not a valid ONNX model",
		build: func(c *caseDir) error {
			w := floats("w", []int64{4}, 1, 2, 3, 4)
			b := mustMarshal(addModel(w))
			return c.write("model.onnx", b[:len(b)*2/3])
		}},
	{Name: "file_random_bytes", Group: "file", What: "4 KiB of random bytes", Expect: "not a valid ONNX model",
		build: func(c *caseDir) error {
			r := rand.New(rand.NewPCG(8, 8))
			b := make([]byte, 4096)
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			return c.write("model.onnx", b)
		}},
	{Name: "file_text", Group: "file", What: "a text file named model.onnx", Expect: "not a valid ONNX model",
		build: func(c *caseDir) error { return c.write("model.onnx", []byte("this is not a model\n")) }},
	{Name: "file_directory", Group: "file", What: "model.onnx is a directory", Expect: "model.onnx",
		build: func(c *caseDir) error { return c.write("model.onnx/x", []byte("x")) }},
	{Name: "file_no_graph", Group: "file", What: "ModelProto without a graph", Expect: "model has no graph",
		build: func(c *caseDir) error {
			m := model(nil)
			return c.write("model.onnx", mustMarshal(m))
		}},
}

// extModel writes an add model whose initializer w (float[4]) lives in
// external data described by kv, and a valid input.
func extModel(c *caseDir, kv ...string) error {
	return c.writeModel(addModel(external("w", []int64{4}, kv...)), x4())
}

// externalCases attack the external-data loader (CVE-2022-25882,
// CVE-2024-27318 and their symlink / offset follow-ups in ONNX and ONNX
// Runtime).
var externalCases = []hostileCase{
	{Name: "ext_absolute", Group: "external data", What: "location is an absolute path (/etc/passwd)", Expect: "is absolute",
		build: func(c *caseDir) error { return extModel(c, "location", "/etc/passwd") }},
	{Name: "ext_dotdot", Group: "external data", What: "location climbs out with ../ (to the repository's go.mod)", Expect: "leaves the model's folder",
		build: func(c *caseDir) error { return extModel(c, "location", upToRepo+"go.mod", "length", "16") }},
	{Name: "ext_dotdot_inner", Group: "external data", What: "location data/../../x: inner .. that still escapes", Expect: "leaves the model's folder",
		build: func(c *caseDir) error {
			if err := c.write("data/w.bin", f32bytes(4)); err != nil {
				return err
			}
			return extModel(c, "location", "data/../../ext_dotdot/model.onnx")
		}},
	{Name: "ext_backslash", Group: "external data", What: `location with Windows separators ..\..\..\go.mod`, Expect: "external data location",
		build: func(c *caseDir) error { return extModel(c, "location", `..\..\..\go.mod`) }},
	{Name: "ext_symlink_file", Group: "external data", What: "location is a symlink to a file outside the folder", Expect: "outside the model's folder",
		build: func(c *caseDir) error {
			if err := c.symlink("w.bin", upToRepo+"go.mod"); err != nil {
				return err
			}
			return extModel(c, "location", "w.bin", "length", "16")
		}},
	{Name: "ext_symlink_dir", Group: "external data", What: "location goes through a symlinked directory that leads outside", Expect: "outside the model's folder",
		build: func(c *caseDir) error {
			if err := c.symlink("data", upToRepo); err != nil {
				return err
			}
			return extModel(c, "location", "data/go.mod", "length", "16")
		}},
	{Name: "ext_symlink_absolute", Group: "external data", What: "location is a symlink with an absolute target (/etc/hostname)", Expect: "outside the model's folder",
		build: func(c *caseDir) error {
			if err := c.symlink("w.bin", "/etc/hostname"); err != nil {
				return err
			}
			return extModel(c, "location", "w.bin")
		}},
	{Name: "ext_offset_beyond", Group: "external data", What: "offset past the end of the file", Expect: "beyond the end",
		build: func(c *caseDir) error {
			if err := c.write("w.bin", f32bytes(4)); err != nil {
				return err
			}
			return extModel(c, "location", "w.bin", "offset", "4096", "length", "16")
		}},
	{Name: "ext_length_beyond", Group: "external data", What: "offset + length past the end of the file", Expect: "beyond the end",
		build: func(c *caseDir) error {
			if err := c.write("w.bin", f32bytes(4)); err != nil {
				return err
			}
			return extModel(c, "location", "w.bin", "offset", "8", "length", "16")
		}},
	{Name: "ext_length_huge", Group: "external data", What: "length 2^63-1 (offset + length overflows int64)", Expect: "beyond the end",
		build: func(c *caseDir) error {
			if err := c.write("w.bin", f32bytes(4)); err != nil {
				return err
			}
			return extModel(c, "location", "w.bin", "offset", "8", "length", "9223372036854775807")
		}},
	{Name: "ext_offset_negative", Group: "external data", What: "negative offset", Expect: "not a non-negative integer",
		build: func(c *caseDir) error {
			if err := c.write("w.bin", f32bytes(4)); err != nil {
				return err
			}
			return extModel(c, "location", "w.bin", "offset", "-8")
		}},
	{Name: "ext_offset_garbage", Group: "external data", What: "offset is not a number", Expect: "not a non-negative integer",
		build: func(c *caseDir) error {
			if err := c.write("w.bin", f32bytes(4)); err != nil {
				return err
			}
			return extModel(c, "location", "w.bin", "offset", "0x10")
		}},
	{Name: "ext_length_short", Group: "external data", What: "length smaller than the tensor (8 bytes for float[4])", Expect: "the tensor needs 16",
		build: func(c *caseDir) error {
			if err := c.write("w.bin", f32bytes(4)); err != nil {
				return err
			}
			return extModel(c, "location", "w.bin", "length", "8")
		}},
	{Name: "ext_file_short", Group: "external data", What: "no length, file holds 12 of the 16 bytes needed", Expect: "the tensor needs 16",
		build: func(c *caseDir) error {
			if err := c.write("w.bin", f32bytes(3)); err != nil {
				return err
			}
			return extModel(c, "location", "w.bin")
		}},
	{Name: "ext_missing_file", Group: "external data", What: "location names a file that does not exist", Expect: "no such file",
		build: func(c *caseDir) error { return extModel(c, "location", "nothere.bin") }},
	{Name: "ext_directory", Group: "external data", What: "location names a directory", Expect: "not a regular file",
		build: func(c *caseDir) error {
			if err := c.write("data/keep", []byte("x")); err != nil {
				return err
			}
			return extModel(c, "location", "data")
		}},
	{Name: "ext_device", Group: "external data", What: "location is a symlink to /dev/zero (endless)", Expect: "outside the model's folder",
		build: func(c *caseDir) error {
			if err := c.symlink("w.bin", "/dev/zero"); err != nil {
				return err
			}
			return extModel(c, "location", "w.bin")
		}},
	{Name: "ext_no_location", Group: "external data", What: "external data without a location", Expect: "has no location",
		build: func(c *caseDir) error { return extModel(c, "offset", "0") }},
	{Name: "ext_nul_location", Group: "external data", What: "location with a NUL byte (w.bin\\x00/../../etc/passwd)", Expect: "not a valid path",
		build: func(c *caseDir) error { return extModel(c, "location", "w.bin\x00/../../etc/passwd") }},
	{Name: "ext_huge_tensor", Group: "external data", What: "external tensor of shape [2^40] (4 TiB)", Expect: "MaxTensorBytes",
		build: func(c *caseDir) error {
			if err := c.write("w.bin", f32bytes(4)); err != nil {
				return err
			}
			return c.writeModel(addModel(external("w", []int64{1 << 40}, "location", "w.bin")), x4())
		}},
	{Name: "ext_string_tensor", Group: "external data", What: "string tensor with external data", Expect: "string tensors cannot use external data",
		build: func(c *caseDir) error {
			if err := c.write("w.bin", []byte("abcd")); err != nil {
				return err
			}
			w := external("w", []int64{4}, "location", "w.bin")
			w.DataType = int32(ir.String)
			return c.writeModel(addModel(w), x4())
		}},
	{Name: "ext_in_attribute", Group: "external data", What: "Constant value attribute whose tensor has an escaping external location", Expect: "leaves the model's folder",
		build: func(c *caseDir) error {
			return c.writeModel(constModel([]*pb.NodeProto{
				node("Constant", nil, ss("y"), tensorAttr("value", external("v", []int64{4}, "location", upToRepo+"go.mod"))),
			}))
		}},
	{Name: "ext_in_input_pb", Group: "external data", What: "test input_0.pb (and -i x=input.pb) whose tensor points at /etc/passwd", Expect: "is absolute",
		RunArgs: []string{"-i", "x=$DIR/test_data_set_0/input_0.pb"},
		build: func(c *caseDir) error {
			return c.writeModel(addModel(floats("w", []int64{4}, 1, 2, 3, 4)), external("x", []int64{4}, "location", "/etc/passwd"))
		}},
}

// sparseModel is y = x + w where w is a sparse initializer.
func sparseModel(sp *pb.SparseTensorProto) *pb.ModelProto {
	return model(&pb.GraphProto{
		Name:              "sparse",
		Input:             []*pb.ValueInfoProto{vi("x", ir.Float32, 4)},
		SparseInitializer: []*pb.SparseTensorProto{sp},
		Node:              []*pb.NodeProto{node("Add", ss("x", "w"), ss("y"))},
		Output:            []*pb.ValueInfoProto{vi("y", ir.Float32, 4)},
	})
}

// sparse4 is a sparse float[4] with two values at linear indices 1 and 3.
func sparse4() *pb.SparseTensorProto {
	return &pb.SparseTensorProto{
		Dims:    []int64{4},
		Values:  floats("w", []int64{2}, 5, 6),
		Indices: int64s("w_idx", []int64{2}, 1, 3),
	}
}

// sparseCases attack sparse tensors: their values and indices can be
// external too, and their dense shape is not bounded by the file size.
var sparseCases = []hostileCase{
	{Name: "sparse_ext_values_absolute", Group: "sparse tensors", What: "sparse values in external data at an absolute path", Expect: "is absolute",
		build: func(c *caseDir) error {
			sp := sparse4()
			sp.Values = external("w", []int64{2}, "location", "/etc/passwd")
			return c.writeModel(sparseModel(sp), x4())
		}},
	{Name: "sparse_ext_values_dotdot", Group: "sparse tensors", What: "sparse values in external data behind ../", Expect: "leaves the model's folder",
		build: func(c *caseDir) error {
			sp := sparse4()
			sp.Values = external("w", []int64{2}, "location", upToRepo+"go.mod", "length", "8")
			return c.writeModel(sparseModel(sp), x4())
		}},
	{Name: "sparse_ext_indices_symlink", Group: "sparse tensors", What: "sparse indices in external data through a symlink leaving the folder", Expect: "outside the model's folder",
		build: func(c *caseDir) error {
			if err := c.symlink("idx.bin", upToRepo+"go.mod"); err != nil {
				return err
			}
			sp := sparse4()
			sp.Indices = &pb.TensorProto{Name: "w_idx", DataType: int32(ir.Int64), Dims: []int64{2}, DataLocation: pb.TensorProto_EXTERNAL,
				ExternalData: []*pb.StringStringEntryProto{{Key: "location", Value: "idx.bin"}, {Key: "length", Value: "16"}}}
			return c.writeModel(sparseModel(sp), x4())
		}},
	{Name: "sparse_ext_values_length", Group: "sparse tensors", What: "sparse values in external data with a length that does not match", Expect: "the tensor needs 8",
		build: func(c *caseDir) error {
			if err := c.write("v.bin", f32bytes(4)); err != nil {
				return err
			}
			sp := sparse4()
			sp.Values = external("w", []int64{2}, "location", "v.bin", "length", "16")
			return c.writeModel(sparseModel(sp), x4())
		}},
	{Name: "sparse_ext_values_offset", Group: "sparse tensors", What: "sparse values in external data at an offset past the end", Expect: "beyond the end",
		build: func(c *caseDir) error {
			if err := c.write("v.bin", f32bytes(2)); err != nil {
				return err
			}
			sp := sparse4()
			sp.Values = external("w", []int64{2}, "location", "v.bin", "offset", "1000000")
			return c.writeModel(sparseModel(sp), x4())
		}},
	{Name: "sparse_index_out_of_range", Group: "sparse tensors", What: "linear index 7 in a tensor of 4 elements", Expect: "out of range",
		build: func(c *caseDir) error {
			sp := sparse4()
			sp.Indices = int64s("w_idx", []int64{2}, 1, 7)
			return c.writeModel(sparseModel(sp), x4())
		}},
	{Name: "sparse_index_negative", Group: "sparse tensors", What: "negative linear index", Expect: "out of range",
		build: func(c *caseDir) error {
			sp := sparse4()
			sp.Indices = int64s("w_idx", []int64{2}, -1, 2)
			return c.writeModel(sparseModel(sp), x4())
		}},
	{Name: "sparse_coords_out_of_range", Group: "sparse tensors", What: "[NNZ, rank] coordinates outside the dense shape", Expect: "out of range",
		build: func(c *caseDir) error {
			sp := sparse4()
			sp.Indices = int64s("w_idx", []int64{2, 1}, 1, 9)
			return c.writeModel(sparseModel(sp), x4())
		}},
	{Name: "sparse_indices_shape", Group: "sparse tensors", What: "indices of a shape that fits neither form", Expect: "do not fit",
		build: func(c *caseDir) error {
			sp := sparse4()
			sp.Indices = int64s("w_idx", []int64{3}, 0, 1, 2)
			return c.writeModel(sparseModel(sp), x4())
		}},
	{Name: "sparse_no_indices", Group: "sparse tensors", What: "values without indices", Expect: "no indices",
		build: func(c *caseDir) error {
			sp := sparse4()
			sp.Indices = nil
			return c.writeModel(sparseModel(sp), x4())
		}},
	{Name: "sparse_dense_bomb", Group: "sparse tensors", What: "a 60-byte sparse tensor whose dense shape is [2^40] (4 TiB)", Expect: "MaxTensorBytes",
		build: func(c *caseDir) error {
			sp := sparse4()
			sp.Dims = []int64{1 << 40}
			return c.writeModel(sparseModel(sp), x4())
		}},
	{Name: "sparse_dense_1gib", Group: "sparse tensors", What: "a sparse tensor whose dense shape [2^28] float32 (1 GiB) fits the tensor-bytes limit but not the 1 GiB test budget", Expect: "MaxSparseBytes",
		build: func(c *caseDir) error {
			sp := sparse4()
			sp.Dims = []int64{1 << 28}
			return c.writeModel(sparseModel(sp), x4())
		}},
	{Name: "sparse_negative_dim", Group: "sparse tensors", What: "sparse tensor with a negative dim", Expect: "negative",
		build: func(c *caseDir) error {
			sp := sparse4()
			sp.Dims = []int64{-4}
			return c.writeModel(sparseModel(sp), x4())
		}},
	{Name: "sparse_attr_bomb", Group: "sparse tensors", What: "Constant sparse_value attribute with dense shape [2^31, 2^31]", Expect: "MaxTensorBytes",
		build: func(c *caseDir) error {
			sp := sparse4()
			sp.Dims = []int64{1 << 31, 1 << 31}
			sp.Indices = int64s("w_idx", []int64{2}, 1, 3)
			return c.writeModel(constModel([]*pb.NodeProto{
				node("Constant", nil, ss("y"), &pb.AttributeProto{Name: "sparse_value", Type: pb.AttributeProto_SPARSE_TENSOR, SparseTensor: sp}),
			}))
		}},
}
