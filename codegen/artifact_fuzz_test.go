package codegen

import (
	"testing"
)

// FuzzReadArtifact feeds arbitrary bytes to the artifact reader: it must
// return an error or a graph, never panic. The seed corpus is a valid
// artifact header with small bodies; testdata/fuzz holds found cases.
func FuzzReadArtifact(f *testing.F) {
	f.Add([]byte(ArtifactMagic))
	f.Add(append([]byte(ArtifactMagic), 1, 0, 0, 0, 2, 0, 0, 0, '{', '}'))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		g, _, err := ReadArtifact(data)
		if err == nil && g == nil {
			t.Fatal("nil graph without error")
		}
	})
}
