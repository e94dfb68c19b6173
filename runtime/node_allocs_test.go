package runtime

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
)

// TestNodeTestsAllocateNothing runs ONNX node tests whose kernels keep
// their per-shape state between Runs (Scan's buffers, the opset-23
// Attention's float32 plan, ArgMax's typed lanes, the float32 LayerNorm
// and RMSNorm row job, a Loop body's Slice whose starts change every
// iteration, integer MatMuls of two non-constant operands, casts and
// (de)quantizers through an intermediate type, gathers and scatters by
// element or tuple, a general permutation) and requires a steady
// state without allocations, at one and two threads.
func TestNodeTestsAllocateNothing(t *testing.T) {
	for _, name := range []string{
		"test_scan9_sum", "test_scan9_multi_state",
		"test_attention_4d_causal", "test_attention_3d_gqa_attn_mask", "test_attention_4d_attn_mask_bool",
		"test_argmax_default_axis_random", "test_argmin_no_keepdims_random_select_last_index",
		"test_layer_normalization_4d_axis1", "test_layer_normalization_default_axis", "test_rms_normalization_3d_axis1_epsilon",
		"test_loop11", "test_matmulinteger", "test_qlinearmatmul_3D_int8_float32", "test_qlinearmatmul_2D_uint8_float16",
		"test_cast_FLOAT_to_FLOAT8E4M3FN", "test_cast_BFLOAT16_to_FLOAT", "test_cast_FLOAT16_to_INT4",
		"test_quantizelinear_int4", "test_dequantizelinear_e4m3fn_float16", "test_dequantizelinear_blocked",
		"test_gather_elements_0", "test_gathernd_example_float32", "test_scatternd", "test_scatter_elements_with_axis",
		"test_depthtospace_example", "test_nonmaxsuppression_two_batches",
	} {
		dir := modelDir(t, filepath.Join("../../shared/conformance/onnx-node", name))
		g, err := onnx.Load(filepath.Join(dir, "model.onnx"))
		require.NoError(t, err, name)
		for _, threads := range []int{1, 2} {
			s, err := NewSession(ir.Clone(g), Options{Threads: threads})
			require.NoError(t, err, name)
			var in []*ir.Tensor
			for i := range s.Inputs() {
				x, _, err := onnx.ReadTensorFile(filepath.Join(dir, "test_data_set_0", fmt.Sprintf("input_%d.pb", i)))
				require.NoError(t, err, name)
				in = append(in, x)
			}
			out := make([]*ir.Tensor, len(s.Outputs()))
			requireZeroAllocs(t, fmt.Sprintf("%s at %d threads", name, threads), func() error {
				return s.RunInto(context.Background(), in, out)
			})
			s.Close()
		}
	}
}
