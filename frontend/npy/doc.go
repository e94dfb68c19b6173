// Package npy reads and writes NumPy .npy files (format versions 1, 2 and
// 3) as ir tensors.
//
// Supported element types are bool, int8..int64, uint8..uint64, float16,
// float32, float64, complex64 and complex128, in little-endian ('<'),
// big-endian ('>') or byte ('|') order. Arrays must be in C order; a file
// with fortran_order True is an error, as is any mismatch between the
// header's shape and the amount of data in the file. Write always produces
// little-endian, C-order files in the oldest version that can hold the
// header.
package npy
