package winograd

import "github.com/nncc/nncc/kernels/sgemm"

// job is one Run; its fn fields are its methods bound once (jobs are
// pooled), so that handing them to the pool allocates nothing.
type job struct {
	cv       *Conv3x3
	p        plan
	x, y     []float32
	scratch  []float32
	bias     []float32
	relu     bool
	cur      int // stage mode: the block being run
	fnBlocks func(lo, hi int)
	fnIn     func(lo, hi int)
	fnGemm   func(lo, hi int)
	fnOut    func(lo, hi int)
}

func newJob() *job {
	j := &job{}
	j.fnBlocks, j.fnIn, j.fnGemm, j.fnOut = j.runBlocks, j.runIn, j.runGemm, j.runOut
	return j
}

// buffers returns worker i's V and M buffers for a block of ld rows.
func (j *job) buffers(i, ld int) (v, m []float32) {
	p := &j.p
	s := j.scratch[i*p.blockLen() : (i+1)*p.blockLen()]
	nv := p.a * p.a * p.cin * ld
	return s[:nv], s[p.a*p.a*p.cin*p.ldMax():][:p.a*p.a*ld*p.cout]
}

// aux returns task t's transform buffer.
func (j *job) aux(t int) []float32 {
	p := &j.p
	off := p.workers*p.blockLen() + t*p.auxLen
	return j.scratch[off : off+p.auxLen]
}

// block returns the first tile and the tile count of block b, and ld,
// the count rounded up to whole micro-kernel row panels: the rows of the
// products (the extra ones are zero and their results unused), so that
// the SGEMM never takes its slower edge-tile path.
func (p *plan) block(b int) (g0, nb, ld int) {
	g0 = b * p.tb
	nb = min(p.tb, p.tiles-g0)
	return g0, nb, roundRows(nb)
}

func roundRows(n int) int { return (n + gemmRows - 1) / gemmRows * gemmRows }

func (j *job) run(pool sgemm.Pool) {
	p := &j.p
	switch {
	case p.stage:
		for b := range p.blocks {
			j.cur = b
			pool.For(p.tasks, 1, j.fnIn)
			pool.For(p.tasks, 1, j.fnGemm)
			pool.For(p.tasks, 1, j.fnOut)
		}
	case p.tasks == 1:
		j.runBlocks(0, 1)
	default:
		pool.For(p.tasks, 1, j.fnBlocks)
	}
}

// runBlocks runs tasks [lo, hi), task t doing its share of the blocks
// from start to end with worker buffer t.
func (j *job) runBlocks(lo, hi int) {
	p := &j.p
	for t := lo; t < hi; t++ {
		aux := j.aux(t)
		for b := t * p.blocks / p.tasks; b < (t+1)*p.blocks/p.tasks; b++ {
			g0, nb, ld := p.block(b)
			v, m := j.buffers(t, ld)
			j.input(g0, nb, ld, 0, p.cin, v, aux)
			j.gemm(ld, 0, p.a*p.a, v, m)
			j.output(g0, nb, ld, 0, p.cout, m, aux)
		}
	}
}

// runIn, runGemm and runOut are the stages of block j.cur, task t taking
// its share of the input channels, of ξ and of the output channels (in
// groups of 16).
func (j *job) runIn(lo, hi int) {
	p := &j.p
	g0, nb, ld := p.block(j.cur)
	v, _ := j.buffers(0, ld)
	for t := lo; t < hi; t++ {
		j.input(g0, nb, ld, t*p.cin/p.tasks, (t+1)*p.cin/p.tasks, v, j.aux(t))
	}
}

func (j *job) runGemm(lo, hi int) {
	p := &j.p
	_, _, ld := p.block(j.cur)
	v, m := j.buffers(0, ld)
	aa := p.a * p.a
	j.gemm(ld, lo*aa/p.tasks, hi*aa/p.tasks, v, m)
}

func (j *job) runOut(lo, hi int) {
	p := &j.p
	g0, nb, ld := p.block(j.cur)
	_, m := j.buffers(0, ld)
	groups := (p.cout + 15) / 16
	for t := lo; t < hi; t++ {
		c0, c1 := t*groups/p.tasks*16, min((t+1)*groups/p.tasks*16, p.cout)
		if c0 < c1 {
			j.output(g0, nb, ld, c0, c1, m, j.aux(t))
		}
	}
}

// gemm computes M[ξ] (ld×cout) = V[ξ]ᵀ (ld×cin; V[ξ] is stored cin×ld)
// times U[ξ] (cin×cout, prepacked) for ξ in [xi0, xi1).
func (j *job) gemm(ld, xi0, xi1 int, v, m []float32) {
	cin, cout := j.p.cin, j.p.cout
	for xi := xi0; xi < xi1; xi++ {
		sgemm.SgemmPacked(true, ld, 1, v[xi*cin*ld:], ld, j.cv.u[xi], 0, m[xi*ld*cout:], cout, nil, nil)
	}
}
