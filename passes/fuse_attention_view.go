package passes

import "github.com/nncc/nncc/ir"

// Strided views for the attention pass: a chain of Transpose, Reshape and
// Slice nodes moves no arithmetic, only positions, so the value at its end
// is a strided window on the value at its start. The pass folds such
// chains into nncc.FusedAttention's operand layouts.

// atom is one strided run of positions: size indices, stride elements apart.
type atom struct{ size, stride int }

// view describes a value as positions in the flat data of base: axis k of
// the value is the mixed-radix index over the atoms dims[k] (outermost
// first), and element x is at off + Σ index·stride.
type view struct {
	base *ir.Value
	off  int
	dims [][]atom
}

// staticShape returns v's shape when every dimension is known.
func staticShape(v *ir.Value) ([]int64, bool) {
	if v == nil || !v.Type.RankKnown {
		return nil, false
	}
	return v.Type.Shape.Concrete()
}

// identityView is v laid out densely in row-major order.
func identityView(v *ir.Value, shape []int64) view {
	vw := view{base: v, dims: make([][]atom, len(shape))}
	st := 1
	for k := len(shape) - 1; k >= 0; k-- {
		vw.dims[k] = trimAtoms([]atom{{int(shape[k]), st}})
		st *= int(shape[k])
	}
	return vw
}

// trimAtoms drops atoms of size 1, which address nothing.
func trimAtoms(as []atom) []atom {
	out := as[:0:0]
	for _, a := range as {
		if a.size != 1 {
			out = append(out, a)
		}
	}
	return out
}

func atomsSize(as []atom) int {
	n := 1
	for _, a := range as {
		n *= a.size
	}
	return n
}

// transpose permutes the axes as Transpose(perm) does.
func (v view) transpose(perm []int64) (view, bool) {
	if len(perm) != len(v.dims) {
		return view{}, false
	}
	out := view{base: v.base, off: v.off, dims: make([][]atom, len(perm))}
	seen := make([]bool, len(perm))
	for k, p := range perm {
		if p < 0 || int(p) >= len(perm) || seen[p] {
			return view{}, false
		}
		seen[p] = true
		out.dims[k] = v.dims[p]
	}
	return out, true
}

// untranspose is the inverse of transpose: the view of Transpose's input
// given the view of its output.
func (v view) untranspose(perm []int64) (view, bool) {
	if len(perm) != len(v.dims) {
		return view{}, false
	}
	out := view{base: v.base, off: v.off, dims: make([][]atom, len(perm))}
	for k, p := range perm {
		if p < 0 || int(p) >= len(perm) || out.dims[p] != nil {
			return view{}, false
		}
		out.dims[p] = v.dims[k]
	}
	for k := range out.dims {
		if out.dims[k] == nil {
			out.dims[k] = []atom{}
		}
	}
	return out, true
}

// reshape regroups the atoms (in order) into axes of the given sizes,
// splitting an atom where an axis boundary falls inside it.
func (v view) reshape(shape []int64) (view, bool) {
	var flat []atom
	for _, d := range v.dims {
		flat = append(flat, d...)
	}
	out := view{base: v.base, off: v.off, dims: make([][]atom, len(shape))}
	for k, s := range shape {
		need := int(s)
		if need < 1 {
			return view{}, false
		}
		var d []atom
		for need > 1 {
			if len(flat) == 0 {
				return view{}, false
			}
			a := flat[0]
			switch {
			case a.size <= need && need%a.size == 0:
				d = append(d, a)
				need /= a.size
				flat = flat[1:]
			case a.size > need && a.size%need == 0:
				inner := a.size / need
				d = append(d, atom{need, a.stride * inner})
				flat[0] = atom{inner, a.stride}
				need = 1
			default:
				return view{}, false
			}
		}
		out.dims[k] = d
	}
	if len(flat) != 0 {
		return view{}, false
	}
	return out, true
}

// slice keeps indices [start, end) of axis, which must be one atom.
func (v view) slice(axis, start, end int) (view, bool) {
	d := v.dims[axis]
	if start < 0 || end < start {
		return view{}, false
	}
	out := view{base: v.base, off: v.off, dims: append([][]atom{}, v.dims...)}
	switch len(d) {
	case 0:
		if start != 0 || end > 1 {
			return view{}, false
		}
		return out, end == 1
	case 1:
		if end > d[0].size {
			return view{}, false
		}
		out.off += start * d[0].stride
		out.dims[axis] = trimAtoms([]atom{{end - start, d[0].stride}})
		return out, end > start
	}
	return view{}, false
}

// single returns the stride of an axis made of at most one atom.
func single(d []atom) (int, bool) {
	switch len(d) {
	case 0:
		return 0, true
	case 1:
		return d[0].stride, true
	}
	return 0, false
}

// broadcastTo aligns v (a value of rank len(v.dims)) right-aligned to the
// target sizes: missing and size-1 axes become stride-0 atoms.
func (v view) broadcastTo(vshape, target []int64) (view, bool) {
	if len(vshape) > len(target) {
		return view{}, false
	}
	out := view{base: v.base, off: v.off, dims: make([][]atom, len(target))}
	lead := len(target) - len(vshape)
	for k, t := range target {
		switch {
		case k < lead || vshape[k-lead] == 1:
			out.dims[k] = trimAtoms([]atom{{int(t), 0}})
		case vshape[k-lead] == t:
			out.dims[k] = v.dims[k-lead]
		default:
			return view{}, false
		}
	}
	return out, true
}

// refine splits the batch axes of every view into one common list of
// atoms, returning the atom sizes and, per view, the atoms' strides. It
// fails when the views' atom boundaries do not nest (e.g. 6 as 2·3 in one
// view and 3·2 in another).
func refine(views []view, axes int) (sizes []int, strides [][]int, ok bool) {
	strides = make([][]int, len(views))
	for k := range axes {
		// cut points: the suffix products of each view's atoms
		total := 0
		cuts := map[int]bool{}
		for _, v := range views {
			p := 1
			for i := len(v.dims[k]) - 1; i >= 0; i-- {
				cuts[p] = true
				p *= v.dims[k][i].size
			}
			if total != 0 && p != total {
				return nil, nil, false
			}
			total = p
		}
		var list []int // ascending
		for c := range cuts {
			list = append(list, c)
		}
		sortInts(list)
		list = append(list, total)
		for i := 1; i < len(list); i++ {
			if list[i]%list[i-1] != 0 {
				return nil, nil, false
			}
		}
		// refined atoms, outermost first: sizes list[i+1]/list[i]
		for i := len(list) - 2; i >= 0; i-- {
			if r := list[i+1] / list[i]; r > 1 {
				sizes = append(sizes, r)
			}
		}
		for vi, v := range views {
			// stride of the refined atom whose inner product is list[i]
			for i := len(list) - 2; i >= 0; i-- {
				if list[i+1]/list[i] == 1 {
					continue
				}
				inner := list[i]
				p := 1
				st := -1
				for a := len(v.dims[k]) - 1; a >= 0; a-- {
					at := v.dims[k][a]
					if inner >= p && inner < p*at.size {
						st = at.stride * (inner / p)
						break
					}
					p *= at.size
				}
				if st < 0 {
					return nil, nil, false
				}
				strides[vi] = append(strides[vi], st)
			}
		}
	}
	return sizes, strides, true
}

func sortInts(s []int) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
