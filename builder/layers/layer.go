package layers

import "github.com/nncc/nncc/builder"

// Layer is a one-input, one-output layer.
type Layer interface {
	// Call applies the layer to x, creating its weights on the first call.
	Call(x *builder.Value) *builder.Value
}

// base is what every layer shares: its kind, name, options and builder.
type base struct {
	kind   string // "Dense"
	prefix string // default name base, "dense"
	name   string // the name given on first call
	cfg    config
	b      *builder.Builder
}

func newBase(kind, prefix string, accepts []string, opts []Option) base {
	l := base{kind: kind, prefix: prefix}
	l.cfg = newConfig(kind, accepts, opts)
	return l
}

// Name returns the layer's name (empty before its first call).
func (l *base) Name() string { return l.name }

// enter prepares a call on x: it finds the builder, names the layer on the
// first call and opens its scope. ok is false when nothing should be built.
func (l *base) enter(x *builder.Value) (b *builder.Builder, end func(), ok bool) {
	b = x.Builder()
	if b == nil {
		// A nil value: there is no builder to report to; the nil-safe
		// placeholder returned makes the next builder call report it.
		return nil, nil, false
	}
	if b.Err() != nil || !x.Valid() {
		return b, nil, false
	}
	if l.b != nil && l.b != b {
		b.Errorf(l.what(), "layer is already used by another builder")
		return b, nil, false
	}
	if l.b == nil {
		l.b = b
		if l.cfg.name != "" {
			if !b.ClaimScope(l.cfg.name) {
				return b, nil, false
			}
			l.name = l.cfg.name
		} else {
			l.name = b.UniqueScope(l.prefix)
		}
		if l.cfg.err != "" {
			b.Errorf(l.what(), "%s", l.cfg.err)
			return b, nil, false
		}
	}
	return b, b.Scope(l.name), true
}

// what names the layer in error messages: "dense_1 (Dense)".
func (l *base) what() string {
	if l.name == "" {
		return l.kind
	}
	return l.name + " (" + l.kind + ")"
}

// fail records a mistake about this layer.
func (l *base) fail(b *builder.Builder, format string, args ...any) {
	b.Errorf(l.what(), format, args...)
}

// wantRank checks x's rank against the accepted ranks.
func (l *base) wantRank(b *builder.Builder, x *builder.Value, what string, ranks ...int) bool {
	for _, r := range ranks {
		if x.Rank() == r {
			return true
		}
	}
	l.fail(b, "expects %s, got %v", what, x.Type())
	return false
}

// lastDim returns x's last dimension, which must be known (it sizes a
// weight).
func (l *base) lastDim(b *builder.Builder, x *builder.Value) (int64, bool) {
	d := x.Dim(-1)
	if x.Rank() < 1 || !d.Known() {
		l.fail(b, "needs the last dimension of its input to be known, got %v", x.Type())
		return 0, false
	}
	return d.Size, true
}
