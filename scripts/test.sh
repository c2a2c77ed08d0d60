#!/usr/bin/env bash
# The README's second command: set up, build, and run the whole test suite with ctest.
# Tests over ../shared (real models and goldens) run when it is present and skip loudly when not.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
