// Package codegen lowers an optimised ir.Graph into a Plan: a flat list of
// steps, each with its kernel already built and its inputs and outputs
// bound to slots, plus a static memory plan that places every statically
// shaped intermediate at an offset in one arena, reusing space between
// values whose lifetimes do not overlap.
//
// A Plan is plain data apart from the built kernel functions, which a
// loader rebuilds from each step's node.
package codegen
