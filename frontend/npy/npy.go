package npy

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/nncc/nncc/ir"
)

const magic = "\x93NUMPY"

// maxHeader bounds the header length a file may declare.
const maxHeader = 1 << 20

// dtypeCodes maps an npy type code (without byte order) to an element type.
var dtypeCodes = map[string]ir.DType{
	"b1": ir.Bool, "?": ir.Bool,
	"i1": ir.Int8, "i2": ir.Int16, "i4": ir.Int32, "i8": ir.Int64,
	"u1": ir.Uint8, "u2": ir.Uint16, "u4": ir.Uint32, "u8": ir.Uint64,
	"f2": ir.Float16, "f4": ir.Float32, "f8": ir.Float64,
	"c8": ir.Complex64, "c16": ir.Complex128,
}

// codeOf is the inverse of dtypeCodes.
func codeOf(d ir.DType) (string, bool) {
	for c, dt := range dtypeCodes {
		if dt == d && c != "?" {
			return c, true
		}
	}
	return "", false
}

// Read decodes one .npy array from r.
func Read(r io.Reader) (*ir.Tensor, error) {
	br := bufio.NewReader(r)
	head := make([]byte, 8)
	if _, err := io.ReadFull(br, head); err != nil {
		return nil, fmt.Errorf("npy: reading magic: %w", err)
	}
	if string(head[:6]) != magic {
		return nil, errors.New("npy: not a .npy file (bad magic)")
	}
	major := head[6]
	var hlen int
	switch major {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return nil, fmt.Errorf("npy: reading header length: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return nil, fmt.Errorf("npy: reading header length: %w", err)
		}
		h := binary.LittleEndian.Uint32(b[:])
		if h > maxHeader {
			return nil, fmt.Errorf("npy: header length %d is too large", h)
		}
		hlen = int(h)
	default:
		return nil, fmt.Errorf("npy: unsupported format version %d.%d", major, head[7])
	}
	header := make([]byte, hlen)
	if _, err := io.ReadFull(br, header); err != nil {
		return nil, fmt.Errorf("npy: reading header: %w", err)
	}
	h, err := parseHeader(string(header))
	if err != nil {
		return nil, fmt.Errorf("npy: %w", err)
	}
	if h.fortran {
		return nil, errors.New("npy: fortran_order arrays are not supported")
	}
	dt, order, err := parseDescr(h.descr)
	if err != nil {
		return nil, fmt.Errorf("npy: %w", err)
	}
	n, err := ir.CheckedNumElements(h.shape, math.MaxInt64/int64(dt.Size()))
	if err != nil {
		return nil, fmt.Errorf("npy: %w", err)
	}
	need := n * int64(dt.Size())
	// Read incrementally so a header that lies about the shape cannot make
	// us allocate more than the file holds.
	var buf bytes.Buffer
	got, err := io.Copy(&buf, io.LimitReader(br, need+1))
	if err != nil {
		return nil, fmt.Errorf("npy: reading data: %w", err)
	}
	if got < need {
		return nil, fmt.Errorf("npy: shape %v of %v needs %d data bytes, the file has %d", h.shape, h.descr, need, got)
	}
	if got > need {
		return nil, fmt.Errorf("npy: file has more data than shape %v of %v needs (%d bytes)", h.shape, h.descr, need)
	}
	return &ir.Tensor{DType: dt, Shape: h.shape, Data: decode(dt, order, buf.Bytes(), int(n))}, nil
}

// Write encodes t as a little-endian, C-order .npy file.
func Write(w io.Writer, t *ir.Tensor) error {
	if t == nil || t.Kind != ir.KindTensor {
		return errors.New("npy: only tensors can be written")
	}
	code, ok := codeOf(t.DType)
	if !ok {
		return fmt.Errorf("npy: element type %v has no .npy equivalent", t.DType)
	}
	n := 1
	for _, d := range t.Shape {
		if d < 0 {
			return fmt.Errorf("npy: negative dimension in shape %v", t.Shape)
		}
		n *= int(d)
	}
	raw, err := encode(t.Data, n)
	if err != nil {
		return fmt.Errorf("npy: %v tensor: %w", t.DType, err)
	}
	order := "<"
	if t.DType.Size() == 1 {
		order = "|"
	}
	dims := make([]string, len(t.Shape))
	for i, d := range t.Shape {
		dims[i] = strconv.FormatInt(d, 10)
	}
	shape := strings.Join(dims, ", ")
	if len(dims) == 1 {
		shape += ","
	}
	dict := fmt.Sprintf("{'descr': '%s%s', 'fortran_order': False, 'shape': (%s), }", order, code, shape)

	// Pad so that magic, version, length and header fill a multiple of 64
	// bytes, the header ending in a newline. Version 1 stores the header
	// length in 2 bytes; longer headers need version 2.
	version := byte(1)
	header := padHeader(dict, 2)
	if len(header) > math.MaxUint16 {
		version, header = 2, padHeader(dict, 4)
	}
	var pre bytes.Buffer
	pre.WriteString(magic)
	pre.WriteByte(version)
	pre.WriteByte(0)
	if version == 1 {
		binary.Write(&pre, binary.LittleEndian, uint16(len(header)))
	} else {
		binary.Write(&pre, binary.LittleEndian, uint32(len(header)))
	}
	pre.WriteString(header)
	if _, err := w.Write(pre.Bytes()); err != nil {
		return err
	}
	_, err = w.Write(raw)
	return err
}

// header is the parsed header dictionary.
type header struct {
	descr   string
	fortran bool
	shape   []int64
}

// parseDescr splits a descr such as "<f4" into element type and byte order.
func parseDescr(s string) (ir.DType, binary.ByteOrder, error) {
	if s == "" {
		return 0, nil, errors.New("empty descr")
	}
	var order binary.ByteOrder = binary.LittleEndian
	code := s
	switch s[0] {
	case '<', '|', '=':
		code = s[1:]
	case '>':
		order, code = binary.BigEndian, s[1:]
	}
	dt, ok := dtypeCodes[code]
	if !ok {
		return 0, nil, fmt.Errorf("unsupported descr %q", s)
	}
	if s[0] == '|' && dt.Size() != 1 {
		return 0, nil, fmt.Errorf("descr %q: '|' is only for one-byte types", s)
	}
	return dt, order, nil
}

func padHeader(dict string, lenBytes int) string {
	total := len(magic) + 2 + lenBytes + len(dict) + 1
	return dict + strings.Repeat(" ", (64-total%64)%64) + "\n"
}
