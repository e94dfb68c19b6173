package runtime

import (
	"context"
	"fmt"
	goruntime "runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/nncc/nncc/codegen"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/passes"
)

// IOInfo describes one model input or output.
type IOInfo struct {
	Name string
	Type ir.Type
}

// Session is a loaded, optimised model ready to Run.
type Session struct {
	opts    Options
	graph   *ir.Graph // optimised, with the model's symbolic shapes
	inputs  []IOInfo
	outputs []IOInfo
	pool    *workerPool
	ran     []string // passes run at load
	// loadFolded is the bytes of the constants the load-time passes
	// folded; the graphs specialised from it share them, so their own
	// folds get the rest of the memory budget.
	loadFolded int64
	// artifact is the header of the .nnc file the session came from.
	artifact *codegen.ArtifactHeader
	// level is the ISA level kernels are built for (Options.ISA resolved).
	level isa.Level
	// prepacks holds an artifact's prepacked weights (nil otherwise).
	prepacks *kernels.PrepackStore
	// specialized are an artifact's graphs for fixed input shapes.
	specialized []specialized
	// materialize, for an artifact's session, gives the constants it
	// stores prepacked only their values, returning the transforms to
	// rebind (codegen.Artifact.MaterializeGeneric); called under mu
	// before anything but a stored plan reads the graph's constants.
	materialize func() ([]kernels.PrepackEntry, error)
	// materializeErr is why materialize failed (then nil); it fails every
	// later use of the generic graph.
	materializeErr error

	mu     sync.Mutex
	plans  map[string]*compiled
	last   atomic.Pointer[compiled]
	closed atomic.Bool
}

// specialized is a graph optimised for inputs of fixed shapes (stored in
// an artifact, decoded on first use): a plan for those shapes lowers it
// without running passes.
type specialized struct {
	stored *codegen.StoredPlan
}

// matches reports whether inputs are tensors of sp's shapes (their dtypes
// were checked against the model's inputs, which a stored plan's share).
func (sp *specialized) matches(inputs []*ir.Tensor) bool {
	shapes := sp.stored.Shapes
	if len(inputs) != len(shapes) {
		return false
	}
	for i, in := range inputs {
		if in == nil || in.Kind != ir.KindTensor || !sameDims(in.Shape, shapes[i]) {
			return false
		}
	}
	return true
}

// compiled is a plan specialised to one set of input shapes, with a free
// list of execution frames.
type compiled struct {
	shapes [][]int64
	dtypes []ir.DType
	kinds  []ir.Kind
	plan   *codegen.Plan
	frames frameCache // the frames of this plan's Runs (subgraph_frames.go)
}

// NewSession optimises g (which it takes ownership of) and returns a
// session for it.
func NewSession(g *ir.Graph, opts Options) (s *Session, err error) {
	level, err := sessionLevel(opts.ISA, "")
	if err != nil {
		return nil, err
	}
	return newSession(g, opts, level, nil)
}

// newSession builds a session for kernels of level. precompiled, when
// non-nil, lists the passes an artifact's graph already went through:
// load-time passes are skipped.
func newSession(g *ir.Graph, opts Options, level isa.Level, precompiled []string) (s *Session, err error) {
	defer recoverTo(&err, "load")
	if g == nil {
		return nil, fmt.Errorf("nil graph")
	}
	if opts.MaxMemoryBytes <= 0 {
		opts.MaxMemoryBytes = DefaultMemoryBudget() // read once per session
	}
	s = &Session{opts: opts, graph: g, plans: map[string]*compiled{}, level: level}
	for _, v := range g.Inputs {
		s.inputs = append(s.inputs, IOInfo{v.Name, v.Type})
	}
	for _, v := range g.Outputs {
		s.outputs = append(s.outputs, IOInfo{v.Name, v.Type})
	}
	if precompiled != nil {
		s.ran = precompiled
	} else {
		pc := s.passContext()
		pc.DumpAfter, pc.Dump = opts.DumpAfter, opts.Dump
		if err := runPasses(g, pc); err != nil {
			return nil, err
		}
		s.loadFolded = pc.FoldedBytes()
		s.ran = pc.Ran
	}
	for i, v := range g.Outputs {
		s.outputs[i].Type = v.Type
	}
	s.pool = newSessionPool(opts.threads())
	// A Session dropped without Close stops its workers once it is
	// collected: parked, each holds an OS thread (pool_wake_linux.go).
	goruntime.AddCleanup(s, (*workerPool).close, s.pool)
	return s, nil
}

// passRuns counts graph pass runs of every session (tests assert that
// loading an artifact runs none).
var passRuns atomic.Int64

// runPasses runs the pass table on g, counting the run.
func runPasses(g *ir.Graph, pc *passes.Context) error {
	passRuns.Add(1)
	return passes.Run(g, pc)
}

// codegenOptions are the lowering options of the session's plans.
func (s *Session) codegenOptions(pp kernels.Prepacks) codegen.Options {
	limit, name := s.opts.maxArena(), "MaxArenaBytes"
	if b := s.opts.memoryBudget(); b < limit {
		limit, name = b, "MaxMemoryBytes"
	}
	return codegen.Options{Subgraph: s.subgraph, MaxArenaBytes: limit, ArenaLimitName: name,
		NoInPlace: s.opts.Reference, Level: s.level, Prepacks: pp}
}

