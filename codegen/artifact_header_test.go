package codegen

import (
	"encoding/json"
	"reflect"
	"testing"
)

// headerSamples are headers in and out of the compact form.
var headerSamples = []string{
	`{"producer":"nncc","isa":"avx512","cpu_features":["amd64","avx2"],"opt_level":1,"passes":["infer","dce"],"opset":17,"graph_offset":490,"graph_bytes":1839,"weights_offset":2368,"weights_bytes":402432,"prepacked_offset":404800,"prepacked_bytes":434176}`,
	`{}`,
	`{"passes":[],"cpu_features":[]}`,
	`{"passes":["a"],"passes":["b","c"]}`,
	`{"opset":-0,"opt_level":-3}`,
	`{"opset":01}`,
	`{"opset":-01}`,
	`{"opset":1.5}`,
	`{"opset":1e3}`,
	`{"opset":9223372036854775808}`,
	`{"opset":-9223372036854775808}`,
	`{"isa":"a\"b"}`,
	`{"isa":"\u00e9"}`,
	`{"isa":"é"}`,
	`{"isa":"<&>"}`,
	`{"ISA":"x"}`,
	`{"other":1}`,
	`{"passes":null}`,
	`{ "isa":"x"}`,
	`{"isa":"x"} `,
	`{"isa":"x"}{}`,
	`{"isa":"x",}`,
	`{"passes":["a",]}`,
	`{"isa":`,
	`{"isa":"x`,
	`[]`,
	``,
}

// TestDecodeHeaderMatchesJSON checks that the compact-form parser gives
// what encoding/json gives wherever it accepts a header.
func TestDecodeHeaderMatchesJSON(t *testing.T) {
	for _, s := range headerSamples {
		checkHeaderDecode(t, []byte(s))
	}
	h := ArtifactHeader{Producer: "nncc", ISA: "avx2", CPUFeatures: []string{"amd64", "fma"}, OptLevel: 1,
		Passes: []string{"infer", "fold"}, Opset: 21, GraphOffset: 300, GraphBytes: 5, WeightOffset: 320,
		WeightBytes: 64, PrepackOffset: 384, PrepackBytes: 0}
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	var fast ArtifactHeader
	if !parseHeaderFast(b, &fast) {
		t.Fatalf("json.Marshal's form %s not taken by the fast parser", b)
	}
	checkHeaderDecode(t, b)
}

func checkHeaderDecode(t *testing.T, b []byte) {
	t.Helper()
	var got, want ArtifactHeader
	gotErr := decodeHeader(b, &got)
	wantErr := json.Unmarshal(b, &want)
	if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
		t.Fatalf("%q: error %v, encoding/json %v", b, gotErr, wantErr)
	}
	if gotErr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: %+v, encoding/json %+v", b, got, want)
	}
}

// FuzzDecodeHeader compares the header decoder with encoding/json.
func FuzzDecodeHeader(f *testing.F) {
	for _, s := range headerSamples {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkHeaderDecode(t, b)
	})
}
