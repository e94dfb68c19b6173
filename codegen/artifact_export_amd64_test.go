//go:build amd64 && !noasm

package codegen

// SetChecksumVariant selects the checksum variant for the A/B benchmarks
// of the external test package: stitched or fold-only CRC, and whether
// to overlap the checksum with decoding (OverlapBySize, OverlapNever or
// OverlapAlways). It returns a function restoring the defaults.
func SetChecksumVariant(stitch bool, overlap int) (restore func()) {
	s, m := useStitch, overlapMode
	useStitch, overlapMode = stitch && canStitch, overlap
	return func() { useStitch, overlapMode = s, m }
}

// The overlap modes for SetChecksumVariant.
const (
	OverlapBySize = overlapBySize
	OverlapNever  = overlapNever
	OverlapAlways = overlapAlways
)
