package builder

import (
	"fmt"
	"strconv"
	"strings"
)

// Scope makes the names of nodes, constants and weights added until the
// returned function is called start with name + "/". Scopes nest; layers
// use them so that their parts are named "dense_1/MatMul",
// "dense_1/kernel".
//
//	defer b.Scope("encoder")()
func (b *Builder) Scope(name string) (end func()) {
	b.scope = append(b.scope, name)
	depth := len(b.scope)
	return func() {
		if len(b.scope) != depth {
			panic("BUG: builder scopes closed out of order")
		}
		b.scope = b.scope[:depth-1]
	}
}

// UniqueScope returns base, or base_1, base_2, ... the first not yet
// returned, within the current scope (the Keras way of naming layers:
// "dense", "dense_1").
func (b *Builder) UniqueScope(base string) string {
	full := b.scoped(base)
	name := base
	for i := 1; b.st.scopeNames[full]; i++ {
		name = base + "_" + strconv.Itoa(i)
		full = b.scoped(name)
	}
	b.st.scopeNames[full] = true
	return name
}

// ClaimScope reserves an explicitly chosen layer name; it fails when the
// name is already taken in the current scope.
func (b *Builder) ClaimScope(name string) bool {
	full := b.scoped(name)
	if b.st.scopeNames[full] {
		b.fail(fmt.Errorf("name %q is used by two layers", full))
		return false
	}
	b.st.scopeNames[full] = true
	return true
}

// scoped prefixes name with the current scope.
func (b *Builder) scoped(name string) string {
	if len(b.scope) == 0 {
		return name
	}
	return strings.Join(b.scope, "/") + "/" + name
}

func (b *Builder) uniqueNode(name string) string { return unique(b.st.nodeNames, name) }

func (b *Builder) uniqueValue(name string) string { return unique(b.st.valueNames, name) }

// unique returns name or name_N, the first not in used, and records it.
func unique(used map[string]bool, name string) string {
	s := name
	for i := 1; used[s]; i++ {
		s = name + "_" + strconv.Itoa(i)
	}
	used[s] = true
	return s
}
