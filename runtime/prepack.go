package runtime

import (
	"github.com/nncc/nncc/codegen"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// recordPrepacks builds one plan for the model's declared input shapes
// (symbolic or unknown dimensions set to 1) with a recording
// kernels.PrepackStore and returns the build-time weight transforms the
// kernels made. Weight transforms depend on the weights and the level, not
// on the batch, so they serve plans for any input shape. A model whose
// inputs are not all ranked tensors, or whose example plan does not
// build, gets none (its plans pack at build time, as ONNX sessions do).
func (s *Session) recordPrepacks() ([]kernels.PrepackEntry, error) {
	g := ir.Clone(s.graph)
	for _, v := range g.Inputs {
		t := v.Type
		if t.Kind != ir.KindTensor || !t.RankKnown {
			return nil, nil
		}
		shape := make([]int64, len(t.Shape))
		for i, d := range t.Shape {
			shape[i] = 1
			if d.Known() {
				shape[i] = d.Size
			}
		}
		v.Type = ir.TensorOf(t.DType, ir.KnownShape(shape))
	}
	if err := runPasses(g, s.passContext()); err != nil {
		return nil, nil
	}
	store := kernels.NewPrepackStore(true)
	if _, err := codegen.Compile(g, s.codegenOptions(store)); err != nil {
		return nil, nil
	}
	return store.Entries(), nil
}
