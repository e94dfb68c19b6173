package kernels

import (
	"os"
	"strconv"
)

// TEMPORARY (tf2t experiment, to be removed): NNCC_ATTN_PAR overrides
// attnParallelFlops.
func init() {
	if v, err := strconv.Atoi(os.Getenv("NNCC_ATTN_PAR")); err == nil {
		attnParallelFlops = v
	}
}

// AttnParTf2t exposes attnParallelFlops to the tf2t experiment (TEMPORARY).
var AttnParTf2t = &attnParallelFlops
