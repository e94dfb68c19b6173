//go:build noasm

package isa

// noasm is set by the noasm build tag: only the Generic level is offered.
const noasm = true
