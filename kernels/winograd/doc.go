// Package winograd is the Winograd F(m×m, 3×3) convolution of nncc for
// 3×3 kernels with stride 1, dilation 1 and one group (the caller routes
// only those here; any zero padding ≥ 0, any plane size, any batch).
// F(4×4, 3×3) is the main variant; F(2×2, 3×3) is more accurate and does
// fewer wasted edge outputs on tiny planes.
//
// # API
//
// Prepare once per node, at plan-build time, with the level the session
// compiles for; the weights are transformed (in float64, rounded once)
// and packed for the SGEMM kernel of that level:
//
//	cv, err := winograd.NewConv3x3(level, cout, cin, w /* [cout][cin][3][3] */, padT, padL, padB, padR, 4)
//	oh, ow := cv.OutShape(h, w)
//	scratch := ctx.ScratchF32(cv.ScratchLen(n, h, w, pool.Threads()))
//	err = cv.Run(x /* [n][cin][h][w] */, n, h, w, y /* [n][cout][oh][ow] */,
//		&winograd.Epilogue{Bias: b, Act: sgemm.ActReLU}, scratch, pool)
//
// A Conv3x3 is immutable and safe for concurrent Runs with separate
// scratch; Run allocates nothing, and its result does not depend on the
// number of threads (every output is computed by the same operations). Bias (per output channel) and ReLU are
// applied as the outputs are written; other activations are the caller's.
// Run returns an error for buffers that are too short; NewConv3x3 for bad
// sizes, negative pads, a tile size other than 2 or 4, or a level the CPU
// (or the noasm build) cannot run.
//
// # Algorithm
//
// The output plane is cut into m×m tiles (the last row and column of tiles
// may stick out of the plane: their extra outputs are dropped), each read
// from an a×a input window, a = m+2, zero outside the plane. With
// ξ = (k, l) over the a² transform points:
//
//	V[ξ][c][tile] = (Bᵀ d B)[k][l]              input transform, d = the window of channel c
//	U[ξ][c][co]   = (G w Gᵀ)[k][l]              weights, at NewConv3x3
//	M[ξ][tile][co] = Σ_c V[ξ][c][tile]·U[ξ][c][co]   a² SGEMMs (SgemmPacked, U prepacked)
//	y[co][tile]   = Aᵀ M A + bias               output transform, bias, ReLU
//
// so one output costs a²/m² multiply-adds per input channel in the
// products instead of 9 (2.25 for F(4,3), 4 for F(2,3)). Tiles are
// numbered across images and tile rows and processed in blocks of tb
// (plan.go): a block's V and M (a²·tb·(cin+cout) floats, about 512 KB)
// stay in L2 from the input transform through the products to the output
// transform. The input transform runs Bᵀ down the columns of the a input
// rows of a run of tiles (contiguous, shared by neighbouring tiles) and
// then B across each tile; the output transform works on 16 output
// channels of one tile at a time (M is contiguous along channels).
//
// Threads: with at least 36 tiles per thread the blocks are split among
// the threads, each with its own V and M; with fewer (deep layers on small
// planes) the blocks run one after the other with each stage split: the
// input transform by input channels, the products by ξ, the output
// transform by groups of 16 output channels, so that the transformed
// weights (a²/9 times the weights) are streamed once, not once per thread.
// The NCHWc form hands the three stages to the pool as one loop whose
// units wait for the units they read (nchwc_exec.go runStages): one
// hand-off per convolution instead of three per block.
//
// Assembly: on AVX-512 the F(4,3) transforms are kernels/amd64 routines
// (WinoIn43RowsAVX512, WinoIn43TilesAVX512, WinoOut43AVX512, each with a
// Go twin there), which made the 64→64 56×56 layer 1.6-2× faster than
// with the Go transforms (smaller planes 1.1-1.4×; table below); on AVX2
// they are the …AVX2 forms of the same routines, 8 lanes wide. F(2,3) and
// other architectures use the Go code of transform_f43.go and
// transform_f23.go.
//
// # Accuracy
//
// Winograd trades multiplications for additions of transformed values
// larger than the inputs, so it is less accurate than a direct
// convolution. Let u = 2⁻²⁴ and, for |x|, |w| ≤ 1, S_m be the largest
// Σ_{k,l} |Aᵀ[p][k]||Aᵀ[q][l]|·(|G||w||Gᵀ|)[k][l]·(|Bᵀ||d||B|)[k][l] over
// an output (p, q): S_4 = 48² = 2304, S_2 = 8² = 64 (a direct
// convolution's counterpart is 9). The first-order worst-case error is
//
//	|ŷ - y| ≤ u·(cin + d_m)·cin·S_m
//
// with d_m the rounding steps outside the sum over channels (d_4 = 15,
// d_2 = 9: both transforms, the rounding of U, the product, the bias). It
// is reached only by adversarial data. For independent inputs, with the
// rounding errors adding like a random walk and the sums over channels
// growing like √cin, the error behaves as u·R_m·(cin + d_m) where R_m,
// the standard deviation of one channel's contribution in the products
// for x, w uniform in [-1, 1], is 283/9 ≈ 31.4 for F(4,3) and 5/3 for
// F(2,3). The tests (bound_test.go) check, for x, w uniform in [-1, 1],
//
//	max |ŷ - y| ≤ 6·u·R_m·(cin + d_m)
//
// against a float64 direct convolution. Measured (TestErrorBound -v,
// 20×21 planes, 32 output channels, 3 draws):
//
//	cin      F(4,3) max error   bound      F(2,3) max error   bound
//	  1      1.4e-5             1.8e-4     7.4e-7             6.0e-6
//	 16      8.1e-5             3.5e-4     3.2e-6             1.5e-5
//	 64      1.6e-4             8.9e-4     1.2e-5             4.4e-5
//	512      1.7e-3             5.9e-3     8.1e-5             3.1e-4
//
// i.e. F(4,3) is about 40-240·cin·u, F(2,3) about 3-12·cin·u, the bound
// 3.6-12× above. The outputs have a standard deviation of √cin, so F(4,3)
// keeps a relative accuracy of a few 1e-6·√cin to 1e-5·√cin.
//
// Non-finite inputs: a NaN input pixel makes NaN every output whose 3×3
// window holds it; other outputs of the tiles whose input window holds it
// may become NaN too (the transforms mix a whole window), and outputs of
// all other tiles are unaffected. An infinite pixel makes the outputs that
// see it non-finite (often NaN where a direct convolution gives ±Inf,
// since the transforms subtract it from itself). The tests check both.
//
// # When to use it (measured)
//
// Single thread, AVX-512 (on AVX2 the ratios are larger still: F(4,3) is
// 2.5-4× im2col on the ResNet shapes and also wins on 3→32 and on 7×7),
// GFLOPS counted as the direct convolution's
// 2·cout·cin·9·oh·ow per second of thread CPU time, pad 1, batch 1,
// median of 15 (TestResNetTable, NNCC_WINO_TABLE=1; "im2col" is Y = W·col,
// "packed" is Yᵀ = colᵀ·Wᵀ with W prepacked, the two forms of
// kernels.Conv; the machine's FMA peak is 231 GFLOPS):
//
//	shape (pad)            F(4,3)  F(4,3) Go  F(2,3)  im2col  packed
//	 64→64   56×56 (1)      217      131        97      72      52
//	128→128  28×28 (1)      208      174       137      81      77
//	256→256  14×14 (1)      179      158       150      94     105
//	512→512   7×7  (1)       70       70        97      67      88
//	256→256   7×7  (1)       69       63        77      55      69
//	 64→64   14×14 (1)       93       66        60      42      42
//	128→128   8×8  (1)      118       90        82      60      59
//	 64→128   8×8  (1)      104       79        70      63      59
//	 32→64   16×16 (1)      119       59        43      44      39
//	 32→64   15×15 (0)       77       44        40      45      40   seed cnn_cifar
//	 32→64   13×13 (0)       76       46        39      44      40   seed cnn_mnist
//	 64→128   5×5  (1)       39       32        40      32      50   seed CNNs
//	 16→16   32×32 (1)       35       21        15      17      10
//	  3→32   32×32 (1)       20        8         6      22      14
//
// ("F(4,3) Go" is F(4,3) with the Go transforms instead of the assembly.)
//
// Rule for the Conv kernel, as Pick (choose.go) returns it: F(4,3) when
// cin ≥ 8 and the output plane is at least 8×8; on 7×7 planes with cin,
// cout ≥ 128, F(2,3), level with or slightly ahead of the packed im2col
// form (F(4,3) loses there: its transformed weights, 4× the weights,
// dominate); otherwise im2col (with 3 input channels, or 5×5 planes,
// im2col wins). With two threads (BenchmarkResNet, wall clock on the
// shared VM) the picture was the same: F(4,3) 2.5-3× im2col on 56×56 and
// 28×28, 1.6× on 14×14, F(2,3) ≈ packed on 7×7.
//
// # Blocked layout (NCHWc16)
//
// ConvNCHWc (nchwc.go) is F(4×4, 3×3) for the blocked layout of
// kernels/nchwc_conv.go, input [n][⌈cin/16⌉][h][w][16] and output
// [n][⌈cout/16⌉][oh][ow][16]. The 16 channels of a block are the lanes of
// an AVX-512 vector, so the transforms (kernels/amd64
// WinoIn43NCHWcAVX512 and WinoOut43NCHWcAVX512, twins …Go there) move no
// data across lanes: the input transform reads the 36 pixels of a window
// as 36 vectors and writes V[ξ][tile][c], the rows of the products' left
// operand; the products M[ξ] = V[ξ]·U[ξ] (tiles×cip by cip×cop, U
// prepacked, zero for padding channels) leave 16 output channels of a
// tile contiguous, which the output transform turns into 16 output pixels
// with the bias, the residual and ReLU, one vector store each. Windows
// inside the plane are read in place, a run of tiles per call; edge
// windows through a zero-padded copy. The blocking and threading follow
// Conv3x3 (nchwc_plan.go); blocks are claimed one at a time by the
// threads. Errors measured as for Conv3x3 (TestErrorBoundNCHWc -v, cin =
// 1, 16, 64, 256, 512): 1.1e-5, 6.2e-5, 1.9e-4, 6.4e-4, 1.1e-3, 4.7-17×
// under the bound. Which shapes use it is kernels/nchwc_winograd.go's
// table (measured there).
package winograd
