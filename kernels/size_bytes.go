package kernels

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// storageBytes is the in-memory size of one element of dt as MakeSlice
// stores it (packed 4- and 2-bit types take a byte each, a string its Go
// header).
func storageBytes(dt ir.DType) int64 {
	if dt == ir.String {
		return 16
	}
	return int64(max(dt.Size(), 1))
}

// outputBytesErr reports an error when n elements of dt, output i of the
// step, would take more than the session's memory budget (Ctx.MaxBytes;
// no bound when it is 0). n is already bounded by MaxElements, so the
// product does not overflow.
func (c *Ctx) outputBytesErr(i int, dt ir.DType, shape []int64, n int64) error {
	if c.MaxBytes <= 0 || n <= c.MaxBytes/storageBytes(dt) {
		return nil
	}
	return fmt.Errorf("output %d: %v of shape %v needs %d bytes, more than the memory budget of %d (limit MaxMemoryBytes)",
		i, dt, append([]int64(nil), shape...), n*storageBytes(dt), c.MaxBytes)
}
