package ir

import (
	"fmt"
	"sort"
	"strings"
)

// Op table rows for reductions (Reduce*), the softmax family, cumulative
// sums and products, Einsum and Det.

func init() {
	reduceAttrs := []AttrSpec{
		{Name: "axes", Kind: AttrInts},
		{Name: "keepdims", Kind: AttrInt},
		{Name: "noop_with_empty_axes", Kind: AttrInt},
	}
	for _, r := range []struct {
		name   string
		boolOK bool
	}{
		{"ReduceSum", false}, {"ReduceMean", false}, {"ReduceMax", true}, {"ReduceMin", true},
		{"ReduceProd", false}, {"ReduceL1", false}, {"ReduceL2", false}, {"ReduceLogSum", false},
		{"ReduceLogSumExp", false}, {"ReduceSumSquare", false},
	} {
		RegisterOp(&OpSchema{
			Name: r.name, MinOpset: 1,
			MinInputs: 1, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: reduceAttrs,
			Infer: inferReduce(r.boolOK),
		})
	}
	for _, name := range []string{"Softmax", "LogSoftmax", "Hardmax"} {
		RegisterOp(&OpSchema{
			Name: name, MinOpset: 1,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}},
			Infer: inferSoftmax,
		})
	}
	RegisterOp(
		&OpSchema{
			Name: "CumSum", MinOpset: 11,
			MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "exclusive", Kind: AttrInt}, {Name: "reverse", Kind: AttrInt}},
			Infer: inferCumulative,
		},
		&OpSchema{
			Name: "CumProd", MinOpset: 26,
			MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "exclusive", Kind: AttrInt}, {Name: "reverse", Kind: AttrInt}},
			Infer: inferCumulative,
		},
		&OpSchema{
			Name: "Einsum", MinOpset: 12,
			MinInputs: 1, MaxInputs: -1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "equation", Kind: AttrString, Required: true}},
			Infer: inferEinsum,
		},
		&OpSchema{
			Name: "Det", MinOpset: 11,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Infer: inferDet,
		},
	)
}

// reduceAxesInputSince is the opset from which each Reduce* op takes its
// axes as an input rather than an attribute (ReduceSum moved at 13, the
// others at 18). A node of a known opset must use its opset's form: an
// axes attribute on ReduceSum-13, like an axes input on ReduceMean-13, is
// an invalid model, not something to guess at.
var reduceAxesInputSince = map[string]int64{
	"ReduceSum": 13, "ReduceMean": 18, "ReduceMax": 18, "ReduceMin": 18, "ReduceProd": 18,
	"ReduceL1": 18, "ReduceL2": 18, "ReduceLogSum": 18, "ReduceLogSumExp": 18, "ReduceSumSquare": 18,
}

// checkReduceAxesForm reports a node that gives its axes in the form its
// opset does not have. Graphs built in Go (opset 0) may use either form.
func checkReduceAxesForm(c *InferCtx) error {
	since, ok := reduceAxesInputSince[c.Node.Op]
	opset := c.Node.Opset
	if !ok || opset <= 0 {
		return nil
	}
	if opset >= since && c.Attrs().Has("axes") {
		return c.Errorf("axes is an input since opset %d, not an attribute (the node is opset %d)", since, opset)
	}
	if opset < since && c.Has(1) {
		return c.Errorf("axes is an attribute before opset %d, not an input (the node is opset %d)", since, opset)
	}
	return nil
}

// reduceNumeric lists the dtypes every Reduce* op accepts; ReduceMax and
// ReduceMin also accept bool.
var reduceNumeric = []DType{Float32, Float64, Float16, BFloat16, Int8, Int16, Int32, Int64, Uint8, Uint16, Uint32, Uint64}

