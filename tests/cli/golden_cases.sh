#!/usr/bin/env bash
# Runs every case of $TINYFUSE_SHARED_DIR/goldens/MANIFEST.tsv through `tinyfuse run --engine ENGINE` and
# compares the output bytes with the golden file (zero tolerance). Exit 77 (ctest: skipped) when the shared
# corpus is absent, unless TINYFUSE_REQUIRE_SHARED=1 (CI), where that is a failure.
set -uo pipefail
tinyfuse="$1"; engine="$2"; count_file="$3"
shared="${TINYFUSE_SHARED_DIR:-}"
manifest="$shared/goldens/MANIFEST.tsv"
if [ -z "$shared" ] || [ ! -f "$manifest" ]; then
  echo "SKIPPED: no shared corpus at '${shared}' (goldens/MANIFEST.tsv missing): golden cases not run"
  [ "${TINYFUSE_REQUIRE_SHARED:-0}" = 1 ] && { echo "TINYFUSE_REQUIRE_SHARED=1: failing"; exit 1; }
  exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0; ran=0
# One `tinyfuse run` per model with all its cases (the model is compiled once per engine run).
models=$(awk -F'\t' 'NR > 1 { print $1 }' "$manifest" | uniq)
for model in $models; do
  args=(); cases=()
  while IFS=$'\t' read -r m case inputs outputs engine_name sha; do
    [ "$m" = "$model" ] || continue
    cases+=("$case|$outputs")
    IFS=',' read -ra ins <<<"$inputs"; for f in "${ins[@]}"; do args+=(-i "$shared/goldens/$f"); done
    IFS=',' read -ra outs <<<"$outputs"; k=0
    for f in "${outs[@]}"; do args+=(-o "$tmp/$case.out$k.bin"); k=$((k+1)); done
  done < "$manifest"
  ran=$((ran + ${#cases[@]}))
  if ! "$tinyfuse" run "$shared/models/$model.tflite" --engine "$engine" "${args[@]}" 2>"$tmp/err"; then
    echo "FAIL $model: tinyfuse run failed: $(grep -v instructions "$tmp/err" | head -c 300)"
    failed=$((failed + ${#cases[@]})); continue
  fi
  for entry in "${cases[@]}"; do
    case="${entry%%|*}"; IFS=',' read -ra outs <<<"${entry#*|}"; k=0; ok=1
    for f in "${outs[@]}"; do
      if ! cmp -s "$tmp/$case.out$k.bin" "$shared/goldens/$f"; then
        ok=0; echo "FAIL $model $case: output $k differs from $f ($(cmp -l "$tmp/$case.out$k.bin" "$shared/goldens/$f" 2>/dev/null | wc -l) bytes)"
      fi
      k=$((k+1))
    done
    if [ $ok = 1 ]; then passed=$((passed+1)); else failed=$((failed+1)); fi
  done
  echo "$model: ${#cases[@]} cases"
done
echo "$ran" > "$count_file"
echo "golden cases, engine $engine: $ran ran"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$ran" -gt 0 ]
