package ir

import (
	"fmt"
	"reflect"
)

// storageTypes maps each dtype to the Go slice type holding its data
// (MakeSlice's choice), built once from MakeSlice itself.
var storageTypes = func() map[DType]reflect.Type {
	m := map[DType]reflect.Type{}
	for d := range DType(len(dtypeTable)) {
		if d.Valid() {
			m[d] = reflect.TypeOf(MakeSlice(d, 0))
		}
	}
	return m
}()

// CheckStorage reports whether a plain tensor's Data is the slice type
// its DType uses and holds exactly as many elements as its Shape needs
// (callers build tensors by hand; a mismatch must be an error, not a
// crash inside a kernel).
func (t *Tensor) CheckStorage() error {
	want, ok := storageTypes[t.DType]
	if !ok {
		return fmt.Errorf("unknown dtype %v", t.DType)
	}
	v := reflect.ValueOf(t.Data)
	if !v.IsValid() || v.Type() != want {
		return fmt.Errorf("dtype %v needs data of type %v, got %T", t.DType, want, t.Data)
	}
	if n := NumElements(t.Shape); v.Len() != n {
		return fmt.Errorf("shape %v needs %d elements, the data holds %d", t.Shape, n, v.Len())
	}
	return nil
}
