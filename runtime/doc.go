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
// frame (arena plus slot table) from the plan's free list.
package runtime
