package kernels

import (
	"math"
	"strings"
	"sync"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/vecmath"
)

// Shared machinery of the recurrent ops LSTM, GRU and RNN: attribute
// parsing, activation functions, layout handling and the per-direction
// loop over time with sequence lengths.

// rnnAct is one activation function with its parameters, and the vector
// routines of the session's ISA level that run it on float32.
type rnnAct struct {
	kind        int
	alpha, beta float64
	vec         *vecmath.Routines
}

const (
	actRelu = iota
	actTanh
	actSigmoid
	actAffine
	actLeakyRelu
	actThresholdedRelu
	actScaledTanh
	actHardSigmoid
	actElu
	actSoftsign
	actSoftplus
)

// rnnActTable lists the activation names with whether they take alpha and
// beta and their defaults.
var rnnActTable = []struct {
	name             string
	kind             int
	hasAlpha, hasBet bool
	alpha, beta      float64
}{
	{"Relu", actRelu, false, false, 0, 0},
	{"Tanh", actTanh, false, false, 0, 0},
	{"Sigmoid", actSigmoid, false, false, 0, 0},
	{"Affine", actAffine, true, true, 1, 0},
	{"LeakyRelu", actLeakyRelu, true, false, 0.01, 0},
	{"ThresholdedRelu", actThresholdedRelu, true, false, 1, 0},
	{"ScaledTanh", actScaledTanh, true, true, 1, 1},
	{"HardSigmoid", actHardSigmoid, true, true, 0.2, 0.5},
	{"Elu", actElu, true, false, 1, 0},
	{"Softsign", actSoftsign, false, false, 0, 0},
	{"Softplus", actSoftplus, false, false, 0, 0},
}

func (a rnnAct) apply(x float64) float64 {
	switch a.kind {
	case actRelu:
		return math.Max(x, 0)
	case actTanh:
		return math.Tanh(x)
	case actSigmoid:
		if x >= 0 {
			return 1 / (1 + math.Exp(-x))
		}
		e := math.Exp(x)
		return e / (1 + e)
	case actAffine:
		return a.alpha*x + a.beta
	case actLeakyRelu:
		if x >= 0 {
			return x
		}
		return a.alpha * x
	case actThresholdedRelu:
		if x > a.alpha {
			return x
		}
		return 0
	case actScaledTanh:
		return a.alpha * math.Tanh(a.beta*x)
	case actHardSigmoid:
		return math.Max(0, math.Min(1, a.alpha*x+a.beta))
	case actElu:
		if x >= 0 {
			return x
		}
		return a.alpha * (math.Exp(x) - 1)
	case actSoftsign:
		return x / (1 + math.Abs(x))
	case actSoftplus:
		if x > 30 {
			return x
		}
		return math.Log1p(math.Exp(x))
	}
	panic("BUG: unknown activation")
}

// rnnShapes remembers the output shapes of the last Run so that
// steady-state Runs need not build new shape slices.
type rnnShapes struct {
	mu                  sync.Mutex
	seq, dirs, batch, h int
	layout              int
	s                   [3][]int64
}

// get returns output i's shape for the given sizes (shared; do not modify).
func (rs *rnnShapes) get(layout, i, seq, dirs, batch, h int) []int64 {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.s[0] == nil || rs.seq != seq || rs.dirs != dirs || rs.batch != batch || rs.h != h || rs.layout != layout {
		rs.seq, rs.dirs, rs.batch, rs.h, rs.layout = seq, dirs, batch, h, layout
		S, D, B, H := int64(seq), int64(dirs), int64(batch), int64(h)
		if layout == 0 {
			rs.s = [3][]int64{{S, D, B, H}, {D, B, H}, {D, B, H}}
		} else {
			rs.s = [3][]int64{{B, S, D, H}, {B, D, H}, {B, D, H}}
		}
	}
	return rs.s[i]
}

