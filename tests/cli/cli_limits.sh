#!/usr/bin/env bash
# Resource limits on the command line (--max-tensor-bytes, --max-total-bytes on every command that reads a
# model; --max-arena-bytes on compile and run): a model over a limit is refused with one line and exit
# status 2 before anything is allocated or written; under the limits the command works as without them.
set -uo pipefail
tinyfuse="$1"
source "$(dirname "$0")/cli_lib.sh"

# The demo model: input and output int8 [1,56,56,128] (401408 bytes each, the largest tensors).
use_demo_model

# Per tensor: 401408 bytes is the largest.
expect_error "inspect, tensor limit" "too large \(over the per-tensor limit of 400000 bytes\)" -- "$tinyfuse" inspect "$model" --max-tensor-bytes 400000
"$tinyfuse" inspect "$model" --max-tensor-bytes 401408 >/dev/null && ok || bad "inspect at the tensor limit"
for c in lower plan; do
  expect_error "$c, tensor limit" "limit" -- "$tinyfuse" $c "$model" --max-tensor-bytes 391KiB
done
expect_error "compile, tensor limit" "limit" -- "$tinyfuse" compile "$model" -o "$tmp/c1" --max-tensor-bytes 1K
[ ! -e "$tmp/c1" ] && ok || bad "compile wrote files for a refused model"
expect_error "run, tensor limit" "limit" -- "$tinyfuse" run "$model" -i "$in" -o "$tmp/x.bin" --max-tensor-bytes 1K
[ ! -e "$tmp/x.bin" ] && ok || bad "run wrote an output for a refused model"

# All tensors together: the demo's are a little over 2 x 401408 bytes.
expect_error "inspect, total limit" "limit" -- "$tinyfuse" inspect "$model" --max-total-bytes 512KiB
expect_error "run, total limit" "limit" -- "$tinyfuse" run "$model" -i "$in" -o "$tmp/x.bin" --max-total-bytes 1M
"$tinyfuse" run "$model" -i "$in" -o "$tmp/x.bin" --max-total-bytes 64MiB --max-tensor-bytes 1MiB &&
  cmp -s "$tmp/x.bin" "$tmp/demo/output.bin" && ok || bad "run under generous limits"

# The planned arena (compile prints it).
arena=$("$tinyfuse" compile "$model" -o "$tmp/c2" --no-svg | sed -nE 's/^arena: ([0-9]+) bytes.*/\1/p')
if [ -n "$arena" ] && [ "$arena" -gt 0 ]; then ok; else bad "compile prints the arena size"; arena=1000000; fi
expect_error "compile, arena limit" "arena is $arena bytes, over the limit of $((arena - 1)) \(--max-arena-bytes\)" -- \
  "$tinyfuse" compile "$model" -o "$tmp/c3" --max-arena-bytes $((arena - 1))
[ ! -e "$tmp/c3" ] && ok || bad "compile wrote files over the arena limit"
"$tinyfuse" compile "$model" -o "$tmp/c4" --no-svg --max-arena-bytes "$arena" >/dev/null && [ -s "$tmp/c4/model.c" ] &&
  ok || bad "compile at the arena limit"
expect_error "run c, arena limit" "over the limit" -- "$tinyfuse" run "$model" --engine c -i "$in" -o "$tmp/x.bin" --max-arena-bytes 64K

# Bad values.
for v in lots 0 -5 1G; do
  expect_error "bad value $v" "bad memory size" -- "$tinyfuse" inspect "$model" --max-tensor-bytes "$v"
done
expect_error "no arena limit on inspect" "max-arena-bytes" -- "$tinyfuse" inspect "$model" --max-arena-bytes 1K
"$tinyfuse" inspect --help | grep -q -- --max-total-bytes && ok || bad "inspect --help lists --max-total-bytes"
"$tinyfuse" compile --help | grep -q -- --max-arena-bytes && ok || bad "compile --help lists --max-arena-bytes"

finish
