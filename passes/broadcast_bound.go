package passes

import "github.com/nncc/nncc/ir"

// maxBroadcastFold bounds the values a pass may materialise when it
// expands a broadcast constant (one scale, one bias, one LayerNorm
// parameter) to one value per channel, column or normalised element. That
// count comes from a shape, and a file can declare a shape of 2^31 with
// no data behind it (weights with a zero dimension, an input run on a
// batch of 0), so the expansion must not be sized by it unchecked. Above
// the bound a pass leaves the graph as it is: the kernels broadcast the
// constant themselves, and the run-time limits bound the outputs. Real
// models stay far below it (channels and hidden sizes are thousands).
const maxBroadcastFold = 1 << 24

// broadcastFoldable reports whether a pass may expand a constant to n
// values (0 ≤ n ≤ maxBroadcastFold).
func broadcastFoldable[T int | int64](n T) bool {
	return n >= 0 && int64(n) <= maxBroadcastFold
}

// broadcastFoldableShape is broadcastFoldable for the element count of
// dims, computed without overflow.
func broadcastFoldableShape(dims []int64) bool {
	_, err := ir.CheckedNumElements(dims, maxBroadcastFold)
	return err == nil
}
