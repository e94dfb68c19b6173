package codegen

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
)

// Derived constants: a float32 weight that the artifact stores only in
// its prepacked form. Most of a dense model's bytes are weight matrices
// that every stored plan reads through their sgemm panels only; storing
// them raw as well would double what loading reads and checksums. So the
// encoder leaves the raw tensor out when
//
//   - a recorded transform of the whole constant is an sgemm.B panel set
//     (kernels.Build.PackB) in the layout of the artifact's ISA level (the
//     one its plans look up), which unpackSgemmB inverts, and inverting
//     the stored panels gives back exactly the constant's bits;
//   - the constant appears in a stored plan, and every use of it in every
//     stored plan is an operand listed in packedOnlyInputs (whose kernel
//     reads a constant there through its transforms only), never a graph
//     output.
//
// The tensor is then written as "derived from prepacked record r". On
// load its data aliases the first elements of that record's panels: a
// slice of the right length and a memory identity of its own, which is
// what the prepack store keys on, but not the constant's values. The
// stored plans' graphs are checked to use it as listed (a crafted file
// cannot route it anywhere else), and building one of their plans with a
// guard (GuardPrepacks) turns a transform the artifact does not hold
// into an error instead of a transform of wrong values. Anything else
// that needs the raw values (the generic graph's passes for inputs of
// other shapes, tools reading the graph) materialises them first
// (Artifact.Materialize): the panels are unpacked into a new slice that
// replaces the alias.

// dataDerived is the tensor data form "the whole of prepacked record r,
// unpacked" (see graphcodec.go for the others).
const dataDerived = 3

// opInput names one operand of an op.
type opInput struct {
	domain, op string
	input      int
}

// packedOnlyInputs are the operands whose kernels, when the operand is a
// constant whose transforms the build's Prepacks hold, read it through
// those transforms only (at build time and at run time): the value is the
// transform family their kernel asks for.
var packedOnlyInputs = map[opInput]string{
	{ir.FusedDomain, "FusedGemm", 1}: "sgemm.B", // kernels/fused_gemm.go: PackB and packGemv
	{"", "Gemm", 1}:                  "sgemm.B", // kernels/gemm_op_f32.go: PackB and packGemv
}

// sgemmBKey is a parsed "sgemm.B/<level>/<mr>x<nr>/t<trans>/k<k>/n<n>/ld<ld>"
// transform key (kernels.Build.PackB).
type sgemmBKey struct {
	nr, k, n, ld int
	trans        bool
}

// maxPanelWidth bounds the strip width a key may name.
const maxPanelWidth = 1 << 10

// parseSgemmBKey parses an sgemm.B key; ok is false for any other key.
func parseSgemmBKey(key string) (p sgemmBKey, ok bool) {
	// The family, at least one level field, then the last five fields
	// (split from the end without allocating: loading parses every
	// derived tensor's key).
	rest, ok := strings.CutPrefix(key, "sgemm.B/")
	if !ok {
		return p, false
	}
	var f [5]string
	for i := len(f) - 1; i >= 0; i-- {
		j := strings.LastIndexByte(rest, '/')
		if j < 0 {
			return p, false
		}
		rest, f[i] = rest[:j], rest[j+1:]
	}
	var tile [2]string
	if tile[0], tile[1], ok = strings.Cut(f[0], "x"); !ok {
		return p, false
	}
	num := func(s, prefix string) int {
		if !strings.HasPrefix(s, prefix) {
			return -1
		}
		v, err := strconv.Atoi(s[len(prefix):])
		if err != nil || v < 1 || v > math.MaxInt32 {
			return -1
		}
		return v
	}
	p.nr = num(tile[1], "")
	p.k, p.n, p.ld = num(f[2], "k"), num(f[3], "n"), num(f[4], "ld")
	switch f[1] {
	case "ttrue":
		p.trans = true
	case "tfalse":
	default:
		return p, false
	}
	if p.nr < 1 || p.nr > maxPanelWidth || p.k < 1 || p.n < 1 || p.ld < 1 {
		return p, false
	}
	// The constant must be exactly op(B), rows of ld values.
	if (p.trans && p.ld != p.k) || (!p.trans && p.ld != p.n) {
		return p, false
	}
	return p, true
}

// elems returns the constant's element count k·n.
func (p sgemmBKey) elems() int64 { return int64(p.k) * int64(p.n) }

