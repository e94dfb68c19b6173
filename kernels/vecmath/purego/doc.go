// Package purego holds the pure-Go twins of nncc's vector assembly
// kernels (kernels/amd64 vec_*.s): one function per routine, with the same
// signature, whose doc comment states the math. The twins are what the
// Generic level of package vecmath runs and what the assembly is tested
// against; they follow the same algorithms (range reduction, polynomial
// coefficients, clamps) in float32 so that results agree to an ulp or two.
//
// The package is a leaf (it imports only the standard library) so that
// both the assembly packages and package vecmath can depend on it.
// Error bounds are documented in package vecmath and checked by its tests.
package purego
