package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// Activations: Relu, LeakyRelu, Elu, Selu, Celu, Sigmoid, HardSigmoid,
// HardSwish, Tanh, Softplus, Softsign, Gelu, Mish, ThresholdedRelu, Shrink,
// Swish, and PRelu (whose slope broadcasts to X). Attribute defaults are
// the spec's.

const (
	ewRelu ewUOp = ewActFirst + iota
	ewLeaky
	ewElu
	ewSelu
	ewCelu
	ewSigmoid
	ewHardSigmoid
	ewHardSwish
	ewTanh
	ewSoftplus
	ewSoftsign
	ewGelu
	ewMish
	ewThresh
	ewShrink
	ewSwish
)

// ewFloatAttrs returns a parse function reading float attributes into
// params (alpha, beta, gamma in order) with the given defaults.
func ewFloatAttrs(names []string, defs []float32) func(b *Build, p *ewUParams) error {
	return func(b *Build, p *ewUParams) error {
		dst := []*float64{&p.alpha, &p.beta, &p.gamma}
		for i, n := range names {
			*dst[i] = float64(b.Attrs().Float(n, defs[i]))
		}
		return nil
	}
}

var ewActRows = map[string]ewUnaryRow{
	"Relu":        {op: ewRelu, floats: true, signed: true},
	"LeakyRelu":   {op: ewLeaky, floats: true, parse: ewFloatAttrs([]string{"alpha"}, []float32{0.01})},
	"Elu":         {op: ewElu, floats: true, parse: ewFloatAttrs([]string{"alpha"}, []float32{1})},
	"Selu":        {op: ewSelu, floats: true, parse: ewFloatAttrs([]string{"alpha", "", "gamma"}, []float32{1.67326319217681884765625, 0, 1.05070102214813232421875})},
	"Celu":        {op: ewCelu, floats: true, parse: ewParseCelu},
	"Sigmoid":     {op: ewSigmoid, floats: true},
	"HardSigmoid": {op: ewHardSigmoid, floats: true, parse: ewFloatAttrs([]string{"alpha", "beta"}, []float32{0.2, 0.5})},
	"HardSwish":   {op: ewHardSwish, floats: true},
	"Tanh":        {op: ewTanh, floats: true},
	"Softplus":    {op: ewSoftplus, floats: true},
	"Softsign":    {op: ewSoftsign, floats: true},
	"Gelu":        {op: ewGelu, floats: true, parse: ewParseGelu},
	"Mish":        {op: ewMish, floats: true},
	"ThresholdedRelu": {op: ewThresh, floats: true,
		parse: ewFloatAttrs([]string{"alpha"}, []float32{1})},
	// Shrink: alpha holds bias, beta holds lambd.
	"Shrink": {op: ewShrink, floats: true, signed: true, uns: true,
		parse: ewFloatAttrs([]string{"bias", "lambd"}, []float32{0, 0.5})},
	"Swish": {op: ewSwish, floats: true, parse: ewFloatAttrs([]string{"alpha"}, []float32{1})},
}

func ewParseCelu(b *Build, p *ewUParams) error {
	p.alpha = float64(b.Attrs().Float("alpha", 1))
	if p.alpha == 0 {
		return b.Errorf("alpha must not be 0")
	}
	return nil
}

func ewParseGelu(b *Build, p *ewUParams) error {
	switch a := b.Attrs().String("approximate", "none"); a {
	case "none":
	case "tanh":
		p.tanh = true
	default:
		return b.Errorf("approximate must be \"none\" or \"tanh\", got %q", a)
	}
	return nil
}

