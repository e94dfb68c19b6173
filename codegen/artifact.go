package codegen

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// The .nnc artifact: a compiled model that loads without optimisation.
//
//	offset 0   magic "\x89NNC\r\n\x1a\n" (8 bytes; catches text-mode mangling)
//	       8   format version, uint32 little endian
//	      12   header length H, uint32
//	      16   header: JSON (ArtifactHeader)
//	  16+H     graph: the optimised graph in nncc's binary graph form
//	           (graphcodec.go), decoded straight into ir values; constants
//	           of inlineWeightBytes or more point into the weights section.
//	           Its head (inputs, constants) and interface (the outputs'
//	           names and types) come before its length-prefixed body
//	           (nodes, outputs), which loading leaves undecoded until a
//	           plan needs the generic graph; then the prepacked records
//	           and the stored plans (specialize.go)
//	           zero padding to a 64-byte boundary
//	  W        weights: each tensor's little-endian bytes at a 64-byte
//	           aligned offset, so the section can be memory-mapped and used
//	           in place
//	  P        prepacked: build-time transforms of constant weights (sgemm
//	           panels in the layout of the artifact's ISA level, ...), each
//	           float32 little endian at a 64-byte aligned offset; the
//	           records after the graph (ArtifactHeader.Prepacked) say which
//	           constant slice and transform key each one belongs to
//	           (kernels.Build.Prepacked)
//	  end-4    CRC-32C (Castagnoli) of every byte before it, little endian
//
// Every offset and length is checked against the file before use. Version
// 3 replaced version 2's ONNX graph with the binary graph form and added
// the prepacked section; version 5 stores a weight that every stored plan
// reads through its sgemm panels only as those panels (derived.go);
// version 6 splits the generic graph into head, interface and body;
// older files are rejected with a message asking to recompile. The checksum covers every byte, so loading does not repeat
// checks it makes redundant; it does still check every structural rule
// (bounds, value scopes, the op table), since a checksum is no defence
// against a crafted file.

// ArtifactMagic starts every .nnc file.
const ArtifactMagic = "\x89NNC\r\n\x1a\n"

// ArtifactVersion is the format version this build writes and reads.
const ArtifactVersion = 6

// The checksum: CRC-32C, which the CPU computes at memory speed (SSE4.2,
// ARMv8 CRC), so verifying a large artifact costs little against loading
// it; it guards against truncation and corruption, not tampering.
const checksumBytes = 4

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// maxHeaderBytes bounds the JSON header.
const maxHeaderBytes = 1 << 20

// inlineWeightBytes: constants smaller than this stay inside the graph.
const inlineWeightBytes = 256

// ArtifactHeader is the artifact's JSON header.
type ArtifactHeader struct {
	Producer     string   `json:"producer"`
	ISA          string   `json:"isa"`
	CPUFeatures  []string `json:"cpu_features"`
	OptLevel     int      `json:"opt_level"`
	Passes       []string `json:"passes"`
	Opset        int64    `json:"opset"`
	GraphOffset  int64    `json:"graph_offset"`
	GraphBytes   int64    `json:"graph_bytes"`
	WeightOffset int64    `json:"weights_offset"`
	WeightBytes  int64    `json:"weights_bytes"`
	// PrepackOffset and PrepackBytes place the prepacked section;
	// Prepacked describes its entries.
	PrepackOffset int64           `json:"prepacked_offset"`
	PrepackBytes  int64           `json:"prepacked_bytes"`
	Prepacked     []PrepackRecord `json:"-"` // stored after the graph, in binary
}

// PrepackRecord describes one prepacked transform in the artifact: the
// float32 constant Const of graph Graph, elements [Offset, Offset+Len), transformed as
// Key names into the Count float32 values at byte DataOffset of the
// prepacked section.
type PrepackRecord struct {
	// Graph is the graph holding Const: 0 the generic graph, i+1 the
	// specialised graph i.
	Graph      int64  `json:"graph"`
	Const      string `json:"const"`
	Offset     int64  `json:"offset"`
	Len        int64  `json:"len"`
	Key        string `json:"key"`
	DataOffset int64  `json:"data_offset"`
	Count      int64  `json:"count"`
}

