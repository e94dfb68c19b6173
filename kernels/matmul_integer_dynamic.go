package kernels

import (
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
)

// The int32 accumulator of MatMulInteger and QLinearMatMul whose B is not
// a constant (the product of two activations, as in a dynamically
// quantized attention): for each batch entry, A and B minus their zero
// points (one value each) are widened to float32 in the step's scratch and
// multiplied on the float32 SGEMM in chunks of qDynChunk taps. A partial
// sum of qDynChunk products of magnitude at most qActMax² stays below
// qExactLimit, so every chunk's float32 result is the exact integer; the
// chunks are summed in int32. The result is the triple loop's, bit for
// bit, without its per-Run allocations.

// qDynamicOff sends every non-constant B to the generic int32 loops
// (tests compare the two).
var qDynamicOff = false

// qDynChunk is the most taps whose products (each at most qActMax² in
// magnitude) sum exactly in float32.
const qDynChunk = (qExactLimit - 1) / (qActMax * qActMax)

// matmulIntDynamic computes y (the int32 output of plan p) as
// (A − az)·(B − bz) for 8-bit A and B and zero points az, bz that are nil
// or one value of the operand's type. ok is false for other forms, which
// the caller computes on its generic path.
func matmulIntDynamic(c *Ctx, l isa.Level, p *matmulPlan, a, az, b, bz *ir.Tensor, y []int32) (bool, error) {
	if qDynamicOff {
		return false, nil
	}
	za, okA := qScalarZP(az)
	zb, okB := qScalarZP(bz)
	_, _, _, byteA := quantByteRange(a.DType)
	_, _, _, byteB := quantByteRange(b.DType)
	if !okA || !okB || !byteA || !byteB ||
		az != nil && az.DType != a.DType || bz != nil && bz.DType != b.DType {
		return false, nil
	}
	m, n, k, batch := p.m, p.n, p.k, p.batch
	if p.foldRows {
		m *= batch
		batch = 1
	}
	if len(y) == 0 {
		return true, nil
	}
	if k == 0 {
		clear(y)
		return true, nil
	}
	accLen := 0
	if k > qDynChunk {
		accLen = m * n
	}
	buf := c.ScratchF32(m*k + k*n + accLen)
	af, bf, acc := buf[:m*k], buf[m*k:m*k+k*n], buf[m*k+k*n:]
	pool := sgemmPool(c.Pool)
	for i := range batch {
		ao, bo := i*m*k, 0
		if p.aOff != nil {
			ao, bo = p.aOff[i], p.bOff[i]
		}
		qShiftToF32(af, a.Data, ao, za)
		qShiftToF32(bf, b.Data, bo, zb)
		yi := y[i*m*n : (i+1)*m*n]
		for k0 := 0; k0 < k; k0 += qDynChunk {
			kc := min(qDynChunk, k-k0)
			if k0 == 0 {
				sgemm.SgemmLevel(l, false, false, m, n, kc, 1, af, k, bf, n, 0, qF32View(yi), n, nil, pool)
				qToInt32(yi)
				continue
			}
			sgemm.SgemmLevel(l, false, false, m, n, kc, 1, af[k0:], k, bf[k0*n:], n, 0, acc, n, nil, pool)
			qAddInt32(yi, acc)
		}
	}
	return true, nil
}