// storageShape returns the shape of op(B)'s storage, the constant the
// key's transform is of: k×n, or n×k when transposed.
func (p sgemmBKey) storageShape() [2]int64 {
	if p.trans {
		return [2]int64{int64(p.n), int64(p.k)}
	}
	return [2]int64{int64(p.k), int64(p.n)}
}

// hasShape2 reports whether shape is the 2-D shape want.
func hasShape2(shape []int64, want [2]int64) bool {
	return len(shape) == 2 && shape[0] == want[0] && shape[1] == want[1]
}

// packedLen returns the panel values PackB makes: strips of nr columns,
// each k×nr.
func (p sgemmBKey) packedLen() int64 {
	return int64((p.n+p.nr-1)/p.nr) * int64(p.k) * int64(p.nr)
}

// unpackSgemmB inverts PackB's layout (kernels/sgemm/packed.go): strip s
// holds data[s·k·nr + q·nr + j] = op(B)[q, s·nr + j], op(B) = Bᵀ when
// trans (B stored n×k), else B (stored k×n). It returns B, k·n values;
// packed must hold packedLen values.
func unpackSgemmB(p sgemmBKey, packed []float32) []float32 {
	out := make([]float32, p.elems())
	for s := 0; s*p.nr < p.n; s++ {
		strip := packed[s*p.k*p.nr:]
		w := min(p.nr, p.n-s*p.nr)
		for q := range p.k {
			row := strip[q*p.nr : q*p.nr+w]
			c := s * p.nr
			if p.trans {
				for j, v := range row {
					out[(c+j)*p.k+q] = v
				}
			} else {
				copy(out[q*p.n+c:], row)
			}
		}
	}
	return out
}

// sameBits reports whether a and b hold the same float32 bit patterns.
func sameBits(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}

// derivedChoice picks the constants EncodeArtifact stores only prepacked:
// for each, keyed by its storage, the index of the record it is derived
// from (see the rules above). recs are the records as written, their
// panels in packed; isaName is the artifact's ISA level.
func derivedChoice(graphs []*ir.Graph, recs []PrepackRecord, packed []byte, isaName string) map[storageKey]derivedFrom {
	level, err := isa.Parse(isaName)
	if len(graphs) < 2 || err != nil {
		return nil // no stored plan (every plan would need the raw values), or no level
	}
	prefix := "sgemm.B/" + sgemm.Layout(level) + "/"
	// Uses of each float32 constant storage in the stored plans: ok stays
	// true while every use is a packed-only operand.
	type use struct{ ok, seen bool }
	uses := map[storageKey]*use{}
	key := func(t *ir.Tensor) (storageKey, bool) {
		if t == nil || t.Kind != ir.KindTensor {
			return storageKey{}, false
		}
		d, isF32 := t.Data.([]float32)
		if !isF32 || len(d) == 0 {
			return storageKey{}, false
		}
		return storageKey{uintptr(unsafe.Pointer(unsafe.SliceData(d))), len(d)}, true
	}
	mark := func(v *ir.Value, ok bool) {
		if v == nil || v.Const == nil || v.Producer != nil {
			return
		}
		k, isF32 := key(v.Const)
		if !isF32 {
			return
		}
		u := uses[k]
		if u == nil {
			u = &use{ok: true}
			uses[k] = u
		}
		u.seen = true
		u.ok = u.ok && ok
	}
	var walk func(g *ir.Graph)
	walk = func(g *ir.Graph) {
		for _, n := range g.Nodes {
			for i, v := range n.Inputs {
				_, listed := packedOnlyInputs[opInput{n.Domain, n.Op, i}]
				mark(v, listed)
			}
			for _, sub := range n.Subgraphs() {
				walk(sub)
			}
		}
		for _, v := range g.Outputs {
			mark(v, false)
		}
	}
	for _, sg := range graphs[1:] {
		walk(sg)
	}
	// The generic graph's constants of the same storage must be of the
	// same length (they are: storage keys include it).
	out := map[storageKey]derivedFrom{}
	for i, r := range recs {
		p, ok := parseSgemmBKey(r.Key)
		if !ok || !strings.HasPrefix(r.Key, prefix) || r.Offset != 0 || r.Len != p.elems() || r.Count != p.packedLen() {
			continue
		}
		shape := p.storageShape()
		// The named constant must be op(B)'s storage in that shape: it is
		// the one its record binds to on load, so it must be written as
		// derived too (constTensor writes only tensors of that shape so).
		named := constTensor(graphs[r.Graph], r.Const)
		if named == nil || !hasShape2(named.Shape, shape) {
			continue
		}
		src, _ := named.Data.([]float32)
		if int64(len(src)) != r.Len {
			continue
		}
		k, _ := key(&ir.Tensor{Kind: ir.KindTensor, Data: src})
		if u := uses[k]; u == nil || !u.seen || !u.ok {
			continue
		}
		if _, done := out[k]; done {
			continue
		}
		panels := float32View(packed[r.DataOffset : r.DataOffset+4*r.Count])
		if !sameBits(unpackSgemmB(p, panels), src) {
			continue
		}
		out[k] = derivedFrom{rec: i, shape: shape}
	}
	return out
}

