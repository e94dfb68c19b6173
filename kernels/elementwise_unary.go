package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/vecmath"
)

// Unary math ops (Abs, Neg, Ceil, Floor, Round, Sqrt, Reciprocal, Exp, Log,
// the trigonometric and hyperbolic functions, Erf, Sign, BitwiseNot) and
// the driver shared with the activations (elementwise_activation.go).
// float32 and float64 compute in float64 math and round back; float16 and
// bfloat16 are staged through float32 in small blocks.

// ewUOp names a unary op. Math ops come first, activations after ewActFirst.
type ewUOp uint8

const (
	ewAbs ewUOp = iota
	ewNeg
	ewCeil
	ewFloor
	ewRound
	ewSqrt
	ewRecip
	ewExp
	ewLog
	ewSin
	ewCos
	ewTan
	ewAsin
	ewAcos
	ewAtan
	ewSinh
	ewCosh
	ewAsinh
	ewAcosh
	ewAtanh
	ewErf
	ewSign
	ewBitNot
	ewActFirst // first activation code (see elementwise_activation.go)
)

// ewUParams holds the attributes of a unary op, parsed at build time.
type ewUParams struct {
	alpha, beta, gamma float64
	tanh               bool              // Gelu approximate="tanh"
	vec                *vecmath.Routines // the session level's vector routines
}

// ewUnaryRow describes one unary op: how to read its attributes and which
// dtype classes it accepts.
type ewUnaryRow struct {
	op     ewUOp
	floats bool // float32/float64/float16/bfloat16
	signed bool // int8..int64
	uns    bool // uint8..uint64
	parse  func(b *Build, p *ewUParams) error
}

var ewUnaryRows = map[string]ewUnaryRow{
	"Abs":        {op: ewAbs, floats: true, signed: true, uns: true},
	"Neg":        {op: ewNeg, floats: true, signed: true},
	"Ceil":       {op: ewCeil, floats: true},
	"Floor":      {op: ewFloor, floats: true},
	"Round":      {op: ewRound, floats: true},
	"Sqrt":       {op: ewSqrt, floats: true},
	"Reciprocal": {op: ewRecip, floats: true},
	"Exp":        {op: ewExp, floats: true},
	"Log":        {op: ewLog, floats: true},
	"Sin":        {op: ewSin, floats: true},
	"Cos":        {op: ewCos, floats: true},
	"Tan":        {op: ewTan, floats: true},
	"Asin":       {op: ewAsin, floats: true},
	"Acos":       {op: ewAcos, floats: true},
	"Atan":       {op: ewAtan, floats: true},
	"Sinh":       {op: ewSinh, floats: true},
	"Cosh":       {op: ewCosh, floats: true},
	"Asinh":      {op: ewAsinh, floats: true},
	"Acosh":      {op: ewAcosh, floats: true},
	"Atanh":      {op: ewAtanh, floats: true},
	"Erf":        {op: ewErf, floats: true, signed: true, uns: true},
	"Sign":       {op: ewSign, floats: true, signed: true, uns: true},
	"BitwiseNot": {op: ewBitNot, signed: true, uns: true},
}

func init() {
	for name, row := range ewUnaryRows {
		Register("", name, ewBuildUnary(row))
	}
	for name, row := range ewActRows {
		Register("", name, ewBuildUnary(row))
	}
}

func (r *ewUnaryRow) accepts(dt ir.DType) bool {
	switch dt {
	case ir.Float32, ir.Float64, ir.Float16, ir.BFloat16:
		return r.floats
	case ir.Int8, ir.Int16, ir.Int32, ir.Int64:
		return r.signed
	case ir.Uint8, ir.Uint16, ir.Uint32, ir.Uint64:
		return r.uns
	}
	return false
}

func ewBuildUnary(row ewUnaryRow) Builder {
	return func(b *Build) (Func, error) {
		p := ewUParams{vec: b.Vec()}
		if row.parse != nil {
			if err := row.parse(b, &p); err != nil {
				return nil, err
			}
		}
		if dt := b.InDType(0); dt != ir.Undefined && !row.accepts(dt) {
			return nil, b.Errorf("dtype %v is not supported", dt)
		}
		return func(c *Ctx, in []*ir.Tensor) error {
			if err := ewInputs(c, in, 1); err != nil {
				return err
			}
			x := in[0]
			if !row.accepts(x.DType) {
				return c.Errorf("dtype %v is not supported", x.DType)
			}
			out, err := c.OutputUninit(0, x.DType, x.Shape)
			if err != nil {
				return err
			}
			ewUnaryRun(c, row.op, &p, x, out)
			return nil
		}, nil
	}
}

