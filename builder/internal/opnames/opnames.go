// Package opnames holds the naming rules shared by the builder's code
// generator and its tests: how an op table row and an attribute become Go
// identifiers.
package opnames

import (
	"strings"
	"unicode"
)

// Method returns the name of the Builder method for the op domain::name:
// the op's own name for the default domain, prefixed with the domain
// otherwise ("ai.onnx.ml"::"TreeEnsemble" → "MLTreeEnsemble").
func Method(domain, name string) string {
	return DomainPrefix(domain) + name
}

// DomainPrefix turns a domain into an identifier prefix: "ai.onnx" parts
// are dropped, short parts are upper-cased and the rest capitalised.
func DomainPrefix(domain string) string {
	d := strings.TrimPrefix(domain, "ai.onnx")
	var b strings.Builder
	for _, part := range strings.FieldsFunc(d, func(r rune) bool { return r == '.' || r == '_' || r == '-' }) {
		if len(part) <= 2 {
			b.WriteString(strings.ToUpper(part))
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// Attr returns the Go name of an attribute option: "Attr" followed by the
// attribute name in camel case ("kernel_shape" → "AttrKernelShape"). kind,
// when not empty, is appended to tell apart attributes that share a name
// but not a kind, after "As" ("AttrValueAsTensor", "AttrValueAsFloat").
func Attr(name, kind string) string {
	var b strings.Builder
	b.WriteString("Attr")
	up := true
	for _, r := range name {
		if r == '_' || r == '-' || r == '.' {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	if kind != "" {
		b.WriteString("As" + strings.ToUpper(kind[:1]) + kind[1:])
	}
	return b.String()
}