// rnnSpec holds the parsed attributes of a recurrent node.
type rnnSpec struct {
	shapes    rnnShapes // output shapes of the last Run
	dirs      int       // 1 or 2
	reverse   bool
	hidden    int // hidden_size, 0 to take it from R
	acts      [][]rnnAct
	clip      float64 // 0: no clipping
	layout    int
	gates     int // 4 LSTM, 3 GRU, 1 RNN
	lbr       bool
	inForget  bool
	numOfActs int
	level     isa.Level         // the ISA level the session compiles for
	vec       *vecmath.Routines // vecmath at level
	// lstmGates is LSTM's fused gate kernel at level (rnn_gates_*.go), or
	// nil when the level has none or the cell is not its (lstmGatesFit).
	lstmGates func(p []float32, ld int, c, h []float32)
}

func parseRNNSpec(b *Build, gates int, defaults []string) (*rnnSpec, error) {
	a := b.Attrs()
	s := &rnnSpec{gates: gates, dirs: 1, hidden: int(a.Int("hidden_size", 0)), layout: int(a.Int("layout", 0)),
		lbr: a.Int("linear_before_reset", 0) != 0, inForget: a.Int("input_forget", 0) != 0, numOfActs: len(defaults),
		level: b.Level, vec: b.Vec()}
	switch d := a.String("direction", "forward"); d {
	case "forward":
	case "reverse":
		s.reverse = true
	case "bidirectional":
		s.dirs = 2
	default:
		return nil, b.Errorf("direction %q is not forward, reverse or bidirectional", d)
	}
	if s.layout != 0 && s.layout != 1 {
		return nil, b.Errorf("layout %d must be 0 or 1", s.layout)
	}
	if a.Has("hidden_size") && s.hidden <= 0 {
		return nil, b.Errorf("hidden_size %d must be positive", s.hidden)
	}
	if a.Has("clip") {
		s.clip = float64(a.Float("clip", 0))
		if s.clip <= 0 {
			return nil, b.Errorf("clip %v must be positive", s.clip)
		}
	}
	names := a.Strings("activations", nil)
	if names == nil {
		for range s.dirs {
			names = append(names, defaults...)
		}
	}
	if len(names) == len(defaults) && s.dirs == 2 {
		names = append(names, names...)
	}
	if len(names) != len(defaults)*s.dirs {
		return nil, b.Errorf("activations has %d names, want %d", len(names), len(defaults)*s.dirs)
	}
	alphas, betas := a.Floats("activation_alpha", nil), a.Floats("activation_beta", nil)
	ai, bi := 0, 0
	for d := range s.dirs {
		var acts []rnnAct
		for _, n := range names[d*len(defaults) : (d+1)*len(defaults)] {
			found := false
			for _, row := range rnnActTable {
				if !strings.EqualFold(row.name, n) {
					continue
				}
				act := rnnAct{kind: row.kind, alpha: row.alpha, beta: row.beta, vec: s.vec}
				if row.hasAlpha && ai < len(alphas) {
					act.alpha = float64(alphas[ai])
					ai++
				}
				if row.hasBet && bi < len(betas) {
					act.beta = float64(betas[bi])
					bi++
				}
				acts = append(acts, act)
				found = true
				break
			}
			if !found {
				return nil, b.Errorf("activation %q is not supported", n)
			}
		}
		s.acts = append(s.acts, acts)
	}
	return s, nil
}

// rnnInputs is the resolved, layout-0 view of a recurrent node's inputs.
type rnnInputs[T nnFloat] struct {
	seq, batch, in, hid int
	x                   []T     // [seq, batch, in]
	w, r                []T     // [dirs, G*hid, in], [dirs, G*hid, hid]
	bias                []T     // [dirs, 2*G*hid] or nil
	lens                []int64 // per batch (the step's int64 scratch)
	uniform             bool    // every sequence has the full length
	h0, c0, p           []T     // [dirs, batch, hid] (layout 0), peepholes [dirs, 3*hid]
	outs                [3][]T  // Y [seq, dirs, batch, hid], Y_h, Y_c (layout 0; nil if not produced)
	outT                [3]*ir.Tensor
	buf                 []T // the cell's scratch (cellN values)
}

// rnnTranspose01 swaps the first two dims of a [a, b, rest] array.
func rnnTranspose01[T any](src []T, a, b, rest int) []T {
	dst := make([]T, len(src))
	rnnTranspose01Into(dst, src, a, b, rest)
	return dst
}

