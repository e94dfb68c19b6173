package runtime

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestArtifactLoadPath loads an artifact through Load, by file and by
// folder (the file is read in one allocation of its size), and checks that
// a damaged file is still a clear error.
func TestArtifactLoadPath(t *testing.T) {
	data := compileTestCNN(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "model.nnc")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	for _, p := range []string{path, dir} {
		s, err := Load(p, Options{Threads: 1})
		require.NoError(t, err, p)
		require.NotNil(t, s.Artifact(), p)
		s.Close()
	}
	require.NoError(t, os.WriteFile(path, data[:len(data)-7], 0o644))
	_, err := Load(path, Options{})
	require.ErrorContains(t, err, "checksum mismatch")
}
