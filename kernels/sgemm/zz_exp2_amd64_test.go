package sgemm

import "github.com/nncc/nncc/kernels/amd64"

var amd64FMAPeak = amd64.FMAPeakAVX512
var amd64FMAPeak2 = amd64.FMAPeakAVX2