// WriteArtifact encodes an optimised graph with its header and the
// build-time transforms of its constants recorded while compiling it
// (entries whose source is not a float32 constant of g are left out: they
// were made from values a later pass computes).
func WriteArtifact(g *ir.Graph, h ArtifactHeader, packs ...kernels.PrepackEntry) ([]byte, error) {
	return EncodeArtifact(&Artifact{Graph: g, Header: h, Prepacked: packs})
}

// EncodeArtifact encodes a.Graph, its specialised graphs a.Specialized
// (each checked with CheckSpecialized) and the transforms a.Prepacked of
// the constants of any of them under a.Header. Transforms whose source is
// no float32 constant of those graphs are left out; transforms with
// identical bytes are stored once.
func EncodeArtifact(a *Artifact) ([]byte, error) {
	g, h := a.Graph, a.Header
	if g == nil {
		return nil, fmt.Errorf("artifact has no graph")
	}
	if len(a.Specialized) > maxSpecialized {
		return nil, fmt.Errorf("%d specialised graphs (at most %d)", len(a.Specialized), maxSpecialized)
	}
	for i, sg := range a.Specialized {
		if err := CheckSpecialized(g, sg); err != nil {
			return nil, fmt.Errorf("specialised graph %d: %v", i, err)
		}
	}
	h.Opset = g.Opset("")
	if h.Opset == 0 {
		h.Opset = 21
	}
	// The transforms first: which constants are stored prepacked only
	// depends on them (derived.go).
	graphs := append([]*ir.Graph{g}, a.Specialized...)
	var packed packedWriter
	h.Prepacked = nil
	for _, p := range a.Prepacked {
		gi, name, off, ok := constantHoldingAny(graphs, p.Src)
		if !ok {
			continue
		}
		dataOff := packed.put(p.Data)
		h.Prepacked = append(h.Prepacked, PrepackRecord{Graph: int64(gi), Const: name, Offset: int64(off), Len: int64(len(p.Src)),
			Key: p.Key, DataOffset: dataOff, Count: int64(len(p.Data))})
	}
	derived := derivedChoice(graphs, h.Prepacked, packed.buf.Bytes(), h.ISA)
	var weights weightStore
	graph, err := encodeGenericGraph(g, &weights, derived)
	if err != nil {
		return nil, fmt.Errorf("artifact graph: %v", err)
	}
	var specs [][]byte
	for i, sg := range a.Specialized {
		b, err := encodeGraph(sg, &weights, derived)
		if err != nil {
			return nil, fmt.Errorf("artifact specialised graph %d: %v", i, err)
		}
		specs = append(specs, b)
	}
	graph = appendPrepackRecords(graph, h.Prepacked)
	graph = binary.AppendUvarint(graph, uint64(len(specs)))
	for i, b := range specs {
		graph = appendStoredPlan(graph, InputShapes(a.Specialized[i]), b)
	}
	// The header holds the offsets, which depend on the header's length:
	// encode until the length is stable.
	var hdr []byte
	for i := 0; i < 4; i++ {
		h.GraphOffset = 16 + int64(len(hdr))
		h.GraphBytes = int64(len(graph))
		h.WeightOffset = align64(h.GraphOffset + h.GraphBytes)
		h.WeightBytes = int64(weights.buf.Len())
		h.PrepackOffset = align64(h.WeightOffset + h.WeightBytes)
		h.PrepackBytes = int64(packed.buf.Len())
		next, err := json.Marshal(h)
		if err != nil {
			return nil, err
		}
		if len(next) == len(hdr) {
			hdr = next
			break
		}
		hdr = next
	}
	var out bytes.Buffer
	out.Grow(int(h.PrepackOffset+h.PrepackBytes) + checksumBytes)
	out.WriteString(ArtifactMagic)
	binary.Write(&out, binary.LittleEndian, uint32(ArtifactVersion))
	binary.Write(&out, binary.LittleEndian, uint32(len(hdr)))
	out.Write(hdr)
	out.Write(graph)
	for int64(out.Len()) < h.WeightOffset {
		out.WriteByte(0)
	}
	if int64(out.Len()) != h.WeightOffset {
		return nil, fmt.Errorf("BUG: artifact layout: weights at %d, expected %d", out.Len(), h.WeightOffset)
	}
	out.Write(weights.buf.Bytes())
	for int64(out.Len()) < h.PrepackOffset {
		out.WriteByte(0)
	}
	out.Write(packed.buf.Bytes())
	binary.Write(&out, binary.LittleEndian, artifactChecksum(out.Bytes()))
	return out.Bytes(), nil
}