// derivedFrom is how a constant is stored prepacked only: the record it
// derives from and the shape of op(B)'s storage (a tensor of that storage
// but another shape is written raw).
type derivedFrom struct {
	rec   int
	shape [2]int64
}

// constTensor returns the tensor of g's constant named name (nil if
// none, if it is no tensor, or if several constants have that name).
func constTensor(g *ir.Graph, name string) *ir.Tensor {
	var found *ir.Tensor
	n := 0
	for _, v := range g.Constants {
		if v.Name != name {
			continue
		}
		n++
		if v.Const != nil && v.Const.Kind == ir.KindTensor {
			found = v.Const
		}
	}
	if n != 1 {
		return nil
	}
	return found
}

// derivedRef is a derived tensor met while decoding, resolved once the
// records are known.
type derivedRef struct {
	t   *ir.Tensor
	rec uint64
	at  int // byte offset in the graph, for errors
}

// derivedSet is what one artifact's graphs share about derived constants.
type derivedSet struct {
	// alias[r] is the alias every tensor derived from record r holds
	// (the first values of its panels), panels[r] all of them.
	alias, panels map[uint64][]float32
	// raw[r] are record r's unpacked values, once materialised.
	raw map[uint64][]float32
	// generic are the generic graph's derived tensors.
	generic []derivedRef
	// materialised is set once the generic graph holds raw values.
	materialised bool
}

// resolve sets the data of the tensors derived while decoding (checking
// each record: an sgemm.B transform of exactly the tensor's 2-D shape,
// inside the section); the first problem is returned.
func (ds *derivedSet) resolve(refs []derivedRef, recs []PrepackRecord, section []byte) error {
	for _, d := range refs {
		if d.rec >= uint64(len(recs)) {
			return fmt.Errorf("artifact graph at byte %d: tensor derived from prepacked entry %d of %d", d.at, d.rec, len(recs))
		}
		r := recs[d.rec]
		p, ok := parseSgemmBKey(r.Key)
		// The tensor is op(B)'s storage.
		n := int64(len(section))
		if !ok || d.t.DType != ir.Float32 || !hasShape2(d.t.Shape, p.storageShape()) || r.Count != p.packedLen() ||
			r.DataOffset < 0 || r.DataOffset%64 != 0 || r.DataOffset > n || r.Count > (n-r.DataOffset)/4 {
			return fmt.Errorf("artifact graph at byte %d: %v tensor of %v cannot derive from prepacked entry %d (%s, %d values)", d.at, d.t.DType, d.t.Shape, d.rec, r.Key, r.Count)
		}
		if got, ok := ds.alias[d.rec]; ok {
			d.t.Data = got
			continue
		}
		view := float32View(section[r.DataOffset : r.DataOffset+4*r.Count])
		got := view[:p.elems():p.elems()]
		if ds.alias == nil {
			ds.alias, ds.panels = map[uint64][]float32{}, map[uint64][]float32{}
		}
		ds.alias[d.rec], ds.panels[d.rec] = got, view
		d.t.Data = got
	}
	return nil
}

// rawOf returns record r's unpacked values (r is a record some tensor
// was resolved against), unpacking them on first use.
func (ds *derivedSet) rawOf(r uint64, recs []PrepackRecord) []float32 {
	if raw, ok := ds.raw[r]; ok {
		return raw
	}
	p, _ := parseSgemmBKey(recs[r].Key) // checked by resolve
	raw := unpackSgemmB(p, ds.panels[r])
	if ds.raw == nil {
		ds.raw = map[uint64][]float32{}
	}
	ds.raw[r] = raw
	return raw
}

// materialize gives every tensor of refs its record's unpacked values.
func (ds *derivedSet) materialize(refs []derivedRef, recs []PrepackRecord) {
	for _, d := range refs {
		d.t.Data = ds.rawOf(d.rec, recs)
	}
}

