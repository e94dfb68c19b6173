package codegen

import (
	"runtime"

	"golang.org/x/sys/cpu"
)

// cpuFeatures maps the feature names artifacts record to this CPU's flags.
var cpuFeatures = map[string]func() bool{
	"amd64":    func() bool { return runtime.GOARCH == "amd64" },
	"arm64":    func() bool { return runtime.GOARCH == "arm64" },
	"avx2":     func() bool { return cpu.X86.HasAVX2 },
	"fma":      func() bool { return cpu.X86.HasFMA },
	"avx512f":  func() bool { return cpu.X86.HasAVX512F },
	"avx512bw": func() bool { return cpu.X86.HasAVX512BW },
	"avx512vl": func() bool { return cpu.X86.HasAVX512VL },
	"neon":     func() bool { return runtime.GOARCH == "arm64" && cpu.ARM64.HasASIMD },
}

// ISAFeatures lists the CPU features code compiled for an ISA level needs.
var ISAFeatures = map[string][]string{
	"generic": nil,
	"avx2":    {"amd64", "avx2", "fma"},
	"avx512":  {"amd64", "avx2", "fma", "avx512f", "avx512bw", "avx512vl"},
	"neon":    {"arm64", "neon"},
}

// HostISA returns the best ISA level this CPU supports.
func HostISA() string {
	for _, isa := range []string{"avx512", "avx2", "neon"} {
		if len(MissingCPUFeatures(ISAFeatures[isa])) == 0 {
			return isa
		}
	}
	return "generic"
}

// MissingCPUFeatures returns the features in need that this CPU lacks
// (unknown names count as missing).
func MissingCPUFeatures(need []string) []string {
	var missing []string
	for _, f := range need {
		has, ok := cpuFeatures[f]
		if !ok || !has() {
			missing = append(missing, f)
		}
	}
	return missing
}
