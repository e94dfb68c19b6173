//go:build !noasm

package amd64

// PackBTransSSE packs four columns at a time of a transposed B into an
// SGEMM B strip with SSE shuffles (every amd64 CPU); its math is
// PackBTransGo. The caller checks the lengths PackBTransGo states.
//
//go:noescape
func PackBTransSSE(kc int, b []float32, ldb, cols int, dst []float32, nr int)
