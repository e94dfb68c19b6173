package passes

import "github.com/nncc/nncc/ir"

// captureGradients copies the forward computation each Gradient node
// (ai.onnx.preview.training) refers to by name into a graph attribute of
// that node, so later passes may rewrite the main graph freely.
func captureGradients(g *ir.Graph, c *Context) error {
	return ir.CaptureGradientForward(g)
}
