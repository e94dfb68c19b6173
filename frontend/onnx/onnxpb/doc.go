// Package onnxpb holds Go protobuf bindings for the ONNX IR wire format.
//
// The schema in onnx.proto follows the upstream ONNX message layout (field
// numbers, types and enum values) so any .onnx model, or serialized
// TensorProto such as the test_data_set_*/*.pb files of the ONNX backend
// tests, decodes with proto.Unmarshal into the types here. The proto package
// is named nncc.onnxpb rather than onnx so the descriptors cannot clash in the
// global protobuf registry with other ONNX bindings in the same binary.
//
// onnx_data.proto adds the containers of onnx-data.proto (SequenceProto,
// MapProto, OptionalProto), with the same field numbers, which the backend
// tests use for sequence and optional inputs and outputs.
//
// onnx.pb.go and onnx_data.pb.go are generated; edit the .proto files and
// re-run go generate (requires protoc and protoc-gen-go v1.36.12 on PATH).
package onnxpb

//go:generate protoc --go_out=. --go_opt=paths=source_relative onnx.proto onnx_data.proto
