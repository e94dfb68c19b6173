// Package zoo builds well-known network architectures with nncc's
// builder, with seeded random weights, for benchmarks and end-to-end
// tests: models too large to ship as files, made on demand instead.
//
// The graphs follow what PyTorch's exporter writes for the same modules
// (explicit pads, Conv without bias followed by BatchNormalization,
// Flatten + Gemm heads), so they exercise the same import and fusion
// paths as exported files.
//
// Catalog lists the generality models: families and idioms the seed
// models lack (MobileNetV2/V3 blocks, DCGAN, GRU and bidirectional LSTM,
// pre-/post-LN causal Transformer blocks, UNet, VGG pooling variants,
// odd convolution shapes, 1-D and 3-D convolutions, Resize modes, graph
// plumbing and broadcasting hazards), each at the opsets where its ops'
// forms differ. The tests in catalog_test.go compare the optimised path
// with the reference path on all of them; `genmodels -catalog` writes
// them as ONNX files for comparisons with ONNX Runtime.
package zoo
