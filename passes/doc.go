// Package passes holds nncc's graph-to-graph optimisations and the pass
// manager that runs them.
//
// The passes are a table (passes.go): each row has a name, the function,
// and whether it may be disabled. The manager runs them in table order,
// verifies the graph after each one when asked (tests always ask), and can
// dump the graph's text form after any pass by name. One file per pass.
package passes
