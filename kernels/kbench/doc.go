// Package kbench measures nncc's CPU kernels on this machine: the FMA peak
// of every ISA level (peakOne, or isa.PeakGFLOPS where kbench has no peak
// loop), SGEMM at the sizes the issue tracks (1024³ and a Transformer
// layer, 64×768×768, on one and two threads) and
// the vector kernels of package vecmath, per ISA level. It is the library
// behind `nncc kernels` and the Go benchmarks of this package
// (BenchmarkExp/isa=avx512/n=4096 …, comparable with benchstat).
//
// # Measuring on a loaded machine
//
// Single-thread figures are thread CPU time (CLOCK_THREAD_CPUTIME_ID on a
// locked OS thread), so time the core spent on other processes does not
// count; multi-thread figures use the process CPU time divided by the
// thread count, i.e. the throughput the threads would reach if each had its
// core (the pool blocks instead of spinning, so idle waiting is not
// counted either; hand-off overhead is). Each figure is the median of
// several samples, each running the kernel for at least a minimum CPU time.
// Where CPU clocks are unavailable, wall time is used.
//
// The FMA peak is the best 2 ms slice of the level's peak loop (among the
// slices during which the thread held its CPU, peak1.go), a kernel's
// figure a median of CPU-time samples; on a shared VM the median keeps
// cycles lost to the host (a busy sibling hyperthread, refilled caches)
// that the best slice drops. One-thread SGEMM rows therefore also carry
// paired_pct_of_peak: the median over samples of the rate as a percentage
// of the peak loop's, run for the same FLOPs right after each sample
// (paired.go). Multi-thread SGEMM rows carry paired_vs_one_thread: the
// median over samples of their rate over the same product's on one
// thread, chunks of calls alternating, so that the speed-up does not
// compare two rows measured minutes apart under different load.
//
// # What gflops means
//
// For SGEMM, 2·m·n·k FLOPs per call. For the vector kernels, the nominal
// floating-point operations per element of the algorithm (an FMA counts
// 2; see the flops column of the case table), so gflops compares against
// the FMA peak only loosely; gbytes_per_s (bytes read plus written per
// second) and gelems_per_s are the figures that matter for them.
// peak_gflops is the FMA peak of the row's ISA level times the row's
// thread count (the measured peak is one core's; the fma_peak rows with
// threads 2 measure two cores running the peak loop at once, and
// per_thread_vs_one near 1 shows that this product holds); rows of Go code (the
// generic level, and kernels without assembly) carry the best measured
// SIMD peak instead, since the scalar Go loop's "peak" is no ceiling.
package kbench
