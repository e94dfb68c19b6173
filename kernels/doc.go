// Package kernels holds nncc's operator implementations and the registry
// that maps an op to the function that builds its kernel.
//
// A kernel is built once per node at compile time (Builder parses and
// checks attributes, so nothing is looked up by name at run time) and then
// called once per Run with the step's input tensors. It writes its results
// through Ctx.Output, which hands back the buffer the memory planner
// assigned to that output when the shapes agree, or allocates one when the
// shape was not known at compile time.
//
// The files named ref_*.go are the reference implementations: plain Go
// that follows the ONNX specification text, the slow and obviously correct
// twin every optimised kernel is tested against.
package kernels
