//go:build !noasm

package amd64

// PackBRowsPfAVX is PackBRowsAVX prefetching dist rows ahead
// (experiment); its math is PackBRowsGo.
//
//go:noescape
func PackBRowsPfAVX(kc int, b []float32, ldb int, dst []float32, nr, dist int)
