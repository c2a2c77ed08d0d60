#!/usr/bin/env bash
# `tinyfuse profile` as a user runs it, on hello_world_int8 (shared corpus; exit 77 = skipped without it or
# without the Cortex-M toolchain): the JSON's kernels plus glue sum to its total, which equals the count
# `run --engine cortex-m4` prints for the same input; the table labels cycles as an estimate; bad input is
# one line on stderr and exit 2.
set -uo pipefail
tinyfuse="$1"
source "$(dirname "$0")/cli_lib.sh"
shared="${TINYFUSE_SHARED_DIR:-}"
model="$shared/models/hello_world_int8.tflite"
input="$shared/goldens/hello_world_int8/in1.bin"
if [ -z "$shared" ] || [ ! -f "$model" ]; then
  echo "SKIPPED: no shared corpus at '${shared}'"
  [ "${TINYFUSE_REQUIRE_SHARED:-0}" = 1 ] && { echo "TINYFUSE_REQUIRE_SHARED=1: failing"; exit 1; }
  exit 77
fi
for tool in arm-none-eabi-gcc qemu-system-arm; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIPPED: $tool not on PATH"
    [ "${TINYFUSE_REQUIRE_CORTEX_M:-0}" = 1 ] && { echo "TINYFUSE_REQUIRE_CORTEX_M=1: failing"; exit 1; }
    exit 77
  fi
done

if "$tinyfuse" profile "$model" --target cortex-m4 -i "$input" --json >"$tmp/p.json" 2>"$tmp/err"; then
  sums=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(sum(k["instructions"] for k in d["kernels"]) + d["glue"]["instructions"], d["total"]["instructions"])' "$tmp/p.json")
  read -r sum total <<<"$sums"
  if [ "$sum" = "$total" ] && [ "$total" -gt 0 ]; then ok; else bad "kernels + glue $sum != total $total"; fi
  "$tinyfuse" run "$model" --engine cortex-m4 -i "$input" -o "$tmp/out.bin" 2>"$tmp/run.err"
  run_count=$(sed -n 's/^cortex-m4: \([0-9]*\) instructions per inference.*/\1/p' "$tmp/run.err")
  if [ "$run_count" = "$total" ]; then ok; else bad "profile total $total != run's count '$run_count'"; fi
else
  bad "profile --json failed: $(cat "$tmp/err")"
fi
if "$tinyfuse" profile "$model" >"$tmp/table.txt" 2>"$tmp/err" && grep -q "est. cycles" "$tmp/table.txt" &&
   grep -q "ESTIMATE" "$tmp/table.txt"; then ok; else bad "table without the estimate label: $(cat "$tmp/err")"; fi

expect_error "unknown target" "cortex-m0" -- "$tinyfuse" profile "$model" --target cortex-m0
expect_error "does not fit" "does not fit" -- "$tinyfuse" profile "$model" --flash-size 1K
{ cat "$input"; printf x; } >"$tmp/long.bin"
expect_error "wrong input size" "bytes" -- "$tinyfuse" profile "$model" -i "$tmp/long.bin"
expect_error "two inputs for one" "the model has 1 input" -- "$tinyfuse" profile "$model" -i "$input" -i "$input"
expect_error "no toolchain" "needs the Arm toolchain" -- env PATH=/nonexistent "$tinyfuse" profile "$model"
finish
