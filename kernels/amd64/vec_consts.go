package amd64

import (
	"math"

	"github.com/nncc/nncc/kernels/vecmath/purego"
)

// Constants of the vector math assembly (vec_*_amd64.s): each is a
// 64-byte row of 16 equal 32-bit lanes (the AVX2 routines read the first
// 32 bytes), so that it can be a full-width memory operand without a
// broadcast. Row k starts at byte 64·k; vec_amd64.h names the offsets.
// The values come from package purego, so the assembly and its twins use
// the same coefficients.
const (
	vkLog2E = iota
	vkMagic
	vkLn2Hi
	vkLn2Lo
	vkExpp0
	vkExpp1
	vkExpp2
	vkExpp3
	vkExpp4
	vkExpp5
	vkOne
	vkExplo
	vkExphi
	vkI127
	vkAbsmask
	vkSignmask
	vkTanhp0
	vkTanhp1
	vkTanhp2
	vkTanhp3
	vkTanhp4
	vkTanhsmall
	vkErfp0
	vkErfp1
	vkErfp2
	vkErfp3
	vkErfp4
	vkErfcq0
	vkErfcq1
	vkErfcq2
	vkErfcq3
	vkErfcq4
	vkErfcq5
	vkErfcq6
	vkErfcq7
	vkErfcq8
	vkErfcq9
	vkErfct0
	vkTwo
	vkHalf
	vkErfclamp
	vkGeluclamp
	vkNeggeluclamp
	vkInvsqrt2
	vkGeluk0
	vkGeluk1
	vkNegmax
	vkNeginf
	vkZero
	vkExpsub
	vkF126
	vkCount
)

var vecConsts = func() (t [vkCount * 16]uint32) {
	f := func(v float32) uint32 { return math.Float32bits(v) }
	for k, v := range [vkCount]uint32{
		vkLog2E:        f(purego.Log2E),
		vkMagic:        f(purego.Magic),
		vkLn2Hi:        f(purego.Ln2Hi),
		vkLn2Lo:        f(purego.Ln2Lo),
		vkExpp0:        f(purego.ExpP0),
		vkExpp1:        f(purego.ExpP1),
		vkExpp2:        f(purego.ExpP2),
		vkExpp3:        f(purego.ExpP3),
		vkExpp4:        f(purego.ExpP4),
		vkExpp5:        f(purego.ExpP5),
		vkOne:          f(1),
		vkExplo:        f(purego.ExpLo),
		vkExphi:        f(purego.ExpHi),
		vkI127:         127,
		vkAbsmask:      0x7fffffff,
		vkSignmask:     0x80000000,
		vkTanhp0:       f(purego.TanhP0),
		vkTanhp1:       f(purego.TanhP1),
		vkTanhp2:       f(purego.TanhP2),
		vkTanhp3:       f(purego.TanhP3),
		vkTanhp4:       f(purego.TanhP4),
		vkTanhsmall:    f(purego.TanhSmall),
		vkErfp0:        f(purego.ErfP0),
		vkErfp1:        f(purego.ErfP1),
		vkErfp2:        f(purego.ErfP2),
		vkErfp3:        f(purego.ErfP3),
		vkErfp4:        f(purego.ErfP4),
		vkErfcq0:       f(purego.ErfcQ0),
		vkErfcq1:       f(purego.ErfcQ1),
		vkErfcq2:       f(purego.ErfcQ2),
		vkErfcq3:       f(purego.ErfcQ3),
		vkErfcq4:       f(purego.ErfcQ4),
		vkErfcq5:       f(purego.ErfcQ5),
		vkErfcq6:       f(purego.ErfcQ6),
		vkErfcq7:       f(purego.ErfcQ7),
		vkErfcq8:       f(purego.ErfcQ8),
		vkErfcq9:       f(purego.ErfcQ9),
		vkErfct0:       f(purego.ErfcT0),
		vkTwo:          f(2),
		vkHalf:         f(0.5),
		vkErfclamp:     f(purego.ErfClamp),
		vkGeluclamp:    f(purego.GeluClamp),
		vkNeggeluclamp: f(-purego.GeluClamp),
		vkInvsqrt2:     f(purego.InvSqrt2),
		vkGeluk0:       f(purego.GeluK0),
		vkGeluk1:       f(purego.GeluK1),
		vkNegmax:       f(-purego.MaxF32),
		vkNeginf:       0xff800000,
		vkZero:         0,
		vkExpsub:       f(purego.ExpSub),
		vkF126:         f(126),
	} {
		for l := range 16 {
			t[k*16+l] = v
		}
	}
	return t
}()

// vecMask8 holds eight -1 then eight 0 words: the eight words at
// vecMask8[8-r:] mask the first r lanes of a ymm register (AVX2 tails).
var vecMask8 = [16]int32{-1, -1, -1, -1, -1, -1, -1, -1}
