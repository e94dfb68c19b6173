package ir

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFloat16RoundTrip(t *testing.T) {
	// Every finite binary16 value widens and narrows back to itself.
	for b := 0; b < 1<<16; b++ {
		h := F16(b)
		f := h.Float32()
		if math.IsNaN(float64(f)) {
			require.True(t, math.IsNaN(float64(NewFloat16(f).Float32())))
			continue
		}
		require.Equal(t, h, NewFloat16(f), "bits %#04x", b)
	}
	require.Equal(t, F16(0x3c00), NewFloat16(1))
	require.Equal(t, F16(0x7c00), NewFloat16(1e6)) // overflow to +Inf
	require.Equal(t, F16(0x0001), NewFloat16(float32(math.Ldexp(1, -24))))
	// Ties round to even: 1 + 2^-11 lies halfway between 1 and 1+2^-10.
	require.Equal(t, F16(0x3c00), NewFloat16(1+float32(math.Ldexp(1, -11))))
}

func TestBFloat16Rounding(t *testing.T) {
	require.Equal(t, BF16(0x3f80), NewBFloat16(1))
	require.Equal(t, float32(1), NewBFloat16(1.001).Float32())
	require.True(t, math.IsNaN(float64(NewBFloat16(float32(math.NaN())).Float32())))
}

func TestBroadcastShapes(t *testing.T) {
	s, err := BroadcastShapes(Shape{Sym("N"), D(1), D(4)}, Shape{D(3), D(1)})
	require.NoError(t, err)
	require.Equal(t, "[N,3,4]", s.String())
	_, err = BroadcastShapes(Shape{D(2)}, Shape{D(3)})
	require.Error(t, err)
	c, err := BroadcastConcrete([]int64{2, 1, 4}, []int64{3, 1})
	require.NoError(t, err)
	require.Equal(t, []int64{2, 3, 4}, c)
}

func TestCheckedNumElements(t *testing.T) {
	_, err := CheckedNumElements([]int64{1 << 40, 1 << 40}, 1<<32)
	require.Error(t, err)
	_, err = CheckedNumElements([]int64{-1}, 1<<32)
	require.Error(t, err)
	n, err := CheckedNumElements([]int64{0, 1 << 62}, 1<<32)
	require.NoError(t, err)
	require.Zero(t, n)
}

func TestVerifyCatchesUseBeforeDef(t *testing.T) {
	x := &Value{Name: "x", Type: TensorType(Float32, 2)}
	late := &Value{Name: "late"}
	n := &Node{Name: "n", Op: "Identity", Inputs: []*Value{late}, Attrs: Attrs{}}
	g := &Graph{Name: "g", Inputs: []*Value{x}}
	g.AddNode(n)
	n.Outputs = []*Value{{Name: "y"}}
	n.Outputs[0].Producer = n
	g.Outputs = []*Value{n.Outputs[0]}
	if _, ok := LookupOp("", "Identity"); !ok {
		t.Skip("Identity is not in the op table of this build")
	}
	require.ErrorContains(t, Verify(g), "used before it is defined")
	n.Inputs[0] = x
	require.NoError(t, Verify(g))
	g.Outputs = append(g.Outputs, &Value{Name: "ghost"})
	require.ErrorContains(t, Verify(g), "never defined")
}

func TestCloneIsDeep(t *testing.T) {
	x := &Value{Name: "x", Type: TensorType(Float32, 2)}
	y := &Value{Name: "y"}
	g := &Graph{Name: "g", Inputs: []*Value{x}}
	g.AddNode(&Node{Name: "n", Op: "Relu", Inputs: []*Value{x}, Outputs: []*Value{y}, Attrs: Attrs{}})
	g.Outputs = []*Value{y}
	c := Clone(g)
	require.Equal(t, Format(g), Format(c))
	require.NotSame(t, g.Nodes[0], c.Nodes[0])
	require.Same(t, c.Inputs[0], c.Nodes[0].Inputs[0])
	require.Same(t, c.Nodes[0], c.Outputs[0].Producer)
}
