package runtime

import "github.com/nncc/nncc/kernels"

var _ kernels.Yielder = (*workerPool)(nil)

// Yield offers the calling OS thread's core to another runnable thread
// (kernels.Yielder): a kernel whose threads wait for each other's
// progress inside one loop (a recurrence whose steps are split over the
// pool, kernels/rnn_team.go) calls it now and then while it waits, so
// that the thread it waits for gets the core if the kernel placed both on
// one.
func (p *workerPool) Yield() { osYield() }
