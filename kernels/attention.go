package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// Attention (ai.onnx opsets 23, 24 and 25): scaled dot-product attention
// with multi-, grouped- and multi-query heads, boolean or additive masks,
// causal and sliding-window masking, soft-capping, an internal KV cache
// (past_* inputs, present_* outputs), an external cache described by
// nonpad_kv_seqlen, and the qk_matmul_output debug output.
//
// The common float32 inference case runs on the float32 attention core
// (attention_f32.go). Everything else computes in float64 and rounds once
// when storing, which is what the ONNX reference does (its scale factor is
// a float64 scalar, so NumPy promotes the whole computation to double).

func init() { Register("", "Attention", buildAttention) }

// attnConfig holds the attributes, validated once at build time.
type attnConfig struct {
	isCausal         bool
	qHeads, kvHeads  int64 // 0 when the attribute is absent
	mode             int64 // qk_matmul_output_mode
	scale            float64
	hasScale         bool
	softcap          float64
	softmaxPrecision ir.DType  // Undefined: compute at full precision
	left, right      int64     // sliding window bounds, -1 = unbounded
	level            isa.Level // the ISA level the float32 path runs at (the build's)
}

func buildAttention(b *Build) (Func, error) {
	a := b.Attrs()
	cfg := attnConfig{
		isCausal: a.Int("is_causal", 0) != 0,
		qHeads:   a.Int("q_num_heads", 0),
		kvHeads:  a.Int("kv_num_heads", 0),
		mode:     a.Int("qk_matmul_output_mode", 0),
		softcap:  float64(a.Float("softcap", 0)),
		left:     a.Int("left_window_size", -1),
		right:    a.Int("right_window_size", -1),
		level:    b.Level,
	}
	if v := a.Int("is_causal", 0); v != 0 && v != 1 {
		return nil, b.Errorf("is_causal must be 0 or 1, got %d", v)
	}
	if cfg.mode < 0 || cfg.mode > 3 {
		return nil, b.Errorf("qk_matmul_output_mode must be 0, 1, 2 or 3, got %d", cfg.mode)
	}
	if a.Has("scale") {
		cfg.hasScale = true
		cfg.scale = float64(a.Float("scale", 0))
	}
	if a.Has("softmax_precision") {
		p := ir.DType(a.Int("softmax_precision", 0))
		if !advIsFloat(p) {
			return nil, b.Errorf("softmax_precision must be 1 (float), 10 (float16), 11 (double) or 16 (bfloat16), got %d", int64(p))
		}
		cfg.softmaxPrecision = p
	}
	if (a.Has("left_window_size") || a.Has("right_window_size")) && b.Node.Opset != 0 && b.Node.Opset < 25 {
		return nil, b.Errorf("left_window_size and right_window_size need opset 25 (model imports opset %d)", b.Node.Opset)
	}
	if cfg.left < -1 || cfg.right < -1 {
		return nil, b.Errorf("window sizes must be -1 or nonnegative, got left %d, right %d", cfg.left, cfg.right)
	}
	if (cfg.qHeads != 0 || cfg.kvHeads != 0) && (cfg.qHeads <= 0 || cfg.kvHeads <= 0) {
		return nil, b.Errorf("q_num_heads and kv_num_heads must both be positive, got %d and %d", cfg.qHeads, cfg.kvHeads)
	}
	if b.Node.Opset >= 25 && len(b.InTypes) > 0 && b.InTypes[0] != nil && b.InTypes[0].Rank() == 4 && (a.Has("q_num_heads") || a.Has("kv_num_heads")) {
		return nil, b.Errorf("q_num_heads and kv_num_heads must not be set for 4-D inputs")
	}
	for i := 0; i < 3; i++ {
		if dt := b.InDType(i); dt != ir.Undefined && !advIsFloat(dt) {
			return nil, b.Errorf("input %d has dtype %v; Attention takes float16, bfloat16, float or double", i, dt)
		}
	}
	return func(c *Ctx, in []*ir.Tensor) error { return runAttention(c, &cfg, in) }, nil
}

