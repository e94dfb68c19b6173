package amd64

// nchwc_conv_avx512_amd64.s is generated; edit internal/gennchwc instead and
// regenerate with `go generate ./kernels/amd64` (its test checks the two agree).
//go:generate go run ./internal/gennchwc -o nchwc_conv_avx512_amd64.s