// rebind returns e with Src moved from a derived alias to the values
// that replaced it (e unchanged when its Src is no alias).
func (ds *derivedSet) rebind(src []float32, recs []PrepackRecord) []float32 {
	if len(src) == 0 {
		return src
	}
	p := uintptr(unsafe.Pointer(unsafe.SliceData(src)))
	for r, alias := range ds.alias {
		base := uintptr(unsafe.Pointer(unsafe.SliceData(alias)))
		if p < base || (p-base)%4 != 0 {
			continue
		}
		off := int((p - base) / 4)
		if off+len(src) <= len(alias) {
			return ds.rawOf(r, recs)[off : off+len(src)]
		}
	}
	return src
}

// checkDerivedUses checks that a stored plan's graph uses every derived
// tensor only as a packed-only operand (never as a graph output).
func checkDerivedUses(g *ir.Graph, derived map[*ir.Tensor]bool) error {
	if len(derived) == 0 {
		return nil
	}
	for _, n := range g.Nodes {
		for i, v := range n.Inputs {
			if v == nil || v.Const == nil || !derived[v.Const] {
				continue
			}
			if _, ok := packedOnlyInputs[opInput{n.Domain, n.Op, i}]; !ok {
				return fmt.Errorf("constant %q is stored prepacked only, but node %q (%s) input %d reads its values", v.Name, n.Name, n.Op, i)
			}
		}
		for _, sub := range n.Subgraphs() {
			if err := checkDerivedUses(sub, derived); err != nil {
				return err
			}
		}
	}
	for _, v := range g.Outputs {
		if v != nil && v.Const != nil && derived[v.Const] {
			return fmt.Errorf("constant %q is stored prepacked only and is a graph output", v.Name)
		}
	}
	return nil
}

