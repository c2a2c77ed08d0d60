#!/usr/bin/env bash
# The whole project built with clang, AddressSanitizer and UndefinedBehaviorSanitizer
# (-DTINYFUSE_SANITIZE=ON), in its own build directory, then the whole test suite under ctest.
# Any sanitizer report fails the test that triggered it (UBSan does not recover; ASan also checks leaks).
#
# Usage: scripts/sanitize.sh [BUILD_DIR] [-- CTEST_ARGS...]     (default BUILD_DIR: build-sanitize)
#   e.g. scripts/sanitize.sh build-sanitize -- -L bad_models
# Environment: TINYFUSE_JOBS (default: nproc) limits build and test parallelism.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=build-sanitize
if [ $# -gt 0 ] && [ "$1" != "--" ]; then build_dir="$1"; shift; fi
[ "${1:-}" = "--" ] && shift
jobs="${TINYFUSE_JOBS:-$(nproc)}"

for tool in clang clang++ cmake ninja; do
  command -v "$tool" >/dev/null || { echo "sanitize.sh: $tool not found (scripts/setup.sh installs it)" >&2; exit 1; }
done

CC=clang CXX=clang++ cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTINYFUSE_WERROR="${TINYFUSE_WERROR:-ON}" -DTINYFUSE_SANITIZE=ON >/dev/null
# Keep going past a target that does not build, so that every test that can run does; the build failure
# still fails the script at the end.
build_status=0
cmake --build "$build_dir" -j"$jobs" -- -k 0 || build_status=$?

# detect_leaks: LeakSanitizer runs at exit of every test binary. print_stacktrace: UBSan reports with a
# stack. Tests that compile and run generated C set their own flags (tests/codegen).
export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
cd "$build_dir"
test_status=0
ctest --output-on-failure -j"$jobs" "$@" || test_status=$?
if [ "$build_status" -ne 0 ]; then
  echo "sanitize.sh: the build failed (see above); tests of the targets that did not build could not run" >&2
  exit "$build_status"
fi
exit "$test_status"
