package kernels

import (
	"fmt"
	"math"

	"github.com/nncc/nncc/ir"
)

// MelWeightMatrix (ai.onnx opset 17): a (dft_length/2 + 1, num_mel_bins)
// matrix of triangular filters, evenly spaced on the mel scale
// mel(f) = 2595 log10(1 + f/700) between lower_edge_hertz and
// upper_edge_hertz, each peaking at 1. Band edges are snapped to DFT bins
// as floor((dft_length + 1) * f / sample_rate), following the ONNX
// reference; the mel edges are computed at the precision of the edge
// inputs' dtype.

func init() { Register("", "MelWeightMatrix", buildMel) }

func buildMel(b *Build) (Func, error) {
	dt, err := signalOutputType(b)
	if err != nil {
		return nil, err
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		if err := melRun(c, dt, in); err != nil {
			return c.Errorf("%v", err)
		}
		return nil
	}, nil
}

func melRun(c *Ctx, dt ir.DType, in []*ir.Tensor) error {
	nMel, err := stftScalar(in[0], "num_mel_bins")
	if err != nil {
		return err
	}
	dftLen, err := stftScalar(in[1], "dft_length")
	if err != nil {
		return err
	}
	rate, err := stftScalar(in[2], "sample_rate")
	if err != nil {
		return err
	}
	if nMel < 0 || dftLen <= 0 || rate <= 0 {
		return fmt.Errorf("num_mel_bins (%d) must be nonnegative, dft_length (%d) and sample_rate (%d) positive", nMel, dftLen, rate)
	}
	lo, err := advFloats(in[3])
	if err != nil || len(lo) != 1 {
		return fmt.Errorf("lower_edge_hertz must be a float scalar")
	}
	hi, err := advFloats(in[4])
	if err != nil || len(hi) != 1 {
		return fmt.Errorf("upper_edge_hertz must be a float scalar")
	}
	ft := in[3].DType
	rd := func(x float64) float64 { return advRound(ft, x) }
	mel := func(f float64) float64 { return rd(2595 * rd(math.Log10(rd(1+rd(f/700))))) }
	loMel, hiMel := mel(lo[0]), mel(hi[0])
	step := rd(rd(hiMel-loMel) / float64(nMel+2))
	bins := dftLen/2 + 1
	// The output is checked (and made) first: its size is data.
	if err := c.outputShapeErr(0, []int64{int64(bins), int64(nMel)}); err != nil {
		return err
	}
	y, err := c.OutputUninit(0, dt, []int64{int64(bins), int64(nMel)})
	if err != nil {
		return err
	}
	edges := make([]int, nMel+2)
	for i := range edges {
		m := float64(i)*step + loMel
		f := 700 * (math.Pow(10, m/2595) - 1)
		edges[i] = int(math.Floor(float64(dftLen+1) * f / float64(rate)))
	}
	out := make([]float64, bins*nMel)
	set := func(j, i int, v float64) error {
		if j < 0 || j >= bins {
			return fmt.Errorf("mel band %d reaches DFT bin %d, outside [0, %d)", i, j, bins)
		}
		out[j*nMel+i] = v
		return nil
	}
	for i := 0; i < nMel; i++ {
		l, m, h := edges[i], edges[i+1], edges[i+2]
		if m == l {
			if err := set(m, i, 1); err != nil {
				return err
			}
		} else {
			for j := l; j <= m; j++ {
				if err := set(j, i, float64(j-l)/float64(m-l)); err != nil {
					return err
				}
			}
		}
		for j := m; j < h; j++ {
			if err := set(j, i, float64(h-j)/float64(h-m)); err != nil {
				return err
			}
		}
	}
	return signalStoreCast(y, out)
}
