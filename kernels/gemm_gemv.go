package kernels

import (
	"fmt"

	"github.com/nncc/nncc/kernels/gemv"
	"github.com/nncc/nncc/kernels/vecmath"
)

// Products of a few rows with constant weights (a Dense layer at batch
// 1-4) run on the GEMV kernels of package gemv instead of the SGEMM: the
// SGEMM's micro-tiles are 6 or more rows tall, so at m ≤ 4 every tile is
// an edge tile, and it repacks A on every Run. gemv streams the weights,
// packed once at build time as op(B)ᵀ (n×k), against the rows of A as
// they lie in memory:
//
//	Y[i, :] = alpha · op(B)ᵀ · A[i, :]  (+ what Y already holds) (+ bias)
//
// The bias row and any residual are written into Y first and accumulated
// by the kernel (beta = 1), so the product makes no extra pass for them;
// a fused activation then runs over the m×n result while it is in L1.

// gemvMaxRows is the largest m sent to gemv. Above it the SGEMM's full
// micro-tiles win.
const gemvMaxRows = 4

// packGemv packs op(B) (k×n; B stored n×k when transB, row stride ldb) as
// the n×k matrix gemv streams, for b.Level, reusing the packed form of a
// compiled artifact when it holds it. It returns nil when gemv has no
// native kernel for the level (the SGEMM is then faster).
func packGemv(b *Build, transB bool, k, n int, src []float32, ldb int) *gemv.Packed {
	if !gemv.Native(b.Level) || n <= 0 || k <= 0 {
		return nil
	}
	key := fmt.Sprintf("gemv/%s/t%v/k%d/n%d/ld%d", gemv.Layout(b.Level), transB, k, n, ldb)
	pack := func() *gemv.Packed {
		if transB {
			return gemv.Pack(b.Level, n, k, src, ldb)
		}
		t := make([]float32, n*k)
		for q := range k {
			row := src[q*ldb : q*ldb+n]
			for j, v := range row {
				t[j*k+q] = v
			}
		}
		return gemv.Pack(b.Level, n, k, t, k)
	}
	var p *gemv.Packed
	data := b.Prepacked(src, key, func() []float32 {
		p = pack()
		return p.Data()
	})
	if p != nil {
		return p
	}
	p, err := gemv.FromData(b.Level, n, k, data)
	if err != nil {
		// A stored matrix whose size does not fit its own key: repack.
		return pack()
	}
	return p
}

// gemvRows computes the m×n result y (row stride n) of the m rows of a
// (row stride lda) times the packed weights p, scaled by alpha, plus beta
// times what y holds (not read when beta is 0: a broadcast C or a
// residual) plus bias (nil or n values, added to every row). act, when not
// nil, is applied afterwards. vec provides the vector routines of the
// session. With a pool of several threads and at least gemvParWeights
// weights, the outputs are split over the threads by whole panels, each
// thread streaming its own rows of the weights and finishing its own
// columns (bias, activation), so the threads meet once per product.
func gemvRows(p *gemv.Packed, m int, alpha float32, a []float32, lda int, beta float32, y []float32, bias []float32, vec *vecmath.Routines, act *fusedAct, pool Pool) {
	n := p.N()
	j := gemvJob{p: p, m: m, alpha: alpha, a: a, lda: lda, beta: beta, y: y[:m*n], bias: bias, vec: vec, act: act}
	panels := (n + p.Width() - 1) / p.Width()
	if pool == nil || pool.Threads() <= 1 || n*p.K() < gemvParWeights || panels < 2 {
		j.cols(0, n)
		return
	}
	// A few claims per thread, each of whole panels: a thread the machine
	// deschedules holds up only what it has claimed.
	gemvJobs.ForClaimed(pool, panels, max(1, panels/(4*pool.Threads())), j)
}

// gemvParWeights is the weight count from which a product of a few rows
// is split over the pool by output panels: 64K weights (256 KB) stream
// from L2 in about 5 µs on one core, several times what handing half of
// them to a polling worker costs (a worker that does not come costs the
// caller a few atomic claims). The seed GAN's 784×128 Dense layers
// (100K weights) split: at 2 threads seed_gan_generator went from
// 0.0176 to 0.0139 ms and the discriminator from 0.0084 to 0.0070 ms
// (nncc bench, 2026-11-30).
var gemvParWeights = 1 << 16

// gemvJob is one product, its output panels claimed a few at a time by
// the pool's threads.
type gemvJob struct {
	p           *gemv.Packed
	m, lda      int
	alpha, beta float32
	a, y, bias  []float32
	vec         *vecmath.Routines
	act         *fusedAct
}

var gemvJobs = newJobPool((*gemvJob).panels)

// panels computes the outputs of panels [lo, hi).
func (j *gemvJob) panels(lo, hi int) {
	w := j.p.Width()
	j.cols(lo*w, min(hi*w, j.p.N()))
}

// cols computes the outputs of columns [c0, c1) of every row: the bias
// (and beta) written into them first and accumulated by the kernel, the
// activation applied after, while the columns are in L1.
func (j *gemvJob) cols(c0, c1 int) {
	n, beta := j.p.N(), j.beta
	if j.bias != nil {
		b := j.bias[c0:c1]
		for i := range j.m {
			seg := j.y[i*n+c0 : i*n+c1]
			switch beta {
			case 0:
				copy(seg, b)
			case 1:
				j.vec.Binary(vecmath.Add, seg, seg, b)
			default:
				j.vec.BinaryScalar(vecmath.Mul, seg, seg, beta)
				j.vec.Binary(vecmath.Add, seg, seg, b)
			}
		}
		beta = 1
	}
	j.p.MulCols(c0, c1, j.m, j.alpha, j.a, j.lda, beta, j.y, n)
	if j.act != nil && j.act.kind != faNone {
		if c0 == 0 && c1 == n {
			j.act.apply(j.y)
			return
		}
		for i := range j.m {
			j.act.apply(j.y[i*n+c0 : i*n+c1])
		}
	}
}
