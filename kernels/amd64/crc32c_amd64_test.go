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

// crc32cStitched is the CRC-32C update of crc over p through stitch (for
// the bulk of p: its folded blocks and three streams, combined by
// shifting) and hash/crc32 (for the fold's 256-byte result and p's tail).
func crc32cStitched(crc uint32, p []byte, stitch func(uint32, []byte, *[2]uint64, *[256]byte, *[3]uint32)) uint32 {
	nb := (len(p) + 3*Crc32cStitchStream) / (256 + 3*Crc32cStitchStream)
	if nb == 0 {
		return crc32.Update(crc, castagnoliTable, p)
	}
	n := Crc32cStitchLen(nb)
	var out [256]byte
	var crcs [3]uint32
	stitch(^crc, p[:n], &crc32cTestConstants, &out, &crcs)
	c := crc32.Update(0xFFFFFFFF, castagnoliTable, out[:])
	s := Crc32cStitchStream * (nb - 1)
	for _, cj := range crcs {
		// CRC(A ‖ S) = CRC(A ‖ 0^s) ⊕ CRC(S) ⊕ CRC(0^s): the CRC is
		// affine in the message (the reference, not a fast path).
		c = crc32.Update(c, castagnoliTable, make([]byte, s)) ^ cj ^ zeroCRC(s)
	}
	return crc32.Update(c, castagnoliTable, p[n:])
}

// zeroCRC is the CRC-32C of n zero bytes.
func zeroCRC(n int) uint32 { return crc32.Update(0, castagnoliTable, make([]byte, n)) }

// TestCrc32cStitchTwinIsCRC checks the stitched twin's math against
// hash/crc32.
func TestCrc32cStitchTwinIsCRC(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 255, 256, 399, 400, 655, 656, 657, 1056, 4096, Crc32cStitchLen(37) + 5} {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte(r.Uint32())
		}
		for _, crc := range []uint32{0, 0xFFFFFFFF, 0x12345678} {
			if got, want := crc32cStitched(crc, p, Crc32cStitchGo), crc32.Update(crc, castagnoliTable, p); got != want {
				t.Fatalf("n=%d crc=%#x: stitched %#08x, hash/crc32 %#08x", n, crc, got, want)
			}
		}
	}
}

// TestCrc32cStitchAgainstTwin compares the stitched AVX-512 kernel with
// its Go twin for 1..70 folded blocks and a large input, at several
// alignments of p, with guard bytes around p, out and crcs (p must not be
// modified, nothing written outside out and crcs).
func TestCrc32cStitchAgainstTwin(t *testing.T) {
	if runtime.GOARCH != "amd64" || !(cpu.X86.HasAVX512F && cpu.X86.HasAVX512VPCLMULQDQ && cpu.X86.HasSSE42) {
		t.Skip("no AVX-512 VPCLMULQDQ on this CPU")
	}
	r := rand.New(rand.NewPCG(7, 8))
	k := Crc32cFoldConstants()
	const guard = 64
	blocks := []int{}
	for b := 1; b <= 70; b++ {
		blocks = append(blocks, b)
	}
	blocks = append(blocks, 4099)
	for _, b := range blocks {
		for _, shift := range []int{0, 1, 13} {
			n := Crc32cStitchLen(b)
			buf := make([]byte, guard+shift+n+guard)
			for i := range buf {
				buf[i] = byte(r.Uint32())
			}
			orig := append([]byte{}, buf...)
			p := buf[guard+shift : guard+shift+n]
			init := r.Uint32()
			var want [256]byte
			var wantCRCs [3]uint32
			Crc32cStitchGo(init, p, &k, &want, &wantCRCs)
			var outBuf [guard + 256 + guard]byte
			for i := range outBuf {
				outBuf[i] = 0xA5
			}
			crcBuf := [5]uint32{0xA5A5A5A5, 0, 0, 0, 0xA5A5A5A5}
			out := (*[256]byte)(outBuf[guard : guard+256])
			crcs := (*[3]uint32)(crcBuf[1:4])
			Crc32cStitchAVX512(init, p, &k, out, crcs)
			if *out != want {
				t.Fatalf("%d blocks, shift %d: folded lanes differ from the twin", b, shift)
			}
			if *crcs != wantCRCs {
				t.Fatalf("%d blocks, shift %d: stream CRCs %#x, twin %#x", b, shift, *crcs, wantCRCs)
			}
			if !bytes.Equal(buf, orig) {
				t.Fatalf("%d blocks: input modified", b)
			}
			for i := range guard {
				if outBuf[i] != 0xA5 || outBuf[guard+256+i] != 0xA5 {
					t.Fatalf("%d blocks: wrote outside out", b)
				}
			}
			if crcBuf[0] != 0xA5A5A5A5 || crcBuf[4] != 0xA5A5A5A5 {
				t.Fatalf("%d blocks: wrote outside crcs", b)
			}
		}
	}
}
