package codegen

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestGenericBodyDeferred: loading for a session decodes the generic
// graph's head and interface only (its outputs are the listed names and
// types); its nodes come with MaterializeGeneric, and an error in them is
// reported there (and by DecodeArtifact), while the stored plan still
// decodes.
func TestGenericBodyDeferred(t *testing.T) {
	g, sg, _ := specializedPair()
	data, err := EncodeArtifact(&Artifact{Graph: g, Specialized: []*ir.Graph{sg}, Header: ArtifactHeader{ISA: "generic"}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := DecodeArtifactDeferred(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Graph.Nodes) != 0 || len(a.Graph.Outputs) != 1 || a.Graph.Outputs[0].Name != "y" ||
		!sameType(a.Graph.Outputs[0].Type, g.Outputs[0].Type) || len(a.Graph.Inputs) != 1 || len(a.Graph.Constants) != 1 {
		t.Fatalf("deferred generic graph: %d nodes, outputs %v", len(a.Graph.Nodes), a.Graph.Outputs)
	}
	if _, err := a.MaterializeGeneric(); err != nil {
		t.Fatal(err)
	}
	if len(a.Graph.Nodes) != 1 || a.Graph.Outputs[0].Producer != a.Graph.Nodes[0] || a.Graph.Nodes[0].Inputs[1] != a.Graph.Constants[0] {
		t.Fatalf("generic graph after MaterializeGeneric: %v", a.Graph.Nodes)
	}

	// An unknown op in the body (checksum repaired).
	bad := append([]byte{}, data...)
	h := a.Header
	section := bad[h.GraphOffset : h.GraphOffset+h.GraphBytes]
	i := bytes.Index(section, []byte("MatMul"))
	if i < 0 {
		t.Fatal("no MatMul in the graph section")
	}
	copy(section[i:], "MatMuX")
	binary.LittleEndian.PutUint32(bad[len(bad)-4:], crc32.Checksum(bad[:len(bad)-4], castagnoli))
	b, err := DecodeArtifactDeferred(bad)
	if err != nil {
		t.Fatalf("the body is decoded at load: %v", err)
	}
	if _, _, err := b.Stored[0].Graph(); err != nil {
		t.Fatalf("stored plan: %v", err)
	}
	for range 2 {
		if _, err := b.MaterializeGeneric(); err == nil || !strings.Contains(err.Error(), "unknown op MatMuX") {
			t.Fatalf("MaterializeGeneric: %v", err)
		}
	}
	if len(b.Graph.Nodes) != 0 || b.Graph.Outputs[0].Name != "y" {
		t.Fatal("a body that failed to decode left nodes behind")
	}
	if _, err := DecodeArtifact(bad); err == nil || !strings.Contains(err.Error(), "unknown op MatMuX") {
		t.Fatalf("DecodeArtifact: %v", err)
	}
}

// TestGenericBodyPanicSticky: a panic while decoding the generic graph's
// body (forced here with body bounds past the section: the decoder's
// bounds checks never let real input do this) is an error on every call,
// never a half-decoded graph taken for a decoded one.
func TestGenericBodyPanicSticky(t *testing.T) {
	g, sg, _ := specializedPair()
	data, err := EncodeArtifact(&Artifact{Graph: g, Specialized: []*ir.Graph{sg}, Header: ArtifactHeader{ISA: "generic"}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := DecodeArtifactDeferred(data)
	if err != nil {
		t.Fatal(err)
	}
	a.shared.body.end = 1 << 30
	for i := range 2 {
		if _, err := a.MaterializeGeneric(); err == nil || !strings.Contains(err.Error(), "BUG") {
			t.Fatalf("MaterializeGeneric call %d: %v, want the recovered panic", i+1, err)
		}
		if len(a.Graph.Nodes) != 0 || len(a.Graph.Outputs) != 1 {
			t.Fatalf("call %d left a half-decoded graph: %d nodes, %d outputs", i+1, len(a.Graph.Nodes), len(a.Graph.Outputs))
		}
	}
	if err := a.Materialize(); err == nil {
		t.Fatal("Materialize reported no error for an undecodable body")
	}
}
