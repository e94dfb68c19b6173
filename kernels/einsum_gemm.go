package kernels

import (
	"slices"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
)

// Two-operand float32 Einsum as batched SGEMM. Every label of a product
// A·B is one of four kinds: batch (in A, B and the output), M (in A and
// the output), N (in B and the output) or K (in A and B, summed). A is
// permuted to [batch, M, K], B to [batch, K, N] (each copied only when
// its labels are not already in that order), each batch entry is one
// SGEMM, and the [batch, M, N] product is permuted to the output's
// label order. Equations outside this form (a label summed within one
// operand, a repeated label, broadcast size-1 dimensions, more or fewer
// than two operands) and elementwise products (no K label, and no M or no
// N label) keep the element loop (einsum.go).

// einsumGemm is the plan of one product for the input shapes it was made
// for; a step keeps the last one (Ctx.state).
type einsumGemm struct {
	key          []int64 // the two input shapes, rank-prefixed
	loop         bool    // the equation is not a batched product: the element loop runs
	batch, m, n  int     // products of the kinds' sizes
	k            int
	permA, permB []int   // source axes of A and B in [batch, M, K] / [batch, K, N] order (nil: in order)
	shapeA       []int64 // A's and B's shapes
	shapeB       []int64
	permY        []int   // axes of the [batch, M, N] product in the output's order (nil: in order)
	shapeC       []int64 // the product's shape, labels in [batch, M, N] order
	outShape     []int64
}

// einsumGemmPlan returns the plan for spec on inputs a and b, or nil when
// the equation is not a plain batched product of them.
func einsumGemmPlan(spec *ir.EinsumSpec, a, b *ir.Tensor) *einsumGemm {
	if len(spec.In) != 2 {
		return nil
	}
	const (
		inA = 1 << iota
		inB
		inOut
	)
	where := make([]int, spec.NumLabels)
	size := make([]int, spec.NumLabels)
	mark := func(labels []int, shape []int64, bit int) bool {
		for k, l := range labels {
			if where[l]&bit != 0 {
				return false // a repeated label: a diagonal
			}
			if where[l] != 0 && size[l] != int(shape[k]) {
				return false // broadcasting
			}
			where[l] |= bit
			size[l] = int(shape[k])
		}
		return true
	}
	if !mark(spec.In[0], a.Shape, inA) || !mark(spec.In[1], b.Shape, inB) {
		return nil
	}
	for _, l := range spec.Out {
		if where[l]&inOut != 0 || where[l] == 0 {
			return nil
		}
		where[l] |= inOut
	}
	var bl, ml, nl, kl []int
	for l, w := range where {
		switch w {
		case inA | inB | inOut:
			bl = append(bl, l)
		case inA | inOut:
			ml = append(ml, l)
		case inB | inOut:
			nl = append(nl, l)
		case inA | inB:
			kl = append(kl, l)
		case 0:
		default:
			return nil // summed within one operand
		}
	}
	// Keep the output's order among batch, M and N labels, and A's among
	// K labels, so that common equations need no permutation.
	byOut := func(ls []int) []int {
		out := make([]int, 0, len(ls))
		for _, l := range spec.Out {
			for _, x := range ls {
				if x == l {
					out = append(out, l)
				}
			}
		}
		return out
	}
	bl, ml, nl = byOut(bl), byOut(ml), byOut(nl)
	kOrd := make([]int, 0, len(kl))
	for _, l := range spec.In[0] {
		if where[l] == inA|inB {
			kOrd = append(kOrd, l)
		}
	}
	prod := func(ls []int) int {
		p := 1
		for _, l := range ls {
			p *= size[l]
		}
		return p
	}
	g := &einsumGemm{batch: prod(bl), m: prod(ml), n: prod(nl), k: prod(kOrd)}
	if g.k == 1 && (g.m == 1 || g.n == 1) {
		return nil // an elementwise product: no multiply-add to block
	}
	axisOf := func(labels []int, l int) int {
		for k, x := range labels {
			if x == l {
				return k
			}
		}
		return -1
	}
	perm := func(labels []int, order ...[]int) []int {
		var p []int
		for _, ls := range order {
			for _, l := range ls {
				p = append(p, axisOf(labels, l))
			}
		}
		for i, v := range p {
			if v != i {
				return p
			}
		}
		return nil
	}
	g.permA = perm(spec.In[0], bl, ml, kOrd)
	g.permB = perm(spec.In[1], bl, kOrd, nl)
	cLabels := append(append(append([]int{}, bl...), ml...), nl...)
	g.permY = perm(cLabels, spec.Out)
	for _, l := range cLabels {
		g.shapeC = append(g.shapeC, int64(size[l]))
	}
	g.shapeA, g.shapeB = slices.Clone(a.Shape), slices.Clone(b.Shape)
	for _, l := range spec.Out {
		g.outShape = append(g.outShape, int64(size[l]))
	}
	g.key = einsumKey(nil, a, b)
	return g
}

