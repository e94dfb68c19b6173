package ir

import "fmt"

// DType is a tensor element type. Its values are those of ONNX's
// TensorProto.DataType so that decoding needs no translation table.
type DType int32

// The element types. Storage in memory (see DTypeInfo.GoType) is one Go
// value per element, even for sub-byte types, which are packed only in files.
const (
	Undefined      DType = 0
	Float32        DType = 1
	Uint8          DType = 2
	Int8           DType = 3
	Uint16         DType = 4
	Int16          DType = 5
	Int32          DType = 6
	Int64          DType = 7
	String         DType = 8
	Bool           DType = 9
	Float16        DType = 10
	Float64        DType = 11
	Uint32         DType = 12
	Uint64         DType = 13
	Complex64      DType = 14
	Complex128     DType = 15
	BFloat16       DType = 16
	Float8E4M3FN   DType = 17
	Float8E4M3FNUZ DType = 18
	Float8E5M2     DType = 19
	Float8E5M2FNUZ DType = 20
	Uint4          DType = 21
	Int4           DType = 22
	Float4E2M1     DType = 23
	Float8E8M0     DType = 24
	Uint2          DType = 25
	Int2           DType = 26
)

// DTypeInfo describes how an element type is named and stored.
type DTypeInfo struct {
	Name     string // ONNX spelling, lower case ("float", "int64", "float8e4m3fn")
	Size     int    // bytes per element in memory (0 for string)
	GoType   string // element type of the Go slice holding the data
	Float    bool   // a floating-point type (including float8/float4 storage types)
	Signed   bool   // a signed integer type
	Unsigned bool   // an unsigned integer type
	Bits     int    // bits per element in ONNX's packed file encoding
}

// dtypeTable is indexed by DType.
var dtypeTable = [...]DTypeInfo{
	Undefined:      {Name: "undefined"},
	Float32:        {Name: "float", Size: 4, GoType: "float32", Float: true, Bits: 32},
	Uint8:          {Name: "uint8", Size: 1, GoType: "uint8", Unsigned: true, Bits: 8},
	Int8:           {Name: "int8", Size: 1, GoType: "int8", Signed: true, Bits: 8},
	Uint16:         {Name: "uint16", Size: 2, GoType: "uint16", Unsigned: true, Bits: 16},
	Int16:          {Name: "int16", Size: 2, GoType: "int16", Signed: true, Bits: 16},
	Int32:          {Name: "int32", Size: 4, GoType: "int32", Signed: true, Bits: 32},
	Int64:          {Name: "int64", Size: 8, GoType: "int64", Signed: true, Bits: 64},
	String:         {Name: "string", GoType: "string"},
	Bool:           {Name: "bool", Size: 1, GoType: "bool", Bits: 8},
	Float16:        {Name: "float16", Size: 2, GoType: "ir.F16", Float: true, Bits: 16},
	Float64:        {Name: "double", Size: 8, GoType: "float64", Float: true, Bits: 64},
	Uint32:         {Name: "uint32", Size: 4, GoType: "uint32", Unsigned: true, Bits: 32},
	Uint64:         {Name: "uint64", Size: 8, GoType: "uint64", Unsigned: true, Bits: 64},
	Complex64:      {Name: "complex64", Size: 8, GoType: "complex64", Bits: 64},
	Complex128:     {Name: "complex128", Size: 16, GoType: "complex128", Bits: 128},
	BFloat16:       {Name: "bfloat16", Size: 2, GoType: "ir.BF16", Float: true, Bits: 16},
	Float8E4M3FN:   {Name: "float8e4m3fn", Size: 1, GoType: "uint8", Float: true, Bits: 8},
	Float8E4M3FNUZ: {Name: "float8e4m3fnuz", Size: 1, GoType: "uint8", Float: true, Bits: 8},
	Float8E5M2:     {Name: "float8e5m2", Size: 1, GoType: "uint8", Float: true, Bits: 8},
	Float8E5M2FNUZ: {Name: "float8e5m2fnuz", Size: 1, GoType: "uint8", Float: true, Bits: 8},
	Uint4:          {Name: "uint4", Size: 1, GoType: "uint8", Unsigned: true, Bits: 4},
	Int4:           {Name: "int4", Size: 1, GoType: "int8", Signed: true, Bits: 4},
	Float4E2M1:     {Name: "float4e2m1", Size: 1, GoType: "uint8", Float: true, Bits: 4},
	Float8E8M0:     {Name: "float8e8m0", Size: 1, GoType: "uint8", Float: true, Bits: 8},
	Uint2:          {Name: "uint2", Size: 1, GoType: "uint8", Unsigned: true, Bits: 2},
	Int2:           {Name: "int2", Size: 1, GoType: "int8", Signed: true, Bits: 2},
}

// Valid reports whether d is a known, defined element type.
func (d DType) Valid() bool { return d > Undefined && int(d) < len(dtypeTable) }

// Info returns the table row of d; an unknown d gets the "undefined" row.
func (d DType) Info() DTypeInfo {
	if d < 0 || int(d) >= len(dtypeTable) {
		return dtypeTable[Undefined]
	}
	return dtypeTable[d]
}

// Size is the in-memory size of one element in bytes.
func (d DType) Size() int { return d.Info().Size }

// IsFloat reports whether d is a floating-point type.
func (d DType) IsFloat() bool { return d.Info().Float }

// IsInt reports whether d is an integer type (signed or unsigned).
func (d DType) IsInt() bool { i := d.Info(); return i.Signed || i.Unsigned }

func (d DType) String() string {
	if d.Valid() {
		return d.Info().Name
	}
	return fmt.Sprintf("dtype(%d)", int32(d))
}

// ParseDType maps an ONNX type name ("float", "int64", ...) to a DType.
func ParseDType(s string) (DType, bool) {
	for i, row := range dtypeTable {
		if row.Name == s && i != 0 {
			return DType(i), true
		}
	}
	return Undefined, false
}
