package kernels

import "github.com/nncc/nncc/kernels/isa"

// nchwcFastAct returns, for the activations whose vecmath form is a scalar
// loop branching on every value (LeakyRelu, HardSwish), an in-place
// branch-free routine of ISA level l that computes the same (see the
// twins amd64.NCHWcLeakyGo and amd64.NCHWcHardSwishGo); nil for every
// other activation, which fusedAct.apply serves. On data whose signs
// alternate at random the branches mispredict half the time: a LeakyRelu
// after a 24-channel convolution cost twice the convolution.
func nchwcFastAct(l isa.Level, a fusedAct) func(x []float32) {
	switch a.kind {
	case faLeaky:
		leaky, alpha := nchwcLeaky(l), a.p[0]
		return func(x []float32) { leaky(x, alpha) }
	case faHardSwish:
		return nchwcHardSwish(l)
	}
	return nil
}
