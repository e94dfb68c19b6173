module github.com/nncc/nncc/bench/ortcompare

go 1.26.0

require github.com/nncc/nncc v0.0.0

require (
	golang.org/x/image v0.48.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

require (
	github.com/yalue/onnxruntime_go v1.27.0
	google.golang.org/protobuf v1.36.12 // indirect
)

replace github.com/nncc/nncc => ../..
