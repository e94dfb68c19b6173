package amd64

// nchwc_conv_avx512_amd64.s is generated; edit internal/gennchwc instead and
// regenerate with `go generate ./kernels/amd64` (its test checks the two agree).
//go:generate go run ./internal/gennchwc -o nchwc_conv_avx512_amd64.s

// The general-stride SGEMM micro-kernels sgemm*gen_*_amd64.s (the full
// 6×64 AVX-512 and 6×16 AVX2 kernels and their row and column variants)
// are generated from one template; edit internal/gensgemm instead and
// regenerate the same way (its test checks the files agree with it).
//go:generate go run ./internal/gensgemm -dir .
