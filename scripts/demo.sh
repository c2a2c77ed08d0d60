#!/usr/bin/env bash
# The README's first command: set up, build, and run tinyfuse's main job on its built-in model.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
build/src/tools/tinyfuse demo -o demo-out
