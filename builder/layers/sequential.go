package layers

import "github.com/nncc/nncc/builder"

// SequentialModel is a stack of layers, each applied to the output of the
// one before (Keras Sequential). It is itself a Layer.
type SequentialModel struct {
	Layers []Layer
}

// Sequential returns the stack of ls.
func Sequential(ls ...Layer) *SequentialModel { return &SequentialModel{Layers: ls} }

// Add appends a layer.
func (m *SequentialModel) Add(l Layer) { m.Layers = append(m.Layers, l) }

// Call applies the layers in order.
func (m *SequentialModel) Call(x *builder.Value) *builder.Value {
	for _, l := range m.Layers {
		x = l.Call(x)
	}
	return x
}