// rnnTranspose01Into is rnnTranspose01 into dst (len(src) values).
func rnnTranspose01Into[T any](dst, src []T, a, b, rest int) {
	for i := range a {
		for j := range b {
			copy(dst[(j*a+i)*rest:(j*a+i+1)*rest], src[(i*b+j)*rest:(i*b+j+1)*rest])
		}
	}
}

// rnnWant reports whether output i is requested.
func rnnWant(c *Ctx, i int) bool {
	if i >= c.NumOutputs() {
		return false
	}
	if c.Node != nil && (i >= len(c.Node.Outputs) || c.Node.Outputs[i] == nil) {
		return false
	}
	return true
}

// rnnLoad validates shapes, converts layout 1 to layout 0 and allocates
// the outputs into ri. idxC0 and idxP are the input slots of initial_c
// and P (-1 when the op has none). cellN gives the size of one direction's
// share of the cell's scratch (ri.buf) from seq, batch and hidden; the layout-1 copies share
// the same scratch request, so a steady-state Run allocates nothing.
func rnnLoad[T nnFloat](c *Ctx, s *rnnSpec, in []*ir.Tensor, idxC0, idxP int, cellN func(seq, batch, hid int) int, ri *rnnInputs[T]) error {
	get := func(i int) *ir.Tensor {
		if i >= 0 && i < len(in) {
			return in[i]
		}
		return nil
	}
	x, w, r := in[0], in[1], in[2]
	if x == nil || w == nil || r == nil {
		return c.Errorf("inputs X, W and R are required")
	}
	for i, t := range in {
		if t != nil && i != 4 && t.DType != x.DType {
			return c.Errorf("input %d has dtype %v, expected %v", i, t.DType, x.DType)
		}
	}
	if len(x.Shape) != 3 || len(w.Shape) != 3 || len(r.Shape) != 3 {
		return c.Errorf("X, W and R must be 3-D, got %v, %v, %v", x.Shape, w.Shape, r.Shape)
	}
	*ri = rnnInputs[T]{seq: int(x.Shape[0]), batch: int(x.Shape[1]), in: int(x.Shape[2]), hid: int(r.Shape[2])}
	if s.layout == 1 {
		ri.seq, ri.batch = ri.batch, ri.seq
	}
	G, H, D := s.gates, ri.hid, s.dirs
	if s.hidden != 0 && s.hidden != H {
		return c.Errorf("hidden_size %d differs from R's last dim %d", s.hidden, H)
	}
	if !sameShape(w.Shape, []int64{int64(D), int64(G * H), int64(ri.in)}) {
		return c.Errorf("W has shape %v, expected [%d %d %d]", w.Shape, D, G*H, ri.in)
	}
	if !sameShape(r.Shape, []int64{int64(D), int64(G * H), int64(H)}) {
		return c.Errorf("R has shape %v, expected [%d %d %d]", r.Shape, D, G*H, H)
	}
	ri.x, ri.w, ri.r = ir.Data[T](x), ir.Data[T](w), ir.Data[T](r)
	// One scratch request: the cell's buffers, then (layout 1) X, the
	// initial states and the outputs in layout 0.
	nOut := 2
	if s.gates == 4 {
		nOut = 3
	}
	nCell := D * cellN(ri.seq, ri.batch, H) // one share per direction (rnnRun.dirBuf)
	need := nCell
	if s.layout == 1 {
		state := D * ri.batch * H
		need += len(ri.x) + ri.seq*state + (nOut-1)*state // X, Y, Y_h (, Y_c)
		if get(5) != nil {
			need += state // initial_h
		}
		if get(idxC0) != nil {
			need += state // initial_c
		}
	}
	buf := rnnScratch[T](c, need)
	ri.buf, buf = buf[:nCell], buf[nCell:]
	take := func(n int) []T {
		t := buf[:n:n]
		buf = buf[n:]
		return t
	}
	if s.layout == 1 {
		xt := take(len(ri.x))
		rnnTranspose01Into(xt, ri.x, ri.batch, ri.seq, ri.in)
		ri.x = xt
	}
	if b := get(3); b != nil {
		if !sameShape(b.Shape, []int64{int64(D), int64(2 * G * H)}) {
			return c.Errorf("B has shape %v, expected [%d %d]", b.Shape, D, 2*G*H)
		}
		ri.bias = ir.Data[T](b)
	}
	ri.lens = c.ScratchI64(ri.batch)
	for i := range ri.lens {
		ri.lens[i] = int64(ri.seq)
	}
	ri.uniform = true
	if sl := get(4); sl != nil {
		if !sl.DType.IsInt() || sl.Len() != ri.batch {
			return c.Errorf("sequence_lens must hold %d integers, got %v%v", ri.batch, sl.DType, sl.Shape)
		}
		for i := range ri.batch {
			l := int64(sl.Float64At(i)) // read in place (Int64s would copy an int32 tensor every Run)
			if l < 0 || l > int64(ri.seq) {
				return c.Errorf("sequence_lens[%d] = %d is outside [0, %d]", i, l, ri.seq)
			}
			ri.lens[i] = l
			if l != int64(ri.seq) {
				ri.uniform = false
			}
		}
	}
	state := func(t *ir.Tensor, name string) ([]T, error) {
		if t == nil {
			return nil, nil
		}
		want := [3]int64{int64(D), int64(ri.batch), int64(H)}
		if s.layout == 1 {
			want = [3]int64{int64(ri.batch), int64(D), int64(H)}
		}
		if !sameShape(t.Shape, want[:]) {
			return nil, c.Errorf("%s has shape %v, expected %v", name, t.Shape, append([]int64(nil), want[:]...))
		}
		d := ir.Data[T](t)
		if s.layout == 1 {
			dt := take(len(d))
			rnnTranspose01Into(dt, d, ri.batch, D, H)
			d = dt
		}
		return d, nil
	}
	var err error
	if ri.h0, err = state(get(5), "initial_h"); err != nil {
		return err
	}
	if ri.c0, err = state(get(idxC0), "initial_c"); err != nil {
		return err
	}
	if p := get(idxP); p != nil {
		if !sameShape(p.Shape, []int64{int64(D), int64(3 * H)}) {
			return c.Errorf("P has shape %v, expected [%d %d]", p.Shape, D, 3*H)
		}
		ri.p = ir.Data[T](p)
	}
	dt := x.DType
	for i := range nOut {
		if !rnnWant(c, i) {
			continue
		}
		t, err := c.Output(i, dt, s.shapes.get(s.layout, i, ri.seq, D, ri.batch, H))
		if err != nil {
			return err
		}
		ri.outT[i] = t
		if s.layout == 0 {
			ri.outs[i] = ir.Data[T](t)
		} else {
			ri.outs[i] = take(len(ir.Data[T](t)))
			clear(ri.outs[i])
		}
	}
	return nil
}