// prepacksOrNil returns the artifact's prepacked weights as a
// kernels.Prepacks, or nil (a nil *PrepackStore must not become a
// non-nil interface).
func (s *Session) prepacksOrNil() kernels.Prepacks {
	if s.prepacks == nil {
		return nil
	}
	return s.prepacks
}

// referenceDisabled are the passes the reference path skips: every
// rewrite that is not needed to run the graph at all.
var referenceDisabled = append([]string{"identity", "cse"}, passes.FusionPasses()...)

func (s *Session) passContext() *passes.Context {
	pc := &passes.Context{Verify: s.opts.VerifyPasses, Disable: s.opts.DisablePasses, Level: s.level, MaxDimension: s.opts.maxElements(),
		MaxFoldBytes: max(s.opts.memoryBudget()-s.loadFolded, 1)}
	if s.opts.Reference {
		pc.Disable = append(append([]string{}, pc.Disable...), referenceDisabled...)
	}
	return pc
}

// Inputs describes the model's inputs.
func (s *Session) Inputs() []IOInfo { return s.inputs }

// Outputs describes the model's outputs.
func (s *Session) Outputs() []IOInfo { return s.outputs }

// Graph returns the optimised graph (shared; do not modify). For a
// session loaded from an artifact, the first call unpacks the weights the
// artifact stores prepacked only (codegen.Artifact.MaterializeGeneric).
// It returns nil when that fails (a damaged or hostile artifact; GraphErr
// says why, and Runs that need the generic graph fail with the same
// error); it never panics, closed session or not.
func (s *Session) Graph() *ir.Graph {
	g, _ := s.GraphErr()
	return g
}

// GraphErr is Graph with the reason when there is no graph to return.
func (s *Session) GraphErr() (g *ir.Graph, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.materializeLocked(); err != nil {
		return nil, err
	}
	if s.graph == nil {
		return nil, fmt.Errorf("session has no graph")
	}
	return s.graph, nil
}

// PassesRun lists the passes that ran at load time.
func (s *Session) PassesRun() []string { return s.ran }

// Close stops the session's worker goroutines and drops its compiled
// plans and their arenas. Runs after Close fail; Close is idempotent.
func (s *Session) Close() error {
	s.mu.Lock()
	s.closed.Store(true)
	s.plans = map[string]*compiled{}
	s.last.Store(nil)
	s.mu.Unlock()
	s.pool.close()
	return nil
}

// errClosed is returned by Run on a closed session.
var errClosed = fmt.Errorf("session is closed")

// Run executes the model. inputs maps input names to tensors; the result
// maps every output name to a tensor owned by the caller.
func (s *Session) Run(ctx context.Context, inputs map[string]*ir.Tensor) (map[string]*ir.Tensor, error) {
	ordered := make([]*ir.Tensor, len(s.inputs))
	for i, in := range s.inputs {
		t, ok := inputs[in.Name]
		if !ok {
			return nil, fmt.Errorf("input %q (%v) is missing", in.Name, in.Type)
		}
		ordered[i] = t
	}
	if len(inputs) != len(s.inputs) {
		for name := range inputs {
			if !s.hasInput(name) {
				return nil, fmt.Errorf("unknown input %q (the model's inputs are %s)", name, s.inputNames())
			}
		}
	}
	outs := make([]*ir.Tensor, len(s.outputs))
	if err := s.RunInto(ctx, ordered, outs); err != nil {
		return nil, err
	}
	res := make(map[string]*ir.Tensor, len(outs))
	for i, o := range s.outputs {
		res[o.Name] = outs[i]
	}
	return res, nil
}

func (s *Session) hasInput(name string) bool {
	for _, in := range s.inputs {
		if in.Name == name {
			return true
		}
	}
	return false
}

func (s *Session) inputNames() string {
	var n []string
	for _, in := range s.inputs {
		n = append(n, in.Name)
	}
	return strings.Join(n, ", ")
}

// RunInto executes the model with inputs in the order of Inputs(). For
// each output, a non-nil outs[i] of the right dtype and shape is filled in
// place (the zero-allocation path); a nil one is set to a new tensor.
func (s *Session) RunInto(ctx context.Context, inputs []*ir.Tensor, outs []*ir.Tensor) (err error) {
	defer recoverTo(&err, "run")
	if s.closed.Load() {
		return errClosed
	}
	if len(inputs) != len(s.inputs) {
		return fmt.Errorf("got %d inputs, the model has %d (%s)", len(inputs), len(s.inputs), s.inputNames())
	}
	if len(outs) != len(s.outputs) {
		return fmt.Errorf("got room for %d outputs, the model has %d", len(outs), len(s.outputs))
	}
	if err := s.checkInputs(inputs); err != nil {
		return err
	}
	c, err := s.planFor(inputs)
	if err != nil {
		return err
	}
	f := c.frames.get(s, c.plan, nil)
	defer c.frames.put(f) // released there: the caller owns the outputs
	for i, slot := range c.plan.Inputs {
		f.vals[slot] = inputs[i]
	}
	if err := f.run(ctx); err != nil {
		return err
	}
	for i, slot := range c.plan.Outputs {
		v := f.vals[slot]
		if v == nil {
			return fmt.Errorf("BUG: output %q was not produced", s.outputs[i].Name)
		}
		if o := outs[i]; o != nil && o.Kind == ir.KindTensor && v.Kind == ir.KindTensor &&
			o.DType == v.DType && sameDims(o.Shape, v.Shape) && ir.CopyData(o, v) {
			continue
		}
		outs[i] = v.Clone()
	}
	return nil
}

