package purego

// Binary operation codes (the op argument of Binary and VecBinary*).
const (
	OpAdd = iota // a + b
	OpSub        // a - b
	OpMul        // a · b
	OpDiv        // a / b (IEEE: x/0 = ±Inf, 0/0 = NaN)
	OpMax        // a if a > b or a is NaN, else b (NaN in either propagates; max(-0,+0) = +0, max(+0,-0) = -0)
	OpMin        // a if a < b or a is NaN, else b
	NumOps
)

// Operand kinds (the kind argument): which operand is a broadcast scalar.
const (
	KindVV = iota // dst[i] = a[i] op b[i]
	KindVS        // dst[i] = a[i] op b[0]
	KindSV        // dst[i] = a[0] op b[i]
	NumKinds
)

// BinaryOp applies op to one pair; it is the exact per-element definition
// the assembly matches bit for bit.
func BinaryOp(op int, a, b float32) float32 {
	switch op {
	case OpAdd:
		return a + b
	case OpSub:
		return a - b
	case OpMul:
		return a * b
	case OpDiv:
		return a / b
	case OpMax:
		if a > b || a != a {
			return a
		}
		return b
	case OpMin:
		if a < b || a != a {
			return a
		}
		return b
	}
	panic("BUG: purego: unknown binary op")
}

// Binary is the twin of VecBinary*: for i < len(dst),
// dst[i] = a[i or 0] op b[i or 0] as kind says (KindVV, KindVS, KindSV).
// Vector operands have at least len(dst) elements, scalar ones at least
// one; dst may be a or b.
func Binary(op, kind int, dst, a, b []float32) {
	if len(dst) == 0 {
		return
	}
	switch kind {
	case KindVV:
		a, b = a[:len(dst)], b[:len(dst)]
		for i := range dst {
			dst[i] = BinaryOp(op, a[i], b[i])
		}
	case KindVS:
		a = a[:len(dst)]
		s := b[0]
		for i := range dst {
			dst[i] = BinaryOp(op, a[i], s)
		}
	case KindSV:
		b = b[:len(dst)]
		s := a[0]
		for i := range dst {
			dst[i] = BinaryOp(op, s, b[i])
		}
	default:
		panic("BUG: purego: unknown operand kind")
	}
}

// BinaryScalar is Binary with the broadcast operand passed by value (no
// one-element slice to allocate): kind KindVS gives dst[i] = v[i] op s,
// KindSV gives dst[i] = s op v[i]. len(v) ≥ len(dst).
func BinaryScalar(op, kind int, dst, v []float32, s float32) {
	v = v[:len(dst)]
	if kind == KindSV {
		for i := range dst {
			dst[i] = BinaryOp(op, s, v[i])
		}
		return
	}
	for i := range dst {
		dst[i] = BinaryOp(op, v[i], s)
	}
}
