package codegen

// viewInputsInPlace takes views of graph inputs out of the arena. A view op
// (Reshape, Flatten, Squeeze, Unsqueeze, Identity) produces its output
// through Ctx.SetView, which copies into a planned arena buffer when the
// output has one and otherwise returns a view sharing the input's data.
// When the input is a graph input (the caller's tensor, not in the arena)
// the copy buys nothing: nothing in the plan writes to a graph input or to
// a view of one (in-place reuse takes only arena buffers, inplace.go), so
// the view is as safe as the tensor it shares. An MLP's Flatten of its
// input was a copy per Run (seed_gan_discriminator, 2×784 floats). Views
// of such views (Flatten then Reshape) follow. A view that is a graph
// output keeps its buffer, so that no output of a Run shares memory with
// the caller's input.
func viewInputsInPlace(p *Plan) {
	aliasOfInput := make([]bool, len(p.Slots))
	for i, s := range p.Slots {
		aliasOfInput[i] = s.Kind == SlotInput
	}
	for _, st := range p.Steps {
		if len(st.In) == 0 || len(st.Out) == 0 || st.Node.Domain != "" || !isView(st.Node.Op) {
			continue
		}
		in, out := st.In[0], st.Out[0]
		if in < 0 || out < 0 || !aliasOfInput[in] || p.Slots[out].Kind != SlotArena || isOutput(p, out) {
			continue
		}
		p.Slots[out].Kind = SlotDynamic
		aliasOfInput[out] = true
	}
}
