package ir

import (
	"strings"
	"testing"
)

// Every form row must name attributes the op table row declares, have
// sane arities and increasing versions; every default-domain row of the
// op table whose op is in the changelog has forms.
func TestOpFormsAgreeWithTable(t *testing.T) {
	for op, forms := range opForms {
		s, ok := LookupOp("", op)
		if !ok {
			t.Errorf("%s: forms for an op without a row", op)
			continue
		}
		for i, f := range forms {
			if i > 0 && f.Since <= forms[i-1].Since {
				t.Errorf("%s: versions not increasing at %d", op, f.Since)
			}
			if f.MinIn < 0 || (f.MaxIn >= 0 && f.MaxIn < f.MinIn) || f.MinOut < 0 || (f.MaxOut >= 0 && f.MaxOut < f.MinOut) {
				t.Errorf("%s-%d: bad arity %+v", op, f.Since, f)
			}
			for _, a := range strings.Fields(f.Attrs) {
				if _, ok := s.Attr(a); !ok && !(op == "Upsample" && (a == "height_scale" || a == "width_scale")) {
					t.Errorf("%s-%d: attribute %q is not in the op row", op, f.Since, a)
				}
			}
		}
	}
}

func TestCheckOpForm(t *testing.T) {
	v := func() *Value { return &Value{Name: "v"} }
	cases := []struct {
		n    *Node
		want string // "" no error
	}{
		{&Node{Op: "Slice", Opset: 9, Inputs: []*Value{v()}, Outputs: []*Value{v()}, Attrs: Attrs{"starts": {Kind: AttrInts}, "ends": {Kind: AttrInts}}}, ""},
		{&Node{Op: "Slice", Opset: 10, Inputs: []*Value{v()}, Outputs: []*Value{v()}, Attrs: Attrs{"starts": {Kind: AttrInts}}}, `attribute "starts" is not part of Slice-10 (the form at opset 10); it exists in opsets 1 to 9`},
		{&Node{Op: "Slice", Opset: 9, Inputs: []*Value{v(), v(), v()}, Outputs: []*Value{v()}}, "Slice-1 (the form at opset 9) takes 1 inputs, got 3; that many inputs are in opset 10 and later"},
		{&Node{Op: "Clip", Opset: 11, Inputs: []*Value{v(), nil, v()}, Outputs: []*Value{v()}}, ""},
		{&Node{Op: "Clip", Opset: 11, Inputs: []*Value{v(), nil, nil}, Outputs: []*Value{v()}}, ""},
		{&Node{Op: "Reshape", Opset: 13, Inputs: []*Value{v(), v()}, Outputs: []*Value{v()}, Attrs: Attrs{"allowzero": {Kind: AttrInt}}}, `attribute "allowzero" is not part of Reshape-5 (the form at opset 13); it exists in opset 14 and later`},
		{&Node{Op: "BatchNormalization", Opset: 9, Inputs: []*Value{v(), v(), v(), v(), v()}, Outputs: []*Value{v()}, Attrs: Attrs{"spatial": {Kind: AttrInt, I: 1}, "is_test": {Kind: AttrInt, I: 1}, "consumed_inputs": {Kind: AttrInts}}}, ""},
		{&Node{Op: "BatchNormalization", Opset: 9, Inputs: []*Value{v(), v(), v(), v(), v()}, Outputs: []*Value{v()}, Attrs: Attrs{"spatial": {Kind: AttrInt, I: 0}}}, `attribute "spatial" is not part of BatchNormalization-9 (the form at opset 9); it exists in opsets 1 to 8`},
		{&Node{Op: "Dropout", Opset: 7, Inputs: []*Value{v()}, Outputs: []*Value{v()}, Attrs: Attrs{"is_test": {Kind: AttrInt, I: 0}}}, `attribute "is_test" is not part of Dropout-7 (the form at opset 7); it exists in opsets 1 to 6`},
		{&Node{Op: "Add", Opset: 7, Inputs: []*Value{v(), v()}, Outputs: []*Value{v()}, Attrs: Attrs{"consumed_inputs": {Kind: AttrInts}}}, ""},
		{&Node{Op: "Slice", Opset: 0, Inputs: []*Value{v()}, Outputs: []*Value{v()}, Attrs: Attrs{"starts": {Kind: AttrInts}}}, ""},
		{&Node{Op: "Slice", Domain: FusedDomain, Opset: 10, Inputs: []*Value{v()}, Outputs: []*Value{v()}}, ""},
	}
	for _, c := range cases {
		err := CheckOpForm(c.n)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("%s-%d: got %q, want %q", c.n.Op, c.n.Opset, got, c.want)
		}
	}
}