// ewSigmoid64 is a sigmoid that neither overflows nor loses precision for
// large |x|.
func ewSigmoid64(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// ewSoftplus64 is log(1+exp(x)) computed stably.
func ewSoftplus64(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// ewActF computes the activations for float32/float64 (y may alias x).
func ewActF[T ewFloat](op ewUOp, p *ewUParams, x, y []T) {
	y = y[:len(x)]
	switch op {
	case ewRelu:
		for i, v := range x {
			if v < 0 {
				v = 0
			}
			y[i] = v
		}
	case ewLeaky:
		a := T(p.alpha)
		for i, v := range x {
			if v < 0 {
				v *= a
			}
			y[i] = v
		}
	case ewElu:
		for i, v := range x {
			if v < 0 {
				v = T(p.alpha * math.Expm1(float64(v)))
			}
			y[i] = v
		}
	case ewSelu:
		for i, v := range x {
			f := float64(v)
			if f <= 0 {
				f = p.alpha * math.Expm1(f)
			}
			y[i] = T(p.gamma * f)
		}
	case ewCelu:
		for i, v := range x {
			f := float64(v)
			if f < 0 {
				f = p.alpha * math.Expm1(f/p.alpha)
			}
			y[i] = T(f)
		}
	case ewSigmoid:
		for i, v := range x {
			y[i] = T(ewSigmoid64(float64(v)))
		}
	case ewHardSigmoid:
		for i, v := range x {
			y[i] = T(math.Max(0, math.Min(1, p.alpha*float64(v)+p.beta)))
		}
	case ewHardSwish:
		for i, v := range x {
			f := float64(v)
			y[i] = T(f * math.Max(0, math.Min(1, f/6+0.5)))
		}
	case ewTanh:
		for i, v := range x {
			y[i] = T(math.Tanh(float64(v)))
		}
	case ewSoftplus:
		for i, v := range x {
			y[i] = T(ewSoftplus64(float64(v)))
		}
	case ewSoftsign:
		for i, v := range x {
			f := float64(v)
			y[i] = T(f / (1 + math.Abs(f)))
		}
	case ewGelu:
		if p.tanh {
			c := math.Sqrt(2 / math.Pi)
			for i, v := range x {
				f := float64(v)
				y[i] = T(0.5 * f * (1 + math.Tanh(c*(f+0.044715*f*f*f))))
			}
		} else {
			for i, v := range x {
				f := float64(v)
				y[i] = T(0.5 * f * (1 + math.Erf(f/math.Sqrt2)))
			}
		}
	case ewMish:
		for i, v := range x {
			f := float64(v)
			y[i] = T(f * math.Tanh(ewSoftplus64(f)))
		}
	case ewThresh:
		a := T(p.alpha)
		for i, v := range x {
			if !(v > a) {
				v = 0
			}
			y[i] = v
		}
	case ewShrink:
		bias, lambd := p.alpha, p.beta
		for i, v := range x {
			f := float64(v)
			switch {
			case f < -lambd:
				y[i] = T(f + bias)
			case f > lambd:
				y[i] = T(f - bias)
			default:
				y[i] = 0
			}
		}
	case ewSwish:
		for i, v := range x {
			f := float64(v)
			y[i] = T(f * ewSigmoid64(p.alpha*f))
		}
	default:
		panic("BUG: ewActF op")
	}
}

// PRelu: y = x < 0 ? slope*x : x, slope broadcast to X's shape. Before
// opset 7 a slope with X's channel count applies per channel (axis 1).

func init() { Register("", "PRelu", ewBuildPRelu) }

func ewBuildPRelu(b *Build) (Func, error) {
	node := b.Node
	var pc ewPlanCache
	return func(c *Ctx, in []*ir.Tensor) error {
		if err := ewInputs(c, in, 2); err != nil {
			return err
		}
		x, s := in[0], in[1]
		if x.DType != s.DType {
			return c.Errorf("slope has dtype %v, expected %v", s.DType, x.DType)
		}
		sShape := s.Shape
		if node.Opset > 0 && node.Opset < 7 && len(x.Shape) >= 2 && s.Len() == int(x.Shape[1]) && s.Len() != 1 {
			sShape = make([]int64, len(x.Shape)-1)
			for i := range sShape {
				sShape[i] = 1
			}
			sShape[0] = x.Shape[1]
		}
		bc, err := pc.plan(nil, x.Shape, sShape)
		if err != nil {
			return c.Errorf("%v", err)
		}
		if !ewShapeEq(bc.Shape, x.Shape) {
			return c.Errorf("slope %v does not broadcast to X %v", s.Shape, x.Shape)
		}
		out, err := c.OutputUninit(0, x.DType, x.Shape)
		if err != nil {
			return err
		}
		switch x.DType {
		case ir.Float32:
			ewBinRun(c, bc, x.F32(), s.F32(), out.F32(), 0, ewPRelu[float32])
		case ir.Float64:
			ewBinRun(c, bc, ir.Data[float64](x), ir.Data[float64](s), ir.Data[float64](out), 0, ewPRelu[float64])
		case ir.Float16, ir.BFloat16:
			o := make([]float32, bc.Size)
			ewBinRun(c, bc, ewToF32(x), ewToF32(s), o, 0, ewPRelu[float32])
			ewFromF32(out, o)
		case ir.Int8:
			ewBinRun(c, bc, ir.Data[int8](x), ir.Data[int8](s), ir.Data[int8](out), 0, ewPRelu[int8])
		case ir.Int16:
			ewBinRun(c, bc, ir.Data[int16](x), ir.Data[int16](s), ir.Data[int16](out), 0, ewPRelu[int16])
		case ir.Int32:
			ewBinRun(c, bc, ir.Data[int32](x), ir.Data[int32](s), ir.Data[int32](out), 0, ewPRelu[int32])
		case ir.Int64:
			ewBinRun(c, bc, ir.Data[int64](x), ir.Data[int64](s), ir.Data[int64](out), 0, ewPRelu[int64])
		case ir.Uint32:
			ewBinRun(c, bc, ir.Data[uint32](x), ir.Data[uint32](s), ir.Data[uint32](out), 0, ewPRelu[uint32])
		case ir.Uint64:
			ewBinRun(c, bc, ir.Data[uint64](x), ir.Data[uint64](s), ir.Data[uint64](out), 0, ewPRelu[uint64])
		default:
			return c.Errorf("dtype %v is not supported", x.DType)
		}
		return nil
	}, nil
}

func ewPRelu[T ewNum](_ uint8, k ewKind, a, b, o []T) {
	var zero T
	switch k {
	case ewVV:
		a, b = a[:len(o)], b[:len(o)]
		for i := range o {
			v := a[i]
			if v < zero {
				v *= b[i]
			}
			o[i] = v
		}
	case ewVS:
		a, s := a[:len(o)], b[0]
		for i := range o {
			v := a[i]
			if v < zero {
				v *= s
			}
			o[i] = v
		}
	case ewSV:
		v := a[0]
		b = b[:len(o)]
		for i := range o {
			if v < zero {
				o[i] = v * b[i]
			} else {
				o[i] = v
			}
		}
	}
}
