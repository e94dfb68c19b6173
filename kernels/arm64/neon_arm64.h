// Encodings of the NEON instructions Go's arm64 assembler lacks, on the
// .4S arrangement. Arguments are register numbers (V0..V31 = 0..31).

// FMUL Vd.4S, Vn.4S, Vm.4S: Vd = Vn * Vm.
#define FMUL4S(d, n, m) WORD $(0x6E20DC00 | ((m)<<16) | ((n)<<5) | (d))

// FADD Vd.4S, Vn.4S, Vm.4S: Vd = Vn + Vm.
#define FADD4S(d, n, m) WORD $(0x4E20D400 | ((m)<<16) | ((n)<<5) | (d))

// FMAX Vd.4S, Vn.4S, Vm.4S: Vd = max(Vn, Vm), NaN if either is NaN.
#define FMAX4S(d, n, m) WORD $(0x4E20F400 | ((m)<<16) | ((n)<<5) | (d))