// finish copies layout-0 results into layout-1 outputs.
func (ri *rnnInputs[T]) finish(s *rnnSpec) {
	if s.layout == 0 {
		return
	}
	D, H := s.dirs, ri.hid
	if t := ri.outT[0]; t != nil {
		// [seq, dirs, batch, H] → [batch, seq, dirs, H]
		dst := ir.Data[T](t)
		for q := range ri.seq {
			for d := range D {
				for b := range ri.batch {
					copy(dst[((b*ri.seq+q)*D+d)*H:][:H], ri.outs[0][((q*D+d)*ri.batch+b)*H:][:H])
				}
			}
		}
	}
	for i := 1; i < 3; i++ {
		if t := ri.outT[i]; t != nil {
			rnnTranspose01Into(ir.Data[T](t), ri.outs[i], D, ri.batch, H)
		}
	}
}

// clipped applies the clip attribute.
func (s *rnnSpec) clipped(v float64) float64 {
	if s.clip > 0 {
		return math.Max(-s.clip, math.Min(s.clip, v))
	}
	return v
}

// timeOf returns the time index batch entry b reads at step q of
// direction d, or -1 when its sequence has ended.
func (ri *rnnInputs[T]) timeOf(s *rnnSpec, d, q, b int) int {
	l := int(ri.lens[b])
	if q >= l {
		return -1
	}
	if (s.dirs == 2 && d == 1) || (s.dirs == 1 && s.reverse) {
		return l - 1 - q
	}
	return q
}
