package main

import "fmt"

// doc returns the paragraphs of the comment above a routine's TEXT: the
// math (with the name of the Go twin that specifies it), what the routine
// is for, and how it uses the registers.
func doc(v variant) []string {
	n, r := v.cols(), v.rows
	// A '~' is a space the comment's lines are not broken at.
	math := fmt.Sprintf("For each of tiles ≥ 1 tiles t, C[0:%d,~%dt:%dt+%d] = act(alpha~*~A(%d×k)~·~"+
		"B_t(k×%d) + beta*C + bias[%dt:]) with A[i,~p]~=~a[i*rsa~+~p*csa] and "+
		"B_t[p,~j]~=~b[t*bnext~+~p*ldb~+~j], where act(x)~=~max(x,~0) when act~==~ActReLU~(1) "+
		"and x otherwise, C is not read when beta is ±0 and the bias term is left out "+
		"when len(bias)~==~0; its Go twin %s states the same math.", r, n, n, n, r, n, n, v.twin())
	if v.down {
		math = fmt.Sprintf("For each of tiles ≥ 1 tiles t, C[%dt:%dt+%d,~0:%d] = act(alpha~*~A_t(%d×k)~·~"+
			"B(k×%d) + beta*C + bias[0:%d]) with A_t[i,~p]~=~a[t*bnext~+~i*rsa~+~p*csa] and "+
			"B[p,~j]~=~b[p*ldb~+~j], where act(x)~=~max(x,~0) when act~==~ActReLU~(1) "+
			"and x otherwise, C is not read when beta is ±0 and the bias term is left out "+
			"when len(bias)~==~0; its Go twin %s states the same math.", r, r, r, n, r, n, n, v.twin())
	}
	var use string
	switch {
	case v.down:
		use = fmt.Sprintf("This is %s running down a column of tiles instead of along a row: "+
			"the tiles share the B micro-panel (k×%d, in L1) and bias, and their A panels are "+
			"bnext floats apart (6k packed, 6·lda in place), so that the blocked SGEMM's column "+
			"order keeps B in L1 and streams the smaller A from L2 (package sgemm, down.go).",
			v.full(), n)
	case r < fullRows:
		use = fmt.Sprintf("This is %s for %s rows of A and C: the kernel of a product's last, "+
			"partial row panel when it has %s rows (m mod 6 = %d, as for every m = %s), "+
			"which would otherwise run the 6-row kernel on a zero-padded copy of the tile.",
			v.full(), rowWords[r], rowWords[r], r, rowExample[r])
	case v.narrow():
		use = fmt.Sprintf("This is %s for the first %d of its %d columns: the kernel of a product's "+
			"last, partial column strip when it has at most %d columns, which would otherwise "+
			"run all %d columns of the zero-padded strip. B is read with row stride ldb as "+
			"usual (the packed strips stay %d wide).",
			v.full(), n, v.isa.fullCols(), n, v.isa.fullCols(), v.isa.fullCols())
	default:
		use = fmt.Sprintf("The general-stride %s %d×%d micro-kernel of the blocked SGEMM. One body serves a packed A "+
			"micro-panel (rsa 1, csa 6), a row-major A read in place (rsa lda, csa 1) or its "+
			"transpose (rsa 1, csa lda), and packed (ldb %d, bnext %dk) or in-place (ldb, bnext "+
			"%d) B strips; running several tiles per call saves the call and setup per tile.",
			v.isa.title, r, n, n, n, n)
	}
	regs := fmt.Sprintf("Row r, vector q of the tile accumulates in %s(%d+%dr+q), its place in the "+
		"full 6×%d tile; per step of k the %d floats of B's row are loaded and the A values "+
		"are broadcast alternately into A0 and A1, so that each is loaded while the other "+
		"feeds its row's FMAs. Generated from the one template in internal/gensgemm.",
		v.isa.reg, v.isa.accBase, v.isa.vecs, v.isa.fullCols(), n)
	return []string{math, use, regs}
}

// rowExample names the products whose last row panel has the given row
// count, for the comments.
var rowExample = map[int]string{4: "4^j·16", 2: "2·4^j·16"}
