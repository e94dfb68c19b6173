// Command embed shows nncc embedded in a Go binary: the small CNN of
// testdata/models/cnn (input "image", output "probs"), compiled ahead of time into the Go package cnnmodel
// (weights included, via go:embed), run on an image made in code.
//
// Regenerate the package after changing the model or nncc's artifact
// format with go generate.
package main

//go:generate go run ../../cmd/nncc compile ../../testdata/models/cnn/model.onnx -isa generic -emit go -pkg cnnmodel -o cnnmodel

import (
	"context"
	"fmt"
	"log"

	"github.com/nncc/nncc/examples/embed/cnnmodel"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

func main() {
	m, err := cnnmodel.New(runtime.Options{Threads: 1})
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()

	// A diagonal stripe, sized from the model's declared input type
	// (float[batch,1,H,W]).
	shape := m.Session().Inputs()[0].Type.Shape
	h, w := shape[2].Size, shape[3].Size
	pixels := make([]float32, h*w)
	for y := int64(0); y < h; y++ {
		for x := int64(0); x < w; x++ {
			if d := x - y; d >= -1 && d <= 1 {
				pixels[y*w+x] = 1
			}
		}
	}
	out, err := m.Run(context.Background(), cnnmodel.Inputs{Image: ir.FromSlice(pixels, 1, 1, h, w)})
	if err != nil {
		log.Fatal(err)
	}
	best, p := 0, float32(0)
	for i, v := range out.Probs.F32() {
		if v > p {
			best, p = i, v
		}
	}
	fmt.Printf("class %d with probability %.3f\n", best, p)
}
