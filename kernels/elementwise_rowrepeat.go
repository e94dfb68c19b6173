package kernels

// A fast path of float32 Add, Sub and Mul for one broadcast form: one
// operand repeats a row of k elements r times per outer index, the other
// is laid out like the output. It is a squeeze-excitation gate on the
// blocked layout: x [N, C/16, H, W, 16] · s [N, C/16, 1, 1, 16]
// collapses to an [N·C/16, H·W, 16] walk where s has strides [16, 0, 1],
// a run of 16 elements per index that the general broadcast walk handles
// at about one element per nanosecond.

// repeatedRow reports whether the broadcast collapses to [outer, r, k]
// with input row repeating its [outer, 1, k] rows along the middle dim and
// the other input laid out like the output.
func (b *Broadcast) repeatedRow(row int) (outer, r, k int, ok bool) {
	if len(b.strides) != 2 || !b.same[1-row] {
		return 0, 0, 0, false
	}
	st := b.strides[row]
	switch len(b.dims) {
	case 2: // one row for the whole output: [r, k]
		return 1, b.dims[0], b.dims[1], st[0] == 0 && st[1] == 1
	case 3:
		outer, r, k = b.dims[0], b.dims[1], b.dims[2]
		return outer, r, k, st[0] == k && st[1] == 0 && st[2] == 1
	}
	return 0, 0, 0, false
}

// ewRowRepeatF32 computes o = a op b (op ewAdd, ewSub or ewMul) when one
// operand repeats rows (repeatedRow) and reports whether it did. It runs
// serially; callers use it only when the op would (ewSerial).
func ewRowRepeatF32(op uint8, bc *Broadcast, a, b, o []float32) bool {
	if op != ewAdd && op != ewSub && op != ewMul {
		return false
	}
	row := 1
	outer, r, k, ok := bc.repeatedRow(1)
	if !ok {
		row = 0
		if outer, r, k, ok = bc.repeatedRow(0); !ok {
			return false
		}
	}
	for i := range outer {
		for j := range r {
			base := (i*r + j) * k
			dst := o[base : base+k]
			var x, y []float32
			if row == 1 {
				x, y = a[base:base+k], b[i*k:i*k+k]
			} else {
				x, y = a[i*k:i*k+k], b[base:base+k]
			}
			x, y = x[:len(dst)], y[:len(dst)]
			switch op {
			case ewAdd:
				for t := range dst {
					dst[t] = x[t] + y[t]
				}
			case ewSub:
				for t := range dst {
					dst[t] = x[t] - y[t]
				}
			default:
				for t := range dst {
					dst[t] = x[t] * y[t]
				}
			}
		}
	}
	return true
}