// MaterializeGeneric decodes the body of a decoded artifact's generic
// graph (see DecodeArtifactDeferred; an error there is returned, every
// time) and gives every constant of that graph that is stored prepacked
// only its values, unpacked from its
// panels (once; the stored plans' graphs keep their aliases), and returns
// the generic graph's transforms bound to the new values, for a
// kernels.PrepackStore. Call it before anything but a stored plan's
// lowering reads the generic graph's constants (passes, tools); it is
// not safe for concurrent use with itself.
func (a *Artifact) MaterializeGeneric() ([]kernels.PrepackEntry, error) {
	sh := a.shared
	if sh == nil {
		return nil, nil
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if err := sh.body.decode(sh); err != nil {
		return nil, err
	}
	ds := sh.derived
	if ds.materialised || len(ds.generic) == 0 {
		return nil, nil
	}
	ds.materialised = true
	ds.materialize(ds.generic, sh.records)
	var generic []PrepackRecord
	for _, r := range sh.records {
		if r.Graph == 0 {
			generic = append(generic, r)
		}
	}
	return bindPrepacked(a.Graph, generic, sh.section)
}

// Materialize gives every constant of the artifact's decoded graphs (the
// generic one and the stored plans decoded so far, see DecodeStored) its
// values and rebinds a.Prepacked to them, for tools that read or
// re-encode the graphs. A session's stored plans must not be lowered
// afterwards (their transforms were bound to the aliases). The error is
// the generic graph body's, when it cannot be decoded: then no constant
// is given its values.
func (a *Artifact) Materialize() error {
	sh := a.shared
	if sh == nil {
		return nil
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if err := sh.body.decode(sh); err != nil {
		return err
	}
	ds := sh.derived
	if len(ds.alias) == 0 {
		return nil
	}
	for i, e := range a.Prepacked {
		a.Prepacked[i].Src = ds.rebind(e.Src, sh.records)
	}
	ds.materialised = true
	ds.materialize(ds.generic, sh.records)
	for _, p := range a.Stored {
		if p.graph != nil {
			ds.materialize(p.derived, sh.records)
		}
	}
	return nil
}

// GuardPrepacks returns the Prepacks to lower the stored plan's graph
// with, and a check to call after lowering: a transform of a constant
// stored prepacked only that pp did not hold was made from the alias
// that stands for its values, so the check reports an error then (the
// artifact's transforms do not match this build's kernels: recompile).
func (p *StoredPlan) GuardPrepacks(pp kernels.Prepacks) (kernels.Prepacks, func() error) {
	if len(p.derived) == 0 {
		return pp, func() error { return nil }
	}
	g := &derivedGuard{inner: pp}
	for _, d := range p.derived {
		if f, ok := d.t.Data.([]float32); ok && len(f) > 0 {
			g.ranges = append(g.ranges, f)
		}
	}
	if pp == nil {
		g.missed = "every transform (no prepacked store)"
	}
	return g, g.check
}

// derivedGuard is GuardPrepacks' Prepacks.
type derivedGuard struct {
	inner  kernels.Prepacks
	ranges [][]float32 // the aliases
	mu     sync.Mutex
	missed string // the first key missed on an alias
	// wrong is set when missed was held but of a size its key does not
	// give.
	wrong bool
}

// Lookup implements kernels.Prepacks. On an alias it serves only a held
// transform whose size its key gives (transformLen): a kernel handed
// another would make its own transform from the alias (kernels treat a
// stored transform of the wrong size as absent), so that counts as a
// miss.
func (g *derivedGuard) Lookup(src []float32, key string) ([]float32, bool) {
	var d []float32
	ok := false
	if g.inner != nil {
		d, ok = g.inner.Lookup(src, key)
	}
	if !g.onAlias(src) {
		return d, ok
	}
	if ok {
		if n, known := transformLen(key); known && n == int64(len(d)) {
			return d, true
		}
	}
	g.mu.Lock()
	if g.missed == "" {
		g.missed, g.wrong = key, ok
	}
	g.mu.Unlock()
	return nil, false
}

// onAlias reports whether src lies in one of the aliases.
func (g *derivedGuard) onAlias(src []float32) bool {
	if len(src) == 0 {
		return false
	}
	p := uintptr(unsafe.Pointer(unsafe.SliceData(src)))
	for _, r := range g.ranges {
		base := uintptr(unsafe.Pointer(unsafe.SliceData(r)))
		if p >= base && p < base+4*uintptr(len(r)) {
			return true
		}
	}
	return false
}

// Record implements kernels.Prepacks.
func (g *derivedGuard) Record(src []float32, key string, packed []float32) {
	if g.inner != nil {
		g.inner.Record(src, key, packed)
	}
}

func (g *derivedGuard) check() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.missed != "" {
		return &MissingTransformError{Key: g.missed, WrongSize: g.wrong}
	}
	return nil
}

// MissingTransformError is the error of a stored plan whose lowering
// needed a transform of a weight the artifact stores prepacked only that
// the artifact does not hold (or holds at a size its key does not give):
// the artifact was compiled by another nncc build, or crafted. A session
// plans those inputs from the generic graph instead.
type MissingTransformError struct {
	Key       string
	WrongSize bool
}

func (e *MissingTransformError) Error() string {
	what := "holds no transform"
	if e.WrongSize {
		what = "holds a transform of a size this build does not expect (or cannot check)"
	}
	return fmt.Sprintf("the artifact %s %s of a weight it stores prepacked only (it was compiled by another nncc build): recompile the model", what, e.Key)
}

// transformLens gives, per transform family (a key's first field), the
// number of values a key of that family names; these are the families
// of packedOnlyInputs.
var transformLens = map[string]func(key string) (int64, bool){
	"sgemm.B": func(key string) (int64, bool) {
		p, ok := parseSgemmBKey(key)
		return p.packedLen(), ok
	},
	"gemv": gemvKeyLen,
}

// transformLen returns the number of values the transform key names
// (known false for a family transformLens does not list, or a malformed
// key).
func transformLen(key string) (n int64, known bool) {
	family, _, _ := strings.Cut(key, "/")
	f, ok := transformLens[family]
	if !ok {
		return 0, false
	}
	return f(key)
}

// gemvKeyLen parses a "gemv/<level>/w<width>/t<trans>/k<k>/n<n>/ld<ld>"
// key (kernels/gemm_gemv.go) and returns the size of its packed form:
// n rounded up to whole panels of width rows, each of k values (package
// gemv's FromData).
func gemvKeyLen(key string) (int64, bool) {
	f := strings.Split(key, "/")
	if len(f) != 7 || f[0] != "gemv" {
		return 0, false
	}
	num := func(s, prefix string) int64 {
		if !strings.HasPrefix(s, prefix) {
			return -1
		}
		v, err := strconv.Atoi(s[len(prefix):])
		if err != nil || v < 1 || v > math.MaxInt32 {
			return -1
		}
		return int64(v)
	}
	w, k, n, ld := num(f[2], "w"), num(f[4], "k"), num(f[5], "n"), num(f[6], "ld")
	if w < 1 || w > maxPanelWidth || k < 1 || n < 1 || ld < 1 || (f[3] != "ttrue" && f[3] != "tfalse") {
		return 0, false
	}
	return (n + w - 1) / w * w * k, true
}
