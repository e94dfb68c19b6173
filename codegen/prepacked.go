package codegen

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"unsafe"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// The prepacked section of an artifact (see artifact.go): what the
// compiler recorded through kernels.Build.Prepacked, bound back to the
// constants at load so that plan building finds every transform.

// maxPrepacked bounds the number of prepacked entries a header may list.
const maxPrepacked = 1 << 16

// constantHolding finds the float32 constant of g whose data contains src
// and returns its name and src's element offset in it.
func constantHolding(g *ir.Graph, src []float32) (name string, off int, ok bool) {
	if len(src) == 0 {
		return "", 0, false
	}
	p := uintptr(unsafe.Pointer(unsafe.SliceData(src)))
	for _, v := range g.Constants {
		if v.Const == nil || v.Const.Kind != ir.KindTensor {
			continue
		}
		d, isF32 := v.Const.Data.([]float32)
		if !isF32 || len(d) == 0 {
			continue
		}
		base := uintptr(unsafe.Pointer(unsafe.SliceData(d)))
		if p < base || (p-base)%4 != 0 {
			continue
		}
		i := int((p - base) / 4)
		if i+len(src) <= len(d) {
			return v.Name, i, true
		}
	}
	return "", 0, false
}

// constantHoldingAny is constantHolding over graphs, the first graph
// whose constant (with a name no other constant of that graph has) holds
// src winning; gi is that graph's index.
func constantHoldingAny(graphs []*ir.Graph, src []float32) (gi int, name string, off int, ok bool) {
	for i, g := range graphs {
		if name, off, ok := constantHolding(g, src); ok && !duplicateConstNames(g)[name] {
			return i, name, off, true
		}
	}
	return 0, "", 0, false
}

// packedWriter is the prepacked section being written: each transform at
// a 64-byte aligned offset, transforms with identical bytes (an sgemm
// panel and a gemv block of the same weights often are) stored once.
type packedWriter struct {
	buf bytes.Buffer
	at  map[uint64][]int64 // content hash → offsets holding it
}

// put stores d (once per content) and returns its byte offset.
func (w *packedWriter) put(d []float32) int64 {
	b := float32Bytes(d)
	h := crc32.Checksum(b, castagnoli)
	key := uint64(h)<<32 ^ uint64(len(b))
	for _, off := range w.at[key] {
		if bytes.Equal(w.buf.Bytes()[off:off+int64(len(b))], b) {
			return off
		}
	}
	for w.buf.Len()%64 != 0 {
		w.buf.WriteByte(0)
	}
	off := int64(w.buf.Len())
	w.buf.Write(b)
	if w.at == nil {
		w.at = map[uint64][]int64{}
	}
	w.at[key] = append(w.at[key], off)
	return off
}

// duplicateConstNames returns the names more than one constant of g has
// (prepacked entries cannot name those).
func duplicateConstNames(g *ir.Graph) map[string]bool {
	seen := map[string]bool{}
	dup := map[string]bool{}
	for _, v := range g.Constants {
		if seen[v.Name] {
			dup[v.Name] = true
		}
		seen[v.Name] = true
	}
	return dup
}

// float32Bytes returns the little-endian bytes of d.
func float32Bytes(d []float32) []byte {
	out := make([]byte, 4*len(d))
	for i, v := range d {
		binary.LittleEndian.PutUint32(out[4*i:], math.Float32bits(v))
	}
	return out
}

// float32View returns b as float32 values: an alias when b is 4-byte
// aligned on a little-endian host, else a decoded copy.
func float32View(b []byte) []float32 {
	n := len(b) / 4
	if n == 0 {
		return nil
	}
	if hostLittleEndian && uintptr(unsafe.Pointer(&b[0]))%4 == 0 {
		return unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), n)
	}
	out := make([]float32, n)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

// hostLittleEndian reports whether float32 values can alias file bytes.
var hostLittleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// bindPrepacked checks every record against g and the section and
// returns the entries with Src pointing into g's constants (each record's
// Graph is not looked at: the caller chose the records of g; the bound on
// their number applies to the whole artifact, see DecodeArtifact).
func bindPrepacked(g *ir.Graph, recs []PrepackRecord, section []byte) ([]kernels.PrepackEntry, error) {
	if len(recs) == 0 {
		return nil, nil
	}
	dup := duplicateConstNames(g)
	consts := make(map[string][]float32, len(g.Constants))
	for _, v := range g.Constants {
		if dup[v.Name] {
			continue
		}
		if v.Const != nil && v.Const.Kind == ir.KindTensor {
			if d, ok := v.Const.Data.([]float32); ok {
				consts[v.Name] = d
			}
		}
	}
	n := int64(len(section))
	out := make([]kernels.PrepackEntry, 0, len(recs))
	for i, r := range recs {
		src, ok := consts[r.Const]
		if !ok {
			return nil, fmt.Errorf("prepacked entry %d: no float32 constant %q in graph %d", i, r.Const, r.Graph)
		}
		if r.Offset < 0 || r.Len <= 0 || r.Offset > int64(len(src)) || r.Len > int64(len(src))-r.Offset {
			return nil, fmt.Errorf("prepacked entry %d: elements [%d, +%d) outside constant %q (%d elements)", i, r.Offset, r.Len, r.Const, len(src))
		}
		if r.DataOffset < 0 || r.DataOffset%64 != 0 || r.Count < 0 || r.DataOffset > n || r.Count > (n-r.DataOffset)/4 {
			return nil, fmt.Errorf("prepacked entry %d: %d values at byte %d outside the %d-byte section or misaligned", i, r.Count, r.DataOffset, n)
		}
		if r.Key == "" {
			return nil, fmt.Errorf("prepacked entry %d has no key", i)
		}
		out = append(out, kernels.PrepackEntry{
			Src:  src[r.Offset : r.Offset+r.Len],
			Key:  r.Key,
			Data: float32View(section[r.DataOffset : r.DataOffset+4*r.Count]),
		})
	}
	return out, nil
}
