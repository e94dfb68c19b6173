package kernels

import (
	"reflect"
	"testing"

	"github.com/nncc/nncc/ir"
)

// grpRun builds domain/op (opset) with attrs and nOut outputs, runs it once
// and returns the outputs.
func grpRun(t *testing.T, domain, op string, opset int64, attrs ir.Attrs, nOut int, in ...*ir.Tensor) []*ir.Tensor {
	t.Helper()
	outs, err := grpTry(domain, op, opset, attrs, nOut, in...)
	if err != nil {
		t.Fatal(err)
	}
	return outs
}

func grpTry(domain, op string, opset int64, attrs ir.Attrs, nOut int, in ...*ir.Tensor) ([]*ir.Tensor, error) {
	n := &ir.Node{Name: "n", Op: op, Domain: domain, Attrs: attrs, Opset: opset}
	b := &Build{Node: n}
	for _, x := range in {
		n.Inputs = append(n.Inputs, &ir.Value{Name: "x"})
		if x == nil {
			n.Inputs[len(n.Inputs)-1] = nil
			b.InTypes = append(b.InTypes, nil)
			continue
		}
		typ := ir.TypeOfTensor(x)
		b.InTypes = append(b.InTypes, &typ)
	}
	for i := 0; i < nOut; i++ {
		n.Outputs = append(n.Outputs, &ir.Value{Name: "y"})
	}
	f, err := BuildNode(b)
	if err != nil {
		return nil, err
	}
	c := &Ctx{Outs: make([]*ir.Tensor, nOut), Pool: Serial{}, Node: n}
	if err := f(c, in); err != nil {
		return nil, err
	}
	return c.Outs, nil
}

func grpWant(t *testing.T, what string, got *ir.Tensor, shape []int64, data any) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: no output", what)
	}
	if !sameShape(got.Shape, shape) {
		t.Fatalf("%s: shape %v, want %v", what, got.Shape, shape)
	}
	if !reflect.DeepEqual(got.Data, data) {
		t.Fatalf("%s: got %v, want %v", what, got.Data, data)
	}
}

func TestStringNormalizer(t *testing.T) {
	days := ir.FromSlice([]string{"Monday", "tuesday", "wednesday"})
	tests := []struct {
		name  string
		attrs map[string]any
		in    *ir.Tensor
		shape []int64
		want  []string
	}{
		{"insensitive upper", map[string]any{"stopwords": []string{"monday"}, "case_change_action": "UPPER"}, days, []int64{2}, []string{"TUESDAY", "WEDNESDAY"}},
		{"sensitive keeps", map[string]any{"stopwords": []string{"monday"}, "is_case_sensitive": int64(1)}, days, []int64{3}, []string{"Monday", "tuesday", "wednesday"}},
		{"lower 1xC", map[string]any{"case_change_action": "LOWER"}, ir.FromSlice([]string{"A", "Bc"}, 1, 2), []int64{1, 2}, []string{"a", "bc"}},
		{"all removed", map[string]any{"stopwords": []string{"x"}}, ir.FromSlice([]string{"x", "X"}), []int64{1}, []string{""}},
		{"all removed 1xC", map[string]any{"stopwords": []string{"x"}}, ir.FromSlice([]string{"x"}, 1, 1), []int64{1, 1}, []string{""}},
		{"turkish", map[string]any{"case_change_action": "LOWER", "locale": "tr_TR"}, ir.FromSlice([]string{"IŞIK"}), []int64{1}, []string{"ışık"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			y := grpRun(t, "", "StringNormalizer", 10, rndAttrs(tc.attrs), 1, tc.in)
			grpWant(t, "Y", y[0], tc.shape, tc.want)
		})
	}
	if _, err := grpTry("", "StringNormalizer", 10, rndAttrs(map[string]any{}), 1, ir.FromSlice([]string{"a", "b"}, 2, 1)); err == nil {
		t.Error("a [2, 1] input was accepted")
	}
	if _, err := grpTry("", "StringNormalizer", 10, rndAttrs(map[string]any{"case_change_action": "TITLE"}), 1, days); err == nil {
		t.Error("case_change_action TITLE was accepted")
	}
}

