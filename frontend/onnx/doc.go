// Package onnx decodes ONNX models into nncc's ir and encodes ir graphs
// back into ONNX.
//
// Load, Decode and DecodeReader turn a ModelProto into an *ir.Graph:
// graph inputs (an input that is also an initializer is a constant),
// initializers as constants, nodes in topological order with the opset
// version of their domain, attributes of every kind, and subgraphs (If,
// Loop, Scan bodies) whose nodes refer directly to the *ir.Value of an
// enclosing graph when they use an outer name. Model-local functions are
// inlined. After decoding, every node is checked against the op table
// (ir.LookupOp, OpSchema.CheckNode) unless SkipOpCheck is given.
//
// A model file is untrusted input. Decoding enforces Limits (model size,
// tensor bytes, node count, nesting depth), checks every size against the
// declared shape, and reads external tensor data only from regular files
// inside the model's folder (see external.go).
//
// TensorFromProto and TensorToProto convert single tensors; ReadTensorFile
// and ReadValueFile read the .pb test-data files of the ONNX backend tests,
// including sequences and optionals. Export and Encode write an ir.Graph as
// a ModelProto.
package onnx