func inferReduce(boolOK bool) func(*InferCtx) error {
	return func(c *InferCtx) error {
		x := c.In[0]
		allowed := reduceNumeric
		if boolOK {
			allowed = append(append([]DType{}, reduceNumeric...), Bool)
		}
		if err := c.RequireDType(0, allowed...); err != nil {
			return err
		}
		if err := checkReduceAxesForm(c); err != nil {
			return err
		}
		a := c.Attrs()
		keep := a.Int("keepdims", 1) != 0
		noop := a.Int("noop_with_empty_axes", 0) != 0
		var axes []int64
		known := true
		switch {
		case a.Has("axes"):
			axes = a.Ints("axes", nil)
			noop = false // the attribute form has no no-op mode
		case c.Has(1):
			if err := c.RequireDType(1, Int64, Int32); err != nil {
				return err
			}
			if v, ok := c.ConstInts(1); ok {
				axes = v
			} else {
				known = false
			}
		}
		if !x.RankKnown {
			c.SetOut(0, UnrankedOf(x.DType))
			return nil
		}
		r := len(x.Shape)
		if !known {
			if keep {
				s := make(Shape, r)
				for i := range s {
					s[i] = UnknownDim
				}
				c.SetOut(0, TensorOf(x.DType, s))
				return nil
			}
			if at := c.In[1]; at.RankKnown && len(at.Shape) == 1 && at.Shape[0].Known() && at.Shape[0].Size == 0 {
				if noop {
					c.SetOut(0, *x)
				} else {
					c.SetOut(0, TensorOf(x.DType, Shape{}))
				}
				return nil
			}
			c.SetOut(0, UnrankedOf(x.DType))
			return nil
		}
		mask := make([]bool, r)
		if len(axes) == 0 {
			for i := range mask {
				mask[i] = !noop
			}
		}
		for _, ax := range axes {
			k, err := NormAxis(ax, r)
			if err != nil {
				return c.Errorf("axes: %v", err)
			}
			mask[k] = true
		}
		s := Shape{}
		for i, d := range x.Shape {
			switch {
			case !mask[i]:
				s = append(s, d)
			case keep:
				s = append(s, D(1))
			}
		}
		c.SetOut(0, TensorOf(x.DType, s))
		return nil
	}
}

func inferSoftmax(c *InferCtx) error {
	if err := c.RequireDType(0, FloatTypes...); err != nil {
		return err
	}
	x := c.In[0]
	if x.RankKnown {
		def := int64(-1)
		if c.Node.Opset > 0 && c.Node.Opset < 13 {
			def = 1
		}
		axis := c.Attrs().Int("axis", def)
		r := len(x.Shape)
		if _, err := NormAxis(axis, max(r, 1)); err != nil {
			return c.Errorf("%v", err)
		}
	}
	c.SetOut(0, *x)
	return nil
}

var cumulativeTypes = []DType{Float32, Float64, Float16, BFloat16, Int8, Int16, Int32, Int64, Uint8, Uint16, Uint32, Uint64}

func inferCumulative(c *InferCtx) error {
	if err := c.RequireDType(0, cumulativeTypes...); err != nil {
		return err
	}
	if err := c.RequireDType(1, Int32, Int64); err != nil {
		return err
	}
	c.SetOut(0, *c.In[0])
	return nil
}