// attnInput returns input i, or nil when it is omitted or i < 0.
func attnInput(in []*ir.Tensor, i int) *ir.Tensor {
	if i >= 0 && i < len(in) {
		return in[i]
	}
	return nil
}

// attnDims are the problem sizes of one run.
type attnDims struct {
	batch, qHeads, kvHeads, qSeq, kvSeq, past, total, headK, headV int
	rank3                                                          bool
}

func runAttention(c *Ctx, cfg *attnConfig, in []*ir.Tensor) error {
	q, k, v := in[0], in[1], in[2]
	pastK, pastV, nonpad := attnInput(in, 4), attnInput(in, 5), attnInput(in, 6)
	mask := attnInput(in, 3)
	if (pastK == nil) != (pastV == nil) {
		return c.Errorf("past_key and past_value must be given together")
	}
	if nonpad != nil && pastK != nil {
		return c.Errorf("nonpad_kv_seqlen cannot be combined with past_key/past_value")
	}
	dims, err := attnShapes(cfg, q, k, v, pastK, pastV)
	if err != nil {
		return c.Errorf("%v", err)
	}
	if q.DType != k.DType || (pastK != nil && pastK.DType != q.DType) || (pastV != nil && pastV.DType != v.DType) {
		return c.Errorf("Q, K and past_key must share a dtype, and V and past_value another")
	}
	if done, err := attnFloat32(c, cfg, in, &dims); done || err != nil {
		return err
	}
	d := dims // the float64 path below keeps pointers to it: only its Runs allocate it

	qf, err := attnLoad(q, d.batch, d.qHeads, d.qSeq, d.headK, d.rank3)
	if err != nil {
		return c.Errorf("Q: %v", err)
	}
	kNew, err := attnLoad(k, d.batch, d.kvHeads, d.kvSeq, d.headK, d.rank3)
	if err != nil {
		return c.Errorf("K: %v", err)
	}
	vNew, err := attnLoad(v, d.batch, d.kvHeads, d.kvSeq, d.headV, d.rank3)
	if err != nil {
		return c.Errorf("V: %v", err)
	}
	kf, vf := kNew, vNew
	if pastK != nil {
		pk, err := advFloats(pastK)
		if err != nil {
			return c.Errorf("past_key: %v", err)
		}
		pv, err := advFloats(pastV)
		if err != nil {
			return c.Errorf("past_value: %v", err)
		}
		kf = attnConcatSeq(pk, kNew, d.batch*d.kvHeads, d.past, d.kvSeq, d.headK)
		vf = attnConcatSeq(pv, vNew, d.batch*d.kvHeads, d.past, d.kvSeq, d.headV)
	}

	bias, err := newAttnBias(cfg, &d, mask, nonpad)
	if err != nil {
		return c.Errorf("%v", err)
	}

	// Outputs.
	var yShape []int64
	if d.rank3 {
		yShape = []int64{int64(d.batch), int64(d.qSeq), int64(d.qHeads * d.headV)}
	} else {
		yShape = []int64{int64(d.batch), int64(d.qHeads), int64(d.qSeq), int64(d.headV)}
	}
	y := make([]float64, d.batch*d.qHeads*d.qSeq*d.headV)
	var qk []float64
	if advWants(c, 3) {
		qk = make([]float64, d.batch*d.qHeads*d.qSeq*d.total)
	}

	scale := cfg.scale
	if !cfg.hasScale {
		scale = 1 / math.Sqrt(float64(d.headK))
	}
	sq := math.Sqrt(scale)
	group := d.qHeads / d.kvHeads

	c.Pool.For(d.batch*d.qHeads, 1, func(lo, hi int) {
		scores := make([]float64, d.total)
		biasRow := make([]float64, d.total)
		qs := make([]float64, d.headK)
		for bh := lo; bh < hi; bh++ {
			b, h := bh/d.qHeads, bh%d.qHeads
			kvh := b*d.kvHeads + h/group
			kBase := kf[kvh*d.total*d.headK:]
			vBase := vf[kvh*d.total*d.headV:]
			for i := 0; i < d.qSeq; i++ {
				qRow := qf[(bh*d.qSeq+i)*d.headK:][:d.headK]
				for t := range qs {
					qs[t] = qRow[t] * sq
				}
				for j := 0; j < d.total; j++ {
					kRow := kBase[j*d.headK:][:d.headK]
					var s float64
					for t, x := range qs {
						s += x * (kRow[t] * sq)
					}
					if cfg.softcap > 0 {
						s = cfg.softcap * math.Tanh(s/cfg.softcap)
					}
					scores[j] = s
				}
				var qkRow []float64
				if qk != nil {
					qkRow = qk[(bh*d.qSeq+i)*d.total:][:d.total]
					if cfg.mode <= 1 {
						copy(qkRow, scores)
					}
				}
				allMasked := bias.row(b, h, i, biasRow)
				for j := range scores {
					scores[j] += biasRow[j]
				}
				if qkRow != nil && cfg.mode == 2 {
					copy(qkRow, scores)
				}
				if cfg.softmaxPrecision != ir.Undefined {
					for j, s := range scores {
						scores[j] = advRound(cfg.softmaxPrecision, s)
					}
				}
				if allMasked {
					clear(scores)
				} else {
					attnSoftmax(scores)
				}
				if qkRow != nil && cfg.mode == 3 {
					copy(qkRow, scores)
				}
				yRow := y[(bh*d.qSeq+i)*d.headV:][:d.headV]
				for j, p := range scores {
					if p == 0 {
						continue
					}
					vRow := vBase[j*d.headV:][:d.headV]
					for t, x := range vRow {
						yRow[t] += p * x
					}
				}
			}
		}
	})

	yt, err := c.OutputUninit(0, q.DType, yShape)
	if err != nil {
		return err
	}
	if d.rank3 {
		y = attnToRank3(y, d.batch, d.qHeads, d.qSeq, d.headV)
	}
	if err := advStore(yt, y); err != nil {
		return c.Errorf("Y: %v", err)
	}
	if advWants(c, 1) {
		t, err := c.OutputUninit(1, q.DType, []int64{int64(d.batch), int64(d.kvHeads), int64(d.total), int64(d.headK)})
		if err != nil {
			return err
		}
		if err := advStore(t, kf); err != nil {
			return c.Errorf("present_key: %v", err)
		}
	}
	if advWants(c, 2) {
		t, err := c.OutputUninit(2, v.DType, []int64{int64(d.batch), int64(d.kvHeads), int64(d.total), int64(d.headV)})
		if err != nil {
			return err
		}
		if err := advStore(t, vf); err != nil {
			return c.Errorf("present_value: %v", err)
		}
	}
	if advWants(c, 3) {
		t, err := c.OutputUninit(3, q.DType, []int64{int64(d.batch), int64(d.qHeads), int64(d.qSeq), int64(d.total)})
		if err != nil {
			return err
		}
		if err := advStore(t, qk); err != nil {
			return c.Errorf("qk_matmul_output: %v", err)
		}
	}
	return nil
}

// attnSoftmax replaces s by softmax(s). A row whose maximum is -inf gives
// zeros; a NaN anywhere makes the row NaN, as in the reference.
func attnSoftmax(s []float64) {
	m := math.Inf(-1)
	for _, x := range s {
		if x > m || math.IsNaN(x) {
			m = x
			if math.IsNaN(x) {
				break
			}
		}
	}
	if math.IsInf(m, -1) {
		m = 0
	}
	var sum float64
	for j, x := range s {
		e := math.Exp(x - m)
		s[j] = e
		sum += e
	}
	if sum == 0 {
		sum = 1
	}
	for j := range s {
		s[j] /= sum
	}
}
