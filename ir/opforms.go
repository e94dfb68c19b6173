package ir

import (
	"fmt"
	"strings"
)

// OpForm is the shape of one version of a standard ONNX op: from opset
// Since (until the next form's Since) the op takes exactly the attributes
// Attrs and between MinIn and MaxIn inputs, MinOut and MaxOut outputs
// (a maximum of -1: variadic).
type OpForm struct {
	Since          int64
	Attrs          string // space-separated attribute names
	MinIn, MaxIn   int
	MinOut, MaxOut int
}

// FormAt returns the form of a default-domain op at an opset, or false
// when the op has no recorded forms or did not exist yet.
func FormAt(op string, opset int64) (OpForm, bool) {
	var f OpForm
	ok := false
	for _, x := range opForms[op] {
		if x.Since > opset {
			break
		}
		f, ok = x, true
	}
	return f, ok
}

// CheckOpForm checks a default-domain node read from a model against the
// form its opset gives the op: an attribute the op does not have at that
// version (starts on Slice-10, pads on Pad-11, spatial on
// BatchNormalization-9) or an input count of another version (a shape
// input on Reshape-1) means the model was written for another opset, and
// running it with either version's meaning could be wrong; it is an error
// naming the op, the version and where the attribute does exist. Nodes of
// other domains, and of graphs built in Go (opset 0), are not checked.
func CheckOpForm(n *Node) error {
	if n.Domain != "" || n.Opset <= 0 {
		return nil
	}
	f, ok := FormAt(n.Op, n.Opset)
	if !ok {
		return nil
	}
	ver := func() string { return fmt.Sprintf("%s-%d", n.Op, f.Since) } // for messages only
	for name := range n.Attrs {
		if !hasWord(f.Attrs, name) && !legacyNoOp(n, name) {
			return fmt.Errorf("attribute %q is not part of %s (the form at opset %d)%s", name, ver(), n.Opset, attrVersions(n.Op, name))
		}
	}
	in := presentCount(len(n.Inputs), func(i int) bool { return n.Inputs[i] != nil })
	if in < f.MinIn || (f.MaxIn >= 0 && in > f.MaxIn) {
		return fmt.Errorf("%s (the form at opset %d) takes %s inputs, got %d%s", ver(), n.Opset, arity(f.MinIn, f.MaxIn), in, arityVersions(n.Op, in))
	}
	out := presentCount(len(n.Outputs), func(i int) bool { return n.Outputs[i] != nil })
	if out < f.MinOut || (f.MaxOut >= 0 && out > f.MaxOut) {
		return fmt.Errorf("%s (the form at opset %d) has %s outputs, got %d", ver(), n.Opset, arity(f.MinOut, f.MaxOut), out)
	}
	return nil
}

// legacyNoOps lists attributes of earlier versions that later exporters
// still leave on a node with a value that means what the later version
// does, so the node is run rather than refused (ONNX Runtime refuses it):
// consumed_inputs was only an in-place hint; is_test = 1 asks for the
// inference behaviour, the only one later BatchNormalization-7+ and
// Dropout-7+ have without training_mode; spatial = 1 is what
// BatchNormalization-9+ always does. Any other value keeps the error.
var legacyNoOps = map[string]func(n *Node, a *Attr) bool{
	"consumed_inputs": func(*Node, *Attr) bool { return true },
	"is_test": func(n *Node, a *Attr) bool {
		return (n.Op == "BatchNormalization" || n.Op == "Dropout") && a.Kind == AttrInt && a.I == 1
	},
	"spatial": func(n *Node, a *Attr) bool {
		return n.Op == "BatchNormalization" && a.Kind == AttrInt && a.I == 1
	},
}

// legacyNoOp reports whether attribute name of n is a leftover of an
// earlier version whose value changes nothing (legacyNoOps).
func legacyNoOp(n *Node, name string) bool {
	ok := legacyNoOps[name]
	return ok != nil && n.Attrs[name] != nil && ok(n, n.Attrs[name])
}