func align64(n int64) int64 { return (n + 63) &^ 63 }

// IsArtifact reports whether data starts with the artifact magic.
func IsArtifact(data []byte) bool {
	return len(data) >= len(ArtifactMagic) && string(data[:len(ArtifactMagic)]) == ArtifactMagic
}

// Artifact is a decoded .nnc file.
type Artifact struct {
	// Graph is the optimised graph with the model's symbolic shapes.
	Graph  *ir.Graph
	Header ArtifactHeader
	// Specialized are the graphs optimised for fixed input shapes (every
	// shape static): a session runs one without running any pass when
	// its inputs have exactly those shapes (see specialize.go).
	// EncodeArtifact writes them; DecodeArtifact leaves them to Stored
	// (DecodeStored fills this list).
	Specialized []*ir.Graph
	// Stored are the decoded artifact's specialised graphs, each decoded
	// on first use.
	Stored []*StoredPlan
	// Prepacked are the stored transforms, each bound to the constant
	// data it was made from (Src aliases the graph's constant), ready for
	// a kernels.PrepackStore.
	Prepacked []kernels.PrepackEntry

	shared *storedShared // what the stored plans decode against
}

// ReadArtifact validates an artifact and decodes its graph, every
// constant holding its values (see Artifact.Materialize). It checks the
// magic, version, checksum, section bounds and the CPU features the
// artifact needs; it never panics on malformed input.
func ReadArtifact(data []byte) (g *ir.Graph, h ArtifactHeader, err error) {
	a, err := DecodeArtifact(data)
	if err != nil {
		return nil, h, err
	}
	return a.Graph, a.Header, nil
}

// DecodeArtifact is ReadArtifact returning the prepacked transforms too.
// Constants, prepacked values and the header's strings alias data (which
// must not be modified afterwards); constants and prepacked values are
// copied when data is not suitably aligned.
func DecodeArtifact(data []byte) (*Artifact, error) {
	a, err := DecodeArtifactDeferred(data)
	if err != nil {
		return nil, err
	}
	if err := a.Materialize(); err != nil { // decodes the generic graph's body first
		return nil, err
	}
	return a, nil
}

