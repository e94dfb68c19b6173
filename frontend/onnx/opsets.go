package onnx

import "fmt"

// newestOpsets is the newest version of each standard ONNX domain that
// nncc knows of. A model importing a newer version was written for
// operator semantics that did not exist when nncc was built; it is
// rejected rather than run with possibly different meanings. Custom
// domains have no bound.
var newestOpsets = map[string]int64{
	"":                         28,
	"ai.onnx.ml":               5,
	"ai.onnx.training":         1,
	"ai.onnx.preview.training": 1,
	"ai.onnx.preview":          1,
}

// checkOpsetVersion checks one opset_import entry (also of function
// bodies).
func checkOpsetVersion(domain string, version int64) error {
	dom := normDomain(domain)
	name := dom
	if name == "" {
		name = "ai.onnx"
	}
	if version < 1 {
		return fmt.Errorf("opset_import: domain %s opset %d is not a version (versions start at 1)", name, version)
	}
	if newest, ok := newestOpsets[dom]; ok && version > newest {
		return fmt.Errorf("opset_import: domain %s opset %d is newer than the newest nncc knows (%d)", name, version, newest)
	}
	return nil
}