// presentCount is n without its trailing omitted slots.
func presentCount(n int, present func(int) bool) int {
	for n > 0 && !present(n-1) {
		n--
	}
	return n
}

func hasWord(list, w string) bool {
	for x := range strings.FieldsSeq(list) {
		if x == w {
			return true
		}
	}
	return false
}

// attrVersions says in which opsets op has attribute name, for messages.
func attrVersions(op, name string) string {
	return versionsWhere(op, func(f OpForm) bool { return hasWord(f.Attrs, name) }, "; it exists")
}

// arityVersions says in which opsets op takes n inputs, for messages.
func arityVersions(op string, n int) string {
	return versionsWhere(op, func(f OpForm) bool { return n >= f.MinIn && (f.MaxIn < 0 || n <= f.MaxIn) }, "; that many inputs are")
}

func versionsWhere(op string, ok func(OpForm) bool, lead string) string {
	forms := opForms[op]
	var spans []string
	for i := 0; i < len(forms); i++ {
		if !ok(forms[i]) {
			continue
		}
		from := forms[i].Since
		for i+1 < len(forms) && ok(forms[i+1]) {
			i++ // adjacent forms that both qualify make one span
		}
		if i+1 < len(forms) {
			spans = append(spans, fmt.Sprintf("opsets %d to %d", from, forms[i+1].Since-1))
		} else {
			spans = append(spans, fmt.Sprintf("opset %d and later", from))
		}
	}
	if len(spans) == 0 {
		return fmt.Sprintf(" (%s has it in no version)", op)
	}
	return fmt.Sprintf("%s in %s", lead, strings.Join(spans, ", "))
}