func inferDet(c *InferCtx) error {
	if err := c.RequireDType(0, FloatTypes...); err != nil {
		return err
	}
	x := c.In[0]
	if !x.RankKnown {
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	r := len(x.Shape)
	if r < 2 {
		return c.Errorf("input must have rank >= 2, got %v", x.Shape)
	}
	m, n := x.Shape[r-2], x.Shape[r-1]
	if m.Known() && n.Known() && m.Size != n.Size {
		return c.Errorf("input matrices must be square, got %v", x.Shape)
	}
	c.SetOut(0, TensorOf(x.DType, append(Shape{}, x.Shape[:r-2]...)))
	return nil
}

// EinsumSpec is a parsed Einsum equation with its ellipses expanded for
// given operand ranks. Labels are small integers: letters first, then one
// label per broadcast (ellipsis) dimension.
type EinsumSpec struct {
	In        [][]int // per operand, the label of each dimension
	Out       []int   // the label of each output dimension
	NumLabels int
}

// ParseEinsum parses an Einsum equation ("ij,jk->ik", "...ii->...i",
// implicit "ij,jk") for operands of the given ranks. In implicit mode the
// output is the broadcast dims followed by the letters used exactly once,
// in ASCII order.
func ParseEinsum(eq string, ranks []int) (*EinsumSpec, error) {
	eq = strings.ReplaceAll(eq, " ", "")
	lhs, rhs, explicit := strings.Cut(eq, "->")
	terms := strings.Split(lhs, ",")
	if len(terms) != len(ranks) {
		return nil, fmt.Errorf("equation %q has %d operands, got %d inputs", eq, len(terms), len(ranks))
	}
	letter := func(r byte) (int, bool) {
		switch {
		case r >= 'a' && r <= 'z':
			return int(r - 'a'), true
		case r >= 'A' && r <= 'Z':
			return 26 + int(r-'A'), true
		}
		return 0, false
	}
	type parsed struct {
		before, after []int // letters before and after "..."
		ell           bool
	}
	parse := func(t string) (parsed, error) {
		var p parsed
		pre, post, ell := strings.Cut(t, "...")
		if strings.Contains(post, "...") || strings.Contains(post, ".") || strings.Contains(pre, ".") {
			return p, fmt.Errorf("term %q has a malformed ellipsis", t)
		}
		p.ell = ell
		for i := 0; i < len(pre); i++ {
			l, ok := letter(pre[i])
			if !ok {
				return p, fmt.Errorf("term %q: invalid label %q", t, pre[i])
			}
			p.before = append(p.before, l)
		}
		for i := 0; i < len(post); i++ {
			l, ok := letter(post[i])
			if !ok {
				return p, fmt.Errorf("term %q: invalid label %q", t, post[i])
			}
			p.after = append(p.after, l)
		}
		return p, nil
	}
	ps := make([]parsed, len(terms))
	ell := 0
	for i, t := range terms {
		p, err := parse(t)
		if err != nil {
			return nil, err
		}
		n := len(p.before) + len(p.after)
		switch {
		case p.ell && ranks[i] < n:
			return nil, fmt.Errorf("operand %d has rank %d, fewer than the %d labels of %q", i, ranks[i], n, t)
		case !p.ell && ranks[i] != n:
			return nil, fmt.Errorf("operand %d has rank %d, but %q has %d labels", i, ranks[i], t, n)
		}
		if p.ell {
			ell = max(ell, ranks[i]-n)
		}
		ps[i] = p
	}
	const letters = 52
	spec := &EinsumSpec{NumLabels: letters + ell}
	count := make([]int, letters)
	for i, p := range ps {
		var dims []int
		dims = append(dims, p.before...)
		if p.ell {
			e := ranks[i] - len(p.before) - len(p.after)
			for k := 0; k < e; k++ {
				dims = append(dims, letters+ell-e+k)
			}
		}
		dims = append(dims, p.after...)
		for _, l := range p.before {
			count[l]++
		}
		for _, l := range p.after {
			count[l]++
		}
		spec.In = append(spec.In, dims)
	}
	if explicit {
		p, err := parse(rhs)
		if err != nil {
			return nil, err
		}
		seen := map[int]bool{}
		for _, l := range append(append([]int{}, p.before...), p.after...) {
			if seen[l] {
				return nil, fmt.Errorf("output label repeated in %q", rhs)
			}
			if count[l] == 0 {
				return nil, fmt.Errorf("output label %q does not occur in the inputs", rhs)
			}
			seen[l] = true
		}
		spec.Out = append(spec.Out, p.before...)
		if p.ell {
			for k := 0; k < ell; k++ {
				spec.Out = append(spec.Out, letters+k)
			}
		}
		spec.Out = append(spec.Out, p.after...)
	} else {
		for k := 0; k < ell; k++ {
			spec.Out = append(spec.Out, letters+k)
		}
		var once []int
		for l, n := range count {
			if n == 1 {
				once = append(once, l)
			}
		}
		// ASCII order: upper case (labels 26..51) before lower case.
		sort.Slice(once, func(i, j int) bool { return einsumASCII(once[i]) < einsumASCII(once[j]) })
		spec.Out = append(spec.Out, once...)
	}
	return spec, nil
}

func einsumASCII(l int) int {
	if l < 26 {
		return 'a' + l
	}
	return 'A' + l - 26
}

// einsumTypes are the dtypes Einsum accepts.
var einsumTypes = []DType{Float32, Float64, Float16, BFloat16, Int8, Int16, Int32, Int64, Uint8, Uint16, Uint32, Uint64}

func inferEinsum(c *InferCtx) error {
	var dt DType
	ranks := make([]int, len(c.In))
	for i, t := range c.In {
		if t == nil {
			return c.Errorf("input %d is missing", i)
		}
		if err := c.RequireDType(i, einsumTypes...); err != nil {
			return err
		}
		if dt == Undefined {
			dt = t.DType
		} else if t.DType != dt {
			return c.Errorf("input %d has dtype %v, expected %v", i, t.DType, dt)
		}
		if !t.RankKnown {
			c.SetOut(0, UnrankedOf(dt))
			return nil
		}
		ranks[i] = len(t.Shape)
	}
	spec, err := ParseEinsum(c.Attrs().String("equation", ""), ranks)
	if err != nil {
		return c.Errorf("%v", err)
	}
	size := make([]Dim, spec.NumLabels)
	set := make([]bool, spec.NumLabels)
	for i, labels := range spec.In {
		for k, l := range labels {
			d := c.In[i].Shape[k]
			switch {
			case !set[l]:
				size[l], set[l] = d, true
			case d.Known() && d.Size == 1:
			case size[l].Known() && size[l].Size == 1:
				size[l] = d
			case d.Known() && size[l].Known() && d.Size != size[l].Size:
				return c.Errorf("label dimension mismatch: %d vs %d", d.Size, size[l].Size)
			case !size[l].Known() && d.Known():
				size[l] = d
			}
		}
	}
	out := make(Shape, len(spec.Out))
	for k, l := range spec.Out {
		out[k] = size[l]
		if !out[k].Known() && out[k].Param == "" {
			out[k] = UnknownDim
		}
	}
	c.SetOut(0, TensorOf(dt, out))
	return nil
}
