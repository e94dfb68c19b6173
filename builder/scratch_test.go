package builder_test

import (
	"fmt"
	"testing"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

func TestScratch(t *testing.T) {
	b := builder.New("mlp", 17)
	x := b.Input("x", ir.Float32, "batch", 784)
	w := b.Weight("fc/kernel", []int64{784, 10}, builder.GlorotUniform, builder.Fans{})
	y := b.Softmax(b.Gemm(x, w), builder.AttrAxis(-1))
	g, err := b.Build(b.Output("probs", y))
	fmt.Println(err)
	fmt.Print(ir.Format(g))
	b2 := builder.New("bad", 17)
	x2 := b2.Input("x", ir.Float32, "batch", 784)
	w2 := b2.Weight("w", []int64{783, 10}, builder.GlorotUniform, builder.Fans{})
	y2 := b2.MatMul(x2, w2)
	b2.Relu(y2, builder.AttrAxis(1))
	fmt.Println(b2.Err())
	b3 := builder.New("bad", 17)
	x3 := b3.Input("x", ir.Float32, "batch", 784)
	b3.Relu(x3, builder.AttrAxis(1))
	fmt.Println(b3.Err())
	b4 := builder.New("bad", 17)
	x4 := b4.Input("x", ir.Int64, "batch", 784)
	b4.Relu(b4.Cast(x4, builder.AttrTo(int64(ir.String))))
	fmt.Println(b4.Err())
}
