// Package conformance runs ONNX backend-test folders (model.onnx plus
// test_data_set_N/{input_i.pb,output_i.pb}) through a runtime Session and
// compares the outputs with the ONNX tolerances. `nncc check` and the
// conformance tests in go test are both thin layers over it.
package conformance
