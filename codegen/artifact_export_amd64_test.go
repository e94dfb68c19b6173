//go:build amd64 && !noasm

package codegen

// SetChecksumVariant selects the checksum variant for the A/B benchmarks
// of the external test package: stitched or fold-only CRC, and the body
// size from which the checksum overlaps decoding. It returns a function
// restoring the defaults.
func SetChecksumVariant(stitch bool, asyncMin int) (restore func()) {
	s, a := useStitch, asyncMinBytes
	useStitch, asyncMinBytes = stitch && canStitch, asyncMin
	return func() { useStitch, asyncMinBytes = s, a }
}
