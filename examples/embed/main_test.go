package main

import (
	"testing"

	"github.com/nncc/nncc/examples/embed/cnnmodel"
	"github.com/nncc/nncc/runtime"
)

// TestEmbeddedArtifactLoads fails when the committed package is stale (an
// artifact format change needs `go generate ./examples/embed`).
func TestEmbeddedArtifactLoads(t *testing.T) {
	m, err := cnnmodel.New(runtime.Options{Threads: 1})
	if err != nil {
		t.Fatalf("%v (regenerate with: go generate ./examples/embed)", err)
	}
	defer m.Close()
	main() // prints the predicted class
}
