package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// ai.onnx.ml TreeEnsemble (opset 5).

func init() {
	Register(ir.MLDomain, "TreeEnsemble", buildTreeEnsemble)
}

// The comparison modes of nodes_modes.
const (
	teLEQ = iota
	teLT
	teGTE
	teGT
	teEQ
	teNEQ
	teMember
)

// teNode is one interior node; a branch is a node index or, when its leaf
// flag is set, a leaf index.
type teNode struct {
	mode                uint8
	feature             int
	split               float64
	members             map[float64]bool
	missingTrue         bool
	trueID, falseID     int
	trueLeaf, falseLeaf bool
}

// teEnsemble is the validated model.
type teEnsemble struct {
	nodes   []teNode
	roots   []int
	weights []float64
	targets []int
	nTarget int
	agg     int64
	post    int64
}

// buildTreeEnsemble evaluates every tree on each row of X [N, F]: from the
// root, a node compares X[feature] with its split (or set of members) and
// follows its true or false branch (a NaN feature follows the true branch
// when nodes_missing_value_tracks_true is set, else the comparison's result)
// until a leaf, which adds its weight to its target. Targets aggregate the
// leaves reached by SUM, AVERAGE (sum / number of trees), MIN or MAX (0 for
// a target no leaf reached), then post_transform applies (NONE, SOFTMAX,
// LOGISTIC, SOFTMAX_ZERO or PROBIT) across each row.
func buildTreeEnsemble(b *Build) (Func, error) {
	e, err := teParse(b.Attrs())
	if err != nil {
		return nil, b.Errorf("%v", err)
	}
	if err := mlCheckDType(b, 0, ir.Float32, ir.Float64, ir.Float16); err != nil {
		return nil, err
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mlTensor(c, in, 0, ir.Float32, ir.Float64, ir.Float16)
		if err != nil {
			return err
		}
		if x.Rank() != 2 {
			return c.Errorf("input 0 must be [N, F], got shape %v", x.Shape)
		}
		n, f := int(x.Shape[0]), int(x.Shape[1])
		for _, nd := range e.nodes {
			if nd.feature >= f && !(nd.trueLeaf && nd.falseLeaf && nd.trueID == nd.falseID) {
				return c.Errorf("a node tests feature %d but X has %d features", nd.feature, f)
			}
		}
		y, err := c.OutputUninit(0, x.DType, []int64{int64(n), int64(e.nTarget)})
		if err != nil {
			return err
		}
		row := make([]float64, f)
		score := make([]float64, e.nTarget)
		seen := make([]bool, e.nTarget)
		for r := 0; r < n; r++ {
			for j := range row {
				row[j] = x.Float64At(r*f + j)
			}
			e.predict(row, score, seen)
			for t, v := range score {
				switch d := y.Data.(type) {
				case []float32:
					d[r*e.nTarget+t] = float32(v)
				case []float64:
					d[r*e.nTarget+t] = v
				case []ir.F16:
					d[r*e.nTarget+t] = ir.NewFloat16(float32(v))
				}
			}
		}
		return nil
	}, nil
}

func (e *teEnsemble) predict(row, score []float64, seen []bool) {
	clear(score)
	clear(seen)
	for _, root := range e.roots {
		leaf := e.leafOf(root, row)
		t, w := e.targets[leaf], e.weights[leaf]
		switch e.agg {
		case 0, 1:
			score[t] += w
		case 2:
			if !seen[t] || w < score[t] {
				score[t] = w
			}
		case 3:
			if !seen[t] || w > score[t] {
				score[t] = w
			}
		}
		seen[t] = true
	}
	if e.agg == 0 && len(e.roots) > 0 {
		for t := range score {
			score[t] /= float64(len(e.roots))
		}
	}
	tePostTransform(e.post, score)
}

// leafOf walks one tree; teParse has checked that every walk ends.
func (e *teEnsemble) leafOf(id int, row []float64) int {
	for {
		nd := &e.nodes[id]
		if nd.trueLeaf && nd.falseLeaf && nd.trueID == nd.falseID {
			return nd.trueID
		}
		if teCompare(nd, row[nd.feature]) {
			if nd.trueLeaf {
				return nd.trueID
			}
			id = nd.trueID
		} else {
			if nd.falseLeaf {
				return nd.falseID
			}
			id = nd.falseID
		}
	}
}

func teCompare(nd *teNode, v float64) bool {
	if math.IsNaN(v) && nd.missingTrue {
		return true
	}
	switch nd.mode {
	case teLEQ:
		return v <= nd.split
	case teLT:
		return v < nd.split
	case teGTE:
		return v >= nd.split
	case teGT:
		return v > nd.split
	case teEQ:
		return v == nd.split
	case teNEQ:
		return v != nd.split
	}
	return nd.members[v]
}

// tePostTransform applies post_transform to one row of scores.
func tePostTransform(kind int64, s []float64) {
	switch kind {
	case 1, 3: // SOFTMAX, SOFTMAX_ZERO (zeros stay zero)
		m := math.Inf(-1)
		for _, v := range s {
			if kind == 1 || v != 0 {
				m = max(m, v)
			}
		}
		sum := 0.0
		for i, v := range s {
			if kind == 3 && v == 0 {
				continue
			}
			s[i] = math.Exp(v - m)
			sum += s[i]
		}
		for i := range s {
			if sum > 0 && !(kind == 3 && s[i] == 0) {
				s[i] /= sum
			}
		}
	case 2: // LOGISTIC
		for i, v := range s {
			s[i] = 1 / (1 + math.Exp(-v))
		}
	case 4: // PROBIT
		for i, v := range s {
			s[i] = math.Sqrt2 * math.Erfinv(2*v-1)
		}
	}
}

