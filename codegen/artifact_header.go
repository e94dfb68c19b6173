package codegen

import (
	"encoding/json"
	"strconv"
	"unsafe"
)

// The JSON header is decoded by a small parser for exactly the form
// EncodeArtifact writes (json.Marshal of ArtifactHeader: one object, no
// whitespace, known keys, strings without escapes, integers, arrays of
// strings), which costs a fraction of encoding/json's reflection on a
// header of a few hundred bytes. Anything else (whitespace, escapes,
// other keys or value kinds, null) goes to encoding/json, so the accepted
// headers and their meaning are encoding/json's.

// decodeHeader decodes the JSON header hdr into h. Its strings alias
// hdr, which must not change while h is in use.
func decodeHeader(hdr []byte, h *ArtifactHeader) error {
	var fast ArtifactHeader
	if parseHeaderFast(hdr, &fast) {
		*h = fast
		return nil
	}
	return json.Unmarshal(hdr, h)
}

// headerParser reads the compact JSON form; ok turns false at the first
// byte outside it.
type headerParser struct {
	b   []byte
	pos int
	ok  bool
}

func (p *headerParser) byte(c byte) {
	if p.ok && p.pos < len(p.b) && p.b[p.pos] == c {
		p.pos++
		return
	}
	p.ok = false
}

func (p *headerParser) peek(c byte) bool {
	return p.ok && p.pos < len(p.b) && p.b[p.pos] == c
}

// str reads a string without escapes or control characters, aliasing
// the header's bytes.
func (p *headerParser) str() string {
	p.byte('"')
	start := p.pos
	for p.ok {
		if p.pos >= len(p.b) {
			p.ok = false
			break
		}
		c := p.b[p.pos]
		if c == '"' {
			s := p.b[start:p.pos]
			p.pos++
			if len(s) == 0 {
				return ""
			}
			return unsafe.String(&s[0], len(s))
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			p.ok = false // escapes and non-ASCII: encoding/json's rules
			break
		}
		p.pos++
	}
	return ""
}

// int reads an integer as encoding/json would into an int64 (and an int,
// which is as wide on the 64-bit hosts artifacts load on).
func (p *headerParser) int() int64 {
	start := p.pos
	if p.peek('-') {
		p.pos++
	}
	for p.ok && p.pos < len(p.b) && p.b[p.pos] >= '0' && p.b[p.pos] <= '9' {
		p.pos++
	}
	if !p.ok {
		return 0
	}
	v, err := strconv.ParseInt(unsafe.String(unsafe.SliceData(p.b[start:]), p.pos-start), 10, 64)
	if err != nil || p.pos-start > 1 && p.b[start] == '0' || p.pos-start > 2 && p.b[start] == '-' && p.b[start+1] == '0' {
		p.ok = false // out of range or leading zeros: encoding/json decides
		return 0
	}
	return v
}

// strs reads an array of strings.
func (p *headerParser) strs() []string {
	p.byte('[')
	if p.peek(']') {
		p.pos++
		return []string{}
	}
	// One allocation: size the list by the commas before the first ']'
	// (a count that is off only for lists the parser then rejects).
	n := 1
	for i := p.pos; i < len(p.b) && p.b[i] != ']'; i++ {
		if p.b[i] == ',' {
			n++
		}
	}
	out := make([]string, 0, n)
	for p.ok {
		out = append(out, p.str())
		if p.peek(',') {
			p.pos++
			continue
		}
		p.byte(']')
		break
	}
	return out
}

// parseHeaderFast parses hdr into h if it is in the compact form,
// reporting whether it was.
func parseHeaderFast(hdr []byte, h *ArtifactHeader) bool {
	if int(^uint(0)>>1) != 1<<63-1 {
		return false // OptLevel is an int: leave range checks to encoding/json
	}
	p := &headerParser{b: hdr, ok: true}
	p.byte('{')
	if p.peek('}') {
		p.pos++
		return p.ok && p.pos == len(hdr)
	}
	for p.ok {
		switch p.str() {
		case "producer":
			p.byte(':')
			h.Producer = p.str()
		case "isa":
			p.byte(':')
			h.ISA = p.str()
		case "cpu_features":
			p.byte(':')
			h.CPUFeatures = p.strs()
		case "opt_level":
			p.byte(':')
			h.OptLevel = int(p.int())
		case "passes":
			p.byte(':')
			h.Passes = p.strs()
		case "opset":
			p.byte(':')
			h.Opset = p.int()
		case "graph_offset":
			p.byte(':')
			h.GraphOffset = p.int()
		case "graph_bytes":
			p.byte(':')
			h.GraphBytes = p.int()
		case "weights_offset":
			p.byte(':')
			h.WeightOffset = p.int()
		case "weights_bytes":
			p.byte(':')
			h.WeightBytes = p.int()
		case "prepacked_offset":
			p.byte(':')
			h.PrepackOffset = p.int()
		case "prepacked_bytes":
			p.byte(':')
			h.PrepackBytes = p.int()
		default:
			return false
		}
		if p.peek(',') {
			p.pos++
			continue
		}
		p.byte('}')
		break
	}
	return p.ok && p.pos == len(hdr)
}
