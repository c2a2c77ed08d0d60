#!/usr/bin/env bash
# Float edges and the -i/-o contract of `tinyfuse run` on model_runner_model (float32 in and out, from the
# shared breadth corpus; exit 77 = skipped without it): wrong numbers of -i/-o and wrong input sizes are
# one line on stderr, exit 2, and no output file; `compile` writes float typed I/O into the header, each
# tensor named; the interpreter and the generated C give the golden bytes.
set -uo pipefail
tinyfuse="$1"
source "$(dirname "$0")/cli_lib.sh"
shared="${TINYFUSE_SHARED_DIR:-}"
model="$shared/breadth/models/model_runner_model.tflite"
goldens="$shared/breadth/goldens/model_runner_model"
if [ -z "$shared" ] || [ ! -f "$model" ]; then
  echo "SKIPPED: no breadth corpus at '${shared}/breadth'"
  [ "${TINYFUSE_REQUIRE_SHARED:-0}" = 1 ] && { echo "TINYFUSE_REQUIRE_SHARED=1: failing"; exit 1; }
  exit 77
fi

# No output file may appear after a refused run.
expect_nothing_written() {
  if [ -e "$tmp/o1.bin" ] || [ -e "$tmp/o2.bin" ]; then bad "$1: an output file was written"; fi
  rm -f "$tmp/o1.bin" "$tmp/o2.bin"
}
expect_error "two outputs for one" "the model has 1 output" -- \
  "$tinyfuse" run "$model" -i "$goldens/in1.bin" -o "$tmp/o1.bin" -o "$tmp/o2.bin"
expect_nothing_written "two outputs for one"
expect_error "two inputs, one output" "output" -- \
  "$tinyfuse" run "$model" -i "$goldens/in1.bin" -i "$goldens/in2.bin" -o "$tmp/o1.bin"
expect_nothing_written "two inputs, one output"
head -c 100 "$goldens/in1.bin" > "$tmp/short.bin"
expect_error "short float input" "needs [0-9]+ bytes" -- "$tinyfuse" run "$model" -i "$tmp/short.bin" -o "$tmp/o1.bin"
expect_nothing_written "short float input"

for engine in interp c; do
  if "$tinyfuse" run "$model" --engine "$engine" -i "$goldens/in1.bin" -o "$tmp/o1.bin" 2>"$tmp/err" &&
     cmp -s "$tmp/o1.bin" "$goldens/out1.bin"; then ok; else bad "$engine: out1 differs ($(head -c 300 "$tmp/err"))"; fi
  rm -f "$tmp/o1.bin"
done

if "$tinyfuse" compile "$model" -o "$tmp/gen" --name mr 2>"$tmp/err"; then
  h="$tmp/gen/mr.h"
  grep -q '^#define mr_INPUT0_TYPE float$' "$h" && ok || bad "header: input 0 is not float"
  grep -q '^#define mr_OUTPUT0_TYPE float$' "$h" && ok || bad "header: output 0 is not float"
  grep -q '^/\* INPUT 0: ".*" float32 \*/$' "$h" && ok || bad "header: input 0 is not named"
  grep -q 'int mr_invoke(const float \*input0, float \*output0, uint8_t \*arena);' "$h" && ok ||
    bad "header: invoke signature: $(grep invoke "$h")"
else
  bad "compile failed: $(cat "$tmp/err")"
fi
finish
