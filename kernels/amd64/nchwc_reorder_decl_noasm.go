//go:build noasm

package amd64

// NCHWcGatherAVX512 is NCHWcGatherGo under the noasm tag.
func NCHWcGatherAVX512(dst, src []float32, idx *[16]int32, lanes int) {
	NCHWcGatherGo(dst, src, idx, lanes)
}
