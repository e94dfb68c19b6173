package onnx

import "fmt"

// Limits bound what a model file may make the decoder do. A zero field
// takes its default (see DefaultLimits). Exceeding a limit is an error that
// names the limit.
type Limits struct {
	// MaxModelBytes bounds the size of the serialized model.
	MaxModelBytes int64
	// MaxTensorBytes bounds the in-memory size of any one tensor and the
	// total size of all tensors (initializers, attributes, external data)
	// decoded from one model.
	MaxTensorBytes int64
	// MaxSparseBytes bounds the dense size of any one sparse tensor. A
	// dense tensor's bytes must be present in the file (or its external
	// data), so its size is bounded by what the model supplies; a sparse
	// tensor of a few bytes can ask for any dense shape, so it gets a
	// tighter bound of its own.
	MaxSparseBytes int64
	// MaxNodes bounds the number of nodes, counting subgraph nodes and the
	// nodes produced by inlining model-local functions.
	MaxNodes int64
	// MaxNesting bounds the depth of subgraphs within subgraphs and of
	// function calls within function bodies.
	MaxNesting int
}

// DefaultLimits are the limits used for zero fields of Limits.
var DefaultLimits = Limits{
	MaxModelBytes:  2 << 30,
	MaxTensorBytes: 4 << 30,
	MaxSparseBytes: 256 << 20,
	MaxNodes:       1_000_000,
	MaxNesting:     64,
}

// withDefaults fills zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	if l.MaxModelBytes <= 0 {
		l.MaxModelBytes = DefaultLimits.MaxModelBytes
	}
	if l.MaxTensorBytes <= 0 {
		l.MaxTensorBytes = DefaultLimits.MaxTensorBytes
	}
	if l.MaxSparseBytes <= 0 {
		l.MaxSparseBytes = DefaultLimits.MaxSparseBytes
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = DefaultLimits.MaxNodes
	}
	if l.MaxNesting <= 0 {
		l.MaxNesting = DefaultLimits.MaxNesting
	}
	return l
}

// LimitError reports that a model exceeded one of the Limits.
type LimitError struct {
	Limit string // field name in Limits, e.g. "MaxNodes"
	Value int64  // the limit's value
	What  string // what exceeded it
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("%s exceeds limit %s (%d)", e.What, e.Limit, e.Value)
}

// Option configures Load and Decode.
type Option func(*options)

type options struct {
	baseDir     string
	limits      Limits
	skipOpCheck bool
}

func makeOptions(opts []Option) options {
	var o options
	for _, f := range opts {
		f(&o)
	}
	o.limits = o.limits.withDefaults()
	return o
}

// WithBaseDir sets the folder in which external tensor data is looked up.
// Load sets it to the model's folder; without it, a model that refers to
// external data is an error.
func WithBaseDir(dir string) Option { return func(o *options) { o.baseDir = dir } }

// WithLimits sets resource limits; zero fields keep their defaults.
func WithLimits(l Limits) Option { return func(o *options) { o.limits = l } }

// SkipOpCheck disables the final check of every node against the op table
// (unknown ops, unsupported opset versions, arity and attributes). The
// result is then only structurally valid; use it for tools that inspect
// models nncc cannot run.
func SkipOpCheck() Option { return func(o *options) { o.skipOpCheck = true } }