// einsumKey appends the ranks and shapes of a and b to key.
func einsumKey(key []int64, a, b *ir.Tensor) []int64 {
	key = append(key, int64(a.Rank()))
	key = append(key, a.Shape...)
	key = append(key, int64(b.Rank()))
	return append(key, b.Shape...)
}

// run computes y = A·B by the plan on float32 storage.
func (g *einsumGemm) run(c *Ctx, level isa.Level, a, b, y []float32) {
	sizeA, sizeB, sizeC := g.batch*g.m*g.k, g.batch*g.k*g.n, g.batch*g.m*g.n
	need := 0
	if g.permA != nil {
		need += sizeA
	}
	if g.permB != nil {
		need += sizeB
	}
	if g.permY != nil {
		need += sizeC
	}
	buf := c.ScratchF32(need)
	tmp := c.ScratchI64(3 * max(len(g.shapeA), len(g.shapeB), len(g.shapeC)))
	if g.permA != nil {
		transposeF32Pool(c, buf[:sizeA], a, g.shapeA, g.permA, tmp)
		a, buf = buf[:sizeA], buf[sizeA:]
	}
	if g.permB != nil {
		transposeF32Pool(c, buf[:sizeB], b, g.shapeB, g.permB, tmp)
		b, buf = buf[:sizeB], buf[sizeB:]
	}
	cm := y
	if g.permY != nil {
		cm = buf[:sizeC]
	}
	pool := sgemm.Pool(nil)
	if c.Pool != nil {
		pool = c.Pool
	}
	mk, kn, mn := g.m*g.k, g.k*g.n, g.m*g.n
	for i := range g.batch {
		sgemm.SgemmLevel(level, false, false, g.m, g.n, g.k, 1, a[i*mk:(i+1)*mk], g.k, b[i*kn:(i+1)*kn], g.n, 0, cm[i*mn:(i+1)*mn], g.n, nil, pool)
	}
	if g.permY != nil {
		transposeF32Pool(c, y, cm, g.shapeC, g.permY, tmp)
	}
}

// einsumGemmFor returns the step's plan for float32 inputs a and b of
// equation eq, made when their shapes change, or nil when the element
// loop must run.
func einsumGemmFor(c *Ctx, eq string, a, b *ir.Tensor) (*einsumGemm, error) {
	var kb [18]int64
	key := einsumKey(kb[:0], a, b)
	if g, ok := c.state.(*einsumGemm); ok && sameShape(g.key, key) {
		if g.loop {
			return nil, nil
		}
		return g, nil
	}
	spec, err := ir.ParseEinsum(eq, []int{a.Rank(), b.Rank()})
	if err != nil {
		return nil, err
	}
	g := einsumGemmPlan(spec, a, b)
	if g == nil {
		g = &einsumGemm{loop: true, key: einsumKey(nil, a, b)}
	}
	c.state = g
	if g.loop {
		return nil, nil
	}
	return g, nil
}
