package sgemm

// transALd is the row stride (in floats) whose multiples make a
// transposed A unfit to read in place: one k step of the kernel reads a
// few floats from one row of the stored A, so a k block walks kc rows
// lda apart, and with lda a multiple of 512 (2 KB) those lines fall in
// a few of the cache sets and the panel is reloaded from L3 for every
// tile; packing it costs less. With A transposed (AVX-512, one thread,
// GFLOPS, same run, TestTuneS4TransA with NNCC_TUNE_TRANS=a): 1024³ 176
// packed against 130 in place, 512×1024×1024 180 against 159; lda 768
// and 1000 level (188-198 both ways). A variable for tuning.
var transALd = 512

// aliasedTransA reports whether op(A) is a transposed A whose row stride
// is a multiple of transALd (see there): it is then packed, not read in
// place.
func (p *problem) aliasedTransA() bool {
	return p.transA && transALd > 0 && p.lda%transALd == 0
}