// DecodeArtifactDeferred is DecodeArtifact without decoding the generic
// graph's body or materialising the constants stored prepacked only
// (see derived.go): until MaterializeGeneric, a.Graph has its inputs,
// its constants (those stored prepacked only alias their panels, which
// only the stored plans' packed-only operands may read) and outputs of
// the names and types the artifact lists, but no nodes. It is the
// loading path of runtime sessions, which call MaterializeGeneric when a
// plan needs the generic graph (a stored plan does not); an error in the
// body is reported then.
func DecodeArtifactDeferred(data []byte) (a *Artifact, err error) {
	defer func() {
		if r := recover(); r != nil {
			a, err = nil, fmt.Errorf("BUG: internal error reading artifact: %v", r)
		}
	}()
	var h ArtifactHeader
	if !IsArtifact(data) {
		return nil, fmt.Errorf("not an nncc artifact (bad magic)")
	}
	if len(data) < 16+checksumBytes {
		return nil, fmt.Errorf("artifact truncated: %d bytes", len(data))
	}
	if v := binary.LittleEndian.Uint32(data[8:]); v != ArtifactVersion {
		return nil, fmt.Errorf("artifact format version %d, this nncc reads version %d: recompile the model", v, ArtifactVersion)
	}
	body, sum := data[:len(data)-checksumBytes], data[len(data)-checksumBytes:]
	// The checksum is verified while the body decodes (see
	// startChecksum); a mismatch wins over any error decoding found.
	// A panic from here on is recovered by this defer, so that a failed
	// load always quiesces the checksum before returning.
	pending := startChecksum(body)
	defer func() {
		if r := recover(); r != nil {
			a, err = nil, fmt.Errorf("BUG: internal error reading artifact: %v", r)
		}
		if pending.wait() != binary.LittleEndian.Uint32(sum) {
			a, err = nil, errChecksum
		}
		if err != nil {
			pending.quiesce()
		}
	}()
	hl := int64(binary.LittleEndian.Uint32(data[12:]))
	if hl > maxHeaderBytes || 16+hl > int64(len(body)) {
		return nil, fmt.Errorf("artifact header length %d out of range", hl)
	}
	if err := decodeHeader(data[16:16+hl], &h); err != nil {
		return nil, fmt.Errorf("artifact header: %v", err)
	}
	n := int64(len(body))
	if h.GraphOffset != 16+hl || h.GraphBytes < 0 || h.GraphBytes > n || h.GraphOffset+h.GraphBytes > n ||
		h.WeightOffset < h.GraphOffset+h.GraphBytes || h.WeightBytes < 0 || h.WeightBytes > n || h.WeightOffset > n ||
		h.PrepackOffset < h.WeightOffset+h.WeightBytes || h.PrepackBytes < 0 || h.PrepackBytes > n ||
		h.PrepackOffset+h.PrepackBytes != n {
		return nil, fmt.Errorf("artifact sections out of range (graph %d+%d, weights %d+%d, prepacked %d+%d, file %d)",
			h.GraphOffset, h.GraphBytes, h.WeightOffset, h.WeightBytes, h.PrepackOffset, h.PrepackBytes, n)
	}
	if missing := MissingCPUFeatures(h.CPUFeatures); len(missing) > 0 {
		return nil, fmt.Errorf("artifact was compiled for ISA %s and needs CPU features %v, which this CPU lacks", h.ISA, missing)
	}
	weights := data[h.WeightOffset : h.WeightOffset+h.WeightBytes]
	section := data[h.PrepackOffset : h.PrepackOffset+h.PrepackBytes]
	g, gbody, recs, stored, r, err := decodeGraph(data[h.GraphOffset:h.GraphOffset+h.GraphBytes], weights)
	if err != nil {
		return nil, err
	}
	ds := &derivedSet{generic: r.derived}
	if err := ds.resolve(r.derived, recs, section); err != nil {
		return nil, err
	}
	h.Prepacked = recs
	a = &Artifact{Graph: g, Header: h, Stored: stored}
	var generic []PrepackRecord
	for i, rec := range recs {
		if rec.Graph < 0 || rec.Graph > int64(len(stored)) {
			return nil, fmt.Errorf("prepacked entry %d: graph %d of %d", i, rec.Graph, 1+len(stored))
		}
		if rec.Graph == 0 {
			generic = append(generic, rec)
		}
	}
	if len(recs) > maxPrepacked {
		return nil, fmt.Errorf("artifact lists %d prepacked entries (at most %d)", len(recs), maxPrepacked)
	}
	if a.Prepacked, err = bindPrepacked(g, generic, section); err != nil {
		return nil, err
	}
	a.shared = &storedShared{generic: g, body: gbody, weights: weights, values: r.shared, records: recs, section: section, derived: ds}
	for i, p := range stored {
		if err := checkStoredShapes(g, p.Shapes); err != nil {
			return nil, fmt.Errorf("artifact specialised graph %d: %v", i, err)
		}
		p.index, p.shared = i, a.shared
	}
	return a, nil
}

var errChecksum = fmt.Errorf("artifact checksum mismatch: the file is truncated or corrupted")
