package main

import (
	"encoding/binary"
	"strings"

	pb "github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// reluModel is y = Relu(x) with x: float[2, 3].
func reluModel() *pb.ModelProto {
	return model(&pb.GraphProto{
		Name:   "relu",
		Input:  []*pb.ValueInfoProto{vi("x", ir.Float32, 2, 3)},
		Node:   []*pb.NodeProto{node("Relu", ss("x"), ss("y"))},
		Output: []*pb.ValueInfoProto{vi("y", ir.Float32, 2, 3)},
	})
}

// npyFile returns a version 1.0 .npy file with the given header dict and
// data bytes (no validation: the point is to lie).
func npyFile(dict string, data []byte) []byte {
	total := 10 + len(dict) + 1
	h := dict + strings.Repeat(" ", (64-total%64)%64) + "\n"
	b := []byte("\x93NUMPY\x01\x00")
	b = binary.LittleEndian.AppendUint16(b, uint16(len(h)))
	b = append(b, h...)
	return append(b, data...)
}

// inputCase writes reluModel with a bad input: pbIn as
// test_data_set_0/input_0.pb (for nncc check) and npy as x.npy (for
// nncc run -i x=x.npy).
func inputCase(c *caseDir, pbIn *pb.TensorProto, npy []byte) error {
	if err := c.writeModel(reluModel(), pbIn); err != nil {
		return err
	}
	return c.write("x.npy", npy)
}

var runNpy = []string{"-i", "x=$DIR/x.npy"}

// inputCases feed a valid model wrong inputs through -i (.npy) and through
// test-data .pb files.
var inputCases = []hostileCase{
	{Name: "input_wrong_dtype", Group: "inputs", What: "int64[2,3] for float[2,3]", Expect: "expected dtype float", RunArgs: runNpy,
		build: func(c *caseDir) error {
			return inputCase(c, int64s("x", []int64{2, 3}, 1, 2, 3, 4, 5, 6),
				npyFile("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }", make([]byte, 48)))
		}},
	{Name: "input_wrong_rank", Group: "inputs", What: "float[6] for float[2,3]", Expect: "expected rank 2", RunArgs: runNpy,
		build: func(c *caseDir) error {
			return inputCase(c, floats("x", []int64{6}, 1, 2, 3, 4, 5, 6),
				npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }", make([]byte, 24)))
		}},
	{Name: "input_wrong_dim", Group: "inputs", What: "float[2,4] for float[2,3]", Expect: "dim 1 must be 3", RunArgs: runNpy,
		build: func(c *caseDir) error {
			return inputCase(c, floats("x", []int64{2, 4}, 1, 2, 3, 4, 5, 6, 7, 8),
				npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4), }", make([]byte, 32)))
		}},
	{Name: "input_symbol_mismatch", Group: "inputs", What: "a: float[N,3] with N=2 and b: float[N,3] with N=3", Expect: "(N) is 3, but N is 2",
		RunArgs: []string{"-i", "a=$DIR/a.npy", "-i", "b=$DIR/b.npy"},
		build: func(c *caseDir) error {
			m := model(&pb.GraphProto{
				Name:   "add",
				Input:  []*pb.ValueInfoProto{vi("a", ir.Float32, "N", 3), vi("b", ir.Float32, "N", 3)},
				Node:   []*pb.NodeProto{node("Add", ss("a", "b"), ss("y"))},
				Output: []*pb.ValueInfoProto{vi("y", ir.Float32, "N", 3)},
			})
			if err := c.writeModel(m, floats("a", []int64{2, 3}, 1, 2, 3, 4, 5, 6), floats("b", []int64{3, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9)); err != nil {
				return err
			}
			if err := c.write("a.npy", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", make([]byte, 24))); err != nil {
				return err
			}
			return c.write("b.npy", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 3), }", make([]byte, 36)))
		}},
	{Name: "input_missing", Group: "inputs", What: "the model has inputs a and b, only a is given", Expect: "is missing", CheckExpect: "input files", RunArgs: []string{"-i", "a=$DIR/a.npy"},
		build: func(c *caseDir) error {
			m := model(&pb.GraphProto{
				Name:   "add",
				Input:  []*pb.ValueInfoProto{vi("a", ir.Float32, 3), vi("b", ir.Float32, 3)},
				Node:   []*pb.NodeProto{node("Add", ss("a", "b"), ss("y"))},
				Output: []*pb.ValueInfoProto{vi("y", ir.Float32, 3)},
			})
			if err := c.writeModel(m, floats("a", []int64{3}, 1, 2, 3)); err != nil {
				return err
			}
			return c.write("a.npy", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", make([]byte, 12)))
		}},
	{Name: "input_unknown_name", Group: "inputs", What: "-i names an input the model does not have (and an extra input_1.pb)", Expect: "has no input", CheckExpect: "input files", RunArgs: []string{"-i", "x=$DIR/x.npy", "-i", "z=$DIR/x.npy"},
		build: func(c *caseDir) error {
			good := floats("x", []int64{2, 3}, 1, 2, 3, 4, 5, 6)
			if err := inputCase(c, good, npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", make([]byte, 24))); err != nil {
				return err
			}
			return c.write("test_data_set_0/input_1.pb", mustMarshal(good))
		}},
	{Name: "input_short_data", Group: "inputs", What: "shape (2,3) of float32 with 8 data bytes (.npy) / 8 raw bytes (.pb)", Expect: "needs 24 data bytes", CheckExpect: "raw data has 8 bytes", RunArgs: runNpy,
		build: func(c *caseDir) error {
			t := &pb.TensorProto{Name: "x", DataType: int32(ir.Float32), Dims: []int64{2, 3}, RawData: make([]byte, 8)}
			return inputCase(c, t, npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", make([]byte, 8)))
		}},
	{Name: "input_huge_shape", Group: "inputs", What: "shape (2^40, 2^40) with 24 bytes of data", Expect: "elements", CheckExpect: "MaxTensorBytes", RunArgs: runNpy,
		build: func(c *caseDir) error {
			t := &pb.TensorProto{Name: "x", DataType: int32(ir.Float32), Dims: []int64{p40, p40}, RawData: make([]byte, 24)}
			return inputCase(c, t, npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 1099511627776), }", make([]byte, 24)))
		}},
	{Name: "input_zero_dim_huge", Group: "inputs", What: "shape (0, 2^62): no data, one giant dim", Expect: "dim 0 must be 2", RunArgs: runNpy,
		build: func(c *caseDir) error {
			t := &pb.TensorProto{Name: "x", DataType: int32(ir.Float32), Dims: []int64{0, p62}}
			return inputCase(c, t, npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4611686018427387904), }", nil))
		}},
	{Name: "input_bad_header", Group: "inputs", What: ".npy header that is not a dict; .pb that is not a TensorProto", Expect: "not a dictionary", CheckExpect: "not a TensorProto", RunArgs: runNpy,
		build: func(c *caseDir) error {
			if err := c.writeModel(reluModel()); err != nil {
				return err
			}
			if err := c.write("test_data_set_0/input_0.pb", []byte{0xff, 0xff, 0xff, 0xff, 0x0f}); err != nil {
				return err
			}
			return c.write("x.npy", npyFile("__import__('os').system('echo pwned')", nil))
		}},
	{Name: "input_truncated", Group: "inputs", What: "truncated .npy (inside the header) and truncated .pb", Expect: "unexpected EOF", CheckExpect: "not a TensorProto", RunArgs: runNpy,
		build: func(c *caseDir) error {
			if err := c.writeModel(reluModel()); err != nil {
				return err
			}
			b := mustMarshal(floats("x", []int64{2, 3}, 1, 2, 3, 4, 5, 6))
			if err := c.write("test_data_set_0/input_0.pb", b[:len(b)-5]); err != nil {
				return err
			}
			n := npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", make([]byte, 24))
			return c.write("x.npy", n[:30])
		}},
}
