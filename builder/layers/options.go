package layers

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nncc/nncc/builder"
)

// Option configures a layer. The same options serve every layer that
// takes them; see each layer for the ones it accepts.
type Option interface{ apply(*config) }

// config holds every layer option; given records which were set.
type config struct {
	given map[string]bool
	err   string

	name            string
	activation      *ActivationFunc
	useBias         bool
	kernelInit      builder.Initializer
	biasInit        builder.Initializer
	recurrentInit   builder.Initializer
	strides         []int
	padding         string
	dilations       []int
	kernel2         []int
	epsilon         float64
	returnSequences bool
	returnState     bool
	valueDim        int
	outputDim       int
	causal          bool
	dropout         float64
	normFirst       bool
	maxLength       int
	maxWavelength   float64
}

func newConfig(kind string, accepts []string, opts []Option) config {
	c := config{given: map[string]bool{}, useBias: true}
	for _, o := range opts {
		if o == nil {
			continue
		}
		o.apply(&c)
	}
	ok := map[string]bool{}
	for _, a := range accepts {
		ok[a] = true
	}
	var bad []string
	for g := range c.given {
		if !ok[g] {
			bad = append(bad, g)
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		c.err = fmt.Sprintf("does not take the option(s) %s (it takes %s)", strings.Join(bad, ", "), strings.Join(accepts, ", "))
	}
	return c
}

type optionFunc struct {
	name string
	fn   func(*config)
}

func (o optionFunc) apply(c *config) { c.given[o.name] = true; o.fn(c) }

func opt(name string, fn func(*config)) Option { return optionFunc{name, fn} }

// Name names the layer (its scope); by default layers are named after
// their kind, numbered ("dense", "dense_1").
func Name(name string) Option { return opt("Name", func(c *config) { c.name = name }) }

// UseBias sets whether the layer adds a bias (default true).
func UseBias(on bool) Option { return opt("UseBias", func(c *config) { c.useBias = on }) }

// KernelInit sets the kernel initialiser (default builder.GlorotUniform).
func KernelInit(f builder.Initializer) Option {
	return opt("KernelInit", func(c *config) { c.kernelInit = f })
}

// BiasInit sets the bias initialiser (default builder.Zeros).
func BiasInit(f builder.Initializer) Option {
	return opt("BiasInit", func(c *config) { c.biasInit = f })
}

// RecurrentInit sets the recurrent kernel initialiser of a recurrent layer
// (default builder.Orthogonal(1)).
func RecurrentInit(f builder.Initializer) Option {
	return opt("RecurrentInit", func(c *config) { c.recurrentInit = f })
}

// Strides sets the strides of a convolution or pooling (one value for both
// axes, or one per axis). Pooling defaults to its pool size.
func Strides(s ...int) Option {
	return opt("Strides", func(c *config) { c.strides = append([]int{}, s...) })
}

// Padding sets "valid" (the default: no padding) or "same" (pad so that
// the output size is the input size divided by the stride, rounded up,
// extra padding at the end as in Keras).
func Padding(p string) Option { return opt("Padding", func(c *config) { c.padding = p }) }

// DilationRate sets the dilations of a convolution (one value or one per
// axis).
func DilationRate(d ...int) Option {
	return opt("DilationRate", func(c *config) { c.dilations = append([]int{}, d...) })
}

// KernelSize2D sets a non-square convolution kernel, overriding the size
// given to Conv2D.
func KernelSize2D(h, w int) Option {
	return opt("KernelSize2D", func(c *config) { c.kernel2 = []int{h, w} })
}

// Epsilon sets the variance epsilon of a normalisation (BatchNorm and
// LayerNorm default to Keras's 1e-3, TransformerEncoder to 1e-5).
func Epsilon(e float64) Option { return opt("Epsilon", func(c *config) { c.epsilon = e }) }

// ReturnSequences makes a recurrent layer return its output at every step
// ([batch, time, units]) instead of the last one ([batch, units]).
func ReturnSequences() Option {
	return opt("ReturnSequences", func(c *config) { c.returnSequences = true })
}

// ReturnState makes CallWithState of a recurrent layer also return the
// final states (Call always returns only the output).
func ReturnState() Option { return opt("ReturnState", func(c *config) { c.returnState = true }) }

// ValueDim sets the per-head size of the values in MultiHeadAttention
// (default: the key size).
func ValueDim(n int) Option { return opt("ValueDim", func(c *config) { c.valueDim = n }) }

// OutputDim sets the size of MultiHeadAttention's output (default: the
// query's last dimension).
func OutputDim(n int) Option { return opt("OutputDim", func(c *config) { c.outputDim = n }) }

// Causal makes self-attention look only at earlier positions (the sequence
// length must be known).
func Causal() Option { return opt("Causal", func(c *config) { c.causal = true }) }

// DropoutRate sets the dropout rate of a TransformerEncoder's sublayers
// (identity at inference; recorded as Dropout nodes).
func DropoutRate(r float64) Option { return opt("DropoutRate", func(c *config) { c.dropout = r }) }

// NormalizeFirst makes a TransformerEncoder normalise before each sublayer
// (pre-norm) instead of after the residual addition.
func NormalizeFirst() Option { return opt("NormalizeFirst", func(c *config) { c.normFirst = true }) }

// MaxLength sets the longest sequence PositionalEncoding supports when the
// sequence length is not known while building.
func MaxLength(n int) Option { return opt("MaxLength", func(c *config) { c.maxLength = n }) }

// MaxWavelength sets the longest wavelength of the sinusoidal positional
// encoding (default 10000).
func MaxWavelength(w float64) Option {
	return opt("MaxWavelength", func(c *config) { c.maxWavelength = w })
}

// pair expands a one-or-two value option to two values; def when empty.
func pair(v []int, def int) ([]int64, bool) {
	switch len(v) {
	case 0:
		return []int64{int64(def), int64(def)}, true
	case 1:
		return []int64{int64(v[0]), int64(v[0])}, true
	case 2:
		return []int64{int64(v[0]), int64(v[1])}, true
	}
	return nil, false
}
