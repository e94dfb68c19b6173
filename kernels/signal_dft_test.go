package kernels

import (
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
)

// naiveDFT is the defining sum, for comparison.
func naiveDFT(re, im []float64, inverse bool) ([]float64, []float64) {
	n := len(re)
	or, oi := make([]float64, n), make([]float64, n)
	sign := -1.0
	if inverse {
		sign = 1
	}
	for k := 0; k < n; k++ {
		for t := 0; t < n; t++ {
			s, c := math.Sincos(sign * 2 * math.Pi * float64(k*t) / float64(n))
			or[k] += re[t]*c - im[t]*s
			oi[k] += re[t]*s + im[t]*c
		}
		if inverse {
			or[k] /= float64(n)
			oi[k] /= float64(n)
		}
	}
	return or, oi
}

func TestDFTPlanMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, n := range []int{1, 2, 3, 5, 8, 10, 16, 17, 64} {
		re, im := make([]float64, n), make([]float64, n)
		for i := range re {
			re[i], im[i] = rng.NormFloat64(), rng.NormFloat64()
		}
		for _, inv := range []bool{false, true} {
			wr, wi := naiveDFT(re, im, inv)
			gr, gi := make([]float64, n), make([]float64, n)
			newDFTPlan(n).transform(re, im, gr, gi, inv)
			for k := range wr {
				if math.Abs(gr[k]-wr[k]) > 1e-9 || math.Abs(gi[k]-wi[k]) > 1e-9 {
					t.Fatalf("n=%d inverse=%v bin %d: got (%v, %v), want (%v, %v)", n, inv, k, gr[k], gi[k], wr[k], wi[k])
				}
			}
		}
	}
}

func TestDFTOp(t *testing.T) {
	// The DFT of a unit impulse is all ones; axis given as an input (opset 20).
	x := ir.FromSlice([]float32{1, 0, 0, 0}, 1, 4, 1)
	out, err := advRun("DFT", 20, nil, 1, true, x, nil, ir.Scalar(int64(1)))
	if err != nil {
		t.Fatal(err)
	}
	advClose(t, "impulse", out[0], []int64{1, 4, 2}, []float64{1, 0, 1, 0, 1, 0, 1, 0}, 1e-7)
	// Onesided with dft_length 6 zero-pads: 4 bins.
	out, err = advRun("DFT", 20, advAttrs("onesided", 1), 1, true, x, ir.Scalar(int64(6)))
	if err != nil {
		t.Fatal(err)
	}
	advClose(t, "rfft", out[0], []int64{1, 4, 2}, []float64{1, 0, 1, 0, 1, 0, 1, 0}, 1e-7)
	// IRFFT of the one-sided spectrum of an impulse (opset 17, axis attr).
	spec := ir.FromSlice([]float32{1, 0, 1, 0, 1, 0}, 1, 3, 2)
	out, err = advRun("DFT", 17, advAttrs("axis", 1, "inverse", 1, "onesided", 1), 1, false, spec)
	if err != nil {
		t.Fatal(err)
	}
	advClose(t, "irfft", out[0], []int64{1, 4, 1}, []float64{1, 0, 0, 0}, 1e-7)
	if _, err := advRun("DFT", 20, nil, 1, true, x, nil, ir.Scalar(int64(-1))); err == nil {
		t.Fatal("axis -1 (the complex axis) should fail")
	}
}

func TestSTFT(t *testing.T) {
	// A constant signal: every frame's spectrum is (frame_length, 0) at DC.
	sig := ir.FromSlice([]float32{1, 1, 1, 1, 1, 1}, 1, 6, 1)
	out, err := advRun("STFT", 17, nil, 1, true, sig, ir.Scalar(int64(2)), nil, ir.Scalar(int64(4)))
	if err != nil {
		t.Fatal(err)
	}
	advClose(t, "stft", out[0], []int64{1, 2, 3, 2}, []float64{4, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0}, 1e-6)
}

func TestWindows(t *testing.T) {
	size := ir.Scalar(int64(4))
	out, err := advRun("HannWindow", 17, nil, 1, true, size)
	if err != nil {
		t.Fatal(err)
	}
	advClose(t, "hann periodic", out[0], []int64{4}, []float64{0, .5, 1, .5}, 1e-7)
	out, err = advRun("HammingWindow", 17, advAttrs("periodic", 0, "output_datatype", 11), 1, true, size)
	if err != nil {
		t.Fatal(err)
	}
	a := 25.0 / 46
	advClose(t, "hamming symmetric", out[0], []int64{4}, []float64{2*a - 1, a + (1-a)/2, a + (1-a)/2, 2*a - 1}, 1e-12)
	out, err = advRun("BlackmanWindow", 17, nil, 1, false, ir.Scalar(int32(3)))
	if err != nil {
		t.Fatal(err)
	}
	advClose(t, "blackman", out[0], []int64{3}, []float64{0, 0.42 + 0.25 - 0.04, 0.42 + 0.25 - 0.04}, 1e-6)
}

func TestMelWeightMatrix(t *testing.T) {
	out, err := advRun("MelWeightMatrix", 17, nil, 1, true,
		ir.Scalar(int64(4)), ir.Scalar(int64(32)), ir.Scalar(int64(16000)), ir.Scalar(float32(0)), ir.Scalar(float32(8000)))
	if err != nil {
		t.Fatal(err)
	}
	if !sameShape(out[0].Shape, []int64{17, 4}) {
		t.Fatalf("shape %v", out[0].Shape)
	}
	// Every filter peaks at exactly 1.
	for m := 0; m < 4; m++ {
		peak := 0.0
		for k := 0; k < 17; k++ {
			peak = math.Max(peak, out[0].Float64At(k*4+m))
		}
		if peak != 1 {
			t.Fatalf("filter %d peaks at %v", m, peak)
		}
	}
}
