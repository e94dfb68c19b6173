package runtime_test

import (
	"context"
	"fmt"
	"log"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// Load a model, feed it a tensor built from a Go slice, read the result.
func Example() {
	sess, err := runtime.Load("../testdata/models/cnn", runtime.Options{Threads: 1})
	if err != nil {
		log.Fatal(err)
	}
	defer sess.Close()

	// The model takes float[batch,1,H,W]; read H and W from its type.
	shape := sess.Inputs()[0].Type.Shape
	h, w := shape[2].Size, shape[3].Size
	pixels := make([]float32, h*w)
	for i := range pixels {
		pixels[i] = float32(int64(i)%w) / float32(w)
	}
	image := ir.FromSlice(pixels, 1, 1, h, w)

	out, err := sess.Run(context.Background(), map[string]*ir.Tensor{"image": image})
	if err != nil {
		log.Fatal(err)
	}
	probs := out["probs"]
	var sum float32
	for _, p := range probs.F32() {
		sum += p
	}
	fmt.Printf("%v %v, probabilities sum to %.3f\n", probs.DType, probs.Shape, sum)
	// Output: float [1 10], probabilities sum to 1.000
}

// Inputs are checked against the model's declared types.
func ExampleSession_Run_badInput() {
	sess, err := runtime.Load("../testdata/models/cnn", runtime.Options{Threads: 1})
	if err != nil {
		log.Fatal(err)
	}
	defer sess.Close()
	shape := sess.Inputs()[0].Type.Shape
	wrong := ir.NewTensor(ir.Float64, []int64{1, 1, shape[2].Size, shape[3].Size})
	_, err = sess.Run(context.Background(), map[string]*ir.Tensor{"image": wrong})
	fmt.Println(err)
	// Output: input "image": expected dtype float, got double
}

// RunInto reuses caller-owned outputs: the steady-state path allocates
// nothing.
func ExampleSession_RunInto() {
	sess, err := runtime.Load("../testdata/models/cnn", runtime.Options{Threads: 1})
	if err != nil {
		log.Fatal(err)
	}
	defer sess.Close()
	shape := sess.Inputs()[0].Type.Shape
	in := []*ir.Tensor{ir.NewTensor(ir.Float32, []int64{2, 1, shape[2].Size, shape[3].Size})}
	out := []*ir.Tensor{ir.NewTensor(ir.Float32, []int64{2, 10})}
	for i := 0; i < 3; i++ {
		if err := sess.RunInto(context.Background(), in, out); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println(out[0].Shape)
	// Output: [2 10]
}

// A compiled artifact loads without re-optimising.
func ExampleLoadArtifact() {
	src, err := runtime.Load("../testdata/models/cnn", runtime.Options{})
	if err != nil {
		log.Fatal(err)
	}
	data, err := runtime.Compile(src.Graph(), runtime.Options{}, "generic")
	if err != nil {
		log.Fatal(err)
	}
	sess, err := runtime.LoadArtifact(data, runtime.Options{Threads: 1})
	if err != nil {
		log.Fatal(err)
	}
	defer sess.Close()
	fmt.Println(sess.Artifact().ISA, sess.Inputs()[0].Name, sess.Outputs()[0].Name)
	// Output: generic image probs
}
