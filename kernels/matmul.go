package kernels

import (
	"sync"

	"github.com/nncc/nncc/ir"
)

// MatMul: numpy.matmul semantics (batched, broadcast batch dims, 1-D
// operands promoted and their unit dim removed).

func init() { Register("", "MatMul", buildMatMul) }

func buildMatMul(b *Build) (Func, error) {
	cache := &matmulCache{}
	packed := newMatMulPacked(b)
	f32 := func(c *Ctx, in []*ir.Tensor) error { return runMatMulF32(c, in, cache, packed) }
	return func(c *Ctx, in []*ir.Tensor) error {
		if in[0] == nil || in[1] == nil {
			return c.Errorf("inputs A and B are required")
		}
		if err := nnSameDType(c, in, 0, 1); err != nil {
			return err
		}
		switch in[0].DType {
		case ir.Float32:
			return f32(c, in)
		case ir.Float64:
			return runMatMul[float64](c, in, cache)
		case ir.Float16, ir.BFloat16:
			return nnViaF32(f32)(c, in)
		case ir.Int32:
			return runMatMul[int32](c, in, cache)
		case ir.Int64:
			return runMatMul[int64](c, in, cache)
		case ir.Uint32:
			return runMatMul[uint32](c, in, cache)
		case ir.Uint64:
			return runMatMul[uint64](c, in, cache)
		}
		return c.Errorf("dtype %v is not supported", in[0].DType)
	}, nil
}

// matmulPlan is the resolved geometry of one batched matrix product.
type matmulPlan struct {
	m, n, k  int
	out      []int64 // output shape
	batch    int     // number of batch entries of the output
	aOff     []int   // per batch entry: offset of A's matrix (nil: i*m*k)
	bOff     []int   // per batch entry: offset of B's matrix
	foldRows bool    // B is a single matrix and A's batch can be folded into M
}

// planMatMul resolves numpy matmul shapes.
func planMatMul(c *Ctx, as, bs []int64) (*matmulPlan, error) {
	if len(as) == 0 || len(bs) == 0 {
		return nil, c.Errorf("operands must have rank >= 1, got %v and %v", as, bs)
	}
	a1, b1 := len(as) == 1, len(bs) == 1
	if a1 {
		as = []int64{1, as[0]}
	}
	if b1 {
		bs = []int64{bs[0], 1}
	}
	p := &matmulPlan{m: int(as[len(as)-2]), k: int(as[len(as)-1]), n: int(bs[len(bs)-1])}
	if int(bs[len(bs)-2]) != p.k {
		return nil, c.Errorf("inner dimensions differ: %v and %v", as, bs)
	}
	ab, bb := as[:len(as)-2], bs[:len(bs)-2]
	batch, err := ir.BroadcastConcrete(ab, bb)
	if err != nil {
		return nil, c.Errorf("%v", err)
	}
	p.out = append([]int64{}, batch...)
	if !a1 {
		p.out = append(p.out, int64(p.m))
	}
	if !b1 {
		p.out = append(p.out, int64(p.n))
	}
	p.batch = nnProd(batch)
	if nnProd(bb) == 1 && nnProd(ab) == p.batch {
		p.foldRows = true
		return p, nil
	}
	p.aOff = nnBatchOffsets(ab, batch, p.m*p.k)
	p.bOff = nnBatchOffsets(bb, batch, p.k*p.n)
	return p, nil
}

// nnBatchOffsets returns, for each index of the broadcast batch shape out,
// the element offset of the matching matrix in an operand of batch shape s
// whose matrices have size elements each.
func nnBatchOffsets(s, out []int64, size int) []int {
	total := nnProd(out)
	offs := make([]int, total)
	r := len(out)
	idx := make([]int64, r)
	for i := range total {
		off, stride := 0, size
		for d := r - 1; d >= 0; d-- {
			sd := d - (r - len(s))
			if sd < 0 {
				break
			}
			if s[sd] != 1 {
				off += int(idx[d]) * stride
			}
			stride *= int(s[sd])
		}
		offs[i] = off
		for d := r - 1; d >= 0; d-- {
			idx[d]++
			if idx[d] < out[d] {
				break
			}
			idx[d] = 0
		}
	}
	return offs
}

// matmulCache keeps the plan of the last operand shapes seen.
type matmulCache struct {
	mu     sync.Mutex
	as, bs []int64
	p      *matmulPlan
}

func (mc *matmulCache) plan(c *Ctx, as, bs []int64) (*matmulPlan, error) {
	mc.mu.Lock()
	defer mc.mu.Unlock()
	if mc.p != nil && sameShape(mc.as, as) && sameShape(mc.bs, bs) {
		return mc.p, nil
	}
	p, err := planMatMul(c, as, bs)
	if err != nil {
		return nil, err
	}
	mc.as, mc.bs, mc.p = append([]int64{}, as...), append([]int64{}, bs...), p
	return p, nil
}

func runMatMul[T nnNumber](c *Ctx, in []*ir.Tensor, cache *matmulCache) error {
	p, err := cache.plan(c, in[0].Shape, in[1].Shape)
	if err != nil {
		return err
	}
	out, err := c.OutputUninit(0, in[0].DType, p.out)
	if err != nil {
		return err
	}
	matmulCore(c, p, ir.Data[T](in[0]), ir.Data[T](in[1]), ir.Data[T](out))
	return nil
}

// matmulCore computes y = a×b for a resolved plan with the plain triple
// loop (the element types without a tuned kernel; float32 runs in
// runMatMulF32).
func matmulCore[T nnNumber](c *Ctx, p *matmulPlan, a, b, y []T) {
	m, n, k, batch := p.m, p.n, p.k, p.batch
	if p.foldRows {
		m *= batch
		batch = 1
	}
	if len(y) == 0 {
		return
	}
	for i := range batch {
		ao, bo := 0, 0
		if p.aOff != nil {
			ao, bo = p.aOff[i], p.bOff[i]
		}
		gemmGeneric(false, false, m, n, k, 1, a[ao:], k, b[bo:], n, 0, y[i*m*n:], n)
	}
}
