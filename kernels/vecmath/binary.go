package vecmath

import (
	"fmt"

	"github.com/nncc/nncc/kernels/vecmath/purego"
)

// Op is an elementwise binary operation.
type Op int

// The operations. Max and Min propagate NaN from either operand (ONNX
// Max/Min follow numpy's maximum/minimum); which zero Max(-0, +0) returns
// follows the operand order (see purego.OpMax).
const (
	Add   Op = purego.OpAdd
	Sub   Op = purego.OpSub
	Mul   Op = purego.OpMul
	Div   Op = purego.OpDiv
	MaxOp Op = purego.OpMax
	MinOp Op = purego.OpMin
)

const (
	opMul  = purego.OpMul
	opSub  = purego.OpSub
	kindVV = purego.KindVV
	kindVS = purego.KindVS
	kindSV = purego.KindSV
)

func (op Op) check() {
	if op < 0 || op >= purego.NumOps {
		panic(fmt.Sprintf("vecmath: unknown binary op %d", int(op)))
	}
}

// Binary sets dst[i] = a[i] op b[i] (same shape). dst may be a or b.
func Binary(op Op, dst, a, b []float32) { current().Binary(op, dst, a, b) }

// BinaryScalar sets dst[i] = a[i] op s (scalar right operand).
func BinaryScalar(op Op, dst, a []float32, s float32) { current().BinaryScalar(op, dst, a, s) }

// ScalarBinary sets dst[i] = s op b[i] (scalar left operand).
func ScalarBinary(op Op, dst []float32, s float32, b []float32) {
	current().ScalarBinary(op, dst, s, b)
}

// BinaryRow broadcasts a row vector on the right (a bias over the last
// axis): a and dst are rows×len(row), dst[i·n+j] = a[i·n+j] op row[j].
func BinaryRow(op Op, dst, a, row []float32) { current().BinaryRow(op, dst, a, row) }

// RowBinary broadcasts a row vector on the left: dst[i·n+j] = row[j] op b[i·n+j].
func RowBinary(op Op, dst, row, b []float32) { current().RowBinary(op, dst, row, b) }

// BinaryCol broadcasts one value per row on the right (a per-channel
// bias in NCHW, where a row is one channel's H·W plane): a and dst are
// len(col)×inner, dst[i·inner+j] = a[i·inner+j] op col[i].
func BinaryCol(op Op, dst, a, col []float32, inner int) { current().BinaryCol(op, dst, a, col, inner) }

// ColBinary is BinaryCol with the column on the left: dst[i·inner+j] = col[i] op b[i·inner+j].
func ColBinary(op Op, dst, col, b []float32, inner int) { current().ColBinary(op, dst, col, b, inner) }

// Kind says which operand of BinaryKind is a broadcast scalar. The values
// match the ewVV/ewVS/ewSV run kinds of package kernels' broadcast loops,
// and Op's values match its ewAdd…ewMin codes, so a float32 loop there can
// hand its run over unchanged.
type Kind int

// The operand kinds.
const (
	VV Kind = purego.KindVV // dst[i] = a[i] op b[i]
	VS Kind = purego.KindVS // dst[i] = a[i] op b[0]
	SV Kind = purego.KindSV // dst[i] = a[0] op b[i]
)

// BinaryKind sets dst[i] = a[i|0] op b[i|0] as kind says, for i < len(dst):
// vector operands need len(dst) elements, scalar ones at least one (unless
// dst is empty). dst may be a vector operand.
func BinaryKind(op Op, kind Kind, dst, a, b []float32) { current().BinaryKind(op, kind, dst, a, b) }