// teParse reads and validates the attributes.
func teParse(a ir.Attrs) (*teEnsemble, error) {
	e := &teEnsemble{agg: a.Int("aggregate_function", 1), post: a.Int("post_transform", 0)}
	if e.agg < 0 || e.agg > 3 {
		return nil, errTE("aggregate_function must be 0 (AVERAGE), 1 (SUM), 2 (MIN) or 3 (MAX)")
	}
	if e.post < 0 || e.post > 4 {
		return nil, errTE("post_transform must be in [0, 4]")
	}
	feats := a.Ints("nodes_featureids", nil)
	trueIDs, falseIDs := a.Ints("nodes_truenodeids", nil), a.Ints("nodes_falsenodeids", nil)
	trueLeafs, falseLeafs := a.Ints("nodes_trueleafs", nil), a.Ints("nodes_falseleafs", nil)
	missing := a.Ints("nodes_missing_value_tracks_true", nil)
	modes, splits := a.Tensor("nodes_modes"), a.Tensor("nodes_splits")
	nn := len(feats)
	if modes == nil || splits == nil || modes.Len() != nn || splits.Len() != nn || len(trueIDs) != nn ||
		len(falseIDs) != nn || len(trueLeafs) != nn || len(falseLeafs) != nn || (missing != nil && len(missing) != nn) {
		return nil, errTE("the nodes_* attributes must all have the same length")
	}
	targets := a.Ints("leaf_targetids", nil)
	weights := a.Tensor("leaf_weights")
	if weights == nil || weights.Len() != len(targets) {
		return nil, errTE("leaf_weights and leaf_targetids must have the same length")
	}
	e.nTarget = int(a.Int("n_targets", -1))
	if e.nTarget < 0 {
		for _, t := range targets {
			e.nTarget = max(e.nTarget, int(t)+1)
		}
		e.nTarget = max(e.nTarget, 0)
	}
	for i, t := range targets {
		if t < 0 || int(t) >= e.nTarget {
			return nil, errTE("leaf_targetids has a target outside [0, n_targets)")
		}
		e.targets = append(e.targets, int(t))
		e.weights = append(e.weights, weights.Float64At(i))
	}
	var members []float64
	if m := a.Tensor("membership_values"); m != nil {
		for i := 0; i < m.Len(); i++ {
			members = append(members, m.Float64At(i))
		}
	}
	e.nodes = make([]teNode, nn)
	for i := range e.nodes {
		mode := modes.Float64At(i)
		if mode < teLEQ || mode > teMember || mode != math.Trunc(mode) {
			return nil, errTE("nodes_modes has an unknown mode")
		}
		nd := teNode{
			mode: uint8(mode), feature: int(feats[i]), split: splits.Float64At(i),
			trueID: int(trueIDs[i]), falseID: int(falseIDs[i]),
			trueLeaf: trueLeafs[i] != 0, falseLeaf: falseLeafs[i] != 0,
		}
		if missing != nil {
			nd.missingTrue = missing[i] != 0
		}
		if feats[i] < 0 || feats[i] > 1<<31 {
			return nil, errTE("nodes_featureids has a negative feature")
		}
		for _, br := range []struct {
			id   int
			leaf bool
		}{{nd.trueID, nd.trueLeaf}, {nd.falseID, nd.falseLeaf}} {
			if br.leaf && (br.id < 0 || br.id >= len(e.targets)) {
				return nil, errTE("a branch names a leaf outside leaf_*")
			}
			if !br.leaf && (br.id < 0 || br.id >= nn) {
				return nil, errTE("a branch names a node outside nodes_*")
			}
		}
		if nd.mode == teMember {
			// The next NaN-delimited set of membership_values.
			nd.members = map[float64]bool{}
			for len(members) > 0 && !math.IsNaN(members[0]) {
				nd.members[members[0]] = true
				members = members[1:]
			}
			if len(members) == 0 && len(nd.members) == 0 {
				return nil, errTE("membership_values has no set for a BRANCH_MEMBER node")
			}
			if len(members) > 0 {
				members = members[1:]
			}
		}
		e.nodes[i] = nd
	}
	for _, r := range a.Ints("tree_roots", nil) {
		if r < 0 || int(r) >= nn {
			return nil, errTE("tree_roots names a node outside nodes_*")
		}
		e.roots = append(e.roots, int(r))
	}
	if err := e.checkAcyclic(); err != nil {
		return nil, err
	}
	return e, nil
}

// checkAcyclic verifies that no walk from a root can loop.
func (e *teEnsemble) checkAcyclic() error {
	state := make([]uint8, len(e.nodes)) // 0 new, 1 on stack, 2 done
	var visit func(i int) error
	visit = func(i int) error {
		switch state[i] {
		case 1:
			return errTE("the trees contain a cycle")
		case 2:
			return nil
		}
		state[i] = 1
		nd := &e.nodes[i]
		if !nd.trueLeaf {
			if err := visit(nd.trueID); err != nil {
				return err
			}
		}
		if !nd.falseLeaf {
			if err := visit(nd.falseID); err != nil {
				return err
			}
		}
		state[i] = 2
		return nil
	}
	for _, r := range e.roots {
		if err := visit(r); err != nil {
			return err
		}
	}
	return nil
}

type errTE string

func (e errTE) Error() string { return string(e) }
