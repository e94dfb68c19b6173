package sgemm

import (
	"os"
	"strconv"
)

// TEMPORARY (tf2t experiment, to be removed): NNCC_SERIAL_WORK overrides
// serialWork.
func init() {
	if v, err := strconv.Atoi(os.Getenv("NNCC_SERIAL_WORK")); err == nil {
		serialWork = v
	}
}

// SerialWorkTf2t exposes serialWork to the tf2t experiment (TEMPORARY).
var SerialWorkTf2t = &serialWork
