package runtime

import (
	"fmt"

	"github.com/nncc/nncc/kernels/isa"
)

// autoISA is the Options.ISA value (also "") that lets the runtime choose:
// the artifact's level for a compiled model, else the process default
// (isa.Current: the best this CPU supports, or NNCC_ISA).
const autoISA = "auto"

// sessionLevel resolves Options.ISA for a model compiled for artifactISA
// ("" for ONNX models and graphs). It fails for unknown names, for levels
// this CPU or build cannot run, and for an explicit level that differs
// from the artifact's (its prepacked weights and CPU checks are for that
// level: recompile instead).
func sessionLevel(opt, artifactISA string) (isa.Level, error) {
	if artifactISA != "" {
		al, err := isa.Parse(artifactISA)
		if err != nil {
			return 0, fmt.Errorf("artifact ISA: %v", err)
		}
		if opt != "" && opt != autoISA && opt != artifactISA {
			return 0, fmt.Errorf("Options.ISA is %s but the artifact was compiled for %s: recompile it with -isa %s, or use ISA auto", opt, artifactISA, opt)
		}
		return checkLevel(al)
	}
	if opt == "" || opt == autoISA {
		return isa.Current(), nil
	}
	l, err := isa.Parse(opt)
	if err != nil {
		return 0, fmt.Errorf("Options.ISA: %v", err)
	}
	return checkLevel(l)
}

// checkLevel fails for a level this CPU or build cannot run.
func checkLevel(l isa.Level) (isa.Level, error) {
	if !isa.Has(l) {
		return 0, fmt.Errorf("ISA %v is not supported on this CPU or build (supported: %v)", l, isa.Supported())
	}
	return l, nil
}

// ISA returns the instruction-set level the session's kernels run at.
func (s *Session) ISA() isa.Level { return s.level }
