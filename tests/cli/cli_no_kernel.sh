#!/usr/bin/env bash
# Models that lower to no kernel, through `tinyfuse run` on every engine there is here: a model without ops
# (its output is its input) and a model of RESHAPEs only (its output is a view of its input). Each engine
# must give back the input bytes. Usage: cli_no_kernel.sh TINYFUSE MODEL...
set -uo pipefail
tinyfuse="$1"; shift
source "$(dirname "$0")/cli_lib.sh"

engines="interp c"
if command -v arm-none-eabi-gcc >/dev/null && command -v qemu-system-arm >/dev/null; then
  engines="$engines cortex-m4"
else
  echo "note: no Arm toolchain or QEMU, engine cortex-m4 skipped"
fi
for model in "$@"; do
  name=$(basename "$model" .tflite)
  sizes=$("$tinyfuse" inspect --json "$model" |
          python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["inputs"]), len(d["outputs"]), d["inputs"][0]["bytes"])')
  read -r n_in n_out bytes <<<"$sizes"
  if [ "$n_in" != 1 ] || [ "$n_out" != 1 ]; then bad "$name: want one input and one output, inspect says $sizes"; continue; fi
  head -c "$bytes" /dev/urandom >"$tmp/$name.in"
  for engine in $engines; do
    if "$tinyfuse" run "$model" --engine "$engine" -i "$tmp/$name.in" -o "$tmp/$name.$engine.out" 2>"$tmp/err"; then
      cmp -s "$tmp/$name.in" "$tmp/$name.$engine.out" && ok || bad "$name, engine $engine: the output is not the input"
    else
      bad "$name, engine $engine: $(cat "$tmp/err")"
    fi
  done
  "$tinyfuse" compile "$model" -o "$tmp/$name.c" --no-svg >"$tmp/log" 2>&1 && grep -q "0 kernels" "$tmp/log" && ok ||
    bad "$name: compile: $(cat "$tmp/log")"
done

finish
