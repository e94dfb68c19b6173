package gemv

// CanCut reports whether computing a product of m rows as two calls of
// Mul, on rows [0, i) and [i, m), gives every row of y bit for bit what
// one call on all m rows gives. Mul runs the rows in groups (four at a
// time where the level has a four-row kernel and four remain, then pairs,
// then one), and the kernels of different group sizes may sum in different
// orders; a cut is exact when every row falls in a group of the same kind
// either way. Callers that split a batch over threads (recurrent nodes)
// cut only where it is exact, so that results do not depend on the
// thread count.
func (p *Packed) CanCut(m, i int) bool {
	if i <= 0 || i >= m {
		return true
	}
	quad := p.ready && has4(p.kern.level)
	for j := range m {
		sub := rowKind(j, i, quad)
		if j >= i {
			sub = rowKind(j-i, m-i, quad)
		}
		if !p.sameKind(rowKind(j, m, quad), sub) {
			return false
		}
	}
	return true
}

// rowKind is the size of the group (4, 2 or 1) in which Mul computes row j
// of a product of m rows.
func rowKind(j, m int, quad bool) int {
	if quad && j < m/4*4 {
		return 4
	}
	if quad {
		j, m = j-m/4*4, m%4
	}
	if j < m/2*2 {
		return 2
	}
	return 1
}

// sameKind reports whether rows computed in groups of sizes a and b get
// the same arithmetic: equal sizes, or one and two rows on a kernel whose
// paths for them agree (kernel.rowsAlike; the portable loop is one path).
func (p *Packed) sameKind(a, b int) bool {
	if a == b {
		return true
	}
	alike := p.kern.rowsAlike || !p.ready
	return alike && a <= 2 && b <= 2
}