// planFor returns the plan specialised to the inputs' shapes, compiling
// it on first use.
func (s *Session) planFor(inputs []*ir.Tensor) (*compiled, error) {
	if c := s.last.Load(); c != nil && c.matches(inputs) {
		return c, nil
	}
	key := shapeKey(inputs)
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.plans[key]; ok {
		s.last.Store(c)
		return c, nil
	}
	plan, err := s.lowerFor(inputs) // artifact_plan.go
	if err != nil {
		return nil, err
	}
	c := &compiled{plan: plan}
	for _, in := range inputs {
		c.shapes = append(c.shapes, append([]int64{}, in.Shape...))
		c.dtypes = append(c.dtypes, in.DType)
		c.kinds = append(c.kinds, in.Kind)
	}
	if len(s.plans) >= maxCachedPlans {
		clear(s.plans)
	}
	s.plans[key] = c
	s.last.Store(c)
	return c, nil
}

// graphFor returns the graph to lower for inputs: an artifact's stored
// specialised graph for their shapes (and that stored plan), else the
// session's graph optimised again with the inputs' concrete types (every
// shape then static).
func (s *Session) graphFor(inputs []*ir.Tensor) (*ir.Graph, *codegen.StoredPlan, error) {
	for i := range s.specialized {
		if sp := &s.specialized[i]; sp.matches(inputs) {
			g, packs, err := sp.stored.Graph()
			if err != nil {
				return nil, nil, err
			}
			for _, e := range packs {
				s.prepacks.Add(e.Src, e.Key, e.Data)
			}
			return g, sp.stored, nil
		}
	}
	g, err := s.genericGraphFor(inputs)
	return g, nil, err
}

// genericGraphFor returns the session's graph optimised again with the
// inputs' concrete types (every shape then static).
func (s *Session) genericGraphFor(inputs []*ir.Tensor) (*ir.Graph, error) {
	if err := s.materializeLocked(); err != nil {
		return nil, err
	}
	g := ir.Clone(s.graph)
	for i, v := range g.Inputs {
		if inputs[i].Kind == ir.KindTensor {
			v.Type = ir.TensorOf(inputs[i].DType, ir.KnownShape(inputs[i].Shape))
		} else {
			v.Type = ir.TypeOfTensor(inputs[i])
		}
	}
	if err := runPasses(g, s.passContext()); err != nil {
		return nil, err
	}
	return g, nil
}

// materializeLocked gives an artifact's constants stored prepacked only
// their values (once), keeping their transforms available; s.mu is held.
func (s *Session) materializeLocked() (err error) {
	if s.materializeErr != nil {
		return s.materializeErr
	}
	if s.materialize == nil {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("unpacking the artifact's generic graph and weights: %v", r)
		}
		if err != nil {
			// Sticky: a failed unpacking may have given some constants
			// their values and not others, so nothing may read the
			// graph afterwards.
			s.materializeErr, s.materialize = err, nil
		}
	}()
	packs, err := s.materialize()
	if err != nil {
		return fmt.Errorf("unpacking the artifact's generic graph and weights: %w", err)
	}
	s.materialize = nil
	for _, e := range packs {
		s.prepacks.Add(e.Src, e.Key, e.Data)
	}
	return nil
}

// maxCachedPlans bounds the plan cache; beyond it the cache starts over.
const maxCachedPlans = 64

func (c *compiled) matches(inputs []*ir.Tensor) bool {
	if len(inputs) != len(c.shapes) {
		return false
	}
	for i, in := range inputs {
		if in.DType != c.dtypes[i] || in.Kind != c.kinds[i] || !sameDims(in.Shape, c.shapes[i]) {
			return false
		}
	}
	return true
}

func shapeKey(inputs []*ir.Tensor) string {
	var b strings.Builder
	for _, in := range inputs {
		fmt.Fprintf(&b, "%d:%v:%v;", in.Kind, in.DType, in.Shape)
	}
	return b.String()
}

func sameDims(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// PlanStats compiles (or reuses) the plan for the given inputs and returns
// its summary.
func (s *Session) PlanStats(inputs []*ir.Tensor) (codegen.Stats, error) {
	c, err := s.planFor(inputs)
	if err != nil {
		return codegen.Stats{}, err
	}
	return c.plan.Stats(), nil
}

// recoverTo turns a panic into an error at the public boundary.
func recoverTo(err *error, what string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("BUG: internal error during %s: %v", what, r)
	}
}
