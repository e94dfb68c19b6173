package codegen

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestT4Stitch(t *testing.T) {
	data := make([]byte, 1700<<10)
	for i := range data {
		data[i] = byte(i*7 + i>>9)
	}
	out := new([256]byte)
	for _, n := range []int{8 << 10, 16 << 10, 32 << 10, 64 << 10, 256 << 10, 1600 << 10} {
		var a, b []float64
		for range max(200, 200000000/n/10) {
			t0 := time.Now()
			crc32cFolded(0, data[:n], out)
			t1 := time.Now()
			crc32cStitched(0, data[:n], out)
			t2 := time.Now()
			a = append(a, float64(n)/t1.Sub(t0).Seconds()/1e9)
			b = append(b, float64(n)/t2.Sub(t1).Seconds()/1e9)
		}
		slices.Sort(a)
		slices.Sort(b)
		fmt.Printf("%7d: fold p90 %.1f med %.1f | stitch p90 %.1f med %.1f GB/s\n", n, a[len(a)*9/10], a[len(a)/2], b[len(b)*9/10], b[len(b)/2])
	}
	t0 := time.Now()
	for range 1000 {
		xPow8nMod(uint64(48 * 4000))
	}
	fmt.Println("xpow", time.Since(t0)/1000)
}
