package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/nncc/nncc/codegen"
	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/passes"
	"github.com/nncc/nncc/runtime"
)

func inspectCmd(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: nncc inspect MODEL")
	}
	path := args[0]
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, "model.onnx")
	}
	if data, err := os.ReadFile(path); err == nil && codegen.IsArtifact(data) {
		return inspectArtifact(path, data)
	}
	g, err := onnx.Load(path)
	if err != nil {
		return err
	}
	fmt.Printf("model %s\n", path)
	for _, k := range []string{"producer_name", "producer_version", "ir_version"} {
		if v, ok := g.Metadata[k]; ok {
			fmt.Printf("  %s: %s\n", k, v)
		}
	}
	fmt.Println("opsets:")
	for _, d := range g.SortedOpsets() {
		name := d
		if name == "" {
			name = "ai.onnx"
		}
		fmt.Printf("  %s %d\n", name, g.Opsets[d])
	}
	fmt.Println("inputs:")
	for _, v := range g.Inputs {
		fmt.Printf("  %s: %v\n", v.Name, v.Type)
	}
	fmt.Println("outputs:")
	for _, v := range g.Outputs {
		fmt.Printf("  %s: %v\n", v.Name, v.Type)
	}
	hist := opHistogram(g)
	fmt.Printf("nodes: %d\n", countNodes(g))
	for _, h := range hist {
		fmt.Printf("  %-28s %d\n", h.op, h.n)
	}
	params, bytes := 0, 0
	for _, c := range g.Constants {
		params += c.Const.Len()
		bytes += c.Const.Len() * c.Const.DType.Size()
	}
	fmt.Printf("parameters: %d (%d bytes in %d initializers)\n", params, bytes, len(g.Constants))

	sess, err := runtime.NewSession(g, runtime.Options{Threads: 1})
	if err != nil {
		return fmt.Errorf("compile: %w", err)
	}
	defer sess.Close()
	opt, err := sess.GraphErr()
	if err != nil {
		return err
	}
	fmt.Printf("after passes (%v): %d nodes\n", sess.PassesRun(), len(opt.Nodes))
	return printPlan(sess)
}

// inspectArtifact describes a compiled .nnc file.
func inspectArtifact(path string, data []byte) error {
	sess, err := runtime.LoadArtifact(data, runtime.Options{Threads: 1})
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer sess.Close()
	h := sess.Artifact()
	g, err := sess.GraphErr()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fmt.Printf("artifact %s (%d bytes, format version %d)\n", path, len(data), codegen.ArtifactVersion)
	fmt.Printf("  isa: %s (needs %v)\n", h.ISA, h.CPUFeatures)
	fmt.Printf("  opt level: %d, passes run: %v\n", h.OptLevel, h.Passes)
	fmt.Printf("  graph: %d bytes, weights: %d bytes (64-byte aligned)\n", h.GraphBytes, h.WeightBytes)
	fmt.Printf("  prepacked: %d bytes in %d transforms of constants\n", h.PrepackBytes, len(h.Prepacked))
	for _, p := range h.Prepacked {
		where := ""
		if p.Graph > 0 {
			where = fmt.Sprintf(" (of stored plan %d)", p.Graph)
		}
		fmt.Printf("    %s[%d:+%d]%s %s: %d bytes (at %d)\n", p.Const, p.Offset, p.Len, where, p.Key, 4*p.Count, p.DataOffset)
	}
	if sets := sess.SpecializedShapes(); len(sets) > 0 {
		fmt.Printf("stored plans (loading and the first Run run no pass for inputs of these shapes):\n")
		for i, set := range sets {
			fmt.Printf("  %d: inputs %s\n", i+1, formatShapeSet(set))
		}
		fmt.Println("  inputs of other shapes are planned at their first Run (passes for their shapes, then lowering)")
	} else {
		fmt.Println("stored plans: none (every input shape is planned at its first Run: passes, then lowering)")
	}
	fmt.Println("inputs:")
	for _, v := range g.Inputs {
		fmt.Printf("  %s: %v\n", v.Name, v.Type)
	}
	fmt.Println("outputs:")
	for _, v := range g.Outputs {
		fmt.Printf("  %s: %v\n", v.Name, v.Type)
	}
	fmt.Printf("nodes: %d\n", countNodes(g))
	for _, h := range opHistogram(g) {
		fmt.Printf("  %-28s %d\n", h.op, h.n)
	}
	return printPlan(sess)
}

// printPlan compiles a plan for example input shapes and prints its memory.
func printPlan(sess *runtime.Session) error {
	if ins, ok := exampleInputs(sess); ok {
		st, err := sess.PlanStats(ins)
		if err != nil {
			return fmt.Errorf("plan: %w", err)
		}
		fmt.Printf("plan for %s: %d steps, arena %d bytes for %d values (%d bytes without reuse), %d dynamic values\n",
			describeShapes(ins), st.Steps, st.ArenaBytes, st.ArenaSlots, st.NaiveBytes, st.DynamicSlots)
	}
	return nil
}

type opCount struct {
	op string
	n  int
}

func opHistogram(g *ir.Graph) []opCount {
	m := map[string]int{}
	var walk func(g *ir.Graph)
	walk = func(g *ir.Graph) {
		for _, n := range g.Nodes {
			k := n.Op
			if n.Domain != "" {
				k = n.Domain + "." + n.Op
			}
			m[k]++
			for _, sg := range n.Subgraphs() {
				walk(sg)
			}
		}
	}
	walk(g)
	var out []opCount
	for k, v := range m {
		out = append(out, opCount{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		return out[i].op < out[j].op
	})
	return out
}

func countNodes(g *ir.Graph) int {
	n := len(g.Nodes)
	for _, nd := range g.Nodes {
		for _, sg := range nd.Subgraphs() {
			n += countNodes(sg)
		}
	}
	return n
}

// exampleInputs makes zero tensors for the inputs, with symbolic dims set
// to 1, so a plan can be shown; it fails for non-tensor or unranked inputs.
func exampleInputs(sess *runtime.Session) ([]*ir.Tensor, bool) {
	var ins []*ir.Tensor
	for _, in := range sess.Inputs() {
		if in.Type.Kind != ir.KindTensor || !in.Type.RankKnown || !in.Type.DType.Valid() {
			return nil, false
		}
		shape := make([]int64, len(in.Type.Shape))
		for i, d := range in.Type.Shape {
			shape[i] = 1
			if d.Known() {
				shape[i] = d.Size
			}
		}
		ins = append(ins, ir.NewTensor(in.Type.DType, shape))
	}
	return ins, true
}

// formatShapeSet prints one shape per input.
func formatShapeSet(set [][]int64) string {
	s := ""
	for i, shape := range set {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprint(shape)
	}
	return s
}

func describeShapes(ins []*ir.Tensor) string {
	s := ""
	for i, t := range ins {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprint(t.Shape)
	}
	return "inputs " + s
}

func passesCmd(args []string) error {
	list := passes.List()
	width := 0
	for _, p := range list {
		width = max(width, len(p.Name))
	}
	for _, p := range list {
		req := ""
		if p.Required {
			req = " (required)"
		}
		fmt.Printf("%-*s  %s%s\n", width, p.Name, p.Doc, req)
	}
	return nil
}
