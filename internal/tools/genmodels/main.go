// Command genmodels writes the models in testdata/models, each built with
// nncc's builder (package builder/layers) and exported to ONNX, with a
// seeded random input in test_data_set_0. ONNX Runtime then writes the
// reference outputs. The one command that does both is
//
//	internal/tools/genmodels/regen.sh
//
// which runs, from the module root,
//
//	go run ./internal/tools/genmodels -o testdata/models
//	eval "$(../shared/tools/ort/setup.sh)"
//	NODE_PATH=$ORT_NODE_PATH node ../shared/tools/ort/ref.js testdata/models/*/
//
// With -catalog it writes the generality models of builder/zoo.Catalog
// instead (not shipped: for comparisons with ONNX Runtime, e.g.
// `go run . -threads 1 /tmp/zoo/*/` in bench/ortcompare, or ref.js then
// `nncc check`); -only then names one of them.
//
// ref.js feeds float32 inputs only, so the models that take token ids
// (embed_lstm, transformer) take them as float32 and cast them to int64
// inside (the Embedding layer does so for any non-integer input).
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"

	"google.golang.org/protobuf/proto"

	"github.com/nncc/nncc/builder/zoo"
	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
)

func main() {
	out := flag.String("o", "testdata/models", "output folder")
	only := flag.String("only", "", "write only this model (large models are written only when named here)")
	catalog := flag.Bool("catalog", false, "write the generality models of builder/zoo.Catalog instead (not shipped; for ONNX Runtime comparisons)")
	flag.Parse()
	if *catalog {
		writeCatalog(*out, *only)
		return
	}
	list := models
	if *only != "" {
		list = append(list, large...)
	}
	for _, m := range list {
		if *only != "" && m.name != *only {
			continue
		}
		g, err := m.build()
		if err != nil {
			log.Fatalf("%s: %v", m.name, err)
		}
		r := rand.New(rand.NewPCG(7, uint64(len(m.name))))
		var ins []*ir.Tensor
		for _, in := range g.Inputs {
			ins = append(ins, m.input(r, in))
		}
		dir := filepath.Join(*out, m.name)
		if err := write(dir, g, ins); err != nil {
			log.Fatalf("%s: %v", m.name, err)
		}
		fmt.Println("wrote", dir)
	}
}

// writeCatalog writes the models of zoo.Catalog and the quantized models
// of zoo.QDQModels (only the one called only, when given) with seeded
// inputs at each model's batch size.
func writeCatalog(out, only string) {
	for _, m := range append(zoo.Catalog(), zoo.QDQModels()...) {
		if only != "" && m.Name != only {
			continue
		}
		g, err := m.Build()
		if err != nil {
			log.Fatalf("%s: %v", m.Name, err)
		}
		byName, err := zoo.RandomInputs(g, m.Batch, 42)
		if err != nil {
			log.Fatalf("%s: %v", m.Name, err)
		}
		var ins []*ir.Tensor
		for _, in := range g.Inputs {
			ins = append(ins, byName[in.Name])
		}
		dir := filepath.Join(out, m.Name)
		if err := write(dir, g, ins); err != nil {
			log.Fatalf("%s: %v", m.Name, err)
		}
		fmt.Println("wrote", dir)
	}
}

// write saves g as dir/model.onnx and its inputs as
// dir/test_data_set_0/input_i.pb, removing stale outputs.
func write(dir string, g *ir.Graph, inputs []*ir.Tensor) error {
	set := filepath.Join(dir, "test_data_set_0")
	if err := os.MkdirAll(set, 0o755); err != nil {
		return err
	}
	old, _ := filepath.Glob(filepath.Join(set, "*.pb"))
	for _, p := range old {
		os.Remove(p)
	}
	data, err := onnx.Encode(g)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "model.onnx"), data, 0o644); err != nil {
		return err
	}
	for i, in := range inputs {
		tp, err := onnx.TensorToProto(in)
		if err != nil {
			return err
		}
		tp.Name = g.Inputs[i].Name
		data, err := proto.Marshal(tp)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(set, fmt.Sprintf("input_%d.pb", i)), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