// opForms lists, for every op of the default domain in the op table, the
// versions at which its attribute set or arity changed, as the operator
// changelog (onnx/onnx docs/Changelog.md) gives them. Versions that only
// changed types or semantics are folded into the form before them; the
// deprecation entries (Upsample-10, Scatter-11, GroupNormalization-18)
// are left out, so those versions keep the form before them.
var opForms = map[string][]OpForm{
	"Abs":                       {{1, "consumed_inputs", 1, 1, 1, 1}, {6, "", 1, 1, 1, 1}},
	"Acos":                      {{7, "", 1, 1, 1, 1}},
	"Acosh":                     {{9, "", 1, 1, 1, 1}},
	"Add":                       {{1, "axis broadcast consumed_inputs", 2, 2, 1, 1}, {6, "axis broadcast", 2, 2, 1, 1}, {7, "", 2, 2, 1, 1}},
	"AffineGrid":                {{20, "align_corners", 2, 2, 1, 1}},
	"And":                       {{1, "axis broadcast", 2, 2, 1, 1}, {7, "", 2, 2, 1, 1}},
	"ArgMax":                    {{1, "axis keepdims", 1, 1, 1, 1}, {12, "axis keepdims select_last_index", 1, 1, 1, 1}},
	"ArgMin":                    {{1, "axis keepdims", 1, 1, 1, 1}, {12, "axis keepdims select_last_index", 1, 1, 1, 1}},
	"Asin":                      {{7, "", 1, 1, 1, 1}},
	"Asinh":                     {{9, "", 1, 1, 1, 1}},
	"Atan":                      {{7, "", 1, 1, 1, 1}},
	"Atanh":                     {{9, "", 1, 1, 1, 1}},
	"Attention":                 {{23, "is_causal kv_num_heads q_num_heads qk_matmul_output_mode scale softcap softmax_precision", 3, 6, 1, 4}, {24, "is_causal kv_num_heads q_num_heads qk_matmul_output_mode scale softcap softmax_precision", 3, 7, 1, 4}, {25, "is_causal kv_num_heads left_window_size q_num_heads qk_matmul_output_mode right_window_size scale softcap softmax_precision", 3, 7, 1, 4}},
	"AveragePool":               {{1, "auto_pad kernel_shape pads strides", 1, 1, 1, 1}, {7, "auto_pad count_include_pad kernel_shape pads strides", 1, 1, 1, 1}, {10, "auto_pad ceil_mode count_include_pad kernel_shape pads strides", 1, 1, 1, 1}, {19, "auto_pad ceil_mode count_include_pad dilations kernel_shape pads strides", 1, 1, 1, 1}},
	"BatchNormalization":        {{1, "consumed_inputs epsilon is_test momentum spatial", 5, 5, 1, 5}, {6, "epsilon is_test momentum spatial", 5, 5, 1, 5}, {7, "epsilon momentum spatial", 5, 5, 1, 5}, {9, "epsilon momentum", 5, 5, 1, 5}, {14, "epsilon momentum training_mode", 5, 5, 1, 3}},
	"Bernoulli":                 {{15, "dtype seed", 1, 1, 1, 1}},
	"BitCast":                   {{26, "to", 1, 1, 1, 1}},
	"BitShift":                  {{11, "direction", 2, 2, 1, 1}},
	"BitwiseAnd":                {{18, "", 2, 2, 1, 1}},
	"BitwiseNot":                {{18, "", 1, 1, 1, 1}},
	"BitwiseOr":                 {{18, "", 2, 2, 1, 1}},
	"BitwiseXor":                {{18, "", 2, 2, 1, 1}},
	"BlackmanWindow":            {{17, "output_datatype periodic", 1, 1, 1, 1}},
	"Cast":                      {{1, "to", 1, 1, 1, 1}, {19, "saturate to", 1, 1, 1, 1}, {24, "round_mode saturate to", 1, 1, 1, 1}},
	"CastLike":                  {{15, "", 2, 2, 1, 1}, {19, "saturate", 2, 2, 1, 1}, {24, "round_mode saturate", 2, 2, 1, 1}},
	"CausalConvWithState":       {{27, "activation", 2, 4, 2, 2}},
	"Ceil":                      {{1, "consumed_inputs", 1, 1, 1, 1}, {6, "", 1, 1, 1, 1}},
	"Celu":                      {{12, "alpha", 1, 1, 1, 1}},
	"CenterCropPad":             {{18, "axes", 2, 2, 1, 1}},
	"Clip":                      {{1, "consumed_inputs max min", 1, 1, 1, 1}, {6, "max min", 1, 1, 1, 1}, {11, "", 1, 3, 1, 1}},
	"Col2Im":                    {{18, "dilations pads strides", 3, 3, 1, 1}},
	"Compress":                  {{9, "axis", 2, 2, 1, 1}},
	"Concat":                    {{1, "axis", 1, -1, 1, 1}},
	"ConcatFromSequence":        {{11, "axis new_axis", 1, 1, 1, 1}},
	"Constant":                  {{1, "value", 0, 0, 1, 1}, {11, "sparse_value value", 0, 0, 1, 1}, {12, "sparse_value value value_float value_floats value_int value_ints value_string value_strings", 0, 0, 1, 1}},
	"ConstantOfShape":           {{9, "value", 1, 1, 1, 1}},
	"Conv":                      {{1, "auto_pad dilations group kernel_shape pads strides", 2, 3, 1, 1}},
	"ConvInteger":               {{10, "auto_pad dilations group kernel_shape pads strides", 2, 4, 1, 1}},
	"ConvTranspose":             {{1, "auto_pad dilations group kernel_shape output_padding output_shape pads strides", 2, 3, 1, 1}},
	"Cos":                       {{7, "", 1, 1, 1, 1}},
	"Cosh":                      {{9, "", 1, 1, 1, 1}},
	"CumProd":                   {{26, "exclusive reverse", 2, 2, 1, 1}},
	"CumSum":                    {{11, "exclusive reverse", 2, 2, 1, 1}},
	"DFT":                       {{17, "axis inverse onesided", 1, 2, 1, 1}, {20, "inverse onesided", 1, 3, 1, 1}},
	"DeformConv":                {{19, "dilations group kernel_shape offset_group pads strides", 3, 5, 1, 1}},
	"DepthToSpace":              {{1, "blocksize", 1, 1, 1, 1}, {11, "blocksize mode", 1, 1, 1, 1}},
	"DequantizeLinear":          {{10, "", 2, 3, 1, 1}, {13, "axis", 2, 3, 1, 1}, {21, "axis block_size", 2, 3, 1, 1}, {23, "axis block_size output_dtype", 2, 3, 1, 1}},
	"Det":                       {{11, "", 1, 1, 1, 1}},
	"Div":                       {{1, "axis broadcast consumed_inputs", 2, 2, 1, 1}, {6, "axis broadcast", 2, 2, 1, 1}, {7, "", 2, 2, 1, 1}},
	"Dropout":                   {{1, "consumed_inputs is_test ratio", 1, 1, 1, 2}, {6, "is_test ratio", 1, 1, 1, 2}, {7, "ratio", 1, 1, 1, 2}, {12, "seed", 1, 3, 1, 2}},
	"DynamicQuantizeLinear":     {{11, "", 1, 1, 3, 3}},
	"Einsum":                    {{12, "equation", 1, -1, 1, 1}},
	"Elu":                       {{1, "alpha consumed_inputs", 1, 1, 1, 1}, {6, "alpha", 1, 1, 1, 1}},
	"Equal":                     {{1, "axis broadcast", 2, 2, 1, 1}, {7, "", 2, 2, 1, 1}},
	"Erf":                       {{9, "", 1, 1, 1, 1}},
	"Exp":                       {{1, "consumed_inputs", 1, 1, 1, 1}, {6, "", 1, 1, 1, 1}},
	"Expand":                    {{8, "", 2, 2, 1, 1}},
	"EyeLike":                   {{9, "dtype k", 1, 1, 1, 1}},
	"Flatten":                   {{1, "axis", 1, 1, 1, 1}},
	"Floor":                     {{1, "consumed_inputs", 1, 1, 1, 1}, {6, "", 1, 1, 1, 1}},
	"GRU":                       {{1, "activation_alpha activation_beta activations clip direction hidden_size output_sequence", 3, 6, 2, 2}, {3, "activation_alpha activation_beta activations clip direction hidden_size linear_before_reset output_sequence", 3, 6, 0, 2}, {7, "activation_alpha activation_beta activations clip direction hidden_size linear_before_reset", 3, 6, 0, 2}, {14, "activation_alpha activation_beta activations clip direction hidden_size layout linear_before_reset", 3, 6, 0, 2}},
	"Gather":                    {{1, "axis", 2, 2, 1, 1}},
	"GatherElements":            {{11, "axis", 2, 2, 1, 1}},
	"GatherND":                  {{11, "", 2, 2, 1, 1}, {12, "batch_dims", 2, 2, 1, 1}},
	"Gelu":                      {{20, "approximate", 1, 1, 1, 1}},
	"Gemm":                      {{1, "alpha beta broadcast transA transB", 3, 3, 1, 1}, {7, "alpha beta transA transB", 3, 3, 1, 1}, {11, "alpha beta transA transB", 2, 3, 1, 1}},
	"GlobalAveragePool":         {{1, "", 1, 1, 1, 1}},
	"GlobalLpPool":              {{1, "p", 1, 1, 1, 1}},
	"GlobalMaxPool":             {{1, "", 1, 1, 1, 1}},
	"Greater":                   {{1, "axis broadcast", 2, 2, 1, 1}, {7, "", 2, 2, 1, 1}},
	"GreaterOrEqual":            {{12, "", 2, 2, 1, 1}},
	"GridSample":                {{16, "align_corners mode padding_mode", 2, 2, 1, 1}},
	"GroupNormalization":        {{21, "epsilon num_groups stash_type", 3, 3, 1, 1}},
	"HammingWindow":             {{17, "output_datatype periodic", 1, 1, 1, 1}},
	"HannWindow":                {{17, "output_datatype periodic", 1, 1, 1, 1}},
	"HardSigmoid":               {{1, "alpha beta consumed_inputs", 1, 1, 1, 1}, {6, "alpha beta", 1, 1, 1, 1}},
	"HardSwish":                 {{14, "", 1, 1, 1, 1}},
	"Hardmax":                   {{1, "axis", 1, 1, 1, 1}},
	"Identity":                  {{1, "", 1, 1, 1, 1}},
	"If":                        {{1, "else_branch then_branch", 1, 1, 1, -1}},
	"ImageDecoder":              {{20, "pixel_format", 1, 1, 1, 1}},
	"InstanceNormalization":     {{1, "consumed_inputs epsilon", 3, 3, 1, 1}, {6, "epsilon", 3, 3, 1, 1}},
	"IsInf":                     {{10, "detect_negative detect_positive", 1, 1, 1, 1}},
	"IsNaN":                     {{9, "", 1, 1, 1, 1}},
	"LRN":                       {{1, "alpha beta bias size", 1, 1, 1, 1}},
	"LSTM":                      {{1, "activation_alpha activation_beta activations clip direction hidden_size input_forget output_sequence", 3, 8, 0, 3}, {7, "activation_alpha activation_beta activations clip direction hidden_size input_forget", 3, 8, 0, 3}, {14, "activation_alpha activation_beta activations clip direction hidden_size input_forget layout", 3, 8, 0, 3}},
	"LayerNormalization":        {{17, "axis epsilon stash_type", 2, 3, 1, 3}},
	"LeakyRelu":                 {{1, "alpha consumed_inputs", 1, 1, 1, 1}, {6, "alpha", 1, 1, 1, 1}},
	"Less":                      {{1, "axis broadcast", 2, 2, 1, 1}, {7, "", 2, 2, 1, 1}},
	"LessOrEqual":               {{12, "", 2, 2, 1, 1}},
	"LinearAttention":           {{27, "chunk_size kv_num_heads q_num_heads scale update_rule", 3, 6, 2, 2}},
	"Log":                       {{1, "consumed_inputs", 1, 1, 1, 1}, {6, "", 1, 1, 1, 1}},
	"LogSoftmax":                {{1, "axis", 1, 1, 1, 1}},
	"Loop":                      {{1, "body", 3, -1, 1, -1}, {11, "body", 2, -1, 1, -1}},
	"LpNormalization":           {{1, "axis p", 1, 1, 1, 1}},
	"LpPool":                    {{1, "auto_pad kernel_shape p pads strides", 1, 1, 1, 1}, {18, "auto_pad ceil_mode dilations kernel_shape p pads strides", 1, 1, 1, 1}},
	"MatMul":                    {{1, "", 2, 2, 1, 1}},
	"MatMulInteger":             {{10, "", 2, 4, 1, 1}},
	"Max":                       {{1, "consumed_inputs", 1, -1, 1, 1}, {6, "", 1, -1, 1, 1}},
	"MaxPool":                   {{1, "auto_pad kernel_shape pads strides", 1, 1, 1, 1}, {8, "auto_pad kernel_shape pads storage_order strides", 1, 1, 1, 2}, {10, "auto_pad ceil_mode dilations kernel_shape pads storage_order strides", 1, 1, 1, 2}},
	"MaxRoiPool":                {{1, "pooled_shape spatial_scale", 2, 2, 1, 1}},
	"MaxUnpool":                 {{9, "kernel_shape pads strides", 2, 3, 1, 1}},
	"Mean":                      {{1, "consumed_inputs", 1, -1, 1, 1}, {6, "", 1, -1, 1, 1}},
	"MeanVarianceNormalization": {{9, "axes", 1, 1, 1, 1}},
	"MelWeightMatrix":           {{17, "output_datatype", 5, 5, 1, 1}},
	"Min":                       {{1, "consumed_inputs", 1, -1, 1, 1}, {6, "", 1, -1, 1, 1}},
	"Mish":                      {{18, "", 1, 1, 1, 1}},
	"Mod":                       {{10, "fmod", 2, 2, 1, 1}},
	"Mul":                       {{1, "axis broadcast consumed_inputs", 2, 2, 1, 1}, {6, "axis broadcast", 2, 2, 1, 1}, {7, "", 2, 2, 1, 1}},
	"Multinomial":               {{7, "dtype sample_size seed", 1, 1, 1, 1}},
	"Neg":                       {{1, "consumed_inputs", 1, 1, 1, 1}, {6, "", 1, 1, 1, 1}},
	"NegativeLogLikelihoodLoss": {{12, "ignore_index reduction", 2, 3, 1, 1}},
	"NonMaxSuppression":         {{10, "center_point_box", 2, 5, 1, 1}},
	"NonZero":                   {{9, "", 1, 1, 1, 1}},
	"Not":                       {{1, "", 1, 1, 1, 1}},
	"OneHot":                    {{9, "axis", 3, 3, 1, 1}},
	"Optional":                  {{15, "type", 0, 1, 1, 1}},
	"OptionalGetElement":        {{15, "", 1, 1, 1, 1}},
	"OptionalHasElement":        {{15, "", 1, 1, 1, 1}, {18, "", 0, 1, 1, 1}},
	"Or":                        {{1, "axis broadcast", 2, 2, 1, 1}, {7, "", 2, 2, 1, 1}},
	"PRelu":                     {{1, "consumed_inputs", 2, 2, 1, 1}, {6, "", 2, 2, 1, 1}},
	"Pad":                       {{1, "mode paddings value", 1, 1, 1, 1}, {2, "mode pads value", 1, 1, 1, 1}, {11, "mode", 2, 3, 1, 1}, {18, "mode", 2, 4, 1, 1}},
	"Pow":                       {{1, "axis broadcast", 2, 2, 1, 1}, {7, "", 2, 2, 1, 1}},
	"QLinearConv":               {{10, "auto_pad dilations group kernel_shape pads strides", 8, 9, 1, 1}},
	"QLinearMatMul":             {{10, "", 8, 8, 1, 1}},
	"QuantizeLinear":            {{10, "", 2, 3, 1, 1}, {13, "axis", 2, 3, 1, 1}, {19, "axis saturate", 2, 3, 1, 1}, {21, "axis block_size output_dtype saturate", 2, 3, 1, 1}, {23, "axis block_size output_dtype precision saturate", 2, 3, 1, 1}},
	"RMSNormalization":          {{23, "axis epsilon stash_type", 2, 2, 1, 1}},
	"RNN":                       {{1, "activation_alpha activation_beta activations clip direction hidden_size output_sequence", 3, 6, 0, 2}, {7, "activation_alpha activation_beta activations clip direction hidden_size", 3, 6, 0, 2}, {14, "activation_alpha activation_beta activations clip direction hidden_size layout", 3, 6, 0, 2}},
	"RandomNormal":              {{1, "dtype mean scale seed shape", 0, 0, 1, 1}},
	"RandomNormalLike":          {{1, "dtype mean scale seed", 1, 1, 1, 1}},
	"RandomUniform":             {{1, "dtype high low seed shape", 0, 0, 1, 1}},
	"RandomUniformLike":         {{1, "dtype high low seed", 1, 1, 1, 1}},
	"Range":                     {{11, "", 3, 3, 1, 1}, {27, "stash_type", 3, 3, 1, 1}},
	"Reciprocal":                {{1, "consumed_inputs", 1, 1, 1, 1}, {6, "", 1, 1, 1, 1}},
	"ReduceL1":                  {{1, "axes keepdims", 1, 1, 1, 1}, {18, "keepdims noop_with_empty_axes", 1, 2, 1, 1}},
	"ReduceL2":                  {{1, "axes keepdims", 1, 1, 1, 1}, {18, "keepdims noop_with_empty_axes", 1, 2, 1, 1}},
	"ReduceLogSum":              {{1, "axes keepdims", 1, 1, 1, 1}, {18, "keepdims noop_with_empty_axes", 1, 2, 1, 1}},
	"ReduceLogSumExp":           {{1, "axes keepdims", 1, 1, 1, 1}, {18, "keepdims noop_with_empty_axes", 1, 2, 1, 1}},
	"ReduceMax":                 {{1, "axes keepdims", 1, 1, 1, 1}, {18, "keepdims noop_with_empty_axes", 1, 2, 1, 1}},
	"ReduceMean":                {{1, "axes keepdims", 1, 1, 1, 1}, {18, "keepdims noop_with_empty_axes", 1, 2, 1, 1}},
	"ReduceMin":                 {{1, "axes keepdims", 1, 1, 1, 1}, {18, "keepdims noop_with_empty_axes", 1, 2, 1, 1}},
	"ReduceProd":                {{1, "axes keepdims", 1, 1, 1, 1}, {18, "keepdims noop_with_empty_axes", 1, 2, 1, 1}},
	"ReduceSum":                 {{1, "axes keepdims", 1, 1, 1, 1}, {13, "keepdims noop_with_empty_axes", 1, 2, 1, 1}},
	"ReduceSumSquare":           {{1, "axes keepdims", 1, 1, 1, 1}, {18, "keepdims noop_with_empty_axes", 1, 2, 1, 1}},
	"RegexFullMatch":            {{20, "pattern", 1, 1, 1, 1}},
	"Relu":                      {{1, "consumed_inputs", 1, 1, 1, 1}, {6, "", 1, 1, 1, 1}},
	"Reshape":                   {{1, "consumed_inputs shape", 1, 1, 1, 1}, {5, "", 2, 2, 1, 1}, {14, "allowzero", 2, 2, 1, 1}},
	"Resize":                    {{10, "mode", 2, 2, 1, 1}, {11, "coordinate_transformation_mode cubic_coeff_a exclude_outside extrapolation_value mode nearest_mode", 3, 4, 1, 1}, {13, "coordinate_transformation_mode cubic_coeff_a exclude_outside extrapolation_value mode nearest_mode", 1, 4, 1, 1}, {18, "antialias axes coordinate_transformation_mode cubic_coeff_a exclude_outside extrapolation_value keep_aspect_ratio_policy mode nearest_mode", 1, 4, 1, 1}},
	"ReverseSequence":           {{10, "batch_axis time_axis", 2, 2, 1, 1}},
	"RoiAlign":                  {{10, "mode output_height output_width sampling_ratio spatial_scale", 3, 3, 1, 1}, {16, "coordinate_transformation_mode mode output_height output_width sampling_ratio spatial_scale", 3, 3, 1, 1}},
	"RotaryEmbedding":           {{23, "interleaved num_heads rotary_embedding_dim", 3, 4, 1, 1}},
	"Round":                     {{11, "", 1, 1, 1, 1}},
	"STFT":                      {{17, "onesided", 2, 4, 1, 1}},
	"Scan":                      {{8, "body directions num_scan_inputs", 2, -1, 1, -1}, {9, "body num_scan_inputs scan_input_axes scan_input_directions scan_output_axes scan_output_directions", 1, -1, 1, -1}},
	"Scatter":                   {{9, "axis", 3, 3, 1, 1}},
	"ScatterElements":           {{11, "axis", 3, 3, 1, 1}, {16, "axis reduction", 3, 3, 1, 1}},
	"ScatterND":                 {{11, "", 3, 3, 1, 1}, {16, "reduction", 3, 3, 1, 1}},
	"Selu":                      {{1, "alpha consumed_inputs gamma", 1, 1, 1, 1}, {6, "alpha gamma", 1, 1, 1, 1}},
	"SequenceAt":                {{11, "", 2, 2, 1, 1}},
	"SequenceConstruct":         {{11, "", 1, -1, 1, 1}},
	"SequenceEmpty":             {{11, "dtype", 0, 0, 1, 1}},
	"SequenceErase":             {{11, "", 1, 2, 1, 1}},
	"SequenceInsert":            {{11, "", 2, 3, 1, 1}},
	"SequenceLength":            {{11, "", 1, 1, 1, 1}},
	"SequenceMap":               {{17, "body", 1, -1, 1, -1}},
	"Shape":                     {{1, "", 1, 1, 1, 1}, {15, "end start", 1, 1, 1, 1}},
	"Shrink":                    {{9, "bias lambd", 1, 1, 1, 1}},
	"Sigmoid":                   {{1, "consumed_inputs", 1, 1, 1, 1}, {6, "", 1, 1, 1, 1}},
	"Sign":                      {{9, "", 1, 1, 1, 1}},
	"Sin":                       {{7, "", 1, 1, 1, 1}},
	"Sinh":                      {{9, "", 1, 1, 1, 1}},
	"Size":                      {{1, "", 1, 1, 1, 1}},
	"Slice":                     {{1, "axes ends starts", 1, 1, 1, 1}, {10, "", 3, 5, 1, 1}},
	"Softmax":                   {{1, "axis", 1, 1, 1, 1}},
	"SoftmaxCrossEntropyLoss":   {{12, "ignore_index reduction", 2, 3, 1, 2}},
	"Softplus":                  {{1, "", 1, 1, 1, 1}},
	"Softsign":                  {{1, "", 1, 1, 1, 1}},
	"SpaceToDepth":              {{1, "blocksize", 1, 1, 1, 1}},
	"Split":                     {{1, "axis split", 1, 2, 1, -1}, {2, "axis split", 1, 1, 1, -1}, {13, "axis", 1, 2, 1, -1}, {18, "axis num_outputs", 1, 2, 1, -1}},
	"SplitToSequence":           {{11, "axis keepdims", 1, 2, 1, 1}},
	"Sqrt":                      {{1, "consumed_inputs", 1, 1, 1, 1}, {6, "", 1, 1, 1, 1}},
	"Squeeze":                   {{1, "axes", 1, 1, 1, 1}, {13, "", 1, 2, 1, 1}},
	"StringConcat":              {{20, "", 2, 2, 1, 1}},
	"StringNormalizer":          {{10, "case_change_action is_case_sensitive locale stopwords", 1, 1, 1, 1}},
	"StringSplit":               {{20, "delimiter maxsplit", 1, 1, 2, 2}},
	"Sub":                       {{1, "axis broadcast consumed_inputs", 2, 2, 1, 1}, {6, "axis broadcast", 2, 2, 1, 1}, {7, "", 2, 2, 1, 1}},
	"Sum":                       {{1, "consumed_inputs", 1, -1, 1, 1}, {6, "", 1, -1, 1, 1}},
	"SwiGLU":                    {{28, "alpha", 2, 2, 1, 1}},
	"Swish":                     {{24, "alpha", 1, 1, 1, 1}},
	"Tan":                       {{7, "", 1, 1, 1, 1}},
	"Tanh":                      {{1, "consumed_inputs", 1, 1, 1, 1}, {6, "", 1, 1, 1, 1}},
	"TensorScatter":             {{24, "axis mode", 2, 3, 1, 1}},
	"TfIdfVectorizer":           {{9, "max_gram_length max_skip_count min_gram_length mode ngram_counts ngram_indexes pool_int64s pool_strings weights", 1, 1, 1, 1}},
	"ThresholdedRelu":           {{10, "alpha", 1, 1, 1, 1}},
	"Tile":                      {{1, "", 3, 3, 1, 1}, {6, "", 2, 2, 1, 1}},
	"TopK":                      {{1, "axis k", 1, 1, 2, 2}, {10, "axis", 2, 2, 2, 2}, {11, "axis largest sorted", 2, 2, 2, 2}},
	"Transpose":                 {{1, "perm", 1, 1, 1, 1}},
	"Trilu":                     {{14, "upper", 1, 2, 1, 1}},
	"Unique":                    {{11, "axis sorted", 1, 1, 1, 4}},
	"Unsqueeze":                 {{1, "axes", 1, 1, 1, 1}, {13, "", 2, 2, 1, 1}},
	"Upsample":                  {{1, "height_scale mode width_scale", 1, 1, 1, 1}, {7, "mode scales", 1, 1, 1, 1}, {9, "mode", 2, 2, 1, 1}},
	"Where":                     {{9, "", 3, 3, 1, 1}},
	"Xor":                       {{1, "axis broadcast", 2, 2, 1, 1}, {7, "", 2, 2, 1, 1}},
}