func TestStringSplit(t *testing.T) {
	tests := []struct {
		name   string
		attrs  map[string]any
		in     *ir.Tensor
		shape  []int64
		want   []string
		counts []int64
	}{
		{"whitespace", map[string]any{}, ir.FromSlice([]string{"  a \t b ", "c"}), []int64{2, 2}, []string{"a", "b", "c", ""}, []int64{2, 1}},
		{"delimiter keeps empties", map[string]any{"delimiter": "-"}, ir.FromSlice([]string{"a--b", "-"}), []int64{2, 3}, []string{"a", "", "b", "", "", ""}, []int64{3, 2}},
		{"maxsplit", map[string]any{"maxsplit": int64(1)}, ir.FromSlice([]string{" x y  z "}), []int64{1, 2}, []string{"x", "y  z "}, []int64{2}},
		{"maxsplit delimiter", map[string]any{"maxsplit": int64(1), "delimiter": ","}, ir.FromSlice([]string{"a,b,c"}), []int64{1, 2}, []string{"a", "b,c"}, []int64{2}},
		{"empty input", map[string]any{}, ir.FromSlice([]string{}, 0), []int64{0, 0}, []string{}, []int64{}},
		{"empty string", map[string]any{}, ir.FromSlice([]string{"", "  "}), []int64{2, 0}, []string{}, []int64{0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			y := grpRun(t, "", "StringSplit", 20, rndAttrs(tc.attrs), 2, tc.in)
			grpWant(t, "Y", y[0], tc.shape, tc.want)
			grpWant(t, "Z", y[1], tc.in.Shape, tc.counts)
		})
	}
}

func TestStringConcatAndRegex(t *testing.T) {
	y := grpRun(t, "", "StringConcat", 20, ir.Attrs{}, 1, ir.FromSlice([]string{"a", "b"}, 2, 1), ir.FromSlice([]string{"x", "y", "z"}))
	grpWant(t, "concat", y[0], []int64{2, 3}, []string{"ax", "ay", "az", "bx", "by", "bz"})

	re := rndAttrs(map[string]any{"pattern": `[a-z]+\d`})
	y = grpRun(t, "", "RegexFullMatch", 20, re, 1, ir.FromSlice([]string{"abc1", "abc1x", "1abc1", "", "a9"}))
	grpWant(t, "regex", y[0], []int64{5}, []bool{true, false, false, false, true})
	if _, err := grpTry("", "RegexFullMatch", 20, rndAttrs(map[string]any{"pattern": `(?<=a)b`}), 1, ir.FromSlice([]string{"a"})); err == nil {
		t.Error("a lookbehind (not RE2) was accepted")
	}
}

func TestTfIdfVectorizer(t *testing.T) {
	// The spec's example: pool bigrams [94, 17] → Y[1] and [17, 36] → Y[0].
	base := map[string]any{
		"pool_int64s": []int64{94, 17, 17, 36}, "ngram_counts": []int64{0, 0}, "ngram_indexes": []int64{1, 0},
		"min_gram_length": int64(2), "max_gram_length": int64(2), "max_skip_count": int64(0), "mode": "TF",
	}
	with := func(kv ...any) ir.Attrs {
		m := map[string]any{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return rndAttrs(m)
	}
	x := ir.FromSlice([]int64{94, 17, 36, 12, 28})
	y := grpRun(t, "", "TfIdfVectorizer", 9, with(), 1, x)
	grpWant(t, "TF", y[0], []int64{2}, []float32{1, 1})

	// Skips: [94, 36] (skip 1) is no pool n-gram; [94, 17] twice.
	x2 := ir.FromSlice([]int32{94, 0, 17, 94, 17}, 1, 5)
	y = grpRun(t, "", "TfIdfVectorizer", 9, with("max_skip_count", int64(1)), 1, x2)
	grpWant(t, "TF skip", y[0], []int64{1, 2}, []float32{0, 2})
	y = grpRun(t, "", "TfIdfVectorizer", 9, with("max_skip_count", int64(1), "mode", "IDF", "weights", []float32{2, 3}), 1, x2)
	grpWant(t, "IDF", y[0], []int64{1, 2}, []float32{0, 2})
	y = grpRun(t, "", "TfIdfVectorizer", 9, with("max_skip_count", int64(1), "mode", "TFIDF", "weights", []float32{2, 3}), 1, x2)
	grpWant(t, "TFIDF", y[0], []int64{1, 2}, []float32{0, 4})

	// Strings, unigrams and bigrams, two rows.
	s := rndAttrs(map[string]any{
		"pool_strings": []string{"a", "b", "a", "b"}, "ngram_counts": []int64{0, 2}, "ngram_indexes": []int64{0, 1, 2},
		"min_gram_length": int64(1), "max_gram_length": int64(2), "max_skip_count": int64(0), "mode": "TF",
	})
	y = grpRun(t, "", "TfIdfVectorizer", 9, s, 1, ir.FromSlice([]string{"a", "b", "a", "b", "b", "c"}, 2, 3))
	grpWant(t, "strings", y[0], []int64{2, 3}, []float32{2, 1, 1, 0, 2, 0})
}