// ewUnaryRun computes out = op(x) for any accepted dtype.
func ewUnaryRun(c *Ctx, op ewUOp, p *ewUParams, x, out *ir.Tensor) {
	n := x.Len()
	switch s := x.Data.(type) {
	case []float32:
		d := out.F32()
		if ewSerial(c, n) {
			ewUnaryF32(op, p, s, d) // no closure: nothing allocated
			return
		}
		ewUnaryF32Par(c, op, p, s[:n], d[:n])
	case []float64:
		d := ir.Data[float64](out)
		if ewSerial(c, n) {
			ewUnaryF(op, p, s, d)
			return
		}
		ewFor(c, n, func(lo, hi int) { ewUnaryF(op, p, s[lo:hi], d[lo:hi]) })
	case []ir.F16:
		d := ir.Data[ir.F16](out)
		ewFor(c, n, func(lo, hi int) {
			var buf [256]float32
			for i := lo; i < hi; i += len(buf) {
				j := min(i+len(buf), hi)
				t := buf[:j-i]
				ewF16ToF32(s[i:j], t)
				ewUnaryF32(op, p, t, t)
				ewF32ToF16(t, d[i:j])
			}
		})
	case []ir.BF16:
		d := ir.Data[ir.BF16](out)
		ewFor(c, n, func(lo, hi int) {
			var buf [256]float32
			for i := lo; i < hi; i += len(buf) {
				j := min(i+len(buf), hi)
				t := buf[:j-i]
				ewBF16ToF32(s[i:j], t)
				ewUnaryF32(op, p, t, t)
				ewF32ToBF16(t, d[i:j])
			}
		})
	case []int8:
		ewUnaryI(op, p, s, ir.Data[int8](out))
	case []int16:
		ewUnaryI(op, p, s, ir.Data[int16](out))
	case []int32:
		ewUnaryI(op, p, s, ir.Data[int32](out))
	case []int64:
		ewUnaryI(op, p, s, ir.Data[int64](out))
	case []uint8:
		ewUnaryI(op, p, s, ir.Data[uint8](out))
	case []uint16:
		ewUnaryI(op, p, s, ir.Data[uint16](out))
	case []uint32:
		ewUnaryI(op, p, s, ir.Data[uint32](out))
	case []uint64:
		ewUnaryI(op, p, s, ir.Data[uint64](out))
	default:
		panic("BUG: ewUnaryRun of " + x.DType.String())
	}
}

// ewUnaryF computes y = op(x) for float32 or float64 (y may alias x).
func ewUnaryF[T ewFloat](op ewUOp, p *ewUParams, x, y []T) {
	y = y[:len(x)]
	switch op {
	case ewAbs:
		for i, v := range x {
			y[i] = T(math.Abs(float64(v)))
		}
	case ewNeg:
		for i, v := range x {
			y[i] = -v
		}
	case ewCeil:
		for i, v := range x {
			y[i] = T(math.Ceil(float64(v)))
		}
	case ewFloor:
		for i, v := range x {
			y[i] = T(math.Floor(float64(v)))
		}
	case ewRound:
		for i, v := range x {
			y[i] = T(math.RoundToEven(float64(v)))
		}
	case ewSqrt:
		for i, v := range x {
			y[i] = T(math.Sqrt(float64(v)))
		}
	case ewRecip:
		for i, v := range x {
			y[i] = 1 / v
		}
	case ewExp:
		for i, v := range x {
			y[i] = T(math.Exp(float64(v)))
		}
	case ewLog:
		for i, v := range x {
			y[i] = T(math.Log(float64(v)))
		}
	case ewSin:
		for i, v := range x {
			y[i] = T(math.Sin(float64(v)))
		}
	case ewCos:
		for i, v := range x {
			y[i] = T(math.Cos(float64(v)))
		}
	case ewTan:
		for i, v := range x {
			y[i] = T(math.Tan(float64(v)))
		}
	case ewAsin:
		for i, v := range x {
			y[i] = T(math.Asin(float64(v)))
		}
	case ewAcos:
		for i, v := range x {
			y[i] = T(math.Acos(float64(v)))
		}
	case ewAtan:
		for i, v := range x {
			y[i] = T(math.Atan(float64(v)))
		}
	case ewSinh:
		for i, v := range x {
			y[i] = T(math.Sinh(float64(v)))
		}
	case ewCosh:
		for i, v := range x {
			y[i] = T(math.Cosh(float64(v)))
		}
	case ewAsinh:
		for i, v := range x {
			y[i] = T(math.Asinh(float64(v)))
		}
	case ewAcosh:
		for i, v := range x {
			y[i] = T(math.Acosh(float64(v)))
		}
	case ewAtanh:
		for i, v := range x {
			y[i] = T(math.Atanh(float64(v)))
		}
	case ewErf:
		for i, v := range x {
			y[i] = T(math.Erf(float64(v)))
		}
	case ewSign:
		for i, v := range x {
			switch {
			case v > 0:
				y[i] = 1
			case v < 0:
				y[i] = -1
			default:
				y[i] = v // ±0 and NaN
			}
		}
	default:
		ewActF(op, p, x, y)
	}
}

// ewUnaryI computes y = op(x) for the integer types.
func ewUnaryI[T ewInt](op ewUOp, p *ewUParams, x, y []T) {
	y = y[:len(x)]
	var zero T
	switch op {
	case ewAbs:
		for i, v := range x {
			if v < zero {
				v = -v
			}
			y[i] = v
		}
	case ewNeg:
		for i, v := range x {
			y[i] = -v
		}
	case ewSign:
		for i, v := range x {
			switch {
			case v > zero:
				y[i] = 1
			case v < zero:
				y[i] = zero - 1
			default:
				y[i] = 0
			}
		}
	case ewBitNot:
		for i, v := range x {
			y[i] = ^v
		}
	case ewErf:
		for i, v := range x {
			y[i] = T(math.Erf(float64(v)))
		}
	case ewRelu:
		for i, v := range x {
			if v < zero {
				v = 0
			}
			y[i] = v
		}
	case ewShrink:
		for i, v := range x {
			f := float64(v)
			switch {
			case f < -p.beta:
				y[i] = T(f + p.alpha)
			case f > p.beta:
				y[i] = T(f - p.alpha)
			default:
				y[i] = 0
			}
		}
	default:
		panic("BUG: ewUnaryI op")
	}
}
