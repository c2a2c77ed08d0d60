#!/usr/bin/env bash
# Regenerates the expected text of the golden tests (tests/loop/golden/*.txt: the IR after each schedule
# pass) from the current build, for review with `git diff`. Usage: scripts/regen_goldens.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
cmake --build "$build" --target loop_tests >/dev/null
TINYFUSE_REGEN_GOLDENS=1 "$build/tests/loop/loop_tests" --gtest_filter='Schedule/PassGolden.*' >/dev/null
git status --short tests/loop/golden
echo "regen_goldens: review the change with: git diff tests/loop/golden"
