package kernels

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// attnShapes checks the shapes of Q, K, V and the past cache and returns
// the problem sizes. 4-D inputs are (batch, heads, seq, head_size); 3-D
// inputs are (batch, seq, heads*head_size) with the head counts taken from
// the q_num_heads/kv_num_heads attributes.
func attnShapes(cfg *attnConfig, q, k, v, pastK, pastV *ir.Tensor) (attnDims, error) {
	var d attnDims
	r := q.Rank()
	if r != 3 && r != 4 {
		return d, fmt.Errorf("Q must be 3-D or 4-D, got shape %v", q.Shape)
	}
	if k.Rank() != r || v.Rank() != r {
		return d, fmt.Errorf("Q, K and V must have the same rank, got shapes %v, %v, %v", q.Shape, k.Shape, v.Shape)
	}
	if r == 4 {
		d.batch, d.qHeads, d.qSeq, d.headK = int(q.Shape[0]), int(q.Shape[1]), int(q.Shape[2]), int(q.Shape[3])
		d.kvHeads, d.kvSeq = int(k.Shape[1]), int(k.Shape[2])
		if int(k.Shape[3]) != d.headK {
			return d, fmt.Errorf("Q head size %d differs from K head size %d", d.headK, k.Shape[3])
		}
		if v.Shape[1] != k.Shape[1] || v.Shape[2] != k.Shape[2] {
			return d, fmt.Errorf("V shape %v does not match K shape %v in heads and sequence", v.Shape, k.Shape)
		}
		d.headV = int(v.Shape[3])
		if cfg.qHeads > 0 && (cfg.qHeads != int64(d.qHeads) || cfg.kvHeads != int64(d.kvHeads)) {
			return d, fmt.Errorf("q_num_heads %d / kv_num_heads %d disagree with Q %v and K %v", cfg.qHeads, cfg.kvHeads, q.Shape, k.Shape)
		}
	} else {
		if cfg.qHeads <= 0 || cfg.kvHeads <= 0 {
			return d, fmt.Errorf("3-D inputs need the q_num_heads and kv_num_heads attributes")
		}
		d.rank3 = true
		d.batch, d.qSeq, d.kvSeq = int(q.Shape[0]), int(q.Shape[1]), int(k.Shape[1])
		d.qHeads, d.kvHeads = int(cfg.qHeads), int(cfg.kvHeads)
		if q.Shape[2]%cfg.qHeads != 0 || k.Shape[2]%cfg.kvHeads != 0 || v.Shape[2]%cfg.kvHeads != 0 {
			return d, fmt.Errorf("hidden sizes of Q %v, K %v, V %v are not multiples of the head counts %d and %d", q.Shape, k.Shape, v.Shape, cfg.qHeads, cfg.kvHeads)
		}
		d.headK = int(q.Shape[2] / cfg.qHeads)
		if int(k.Shape[2]/cfg.kvHeads) != d.headK {
			return d, fmt.Errorf("Q head size %d differs from K head size %d", d.headK, k.Shape[2]/cfg.kvHeads)
		}
		d.headV = int(v.Shape[2] / cfg.kvHeads)
		if v.Shape[1] != k.Shape[1] {
			return d, fmt.Errorf("K and V sequence lengths differ: %v vs %v", k.Shape, v.Shape)
		}
	}
	if int(k.Shape[0]) != d.batch || int(v.Shape[0]) != d.batch {
		return d, fmt.Errorf("batch sizes of Q %v, K %v and V %v differ", q.Shape, k.Shape, v.Shape)
	}
	if d.kvHeads <= 0 || d.qHeads%d.kvHeads != 0 {
		return d, fmt.Errorf("q heads %d must be a multiple of kv heads %d", d.qHeads, d.kvHeads)
	}
	if pastK != nil {
		if pastK.Rank() != 4 || pastV.Rank() != 4 {
			return d, fmt.Errorf("past_key and past_value must be 4-D, got %v and %v", pastK.Shape, pastV.Shape)
		}
		want := []int64{int64(d.batch), int64(d.kvHeads), pastK.Shape[2], int64(d.headK)}
		if !sameShape(pastK.Shape, want) {
			return d, fmt.Errorf("past_key shape %v, expected %v", pastK.Shape, want)
		}
		want = []int64{int64(d.batch), int64(d.kvHeads), pastK.Shape[2], int64(d.headV)}
		if !sameShape(pastV.Shape, want) {
			return d, fmt.Errorf("past_value shape %v, expected %v", pastV.Shape, want)
		}
		d.past = int(pastK.Shape[2])
	}
	d.total = d.past + d.kvSeq
	return d, nil
}

// attnLoad reads t as float64 in (batch, heads, seq, size) order; a 3-D
// tensor (batch, seq, heads*size) is transposed on the way.
func attnLoad(t *ir.Tensor, batch, heads, seq, size int, rank3 bool) ([]float64, error) {
	f, err := advFloats(t)
	if err != nil {
		return nil, err
	}
	if !rank3 {
		return f, nil
	}
	out := make([]float64, len(f))
	for b := 0; b < batch; b++ {
		for s := 0; s < seq; s++ {
			for h := 0; h < heads; h++ {
				src := f[((b*seq+s)*heads+h)*size:][:size]
				copy(out[((b*heads+h)*seq+s)*size:], src)
			}
		}
	}
	return out, nil
}

// attnToRank3 turns (batch, heads, seq, size) into (batch, seq, heads*size).
func attnToRank3(y []float64, batch, heads, seq, size int) []float64 {
	out := make([]float64, len(y))
	for b := 0; b < batch; b++ {
		for h := 0; h < heads; h++ {
			for s := 0; s < seq; s++ {
				copy(out[((b*seq+s)*heads+h)*size:][:size], y[((b*heads+h)*seq+s)*size:][:size])
			}
		}
	}
	return out
}

// attnConcatSeq concatenates past (n, p, size) and cur (n, s, size) along
// the sequence axis.
func attnConcatSeq(past, cur []float64, n, p, s, size int) []float64 {
	out := make([]float64, n*(p+s)*size)
	for i := 0; i < n; i++ {
		dst := out[i*(p+s)*size:]
		copy(dst, past[i*p*size:][:p*size])
		copy(dst[p*size:], cur[i*s*size:][:s*size])
	}
	return out
}
