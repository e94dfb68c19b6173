package kernels

import "github.com/nncc/nncc/ir"

// seqAppendState is what a SequenceInsert step remembers between its Runs
// in one frame so that appending to the sequence it made last time costs
// O(1): a Loop that inserts one tensor per iteration into its carried
// sequence would otherwise copy the sequence, and count its elements, at
// every iteration (n²/2 copies for n iterations).
//
// Sequences are values: an insert must not change its input. Appending
// into the spare capacity of the input's item array leaves the input as
// it was (its length does not change) as long as no other sequence
// holding that array uses the slot written. The only sequences appended
// to in place are this step's own last output, and an append moves
// "last" to the new sequence, so a slot is written at most once.
type seqAppendState struct {
	last  *ir.Tensor // the sequence this step made last
	total int64      // the elements its tensors hold
}

// seqAppend returns the sequence s with t appended when s is the step's
// last output and its item array has room, else nil. total is the
// element count of the result; the caller checks it against the limit.
func seqAppend(c *Ctx, s, t *ir.Tensor) (out *ir.Tensor, total int64) {
	st, _ := c.state.(*seqAppendState)
	if st == nil || st.last != s || len(s.Items) == cap(s.Items) {
		return nil, 0
	}
	return seqNew(s.DType, append(s.Items, t)), st.total + int64(t.Len())
}

// seqRemember records out (holding total elements) as the step's last
// output.
func seqRemember(c *Ctx, out *ir.Tensor, total int64) {
	st, _ := c.state.(*seqAppendState)
	if st == nil {
		st = &seqAppendState{}
		c.state = st
	}
	st.last, st.total = out, total
}

// seqTotal returns the elements the tensors of items hold.
func seqTotal(items []*ir.Tensor) int64 {
	var n int64
	for _, it := range items {
		n += int64(it.Len())
	}
	return n
}
