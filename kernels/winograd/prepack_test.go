package winograd

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/kernels/isa"
)

// TestPrepacked: NewConv3x3Prepacked hands every packed operand to its
// PrepackFunc under WeightsKey (naming the level), and a convolution
// rebuilt from the stored operands transforms nothing and computes the
// same values bit for bit.
func TestPrepacked(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	const cout, cin, h, wd = 5, 3, 9, 7
	w, x := randSlice(r, cout*cin*9), randSlice(r, cin*h*wd)
	for _, l := range isa.Supported() {
		for _, tile := range []int{2, 4} {
			stored := map[string][]float32{}
			record := func(src []float32, key string, make func() []float32) []float32 {
				require.Same(t, &w[0], &src[0])
				d := make()
				stored[key] = d
				return d
			}
			cv, err := NewConv3x3Prepacked(l, cout, cin, w, 1, 1, 1, 1, tile, record)
			require.NoError(t, err)
			require.Len(t, stored, (tile+2)*(tile+2))
			for k := range stored {
				require.True(t, strings.HasPrefix(k, "winograd.U/"+l.String()+"/"), k)
			}
			made := 0
			load := func(src []float32, key string, make func() []float32) []float32 {
				if d, ok := stored[key]; ok {
					return d
				}
				made++
				return make()
			}
			cv2, err := NewConv3x3Prepacked(l, cout, cin, w, 1, 1, 1, 1, tile, load)
			require.NoError(t, err)
			require.Zero(t, made)
			oh, ow := cv.OutShape(h, wd)
			y1, y2 := make([]float32, cout*oh*ow), make([]float32, cout*oh*ow)
			require.NoError(t, cv.Run(x, 1, h, wd, y1, nil, make([]float32, cv.ScratchLen(1, h, wd, 1)), nil))
			require.NoError(t, cv2.Run(x, 1, h, wd, y2, nil, make([]float32, cv2.ScratchLen(1, h, wd, 1)), nil))
			require.Equal(t, y1, y2, "%v tile %d", l, tile)
			plain, err := NewConv3x3(l, cout, cin, w, 1, 1, 1, 1, tile)
			require.NoError(t, err)
			y3 := make([]float32, cout*oh*ow)
			require.NoError(t, plain.Run(x, 1, h, wd, y3, nil, make([]float32, plain.ScratchLen(1, h, wd, 1)), nil))
			require.Equal(t, y1, y3, "%v tile %d", l, tile)
		}
	}
}
