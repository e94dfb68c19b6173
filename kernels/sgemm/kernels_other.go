//go:build !amd64 && !arm64

package sgemm

// archKernels is empty: other architectures use the portable kernel.
var archKernels []kernel

// packA6Arch is the portable packA6 (no assembly version here).
var packA6Arch = packA6

// packBTransArch is the portable packBTransPortable (no assembly here).
var packBTransArch = packBTransPortable

// packBRowsArch is the portable packBRowsPortable (no assembly here).
var packBRowsArch = packBRowsPortable
