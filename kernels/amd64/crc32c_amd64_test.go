package amd64

import (
	"bytes"
	"hash/crc32"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
)

var (
	castagnoliTable     = crc32.MakeTable(crc32.Castagnoli)
	crc32cTestConstants = Crc32cFoldConstants()
)

// crc32cFolded is the CRC-32C update of crc over p through fold (for the
// bulk of p) and hash/crc32 (for its 256-byte result and p's tail).
func crc32cFolded(crc uint32, p []byte, fold func(uint32, []byte, *[2]uint64, *[256]byte)) uint32 {
	n := len(p) &^ 255
	if n == 0 {
		return crc32.Update(crc, castagnoliTable, p)
	}
	var out [256]byte
	fold(^crc, p[:n], &crc32cTestConstants, &out)
	return crc32.Update(crc32.Update(0xFFFFFFFF, castagnoliTable, out[:]), castagnoliTable, p[n:])
}

func TestCrc32cFoldConstants(t *testing.T) {
	if got, want := Crc32cFoldConstants(), [2]uint64{crc32cFoldConst(2048 + 64), crc32cFoldConst(2048)}; got != want {
		t.Fatalf("constants %#x, computed %#x", got, want)
	}
}

// TestCrc32cFoldTwinIsCRC checks the twin's math against hash/crc32.
func TestCrc32cFoldTwinIsCRC(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 255, 256, 257, 512, 700, 4096, 256*37 + 5} {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte(r.Uint32())
		}
		for _, crc := range []uint32{0, 0xFFFFFFFF, 0x12345678} {
			if got, want := crc32cFolded(crc, p, Crc32cFold2048Go), crc32.Update(crc, castagnoliTable, p); got != want {
				t.Fatalf("n=%d crc=%#x: folded %#08x, hash/crc32 %#08x", n, crc, got, want)
			}
		}
	}
}

// TestCrc32cFoldAgainstTwin compares the AVX-512 fold with its Go twin for
// 1..70 blocks and a large input, at every alignment of p, with guard
// bytes around p and out (p must not be modified, nothing written past
// out).
func TestCrc32cFoldAgainstTwin(t *testing.T) {
	if runtime.GOARCH != "amd64" || !(cpu.X86.HasAVX512F && cpu.X86.HasAVX512VPCLMULQDQ) {
		t.Skip("no AVX-512 VPCLMULQDQ on this CPU")
	}
	r := rand.New(rand.NewPCG(3, 4))
	k := Crc32cFoldConstants()
	const guard = 64
	blocks := []int{}
	for b := 1; b <= 70; b++ {
		blocks = append(blocks, b)
	}
	blocks = append(blocks, 4099)
	for _, b := range blocks {
		for _, shift := range []int{0, 1, 13} {
			buf := make([]byte, guard+shift+256*b+guard)
			for i := range buf {
				buf[i] = byte(r.Uint32())
			}
			orig := append([]byte{}, buf...)
			p := buf[guard+shift : guard+shift+256*b]
			init := r.Uint32()
			var want [256]byte
			Crc32cFold2048Go(init, p, &k, &want)
			var outBuf [guard + 256 + guard]byte
			for i := range outBuf {
				outBuf[i] = 0xA5
			}
			out := (*[256]byte)(outBuf[guard : guard+256])
			Crc32cFold2048AVX512(init, p, &k, out)
			if *out != want {
				t.Fatalf("%d blocks, shift %d: asm differs from the twin", b, shift)
			}
			if !bytes.Equal(buf, orig) {
				t.Fatalf("%d blocks: input modified", b)
			}
			for i := range guard {
				if outBuf[i] != 0xA5 || outBuf[guard+256+i] != 0xA5 {
					t.Fatalf("%d blocks: wrote outside out", b)
				}
			}
		}
	}
}

func BenchmarkCrc32cFold(b *testing.B) {
	if runtime.GOARCH != "amd64" || !(cpu.X86.HasAVX512F && cpu.X86.HasAVX512VPCLMULQDQ) {
		b.Skip("no AVX-512 VPCLMULQDQ on this CPU")
	}
	for _, n := range []int{64 << 10, 1 << 20, 6 << 20} {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte(i*7 + i>>9)
		}
		b.Run("fold/"+itoaBytes(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			for range b.N {
				crc32cFolded(0, p, Crc32cFold2048AVX512)
			}
		})
		b.Run("hash-crc32/"+itoaBytes(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			for range b.N {
				crc32.Update(0, castagnoliTable, p)
			}
		})
	}
}

func itoaBytes(n int) string {
	switch {
	case n >= 1<<20:
		return string(rune('0'+n>>20)) + "MiB"
	default:
		return "64KiB"
	}
}
