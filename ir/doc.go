// Package ir is nncc's intermediate representation: element types, shapes
// with symbolic dimensions, tensors, and the Graph/Node/Value structure that
// every frontend produces and every pass rewrites.
//
// It also owns the op table (ops.go and ops_*.go): one row per operator with
// its domain, lowest supported opset, arity, attributes and a type/shape
// inference function. The table is data; the verifier, the builder and the
// passes read it rather than switching on op names.
//
// ir knows nothing of file formats (see frontend/onnx) or of execution (see
// kernels and runtime).
package ir
