package runtime_test

import (
	"context"
	"fmt"
	"math"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// dataSizeCase is a one-op graph whose output size (or the size of
// something its kernel allocates) comes from tensor data given at Run, and
// a hostile value for that data.
type dataSizeCase struct {
	name  string
	opset int64
	// build adds the graph's inputs and node to b and returns the outputs.
	build func(b *builder.Builder) []*builder.Value
	// feed holds the tensors given to Run, by input name.
	feed map[string]*ir.Tensor
	// ok marks a hostile value the op accepts on purpose (it clamps or
	// ignores it); then Run must succeed, still allocating little.
	ok bool
	// maxElements, when set, is the session's MaxTensorElements (else the
	// default, 2^32).
	maxElements int64
}

const huge = int64(1) << 40

func i64(v ...int64) *ir.Tensor   { return ir.FromSlice(v) }
func f32(v ...float32) *ir.Tensor { return ir.FromSlice(v) }

// f32s is a float tensor of the given shape filled with small values.
func f32s(shape ...int64) *ir.Tensor {
	t := ir.NewTensor(ir.Float32, shape)
	for i, d := 0, t.Data.([]float32); i < len(d); i++ {
		d[i] = float32(i%7) * 0.25
	}
	return t
}

func dataSizeCases() []dataSizeCase {
	x4 := func(b *builder.Builder) *builder.Value { return b.Input("x", ir.Float32, 1, 1, 2, 2) }
	in := func(b *builder.Builder, name string, dt ir.DType, n int) *builder.Value {
		return b.Input(name, dt, n)
	}
	scalar := func(b *builder.Builder, name string, dt ir.DType) *builder.Value { return b.Input(name, dt) }
	one := func(v *builder.Value) []*builder.Value { return []*builder.Value{v} }
	var cs []dataSizeCase
	add := func(name string, opset int64, ok bool, feed map[string]*ir.Tensor, build func(b *builder.Builder) []*builder.Value) {
		cs = append(cs, dataSizeCase{name: name, opset: opset, build: build, feed: feed, ok: ok})
	}

	// Range: the element count is (limit-start)/delta.
	rangeI := func(b *builder.Builder) []*builder.Value {
		return one(b.Range(scalar(b, "s", ir.Int64), scalar(b, "l", ir.Int64), scalar(b, "d", ir.Int64)))
	}
	rangeF := func(b *builder.Builder) []*builder.Value {
		return one(b.Range(scalar(b, "s", ir.Float32), scalar(b, "l", ir.Float32), scalar(b, "d", ir.Float32)))
	}
	add("Range int64 2^40", 17, false, map[string]*ir.Tensor{"s": ir.Scalar(int64(0)), "l": ir.Scalar(huge), "d": ir.Scalar(int64(1))}, rangeI)
	add("Range int64 full span", 17, false, map[string]*ir.Tensor{"s": ir.Scalar(int64(math.MinInt64)), "l": ir.Scalar(int64(math.MaxInt64)), "d": ir.Scalar(int64(1))}, rangeI)
	add("Range int64 full span down", 17, false, map[string]*ir.Tensor{"s": ir.Scalar(int64(math.MaxInt64)), "l": ir.Scalar(int64(math.MinInt64)), "d": ir.Scalar(int64(-1))}, rangeI)
	add("Range int64 delta 0", 17, false, map[string]*ir.Tensor{"s": ir.Scalar(int64(0)), "l": ir.Scalar(int64(10)), "d": ir.Scalar(int64(0))}, rangeI)
	add("Range float 1e13", 17, false, map[string]*ir.Tensor{"s": ir.Scalar(float32(0)), "l": ir.Scalar(float32(1e13)), "d": ir.Scalar(float32(1))}, rangeF)
	add("Range float +Inf", 17, false, map[string]*ir.Tensor{"s": ir.Scalar(float32(0)), "l": ir.Scalar(float32(math.Inf(1))), "d": ir.Scalar(float32(1))}, rangeF)
	add("Range float NaN", 17, true, map[string]*ir.Tensor{"s": ir.Scalar(float32(0)), "l": ir.Scalar(float32(math.NaN())), "d": ir.Scalar(float32(1))}, rangeF)
	add("Range float tiny delta", 17, false, map[string]*ir.Tensor{"s": ir.Scalar(float32(0)), "l": ir.Scalar(float32(1)), "d": ir.Scalar(float32(1e-30))}, rangeF)

	// Shapes given as data.
	cos := func(b *builder.Builder) []*builder.Value { return one(b.ConstantOfShape(in(b, "shape", ir.Int64, 2))) }
	add("ConstantOfShape 2^40", 17, false, map[string]*ir.Tensor{"shape": i64(1<<20, 1<<20)}, cos)
	add("ConstantOfShape overflow", 17, false, map[string]*ir.Tensor{"shape": i64(1<<62, 4)}, cos)
	add("ConstantOfShape negative", 17, false, map[string]*ir.Tensor{"shape": i64(-1, 4)}, cos)
	expand := func(b *builder.Builder) []*builder.Value {
		return one(b.Expand(b.Input("x", ir.Float32, 1), in(b, "shape", ir.Int64, 2)))
	}
	add("Expand 2^40", 17, false, map[string]*ir.Tensor{"x": f32(1), "shape": i64(1<<20, 1<<20)}, expand)
	add("Expand overflow", 17, false, map[string]*ir.Tensor{"x": f32(1), "shape": i64(1<<32, 1<<32)}, expand)
	add("Expand negative", 17, false, map[string]*ir.Tensor{"x": f32(1), "shape": i64(-2, 3)}, expand)
	tile := func(b *builder.Builder) []*builder.Value {
		return one(b.Tile(b.Input("x", ir.Float32, 2, 2), in(b, "r", ir.Int64, 2)))
	}
	add("Tile 2^40", 17, false, map[string]*ir.Tensor{"x": f32s(2, 2), "r": i64(1<<20, 1<<20)}, tile)
	add("Tile overflow", 17, false, map[string]*ir.Tensor{"x": f32s(2, 2), "r": i64(1<<62, 1<<62)}, tile)
	add("Tile negative", 17, false, map[string]*ir.Tensor{"x": f32s(2, 2), "r": i64(-1, 2)}, tile)
	reshape := func(b *builder.Builder) []*builder.Value {
		return one(b.Reshape(b.Input("x", ir.Float32, 4), in(b, "shape", ir.Int64, 2)))
	}
	add("Reshape 2^40", 17, false, map[string]*ir.Tensor{"x": f32(1, 2, 3, 4), "shape": i64(1<<20, 1<<20)}, reshape)
	add("Reshape overflow", 17, false, map[string]*ir.Tensor{"x": f32(1, 2, 3, 4), "shape": i64(1<<62, 1<<62)}, reshape)
	add("Reshape -1 with 0 elsewhere", 17, false, map[string]*ir.Tensor{"x": f32(1, 2, 3, 4), "shape": i64(-1, 0)}, reshape)
	slice := func(b *builder.Builder) []*builder.Value {
		return one(b.Slice(b.Input("x", ir.Float32, 4), in(b, "st", ir.Int64, 1), in(b, "en", ir.Int64, 1), nil, in(b, "step", ir.Int64, 1)))
	}
	add("Slice ends MaxInt64", 17, true, map[string]*ir.Tensor{"x": f32(1, 2, 3, 4), "st": i64(math.MinInt64), "en": i64(math.MaxInt64), "step": i64(1)}, slice)
	add("Slice step MinInt64", 17, true, map[string]*ir.Tensor{"x": f32(1, 2, 3, 4), "st": i64(math.MaxInt64), "en": i64(math.MinInt64), "step": i64(math.MinInt64)}, slice)
	add("Slice step 0", 17, false, map[string]*ir.Tensor{"x": f32(1, 2, 3, 4), "st": i64(0), "en": i64(4), "step": i64(0)}, slice)

	// Resize and Upsample: scales or sizes as data.
	resizeScales := func(b *builder.Builder) []*builder.Value {
		return one(b.Resize(x4(b), nil, in(b, "scales", ir.Float32, 4)))
	}
	resizeSizes := func(b *builder.Builder) []*builder.Value {
		return one(b.Resize(x4(b), nil, nil, in(b, "sizes", ir.Int64, 4)))
	}
	add("Resize scales 2^20", 19, false, map[string]*ir.Tensor{"x": f32s(1, 1, 2, 2), "scales": f32(1, 1, 1<<20, 1<<20)}, resizeScales)
	add("Resize scales +Inf", 19, false, map[string]*ir.Tensor{"x": f32s(1, 1, 2, 2), "scales": f32(1, 1, float32(math.Inf(1)), 1)}, resizeScales)
	add("Resize scales NaN", 19, false, map[string]*ir.Tensor{"x": f32s(1, 1, 2, 2), "scales": f32(1, 1, float32(math.NaN()), 1)}, resizeScales)
	add("Resize scales negative", 19, false, map[string]*ir.Tensor{"x": f32s(1, 1, 2, 2), "scales": f32(1, 1, -4, 1)}, resizeScales)
	add("Resize scales 1e30", 19, false, map[string]*ir.Tensor{"x": f32s(1, 1, 2, 2), "scales": f32(1, 1, 1e30, 1e30)}, resizeScales)
	add("Resize sizes 2^40", 19, false, map[string]*ir.Tensor{"x": f32s(1, 1, 2, 2), "sizes": i64(1, 1, 1<<20, 1<<20)}, resizeSizes)
	add("Resize sizes negative", 19, false, map[string]*ir.Tensor{"x": f32s(1, 1, 2, 2), "sizes": i64(1, 1, -5, 2)}, resizeSizes)
	add("Resize sizes overflow", 19, false, map[string]*ir.Tensor{"x": f32s(1, 1, 2, 2), "sizes": i64(1, 1, 1<<62, 1<<62)}, resizeSizes)
	add("Upsample scales 2^20", 9, false, map[string]*ir.Tensor{"x": f32s(1, 1, 2, 2), "scales": f32(1, 1, 1<<20, 1<<20)}, func(b *builder.Builder) []*builder.Value {
		return one(b.Upsample(x4(b), in(b, "scales", ir.Float32, 4)))
	})

	// Pad: pads as data.
	pad := func(mode string) func(b *builder.Builder) []*builder.Value {
		return func(b *builder.Builder) []*builder.Value {
			return one(b.Pad(b.Input("x", ir.Float32, 2, 2), in(b, "pads", ir.Int64, 4), builder.AttrMode(mode)))
		}
	}
	add("Pad 2^40", 19, false, map[string]*ir.Tensor{"x": f32s(2, 2), "pads": i64(1<<20, 1<<20, 1<<20, 1<<20)}, pad("constant"))
	add("Pad 2^33 on one axis", 19, false, map[string]*ir.Tensor{"x": f32s(2, 2), "pads": i64(0, 1<<32, 0, 1<<32)}, pad("constant"))
	add("Pad overflow", 19, false, map[string]*ir.Tensor{"x": f32s(2, 2), "pads": i64(math.MaxInt64, 0, 1, 0)}, pad("constant"))
	add("Pad negative past the input", 19, false, map[string]*ir.Tensor{"x": f32s(2, 2), "pads": i64(-1<<40, 0, 0, 0)}, pad("constant"))
	add("Pad reflect 2^40", 19, false, map[string]*ir.Tensor{"x": f32s(2, 2), "pads": i64(1<<20, 1<<20, 1<<20, 1<<20)}, pad("reflect"))
	add("Pad edge 2^40", 19, false, map[string]*ir.Tensor{"x": f32s(2, 2), "pads": i64(1<<20, 1<<20, 1<<20, 1<<20)}, pad("edge"))
	add("Pad wrap 2^40", 19, false, map[string]*ir.Tensor{"x": f32s(2, 2), "pads": i64(1<<20, 1<<20, 1<<20, 1<<20)}, pad("wrap"))
	centerCrop := func(b *builder.Builder) []*builder.Value {
		return one(b.CenterCropPad(b.Input("x", ir.Float32, 2, 2), in(b, "shape", ir.Int64, 2)))
	}
	add("CenterCropPad 2^40", 18, false, map[string]*ir.Tensor{"x": f32s(2, 2), "shape": i64(1<<20, 1<<20)}, centerCrop)
	add("CenterCropPad negative", 18, false, map[string]*ir.Tensor{"x": f32s(2, 2), "shape": i64(-3, 2)}, centerCrop)

	// Counts as data.
	oneHot := func(b *builder.Builder) []*builder.Value {
		return one(b.OneHot(b.Input("i", ir.Int64, 3), b.Input("depth", ir.Int64), b.Input("v", ir.Float32, 2)))
	}
	add("OneHot depth 2^40", 17, false, map[string]*ir.Tensor{"i": i64(0, 1, 2), "depth": ir.Scalar(huge), "v": f32(0, 1)}, oneHot)
	add("OneHot depth negative", 17, false, map[string]*ir.Tensor{"i": i64(0, 1, 2), "depth": ir.Scalar(int64(-4)), "v": f32(0, 1)}, oneHot)
	oneHotF := func(b *builder.Builder) []*builder.Value {
		return one(b.OneHot(b.Input("i", ir.Int64, 3), b.Input("depth", ir.Float32), b.Input("v", ir.Float32, 2)))
	}
	add("OneHot float depth 1e30", 17, false, map[string]*ir.Tensor{"i": i64(0, 1, 2), "depth": ir.Scalar(float32(1e30)), "v": f32(0, 1)}, oneHotF)
	add("OneHot float depth NaN", 17, false, map[string]*ir.Tensor{"i": i64(0, 1, 2), "depth": ir.Scalar(float32(math.NaN())), "v": f32(0, 1)}, oneHotF)
	topK := func(b *builder.Builder) []*builder.Value {
		return b.TopK(b.Input("x", ir.Float32, 4), in(b, "k", ir.Int64, 1))
	}
	add("TopK k 2^40", 17, false, map[string]*ir.Tensor{"x": f32(1, 2, 3, 4), "k": i64(huge)}, topK)
	add("TopK k negative", 17, false, map[string]*ir.Tensor{"x": f32(1, 2, 3, 4), "k": i64(-1)}, topK)
	split := func(b *builder.Builder) []*builder.Value {
		return b.Split(b.Input("x", ir.Float32, 2), in(b, "split", ir.Int64, 2), builder.NumOutputs(2))
	}
	add("Split parts 2^40 and 2-2^40", 18, false, map[string]*ir.Tensor{"x": f32(1, 2), "split": i64(huge, 2-huge)}, split)
	add("Split parts negative", 18, false, map[string]*ir.Tensor{"x": f32(1, 2), "split": i64(-1, 3)}, split)
	splitSeq := func(b *builder.Builder) []*builder.Value {
		return one(b.SplitToSequence(b.Input("x", ir.Float32, 4), b.Input("split", ir.Int64)))
	}
	add("SplitToSequence chunk 0", 17, false, map[string]*ir.Tensor{"x": f32(1, 2, 3, 4), "split": ir.Scalar(int64(0))}, splitSeq)
	add("SplitToSequence chunk negative", 17, false, map[string]*ir.Tensor{"x": f32(1, 2, 3, 4), "split": ir.Scalar(int64(-2))}, splitSeq)
	add("SplitToSequence chunk 2^40", 17, true, map[string]*ir.Tensor{"x": f32(1, 2, 3, 4), "split": ir.Scalar(huge)}, splitSeq)
	nms := func(b *builder.Builder) []*builder.Value {
		return one(b.NonMaxSuppression(b.Input("boxes", ir.Float32, 1, 2, 4), b.Input("scores", ir.Float32, 1, 1, 2), in(b, "max", ir.Int64, 1)))
	}
	add("NonMaxSuppression max boxes 2^40", 17, true, map[string]*ir.Tensor{"boxes": f32s(1, 2, 4), "scores": f32s(1, 1, 2), "max": i64(huge)}, nms)

	// Windows and spectral ops: lengths as data.
	for _, w := range []string{"HannWindow", "HammingWindow", "BlackmanWindow"} {
		win := func(b *builder.Builder) []*builder.Value {
			s := b.Input("size", ir.Int64)
			switch w {
			case "HannWindow":
				return one(b.HannWindow(s))
			case "HammingWindow":
				return one(b.HammingWindow(s))
			}
			return one(b.BlackmanWindow(s))
		}
		add(w+" 2^40", 17, false, map[string]*ir.Tensor{"size": ir.Scalar(huge)}, win)
		add(w+" negative", 17, false, map[string]*ir.Tensor{"size": ir.Scalar(int64(-5))}, win)
	}
	dft := func(b *builder.Builder) []*builder.Value {
		return one(b.DFT(b.Input("x", ir.Float32, 1, 4, 1), b.Input("n", ir.Int64)))
	}
	add("DFT length 2^40", 17, false, map[string]*ir.Tensor{"x": f32s(1, 4, 1), "n": ir.Scalar(huge)}, dft)
	add("DFT length negative", 17, false, map[string]*ir.Tensor{"x": f32s(1, 4, 1), "n": ir.Scalar(int64(-8))}, dft)
	add("DFT length 0", 17, false, map[string]*ir.Tensor{"x": f32s(1, 4, 1), "n": ir.Scalar(int64(0))}, dft)
	stft := func(b *builder.Builder) []*builder.Value {
		return one(b.STFT(b.Input("x", ir.Float32, 1, 16, 1), b.Input("step", ir.Int64), nil, b.Input("len", ir.Int64)))
	}
	add("STFT frame 2^40", 17, false, map[string]*ir.Tensor{"x": f32s(1, 16, 1), "step": ir.Scalar(int64(1)), "len": ir.Scalar(huge)}, stft)
	add("STFT step 0", 17, false, map[string]*ir.Tensor{"x": f32s(1, 16, 1), "step": ir.Scalar(int64(0)), "len": ir.Scalar(int64(4))}, stft)
	add("STFT step negative", 17, false, map[string]*ir.Tensor{"x": f32s(1, 16, 1), "step": ir.Scalar(int64(-1)), "len": ir.Scalar(int64(4))}, stft)
	add("STFT frame negative", 17, false, map[string]*ir.Tensor{"x": f32s(1, 16, 1), "step": ir.Scalar(int64(1)), "len": ir.Scalar(int64(-4))}, stft)
	mel := func(b *builder.Builder) []*builder.Value {
		return one(b.MelWeightMatrix(b.Input("bins", ir.Int64), b.Input("dft", ir.Int64), b.Input("rate", ir.Int64),
			b.Input("lo", ir.Float32), b.Input("hi", ir.Float32)))
	}
	melFeed := func(bins, n int64) map[string]*ir.Tensor {
		return map[string]*ir.Tensor{"bins": ir.Scalar(bins), "dft": ir.Scalar(n), "rate": ir.Scalar(int64(16000)),
			"lo": ir.Scalar(float32(0)), "hi": ir.Scalar(float32(8000))}
	}
	add("MelWeightMatrix bins 2^40", 17, false, melFeed(huge, 512), mel)
	add("MelWeightMatrix dft 2^40", 17, false, melFeed(64, huge), mel)
	add("MelWeightMatrix 2^20 x 2^21", 17, false, melFeed(1<<20, 1<<22), mel)
	add("MelWeightMatrix bins negative", 17, false, melFeed(-3, 512), mel)
	add("MelWeightMatrix dft 0", 17, false, melFeed(8, 0), mel)

	// Image-shaped ops: output sizes as data or attributes of a dynamic
	// batch.
	col2im := func(b *builder.Builder) []*builder.Value {
		return one(b.Col2Im(b.Input("x", ir.Float32, 1, 4, 4), in(b, "img", ir.Int64, 2), in(b, "blk", ir.Int64, 2)))
	}
	add("Col2Im image 2^40", 18, false, map[string]*ir.Tensor{"x": f32s(1, 4, 4), "img": i64(1<<20, 1<<20), "blk": i64(2, 2)}, col2im)
	add("Col2Im block 2^40", 18, false, map[string]*ir.Tensor{"x": f32s(1, 4, 4), "img": i64(4, 4), "blk": i64(1<<20, 1<<20)}, col2im)
	add("Col2Im negative", 18, false, map[string]*ir.Tensor{"x": f32s(1, 4, 4), "img": i64(-4, 4), "blk": i64(2, 2)}, col2im)
	affine := func(b *builder.Builder) []*builder.Value {
		return one(b.AffineGrid(b.Input("theta", ir.Float32, 1, 2, 3), in(b, "size", ir.Int64, 4)))
	}
	add("AffineGrid 2^40", 20, false, map[string]*ir.Tensor{"theta": f32s(1, 2, 3), "size": i64(1, 1, 1<<20, 1<<20)}, affine)
	add("AffineGrid negative", 20, false, map[string]*ir.Tensor{"theta": f32s(1, 2, 3), "size": i64(1, 1, -2, 4)}, affine)
	add("AffineGrid batch mismatch", 20, false, map[string]*ir.Tensor{"theta": f32s(1, 2, 3), "size": i64(huge, 1, 2, 2)}, affine)
	unpool := func(b *builder.Builder) []*builder.Value {
		return one(b.MaxUnpool(b.Input("x", ir.Float32, 1, 1, 2, 2), b.Input("i", ir.Int64, 1, 1, 2, 2), in(b, "shape", ir.Int64, 4),
			builder.AttrKernelShape(2, 2), builder.AttrStrides(2, 2)))
	}
	add("MaxUnpool output 2^40", 17, false, map[string]*ir.Tensor{"x": f32s(1, 1, 2, 2), "i": ir.FromSlice([]int64{0, 1, 2, 3}, 1, 1, 2, 2), "shape": i64(1, 1, 1<<20, 1<<20)}, unpool)
	add("MaxUnpool output negative", 17, false, map[string]*ir.Tensor{"x": f32s(1, 1, 2, 2), "i": ir.FromSlice([]int64{0, 1, 2, 3}, 1, 1, 2, 2), "shape": i64(1, 1, -4, 4)}, unpool)
	roi := func(b *builder.Builder) []*builder.Value {
		return one(b.RoiAlign(b.Input("x", ir.Float32, 1, 1, 4, 4), b.Input("rois", ir.Float32, "n", 4), b.Input("bi", ir.Int64, "n"),
			builder.AttrOutputHeight(1<<20), builder.AttrOutputWidth(1<<20)))
	}
	add("RoiAlign output 2^40 per roi", 17, false, map[string]*ir.Tensor{"x": f32s(1, 1, 4, 4), "rois": ir.FromSlice([]float32{0, 0, 2, 2}, 1, 4), "bi": i64(0)}, roi)
	multinomial := func(b *builder.Builder) []*builder.Value {
		return one(b.Multinomial(b.Input("x", ir.Float32, "n", 2), builder.AttrSampleSize(huge)))
	}
	add("Multinomial 2^40 samples", 17, false, map[string]*ir.Tensor{"x": f32s(1, 2)}, multinomial)
	tfidf := func(b *builder.Builder) []*builder.Value {
		return one(b.TfIdfVectorizer(b.Input("x", ir.Int64, "n"), builder.AttrMode("TF"), builder.AttrMinGramLength(1),
			builder.AttrMaxGramLength(1), builder.AttrMaxSkipCount(0), builder.AttrNgramCounts(0),
			builder.AttrNgramIndexes(huge), builder.AttrPoolInt64s(1)))
	}
	add("TfIdfVectorizer index 2^40", 17, false, map[string]*ir.Tensor{"x": i64(1, 2, 1)}, tfidf)

	// Sequences: positions as data.
	seqAt := func(b *builder.Builder) []*builder.Value {
		seq := b.SplitToSequence(b.Input("x", ir.Float32, 4), b.Input("split", ir.Int64))
		return one(b.SequenceAt(seq, b.Input("pos", ir.Int64)))
	}
	add("SequenceAt 2^40", 17, false, map[string]*ir.Tensor{"x": f32(1, 2, 3, 4), "split": ir.Scalar(int64(1)), "pos": ir.Scalar(huge)}, seqAt)
	add("SequenceAt MinInt64", 17, false, map[string]*ir.Tensor{"x": f32(1, 2, 3, 4), "split": ir.Scalar(int64(1)), "pos": ir.Scalar(int64(math.MinInt64))}, seqAt)
	seqInsert := func(b *builder.Builder) []*builder.Value {
		seq := b.SplitToSequence(b.Input("x", ir.Float32, 4), b.Input("split", ir.Int64))
		return one(b.SequenceInsert(seq, b.Input("t", ir.Float32, 1), b.Input("pos", ir.Int64)))
	}
	add("SequenceInsert 2^40", 17, false, map[string]*ir.Tensor{"x": f32(1, 2, 3, 4), "split": ir.Scalar(int64(1)), "t": f32(5), "pos": ir.Scalar(huge)}, seqInsert)
	seqErase := func(b *builder.Builder) []*builder.Value {
		seq := b.SplitToSequence(b.Input("x", ir.Float32, 4), b.Input("split", ir.Int64))
		return one(b.SequenceErase(seq, b.Input("pos", ir.Int64)))
	}
	add("SequenceErase -2^40", 17, false, map[string]*ir.Tensor{"x": f32(1, 2, 3, 4), "split": ir.Scalar(int64(1)), "pos": ir.Scalar(-huge)}, seqErase)

	// Loop: the trip count is data; each iteration adds a 64 Ki-element
	// slice to a scan output.
	loop := func(b *builder.Builder) []*builder.Value {
		body := b.Subgraph("body")
		body.Input("i", ir.Int64)
		cond := body.Input("cond", ir.Bool)
		slice := body.ConstantOfShape(body.Const(i64(1 << 16)))
		g := body.Graph(body.Output("cond_out", body.Identity(cond)), body.Output("scan", slice))
		return b.Loop(builder.Inputs(b.Input("m", ir.Int64), b.Input("c", ir.Bool)), builder.AttrBody(g), builder.NumOutputs(1))
	}
	// With the default limit the scan output may legitimately grow to 2^32
	// elements (16 GiB) before the limit stops it; a lower limit shows it
	// is enforced as the output grows, not after.
	add("Loop trip count 2^40 with a scan output", 17, false, map[string]*ir.Tensor{"m": ir.Scalar(huge), "c": ir.Scalar(true)}, loop)
	cs[len(cs)-1].maxElements = 1 << 22
	add("Loop trip count 2^40", 17, false, map[string]*ir.Tensor{"m": ir.Scalar(huge), "c": ir.Scalar(true)}, func(b *builder.Builder) []*builder.Value {
		body := b.Subgraph("body")
		body.Input("i", ir.Int64)
		cond := body.Input("cond", ir.Bool)
		x := body.Input("xb", ir.Float32, 1)
		g := body.Graph(body.Output("cond_out", body.Identity(cond)), body.Output("x_out", body.Neg(x)))
		return b.Loop(builder.Inputs(b.Input("m", ir.Int64), b.Input("c", ir.Bool), b.Input("x", ir.Float32, 1)), builder.AttrBody(g), builder.NumOutputs(1))
	})
	cs[len(cs)-1].feed["x"] = f32(1)
	// A Loop growing a loop-carried sequence by a 1 Ki-element tensor per
	// iteration: no one tensor is large, the sequence is.
	add("Loop SequenceInsert trip count 2^40", 17, false, map[string]*ir.Tensor{"m": ir.Scalar(huge), "c": ir.Scalar(true)}, func(b *builder.Builder) []*builder.Value {
		body := b.Subgraph("body")
		body.Input("i", ir.Int64)
		cond := body.Input("cond", ir.Bool)
		seq := body.InputType("seq_in", ir.SeqOf(ir.TensorOf(ir.Float32, nil)))
		t := body.ConstantOfShape(body.Const(i64(1 << 10)))
		g := body.Graph(body.Output("cond_out", body.Identity(cond)), body.Output("seq_out", body.SequenceInsert(seq, t)))
		empty := b.SequenceEmpty(builder.AttrDtype(int64(ir.Float32)))
		return b.Loop(builder.Inputs(b.Input("m", ir.Int64), b.Input("c", ir.Bool), empty), builder.AttrBody(g), builder.NumOutputs(1))
	})
	cs[len(cs)-1].maxElements = 1 << 20
	return cs
}

// TestDataSizedOutputs feeds every op whose output size comes from tensor
// data a hostile value (2^40 elements, negative, a product that overflows)
// through a whole Session Run with the default limits. Each must return an
// error naming the node (or, for values the op clamps, succeed), never
// panic or hang, and allocate less than 64 MiB on the way.
func TestDataSizedOutputs(t *testing.T) {
	for _, c := range dataSizeCases() {
		t.Run(c.name, func(t *testing.T) {
			b := builder.New("sizes", c.opset)
			outs := c.build(b)
			named := make([]*builder.Value, len(outs))
			for i, o := range outs {
				named[i] = b.Output(fmt.Sprintf("y%d", i), o)
			}
			g, err := b.Build(named...)
			if err != nil {
				t.Fatalf("build: %v", err)
			}
			var before, after goruntime.MemStats
			goruntime.GC()
			goruntime.ReadMemStats(&before)
			type result struct {
				err   error
				panic any
			}
			done := make(chan result, 1)
			go func() {
				defer func() {
					if r := recover(); r != nil {
						done <- result{panic: r}
					}
				}()
				s, err := runtime.NewSession(g, runtime.Options{Threads: 1, MaxTensorElements: c.maxElements})
				if err == nil {
					_, err = s.Run(context.Background(), c.feed)
				}
				done <- result{err: err}
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(30 * time.Second):
				t.Fatalf("Run did not return in 30 s")
			}
			goruntime.ReadMemStats(&after)
			if r.panic != nil {
				t.Fatalf("panic: %v", r.panic)
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > 64<<20 {
				t.Errorf("allocated %d MiB (err %v)", got>>20, r.err)
			}
			switch {
			case c.ok && r.err != nil:
				t.Errorf("want success, got %v", r.err)
			case !c.ok && r.err == nil:
				t.Errorf("want an error, got none")
			case r.err != nil && (strings.Contains(r.err.Error(), "BUG") || strings.Contains(r.err.Error(), "internal error")):
				t.Errorf("error reports a bug: %v", r.err)
			case r.err != nil:
				t.Logf("%v", r.err)
			}
		})
	}
}
