//go:build !noasm

package amd64

// PackA6SSE packs six rows of A into an SGEMM micro-panel with SSE
// shuffles (every amd64 CPU); its math is PackA6Go. The caller checks the
// lengths PackA6Go states.
//
//go:noescape
func PackA6SSE(kc int, a []float32, lda int, dst []float32)
