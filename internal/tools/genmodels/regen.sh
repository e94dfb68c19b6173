#!/usr/bin/env bash
# Regenerates testdata/models: builds every model with nncc's builder
# (internal/tools/genmodels), then writes ONNX Runtime's outputs as the
# reference (../shared/tools/ort/ref.js). Run from anywhere inside the
# module; ../shared must sit beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/../../.."
go run ./internal/tools/genmodels -o testdata/models "$@"
eval "$(../shared/tools/ort/setup.sh)"
NODE_PATH=$ORT_NODE_PATH node ../shared/tools/ort/ref.js testdata/models/*/
