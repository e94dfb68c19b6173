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
// thread streaming its own rows of the weights.
func gemvRows(p *gemv.Packed, m int, alpha float32, a []float32, lda int, beta float32, y []float32, bias []float32, vec *vecmath.Routines, act *fusedAct, pool Pool) {
	n := p.N()
	y = y[:m*n]
	if bias != nil {
		for i := range m {
			row := y[i*n : i*n+n]
			switch beta {
			case 0:
				copy(row, bias)
			case 1:
				vec.Binary(vecmath.Add, row, row, bias)
			default:
				vec.BinaryScalar(vecmath.Mul, row, row, beta)
				vec.Binary(vecmath.Add, row, row, bias)
			}
		}
		beta = 1
	}
	panels := (n + p.Width() - 1) / p.Width()
	if pool == nil || pool.Threads() <= 1 || n*p.K() < gemvParWeights || panels < 2 {
		p.Mul(m, alpha, a, lda, beta, y, n)
	} else {
		j := gemvJob{p: p, m: m, alpha: alpha, a: a, lda: lda, beta: beta, y: y}
		gemvJobs.ForClaimed(pool, panels, max(1, panels/(4*pool.Threads())), j)
	}
	if act != nil {
		act.apply(y)
	}
}

// gemvParWeights is the weight count from which a product of a few rows
// is split over the pool by output panels: 1 MB of weights, about 20 µs of
// streaming on one core (ResNet-18's 1000×512 classifier is 2 MB); the
// Dense layers of the seed models stay on the calling thread.
var gemvParWeights = 1 << 18

// gemvJob is one split product, its output panels claimed a few at a
// time by the pool's threads (a thread the machine deschedules holds up
// only the panels it has claimed).
type gemvJob struct {
	p           *gemv.Packed
	m, lda      int
	alpha, beta float32
	a, y        []float32
}

var gemvJobs = newJobPool((*gemvJob).panels)

// panels computes the outputs of panels [lo, hi).
func (j *gemvJob) panels(lo, hi int) {
	w, n := j.p.Width(), j.p.N()
	j.p.MulCols(lo*w, min(hi*w, n), j.m, j.alpha, j.a, j.lda, j.beta, j.y, n)
}
