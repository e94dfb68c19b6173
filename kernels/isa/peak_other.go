//go:build !amd64 && !arm64

package isa

var peakLoops [numLevels]peakLoop
