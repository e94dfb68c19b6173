package builder

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
)

// Error is a building mistake: where the call was made, which op (or
// layer) it was about, and what was wrong.
type Error struct {
	File string // the caller's file (outside package builder and its layers)
	Line int
	Op   string // the op or layer called; empty for graph-level mistakes
	Args string // the call's inputs with their types, when known
	Err  error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("builder: ")
	if e.File != "" {
		fmt.Fprintf(&b, "%s:%d: ", filepath.Base(e.File), e.Line)
	}
	if e.Op != "" {
		b.WriteString(e.Op + e.Args + ": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// fail records err as the builder's error unless one is already recorded.
func (b *Builder) fail(err error) { b.failAt("", nil, err) }

func (b *Builder) failAt(op string, ins []*Value, err error) {
	if b.st.err != nil {
		return
	}
	e := &Error{Op: op, Err: err}
	if ins != nil {
		e.Args = describeInputs(ins)
	}
	e.File, e.Line = callSite()
	b.st.err = e
}

// Errorf records a mistake found by code built on the builder (a layer
// checking its input, say), naming what: "conv2d (Conv2D)". It has no
// effect when an error is already recorded.
func (b *Builder) Errorf(what string, format string, args ...any) {
	b.failAt(what, nil, fmt.Errorf(format, args...))
}

// pkgDir is the folder of package builder; frames in it and its
// subfolders (the layers) are skipped when finding the caller.
var pkgDir = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file) + string(filepath.Separator)
}()

// callSite returns the first frame of the stack outside the builder
// packages (their tests count as outside).
func callSite() (string, int) {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if f.File != "" && (!strings.HasPrefix(f.File, pkgDir) || strings.HasSuffix(f.File, "_test.go")) {
			return f.File, f.Line
		}
		if !more {
			return "", 0
		}
	}
}
