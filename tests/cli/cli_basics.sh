#!/usr/bin/env bash
# The CLI as a user meets it: help, version, errors as one line with exit status 2, no half-written outputs.
set -uo pipefail
tinyfuse="$1"
source "$(dirname "$0")/cli_lib.sh"

"$tinyfuse" --version | grep -qE '^tinyfuse [0-9]+\.[0-9]+\.[0-9]+$' && ok || bad "--version"
"$tinyfuse" --help | grep -q inspect && ok || bad "--help lists commands"
for c in inspect run demo; do "$tinyfuse" $c --help >/dev/null && ok || bad "$c --help"; done

# The built-in model is the test input here: no ../shared needed.
"$tinyfuse" demo -o "$tmp/demo" >"$tmp/demo.log" && ok || bad "demo: $(cat "$tmp/demo.log")"
model="$tmp/demo/demo.tflite"
"$tinyfuse" inspect "$model" | grep -q "DEPTHWISE_CONV_2D" && ok || bad "inspect names ops"
"$tinyfuse" inspect --json "$model" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d' && ok || bad "inspect --json is JSON"
"$tinyfuse" run "$model" -i "$tmp/demo/input.bin" -o "$tmp/o.bin" && cmp -s "$tmp/o.bin" "$tmp/demo/output.bin" && ok || bad "run reproduces the demo output"

# `lower` shows the kernels as `compile` emits them: DSP intrinsics for a Cortex-M4, in-place variants
# with their workspace in the arena.
# (Output to a file first: `grep -q` would close the pipe early and pipefail would see tinyfuse's SIGPIPE.)
"$tinyfuse" lower "$model" >"$tmp/lower_host.txt" && ! grep -q "@smla" "$tmp/lower_host.txt" && ok || bad "lower: no DSP intrinsics on the host"
"$tinyfuse" lower "$model" --target cortex-m4 >"$tmp/lower_m4.txt" && grep -q "@smla" "$tmp/lower_m4.txt" && ok || bad "lower --target cortex-m4 shows DSP intrinsics"
"$tinyfuse" lower "$model" --in-place all >"$tmp/lower_ip.txt" && grep -q "(in place)" "$tmp/lower_ip.txt" && ok || bad "lower --in-place all shows the variants"
"$tinyfuse" lower "$model" --in-place all --json |
  python3 -c 'import json,sys; d=json.load(sys.stdin); assert any("workspace_offset" in k and k["workspace_bytes"] > 0 for k in d["kernels"])' &&
  ok || bad "lower --json gives the workspace offsets"

expect_error "no command" "no command given" -- "$tinyfuse"
expect_error "unknown flag" "error" -- "$tinyfuse" inspect "$model" --bogus
expect_error "missing file" "cannot open" -- "$tinyfuse" inspect "$tmp/nope.tflite"
expect_error "directory" "directory" -- "$tinyfuse" inspect "$tmp"
head -c 100 "$model" > "$tmp/trunc.tflite"
expect_error "truncated" "error" -- "$tinyfuse" inspect "$tmp/trunc.tflite"
printf 'not a model at all, just text' > "$tmp/text.tflite"
expect_error "not a model" "error" -- "$tinyfuse" inspect "$tmp/text.tflite"
head -c 1000 "$tmp/demo/input.bin" > "$tmp/short.bin"
expect_error "wrong input size" "needs 401408 bytes" -- "$tinyfuse" run "$model" -i "$tmp/short.bin" -o "$tmp/x.bin"
[ ! -e "$tmp/x.bin" ] && ok || bad "no output file after a failed run"
expect_error "two cases, one output" "2 case\\(s\\) need 2 --output, 1 given" -- "$tinyfuse" run "$model" -i "$tmp/demo/input.bin" -i "$tmp/demo/input.bin" -o "$tmp/x.bin"
# Several cases in one call give what one call per case gives.
head -c 401408 /dev/urandom > "$tmp/in2.bin"
"$tinyfuse" run "$model" -i "$tmp/in2.bin" -o "$tmp/single2.bin" &&
  "$tinyfuse" run "$model" -i "$tmp/demo/input.bin" -i "$tmp/in2.bin" -o "$tmp/b1.bin" -o "$tmp/b2.bin" &&
  cmp -s "$tmp/b1.bin" "$tmp/demo/output.bin" && cmp -s "$tmp/b2.bin" "$tmp/single2.bin" && ok || bad "two cases in one run"
for engine in c; do
  "$tinyfuse" run "$model" --engine $engine -i "$tmp/demo/input.bin" -i "$tmp/in2.bin" -o "$tmp/e1.bin" -o "$tmp/e2.bin" &&
    cmp -s "$tmp/e1.bin" "$tmp/demo/output.bin" && cmp -s "$tmp/e2.bin" "$tmp/single2.bin" && ok || bad "engine $engine agrees with the interpreter"
done
expect_error "bad arith" "arith" -- "$tinyfuse" run "$model" -i "$tmp/demo/input.bin" -o "$tmp/x.bin" --arith fast
expect_error "unwritable output" "cannot write" -- "$tinyfuse" run "$model" -i "$tmp/demo/input.bin" -o "$tmp/no/such/dir/x.bin"

finish
