package codegen

import (
	"os"
	"sort"
	"testing"
	"time"
)

func TestZZLoadPhases(t *testing.T) {
	data, err := os.ReadFile(os.Getenv("NNC_FILE"))
	if err != nil {
		t.Skip(err)
	}
	med := func(f func()) time.Duration {
		var d []time.Duration
		for i := 0; i < 400; i++ {
			t0 := time.Now()
			f()
			d = append(d, time.Since(t0))
		}
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		return d[len(d)/2]
	}
	body := data[:len(data)-4]
	t.Logf("crc %v", med(func() { crc32cUpdate(0, body) }))
	a, _ := DecodeArtifactDeferred(data)
	h := a.Header
	t.Logf("decodeGraph %v", med(func() {
		decodeGraph(data[h.GraphOffset:h.GraphOffset+h.GraphBytes], data[h.WeightOffset:h.WeightOffset+h.WeightBytes])
	}))
	t.Logf("deferred %v", med(func() { DecodeArtifactDeferred(data) }))
	t.Logf("stored %v", med(func() {
		a, _ := DecodeArtifactDeferred(data)
		a.Stored[0].Graph()
	}))
	t.Logf("checkStoredTypes %v", med(func() {
		checkStoredTypes(a.Graph)
	}))
}

func BenchmarkZZDecodeGraph(b *testing.B) {
	data, err := os.ReadFile(os.Getenv("NNC_FILE"))
	if err != nil {
		b.Skip(err)
	}
	a, _ := DecodeArtifactDeferred(data)
	h := a.Header
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		decodeGraph(data[h.GraphOffset:h.GraphOffset+h.GraphBytes], data[h.WeightOffset:h.WeightOffset+h.WeightBytes])
	}
}
