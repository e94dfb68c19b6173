package winograd

import (
	"os"
	"testing"
)

func TestTuneBalance(t *testing.T) {
	if os.Getenv("WT") == "" {
		t.Skip()
	}
	for i := range 3 {
		balanceWeights = i%2 == 0
		t.Logf("balance=%v", balanceWeights)
		TestResNetTable(t)
	}
}
