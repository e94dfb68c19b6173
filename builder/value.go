package builder

import "github.com/nncc/nncc/ir"

// Value is a value of the graph being built: a graph input, a constant or
// weight, or a node's output. Its type is known as soon as it exists.
type Value struct {
	b *Builder
	v *ir.Value // nil for the placeholder returned after an error
}

// IR returns the underlying graph value (nil after an error).
func (v *Value) IR() *ir.Value {
	if v == nil {
		return nil
	}
	return v.v
}

// Builder returns the builder v belongs to.
func (v *Value) Builder() *Builder {
	if v == nil {
		return nil
	}
	return v.b
}

// Name returns v's name in the graph.
func (v *Value) Name() string {
	if v == nil || v.v == nil {
		return ""
	}
	return v.v.Name
}

// Type returns v's inferred type.
func (v *Value) Type() ir.Type {
	if v == nil || v.v == nil {
		return ir.Type{}
	}
	return v.v.Type
}

// DType returns v's element type.
func (v *Value) DType() ir.DType { return v.Type().DType }

// Shape returns v's static shape (nil when the rank is unknown).
func (v *Value) Shape() ir.Shape { return v.Type().Shape }

// Rank returns v's rank, or -1 when it is unknown.
func (v *Value) Rank() int { return v.Type().Rank() }

// Dim returns dimension i of v's shape (negative i counts from the end),
// or an unknown dim when there is no such dimension.
func (v *Value) Dim(i int) ir.Dim {
	s := v.Shape()
	if i < 0 {
		i += len(s)
	}
	if i < 0 || i >= len(s) {
		return ir.UnknownDim
	}
	return s[i]
}

// Valid reports whether v is a real value (not the placeholder a call
// returns once the builder has failed).
func (v *Value) Valid() bool { return v != nil && v.v != nil }

func (v *Value) String() string {
	if !v.Valid() {
		return "<invalid>"
	}
	return "%" + v.v.Name + ": " + v.v.Type.String()
}

// applyTo makes a Value usable as an Arg: it is the next input.
func (v *Value) applyTo(c *opCall) { c.inputs = append(c.inputs, v) }

// Invalid returns the placeholder value that calls return once the builder
// has failed (for code built on the builder, such as layers, returning
// after recording an error with Errorf).
func (b *Builder) Invalid() *Value { return b.invalid() }
