// Package zoo builds well-known network architectures with nncc's
// builder, with seeded random weights, for benchmarks and end-to-end
// tests: models too large to ship as files, made on demand instead.
//
// The graphs follow what PyTorch's exporter writes for the same modules
// (explicit pads, Conv without bias followed by BatchNormalization,
// Flatten + Gemm heads), so they exercise the same import and fusion
// paths as exported files.
package zoo
