package runtime

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// isaModel is a model whose constant weights go through kernels.Build's
// prepack hook, and the key prefixes its artifact must record.
type isaModel struct {
	dir  string
	want []string // each must begin at least one recorded key
	// nchwc: the net is convolutional, so an AVX-512 session lays it out
	// in blocked NCHWc (nchwc.conv/ keys) and every other level keeps
	// NCHW (no such key): the layout follows the session's level, never
	// the machine's.
	nchwc bool
}

// isaModels are a convolution net, an LSTM and a Transformer encoder.
var isaModels = []isaModel{
	{dir: "../shared/models/seed_cnn_mnist", want: []string{"sgemm.B/"}, nchwc: true},
	{dir: "../testdata/models/cnn", want: []string{"sgemm.B/"}, nchwc: true},
	{dir: "../testdata/models/rnn_lstm", want: []string{"sgemm.B/"}},
	{dir: "../testdata/models/transformer", want: nil},
}

// TestSessionISAModels compiles a conv net, an LSTM and a Transformer for
// every supported level: each artifact records its prepacked weights
// (conv panels, Winograd-domain filters, LSTM W and R) under keys naming
// the session's level and nothing else; loading it builds every kernel
// without one prepack miss; and sessions of all levels then run at the
// same time in one process with the expected outputs.
func TestSessionISAModels(t *testing.T) {
	for _, m := range isaModels {
		dir := m.dir
		if strings.HasPrefix(dir, "../shared") {
			dir = modelDir(t, filepath.Join("..", dir))
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			g, err := onnx.Load(filepath.Join(dir, "model.onnx"))
			require.NoError(t, err)
			var sessions []*Session
			defer func() {
				for _, s := range sessions {
					s.Close()
				}
			}()
			for _, l := range isa.Supported() {
				data, err := Compile(ir.Clone(g), Options{Threads: 1}, l.String())
				require.NoError(t, err, l)
				s, err := LoadArtifact(data, Options{Threads: 1})
				require.NoError(t, err, l)
				sessions = append(sessions, s)
				require.Equal(t, l, s.ISA())
				h := s.Artifact()
				require.Equal(t, l.String(), h.ISA)
				for _, p := range m.want {
					found := false
					for _, r := range h.Prepacked {
						found = found || strings.HasPrefix(r.Key, p)
					}
					require.True(t, found, "%v: no prepacked %s* among %d records", l, p, len(h.Prepacked))
				}
				if m.nchwc {
					blocked := false
					for _, r := range h.Prepacked {
						blocked = blocked || strings.HasPrefix(r.Key, "nchwc.conv/")
					}
					require.Equal(t, l == isa.AVX512, blocked, "%v: NCHWc convolution weights present", l)
				}
				for _, r := range h.Prepacked {
					if levelKeyed(r.Key) {
						require.Contains(t, r.Key, "/"+l.String()+"/", "%v: key %s is not of the session's level", l, r.Key)
					}
				}
				_, misses := s.prepacks.Stats()
				require.Zero(t, misses, "%v: plan building transformed weights the artifact holds", l)
			}
			var wg sync.WaitGroup
			errs := make(chan error, len(sessions))
			for _, s := range sessions {
				ins, want := loadSet(t, dir, s)
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 5 {
						outs := make([]*ir.Tensor, len(want))
						if err := s.RunInto(context.Background(), ins, outs); err != nil {
							errs <- err
							return
						}
						for i := range want {
							if err := closeEnough(want[i], outs[i]); err != nil {
								errs <- err
								return
							}
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
		})
	}
}

// levelKeyed reports whether key names a transform whose layout is an ISA
// level's (sgemm panels, Winograd operands packed as sgemm panels, gemv
// panels): such keys must name the session's level.
func levelKeyed(key string) bool {
	for _, p := range []string{"sgemm.", "winograd.", "gemv/"} {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}
