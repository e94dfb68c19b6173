package passes

import (
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// fuseConvPoolNCHWc merges a blocked convolution and the max pooling that
// is the only reader of its output, nncc.ConvNCHWc → nncc.MaxPoolNCHWc,
// into one nncc.ConvMaxPoolNCHWc (ir/ops_nchwc_convpool.go): the kernel
// pools each band of convolution rows while it is in cache, so the
// full-size convolution output is never written and read back and the
// plan has one step fewer. This is the conv → ReLU → max-pool chain of
// classic CNNs (LeNet, VGG) and ResNet's stem (the ReLU is already in the
// convolution's epilogue).
//
// Conditions: the convolution has no residual input, its output has no
// other use and is no graph output; the pooling is 2-D on static spatial
// sizes, its window has at most kernels.ConvPoolMaxWindow taps and every
// window holds at least one input position (so padding never makes an
// output empty); the convolution would not run Winograd at the context's
// level (the fused kernel is the direct one, and Winograd saves more than
// the fusion). Anything else stays as it is.
func fuseConvPoolNCHWc(g *ir.Graph, c *Context) error {
	s := newFuseState(g)
	for _, pool := range append([]*ir.Node(nil), g.Nodes...) {
		if pool.Domain != ir.FusedDomain || pool.Op != "MaxPoolNCHWc" || len(pool.Outputs) != 1 {
			continue
		}
		conv := pool.In(0).Producer
		if !isFusedOp(conv, "ConvNCHWc") || conv.In(3) != nil ||
			s.soleUser(pool.In(0)) != pool || !convPoolWindowsFull(pool) || kernels.NCHWcConvWinograd(c.Level, conv) {
			continue
		}
		attrs := cloneAttrs(conv.Attrs)
		ir.WithNCHWcPoolAttrs(attrs, pool.Attrs)
		ins := conv.Inputs
		if len(ins) > 3 {
			ins = ins[:3]
		}
		n := &ir.Node{Name: s.name(conv.Name + "_pool"), Op: "ConvMaxPoolNCHWc", Domain: ir.FusedDomain, Opset: 1,
			Inputs: append([]*ir.Value(nil), ins...), Outputs: []*ir.Value{pool.Outputs[0]}, Attrs: attrs}
		replaceNode(g, pool, n)
		removeNodes(g, map[*ir.Node]bool{conv: true})
		if err := ir.InferNode(n); err != nil {
			return err
		}
		s.refresh()
	}
	return nil
}

// convPoolWindowsFull reports whether a 2-D MaxPoolNCHWc on its static
// input has at most kernels.ConvPoolMaxWindow taps and every window holds
// at least one input position.
func convPoolWindowsFull(pool *ir.Node) bool {
	x := pool.In(0)
	if x == nil || !x.Type.RankKnown || len(x.Type.Shape) != 5 {
		return false
	}
	k := pool.Attrs.Ints("kernel_shape", nil)
	if len(k) != 2 || k[0]*k[1] > kernels.ConvPoolMaxWindow {
		return false
	}
	wa, err := ir.ParseWindowAttrs(pool.Attrs, 2, k)
	if err != nil || wa.AutoPad != "NOTSET" {
		return false
	}
	for i := range 2 {
		d := x.Type.Shape[2+i]
		if !d.Known() {
			return false
		}
		o, pb, _, err := wa.Axis(i, d.Size)
		if err != nil || o <= 0 {
			return false
		}
		for oi := range o {
			start := oi*wa.Strides[i] - pb
			ok := false
			for t := range wa.Kernel[i] {
				if q := start + t*wa.Dilations[i]; q >= 0 && q < d.Size {
					ok = true
					break
				}
			}
			if !ok {
				return false
			}
		}
	}
	return true
}
