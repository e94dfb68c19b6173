package purego

import (
	"math"
	"testing"
)

// TestExpSubThreshold checks ExpSub against Exp's algorithm over every
// float32 from ExpLo to -80: p·2^n is below 2^-126 exactly where x <
// ExpSub, so the assembly's subnormal path (x < ExpSub) is taken for
// every subnormal or zero result and for no normal one.
func TestExpSubThreshold(t *testing.T) {
	for x := float32(ExpLo); x < -80; x = math.Nextafter32(x, 0) {
		n := (x*Log2E + Magic) - Magic
		r := x - n*Ln2Hi
		r = r - n*Ln2Lo
		p := ((((ExpP5*r+ExpP4)*r+ExpP3)*r+ExpP2)*r+ExpP1)*r + ExpP0
		p = (p*r+1)*r + 1
		if sub := math.Ldexp(float64(p), int(n)) < MinNorm; sub != (x < ExpSub) {
			t.Fatalf("x = %v: p·2^n subnormal %v, x < ExpSub %v", x, sub, x < ExpSub)
		}
	}
}
