package kernels

import (
	"github.com/nncc/nncc/ir"
)

// TfIdfVectorizer.

func init() {
	Register("", "TfIdfVectorizer", buildTfIdf)
}

// tfidfNode is one node of the n-gram trie: id is the index of the pool
// n-gram ending here (-1: none).
type tfidfNode[K comparable] struct {
	id   int
	kids map[K]*tfidfNode[K]
}

func (n *tfidfNode[K]) child(k K) *tfidfNode[K] {
	if n.kids == nil {
		return nil
	}
	return n.kids[k]
}

// tfidfTrie holds the pool n-grams of lengths [minN, maxN].
func tfidfTrie[K comparable](pool []K, counts []int64, minN, maxN int) (*tfidfNode[K], int, error) {
	root := &tfidfNode[K]{id: -1}
	id := 0
	for i, start := range counts {
		end := int64(len(pool))
		if i+1 < len(counts) {
			end = counts[i+1]
		}
		if start < 0 || start > end || end > int64(len(pool)) {
			return nil, 0, errTfidf("ngram_counts must be non-decreasing indexes into the pool")
		}
		n := i + 1
		if (end-start)%int64(n) != 0 {
			return nil, 0, errTfidf("the pool's n-grams of one length do not fill whole n-grams")
		}
		for p := start; p < end; p += int64(n) {
			if n >= minN && n <= maxN {
				node := root
				for _, k := range pool[p : p+int64(n)] {
					next := node.child(k)
					if next == nil {
						if node.kids == nil {
							node.kids = map[K]*tfidfNode[K]{}
						}
						next = &tfidfNode[K]{id: -1}
						node.kids[k] = next
					}
					node = next
				}
				node.id = id
			}
			id++
		}
	}
	return root, id, nil
}

type errTfidf string

func (e errTfidf) Error() string { return string(e) }

// tfidfCount adds to freq[id] the occurrences in row of each pool n-gram:
// n-grams of lengths [minN, maxN] whose items are skip+1 apart for every
// skip in [0, maxSkip]; 1-grams are counted once.
func tfidfCount[K comparable](root *tfidfNode[K], row []K, minN, maxN, maxSkip int, freq []int64) {
	startN := minN
	for dist := 1; dist <= maxSkip+1; dist++ {
		for start := range row {
			if start+dist*(startN-1) >= len(row) {
				break
			}
			node := root
			for n, item := 1, start; n <= maxN && item < len(row); n, item = n+1, item+dist {
				node = node.child(row[item])
				if node == nil {
					break
				}
				if n >= startN && node.id >= 0 {
					freq[node.id]++
				}
			}
		}
		if startN == 1 {
			startN = 2
			if startN > maxN {
				break
			}
		}
	}
}

// buildTfIdf counts, per row of X ([C] or [N, C]), the pool n-grams found
// with up to max_skip_count skips, and writes for the i-th pool n-gram into
// Y[..., ngram_indexes[i]]: its count (TF), weights[i] if it occurs at all
// (IDF), or weights[i] times its count (TFIDF); weights default to 1.
func buildTfIdf(b *Build) (Func, error) {
	a := b.Attrs()
	mode := a.String("mode", "")
	if mode != "TF" && mode != "IDF" && mode != "TFIDF" {
		return nil, b.Errorf("mode %q must be TF, IDF or TFIDF", mode)
	}
	minN, maxN := a.Int("min_gram_length", 0), a.Int("max_gram_length", 0)
	maxSkip := a.Int("max_skip_count", -1)
	if minN < 1 || maxN < minN || maxN > 1<<20 {
		return nil, b.Errorf("gram lengths [%d, %d] are invalid", minN, maxN)
	}
	if maxSkip < 0 || maxSkip > 1<<20 {
		return nil, b.Errorf("max_skip_count %d is invalid", maxSkip)
	}
	counts := a.Ints("ngram_counts", nil)
	indexes := a.Ints("ngram_indexes", nil)
	size := int64(0)
	for _, v := range indexes {
		if v < 0 {
			return nil, b.Errorf("ngram_indexes has a negative entry %d", v)
		}
		size = max(size, v+1)
	}
	hasInts, hasStrings := a.Has("pool_int64s"), a.Has("pool_strings")
	if hasInts == hasStrings {
		return nil, b.Errorf("exactly one of pool_int64s and pool_strings must be set")
	}
	var intRoot *tfidfNode[int64]
	var strRoot *tfidfNode[string]
	var grams int
	var err error
	if hasInts {
		intRoot, grams, err = tfidfTrie(a.Ints("pool_int64s", nil), counts, int(minN), int(maxN))
		if dt := b.InDType(0); dt != ir.Undefined && dt != ir.Int32 && dt != ir.Int64 {
			return nil, b.Errorf("input 0 has dtype %v; pool_int64s needs int32 or int64", dt)
		}
	} else {
		strRoot, grams, err = tfidfTrie(a.Strings("pool_strings", nil), counts, int(minN), int(maxN))
		if dt := b.InDType(0); dt != ir.Undefined && dt != ir.String {
			return nil, b.Errorf("input 0 has dtype %v; pool_strings needs string", dt)
		}
	}
	if err != nil {
		return nil, b.Errorf("%v", err)
	}
	if len(indexes) < grams {
		return nil, b.Errorf("ngram_indexes has %d entries for %d pool n-grams", len(indexes), grams)
	}
	weights := a.Floats("weights", nil)
	if weights != nil && len(weights) < grams {
		return nil, b.Errorf("weights has %d entries for %d pool n-grams", len(weights), grams)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x := in[0]
		if x == nil || x.Kind != ir.KindTensor {
			return c.Errorf("input 0 must be a tensor")
		}
		rows, cols := 1, x.Len()
		shape := []int64{size}
		switch x.Rank() {
		case 0, 1:
		case 2:
			rows, cols = int(x.Shape[0]), int(x.Shape[1])
			shape = []int64{x.Shape[0], size}
		default:
			return c.Errorf("input 0 must have shape [C] or [N, C], got %v", x.Shape)
		}
		var ints []int64
		var strs []string
		switch d := x.Data.(type) {
		case []int64:
			ints = d
		case []int32:
			ints = make([]int64, len(d))
			for i, v := range d {
				ints[i] = int64(v)
			}
		case []string:
			strs = d
		}
		if (hasInts && ints == nil) || (hasStrings && strs == nil) {
			return c.Errorf("input 0 has dtype %v, which does not match the pool", x.DType)
		}
		y, err := c.Output(0, ir.Float32, shape)
		if err != nil {
			return err
		}
		ys := y.F32()
		freq := make([]int64, grams)
		for r := 0; r < rows; r++ {
			clear(freq)
			if hasInts {
				tfidfCount(intRoot, ints[r*cols:(r+1)*cols], int(minN), int(maxN), int(maxSkip), freq)
			} else {
				tfidfCount(strRoot, strs[r*cols:(r+1)*cols], int(minN), int(maxN), int(maxSkip), freq)
			}
			out := ys[r*int(size) : (r+1)*int(size)]
			for id, f := range freq {
				if f == 0 {
					continue
				}
				w := float32(1)
				if weights != nil {
					w = weights[id]
				}
				switch mode {
				case "TF":
					out[indexes[id]] += float32(f)
				case "IDF":
					out[indexes[id]] += w
				case "TFIDF":
					out[indexes[id]] += w * float32(f)
				}
			}
		}
		return nil
	}, nil
}
