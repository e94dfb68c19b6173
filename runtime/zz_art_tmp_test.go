package runtime

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nncc/nncc/frontend/onnx"
)

func BenchmarkZZNNC(b *testing.B) {
	dir := os.Getenv("ZZMODEL")
	onnxBytes, _ := os.ReadFile(filepath.Join(dir, "model.onnx"))
	g, _ := onnx.Decode(onnxBytes)
	nnc, err := Compile(g, Options{}, "auto")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := LoadBytes(nnc, Options{Threads: 1})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

func BenchmarkZZONNX(b *testing.B) {
	dir := os.Getenv("ZZMODEL")
	onnxBytes, _ := os.ReadFile(filepath.Join(dir, "model.onnx"))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := LoadBytes(onnxBytes, Options{Threads: 1})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
