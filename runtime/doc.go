// Package runtime runs compiled models: a Session owns the optimised
// graph, a plan cache keyed by concrete input shapes, and a worker pool.
//
// Loading decodes the model, runs the pass table once on the symbolic
// graph (so a bad model fails at load time), and keeps the result. The
// first Run with a given set of input shapes specialises a copy of that
// graph to those shapes (shape-dependent values fold to constants), lowers
// it to a codegen.Plan with a static arena layout, and caches it; later
// Runs with the same shapes reuse it, walking the step list with no map
// look-ups and, for kernels that honour their planned buffers, no heap
// allocation.
//
// A Session is safe for concurrent Run calls: each Run takes an execution
// frame (arena plus slot table) from the plan's free list, with its own
// choice of using the worker pool or not (adaptive.go). The pool runs one
// parallel loop at a time; a loop of a concurrent Run that finds it busy
// runs on its caller, and a Run that chose to run serially leaves the
// workers to a concurrent parallel Run instead of parking them. Outputs
// do not depend on which Runs overlap.
package runtime
