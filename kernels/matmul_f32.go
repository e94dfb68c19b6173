package kernels

import (
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/sgemm"
)

// The float32 path of MatMul on the SIMD SGEMM. A constant B of rank ≥ 2
// has each of its matrices packed once, at build time; a batched product
// then loops over the output's batch entries, each on the packed matrix
// its broadcast index selects (or on B's data when B is not constant).
// When B is one matrix shared by every batch entry, A's batch is folded
// into M and the whole product is one SGEMM. Batched products too small
// for the SGEMM to split over the pool (sgemm.Splits) run their entries in
// parallel (one thread each); larger ones split every product instead.

// matmulPacked is the build-time state of one MatMul node (read-only).
type matmulPacked struct {
	bs  []int64          // B's shape when pbs is set
	pbs []*sgemm.PackedB // one per matrix of B, in B's batch order
}

func newMatMulPacked(b *Build) *matmulPacked {
	mp := &matmulPacked{}
	w := b.Node.In(1)
	if w == nil || w.Const == nil || w.Const.DType != ir.Float32 || len(w.Const.Shape) < 2 {
		return mp
	}
	t := w.Const
	r := len(t.Shape)
	k, n := int(t.Shape[r-2]), int(t.Shape[r-1])
	count := nnProd(t.Shape[:r-2])
	data := t.F32()
	if len(data) != count*k*n || count == 0 {
		return mp
	}
	for i := range count {
		mp.pbs = append(mp.pbs, sgemm.PackB(false, k, n, data[i*k*n:(i+1)*k*n], n))
	}
	mp.bs = append([]int64{}, t.Shape...)
	return mp
}

func runMatMulF32(c *Ctx, in []*ir.Tensor, cache *matmulCache, mp *matmulPacked) error {
	p, err := cache.plan(c, in[0].Shape, in[1].Shape)
	if err != nil {
		return err
	}
	out, err := c.OutputUninit(0, ir.Float32, p.out)
	if err != nil {
		return err
	}
	j := matmulF32Job{p: p, a: in[0].F32(), b: in[1].F32(), y: out.F32()}
	if len(j.y) == 0 {
		return nil
	}
	if mp.pbs != nil && sameShape(in[1].Shape, mp.bs) {
		j.pbs = mp.pbs
	}
	batch := p.batch
	if p.foldRows {
		batch = 1
	}
	pool := sgemmPool(c.Pool)
	if batch == 1 || pool == nil || sgemm.Splits(p.m, p.n, p.k, pool) || batch*p.m*p.n*p.k < matmulParallelWork {
		for i := range batch {
			j.one(i, pool)
		}
		return nil
	}
	// Entries are claimed one at a time, so a thread that starts late (a
	// worker waking up, or waiting for a core) takes fewer and the caller
	// never waits for a share of entries a worker has not begun.
	matmulEntries.ForClaimed(c.Pool, batch, 1, j)
	return nil
}

// matmulParallelWork is the total m·n·k below which a batch of small
// products runs on one thread (~2 MFLOP, some 20 µs): handing half of less
// to a second worker costs about what it saves on two vCPUs.
const matmulParallelWork = 1 << 20

// matmulF32Job is one float32 MatMul call.
type matmulF32Job struct {
	p       *matmulPlan
	a, b, y []float32
	pbs     []*sgemm.PackedB // nil: use b
}

// one computes batch entry i of the output (all of it when the plan folds
// A's batch into M).
func (j *matmulF32Job) one(i int, pool sgemm.Pool) {
	p := j.p
	m, n, k := p.m, p.n, p.k
	ao, bo := 0, 0
	if p.foldRows {
		m *= p.batch
	} else {
		ao, bo = p.aOff[i], p.bOff[i]
	}
	y := j.y[i*p.m*n:]
	if j.pbs != nil {
		idx := 0
		if k*n > 0 {
			idx = bo / (k * n)
		}
		sgemm.SgemmPacked(false, m, 1, j.a[ao:], k, j.pbs[idx], 0, y, n, nil, pool)
		return
	}
	sgemm.Sgemm(false, false, m, n, k, 1, j.a[ao:], k, j.b[bo:], n, 0, y, n, pool)
}

// matmulEntries runs the entries [lo, hi) of a batch, each on one thread.
var matmulEntries = newJobPool(func(j *matmulF32Job, lo, hi int) {
	for i := lo; i < hi; i++ {
		j.one(i, nil)
	}
})
