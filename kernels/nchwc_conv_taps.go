package kernels

import (
	"fmt"

	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/vecmath"
)

// Tap groups: a plain (NCHW) first layer with one block of output
// channels (M ≤ 16), read in row segments (kw > C), strided across by
// sw ≥ 2 with kw a multiple of sw. The micro-kernel with one output block
// pays a broadcast per multiply-add and keeps six accumulators: it runs
// at about two thirds of the rate of two or more blocks. But along a
// strided row, tap kx of output column ox reads the input column
// ox·sw + kx, which tap kx − sw of column ox + 1 reads too. So the kw
// taps are cut into G = kw/sw groups of sw, group f being output block f
// of a "virtual" pixel v (stride sw, columns v·sw + k for k < sw):
//
//	block f of v = Σ_{c, ky, k<sw} W[m, c, ky, f·sw + k]·X[c, oy·sh + ky, v·sw + k]
//	Y[m, oy, ox] = bias[m] + Σ_f block f of v = ox + f
//
// Each broadcast input value feeds G blocks (G multiply-adds, G·6
// accumulators); the virtual row is G − 1 pixels longer than the output
// row, and the blocks are summed into the output in one vector pass per
// row (with the residual and the activation). The padded copy is made
// wide enough that the last virtual pixel reads zero columns only.
//
// Its images may be split over the pool (runTapGroups); a convolution of
// at least nchwcParMACs multiply-adds takes the ordinary form instead,
// whose tiles split within an image too (nchwcConvJob).

// nchwcTapGroups is the tap-group form of a convNCHWc.
type nchwcTapGroups struct {
	g    int       // tap groups: output blocks per micro-kernel call
	w    []float32 // [channel][kernel row][k < sw][group][16]
	bias []float32 // g·16: the bias, then zeros
	vec  *vecmath.Routines
}

// tapGroupsEligible reports whether k takes the tap-group form, and its
// group count.
func (k *convNCHWc) tapGroupsEligible() (int, bool) {
	if !k.plain || !k.rowSeg || k.dw != 1 || k.m > 16 || k.sw < 2 || k.kw%k.sw != 0 {
		return 0, false
	}
	g := k.kw / k.sw
	return g, g >= 2 && g <= 4
}

// newTapGroups packs W ([M, C, kh, kw]) for the tap-group form, through
// b's prepack hook.
func (k *convNCHWc) newTapGroups(b *Build, w []float32, g int) *nchwcTapGroups {
	tg := &nchwcTapGroups{g: g, bias: make([]float32, g*16), vec: b.Vec()}
	copy(tg.bias, k.bias[:16])
	n := k.c * k.kh * k.sw * g * 16
	pack := func() []float32 {
		out := make([]float32, n)
		i := 0
		for ic := range k.c {
			for ky := range k.kh {
				for kk := range k.sw {
					for f := range g {
						for oc := range 16 {
							if oc < k.m {
								out[i] = w[((oc*k.c+ic)*k.kh+ky)*k.kw+f*k.sw+kk]
							}
							i++
						}
					}
				}
			}
		}
		return out
	}
	key := fmt.Sprintf("nchwc.conv/taps/m%d/c%d/k%dx%d/s%d", k.m, k.c, k.kh, k.kw, k.sw)
	if tg.w = b.Prepacked(w, key, pack); len(tg.w) != n {
		tg.w = pack() // a stored panel that does not fit its key: repack
	}
	return tg
}

// runTapGroups computes n images of y (NCHWc, one block) from the plain
// input xd: xp (n·g.imgX values) takes the padded copies, yv (n·G·oh·owv·16)
// the virtual blocks. From tapParMACs multiply-adds (macs, the whole
// convolution's) two or more images are split over pool, a few claimed at
// a time; a single image runs on the calling thread.
func (k *convNCHWc) runTapGroups(pool Pool, macs int, g *nchwcConvGeom, n int, xd, xp, yv, y, res []float32) {
	if pool == nil || pool.Threads() <= 1 || n < 2 || macs < tapParMACs {
		pool = nil
	}
	j := tapGroupsJob{k: k, g: g, x: xd, xp: xp, yv: yv, y: y, res: res}
	if pool == nil {
		j.images(0, n)
		return
	}
	tapGroupsJobs.ForClaimed(pool, n, 1, j)
}

// tapParMACs is the multiply-add count from which the images of a
// tap-group convolution are split over the pool: dcgan_discriminator's
// first layer (3 images, 589K) took 16.5 µs on one thread.
const tapParMACs = 1 << 18

// tapGroupsJob is one tap-group convolution, split by images.
type tapGroupsJob struct {
	k                 *convNCHWc
	g                 *nchwcConvGeom
	x, xp, yv, y, res []float32
}

var tapGroupsJobs = newJobPool((*tapGroupsJob).images)

// images computes images [lo, hi), each padded into its own share of xp
// (while the thread computing it has it in cache), with its own share of
// yv and y.
func (j *tapGroupsJob) images(lo, hi int) {
	k, g, tg := j.k, j.g, j.k.tg
	owv := g.ow + tg.g - 1
	vbs := g.oh * owv * 16
	ybs := g.oh * g.ow * 16
	a := nchwcArgs.Get().(*amd64.NCHWcConvArgs)
	defer nchwcArgs.Put(a)
	*a = amd64.NCHWcConvArgs{W: tg.w, Bias: tg.bias, Seg: g.seg, K: k.sw, S: 1, YBS: vbs, F: tg.g}
	row := g.ow * 16
	pad := nchwcPadJob{k: k, g: g, x: j.x, xp: j.xp}
	padRows := k.padPlanes() * g.hp
	for img := lo; img < hi; img++ {
		pad.rows(img*padRows, (img+1)*padRows)
		a.X = j.xp[img*g.imgX:]
		yi := j.yv[img*tg.g*vbs:][:tg.g*vbs]
		for t := range g.vtiles {
			tl := &g.vtiles[t]
			a.Off, a.NP, a.Y = tl.off, tl.np, yi[tl.q0*16:]
			k.mk(a)
		}
		yo := j.y[img*ybs:][:ybs]
		for oy := range g.oh {
			d := yo[oy*row:][:row]
			v := yi[oy*owv*16:]
			tg.vec.Binary(vecmath.Add, d, v[:row], yi[vbs+(oy*owv+1)*16:][:row])
			for f := 2; f < tg.g; f++ {
				tg.vec.Binary(vecmath.Add, d, d, yi[f*vbs+(oy*owv+f)*16:][:row])
			}
		}
		if j.res != nil {
			tg.vec.Binary(vecmath.Add, yo, yo, j.res[img*ybs:][:ybs])
		}
		switch {
		case k.relu:
			tg.vec.Relu(yo)
		case k.act.kind != faNone || k.clamp != nil:
			k.finish(j.y, img*ybs, ybs, &k.groups[0], g.oh*g.ow)
		}
	}
}
