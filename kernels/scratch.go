package kernels

// Scratch buffers: a kernel that needs temporary storage (im2col columns,
// packed panels, per-row statistics) asks its Ctx instead of calling make,
// so that steady-state Runs allocate nothing. Each step of each execution
// frame keeps its own buffers between Runs; a frame runs one Run at a
// time, so no locking is needed. The contents are NOT cleared between
// calls. Buffers for parallel chunks: request one buffer n*chunks long and
// slice it per chunk.

type scratch struct {
	f32  []float32
	f64  []float64
	i64  []int64
	u8   []byte
	ints []int
}

// ScratchF32 returns a float32 buffer of n elements, reused across Runs.
func (c *Ctx) ScratchF32(n int) []float32 {
	if cap(c.scratch.f32) < n {
		c.scratch.f32 = make([]float32, n)
	}
	return c.scratch.f32[:n]
}

// ScratchF64 returns a float64 buffer of n elements, reused across Runs.
func (c *Ctx) ScratchF64(n int) []float64 {
	if cap(c.scratch.f64) < n {
		c.scratch.f64 = make([]float64, n)
	}
	return c.scratch.f64[:n]
}

// ScratchI64 returns an int64 buffer of n elements, reused across Runs.
func (c *Ctx) ScratchI64(n int) []int64 {
	if cap(c.scratch.i64) < n {
		c.scratch.i64 = make([]int64, n)
	}
	return c.scratch.i64[:n]
}

// ScratchBytes returns a byte buffer of n elements, reused across Runs.
func (c *Ctx) ScratchBytes(n int) []byte {
	if cap(c.scratch.u8) < n {
		c.scratch.u8 = make([]byte, n)
	}
	return c.scratch.u8[:n]
}

// ScratchInt returns an int buffer of n elements, reused across Runs.
func (c *Ctx) ScratchInt(n int) []int {
	if cap(c.scratch.ints) < n {
		c.scratch.ints = make([]int, n)
	}
	return c.scratch.ints[:n]
}
