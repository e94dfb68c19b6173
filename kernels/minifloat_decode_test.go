package kernels

import (
	"math"
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestMiniFloatDecodersAgree: the quantizers' float8/float4/e8m0 decoders
// (nnMiniFloat, nnE8M0ToF32) and the Cast tables (smallFloatsInto) give
// the same float32 bits for every code, so reading an operand through
// either is the same.
func TestMiniFloatDecodersAgree(t *testing.T) {
	for _, dt := range []ir.DType{ir.Float8E4M3FN, ir.Float8E4M3FNUZ, ir.Float8E5M2, ir.Float8E5M2FNUZ, ir.Float4E2M1, ir.Float8E8M0} {
		codes := make([]uint8, 256)
		for i := range codes {
			codes[i] = uint8(i)
		}
		if dt == ir.Float4E2M1 {
			codes = codes[:16]
		}
		src := &ir.Tensor{DType: dt, Shape: []int64{int64(len(codes))}, Data: codes}
		got := make([]float32, len(codes))
		if err := smallFloatsInto(got, src, 0); err != nil {
			t.Fatal(err)
		}
		for i, c := range codes {
			var want float32
			if mf := nnMiniFloatOf(dt); mf != nil {
				want = mf.decode(c)
			} else {
				want = nnE8M0ToF32(c)
			}
			if math.Float32bits(got[i]) != math.Float32bits(want) && !(got[i] != got[i] && want != want) {
				t.Fatalf("%v code %#x: Cast table %v, quantizer %v", dt, c, got[i], want)
			}
		}
	}
}
