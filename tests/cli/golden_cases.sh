#!/usr/bin/env bash
# Runs golden cases through `tinyfuse run --engine ENGINE` and compares every output's bytes with its golden
# file (zero tolerance):
#  - every case of $TINYFUSE_SHARED_DIR/goldens/MANIFEST.tsv (the classifier corpus);
#  - every case of every breadth model named in CLAIMS ($TINYFUSE_SHARED_DIR/breadth/goldens/MANIFEST.tsv);
#    a claimed model that is missing or fails is a failure;
#  - the other breadth models are tried and reported, one line each ("not claimed: MODEL: first error").
# Writes the number of cases that ran to COUNT_FILE (classifier) and to ${COUNT_FILE%.count}_breadth.count
# (claimed breadth models); CI compares them with the manifests. Exit 77 (ctest: skipped) when the shared corpus is absent, unless TINYFUSE_REQUIRE_SHARED=1
# (CI), where that is a failure.
set -uo pipefail
tinyfuse="$1"; engine="$2"; count_file="$3"; claims="$4"
shared="${TINYFUSE_SHARED_DIR:-}"
if [ -z "$shared" ] || [ ! -f "$shared/goldens/MANIFEST.tsv" ]; then
  echo "SKIPPED: no shared corpus at '${shared}' (goldens/MANIFEST.tsv missing): golden cases not run"
  [ "${TINYFUSE_REQUIRE_SHARED:-0}" = 1 ] && { echo "TINYFUSE_REQUIRE_SHARED=1: failing"; exit 1; }
  exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0; ran=0

# run_model GOLDENS_DIR MODELS_DIR MODEL: runs every case of MODEL (one `tinyfuse run` with all its cases, so
# the model is compiled once); adds to ran/passed/failed and sets $first_error ("" when every case passes).
run_model() {
  local dir="$1" models="$2" model="$3" args=() cases=() m case inputs outputs rest
  first_error=""
  while IFS=$'\t' read -r m case inputs outputs rest; do
    [ "$m" = "$model" ] || continue
    cases+=("$case|$outputs")
    IFS=',' read -ra ins <<<"$inputs"; for f in "${ins[@]}"; do args+=(-i "$dir/$f"); done
    IFS=',' read -ra outs <<<"$outputs"; k=0
    for f in "${outs[@]}"; do args+=(-o "$tmp/$case.out$k.bin"); k=$((k+1)); done
  done < "$dir/MANIFEST.tsv"
  ran=$((ran + ${#cases[@]}))
  if [ ${#cases[@]} = 0 ]; then first_error="no golden cases"; return; fi
  if ! "$tinyfuse" run "$models/$model.tflite" --engine "$engine" "${args[@]}" 2>"$tmp/err"; then
    first_error="tinyfuse run failed: $(grep -v instructions "$tmp/err" | head -c 300)"
    failed=$((failed + ${#cases[@]})); return
  fi
  for entry in "${cases[@]}"; do
    case="${entry%%|*}"; IFS=',' read -ra outs <<<"${entry#*|}"; k=0; ok=1
    for f in "${outs[@]}"; do
      if ! cmp -s "$tmp/$case.out$k.bin" "$dir/$f"; then
        ok=0
        [ -n "$first_error" ] || first_error="$case: output $k differs from $f ($(cmp -l "$tmp/$case.out$k.bin" "$dir/$f" 2>/dev/null | wc -l) bytes)"
      fi
      k=$((k+1))
    done
    if [ $ok = 1 ]; then passed=$((passed+1)); else failed=$((failed+1)); fi
  done
}

# The classifier corpus: every model.
dir="$shared/goldens"
for model in $(awk -F'\t' 'NR > 1 { print $1 }' "$dir/MANIFEST.tsv" | uniq); do
  run_model "$dir" "$shared/models" "$model"
  [ -z "$first_error" ] || echo "FAIL $model: $first_error"
  echo "$model: done"
done
echo "$ran" > "$count_file"
classifier_ran=$ran

# The breadth corpus: claimed models must pass, the others are reported.
dir="$shared/breadth/goldens"
claimed=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$claims" | grep -v '^$')
if [ ! -f "$dir/MANIFEST.tsv" ]; then
  echo "FAIL: the breadth corpus is missing ($dir/MANIFEST.tsv) but the claims file names models"
  [ -z "$claimed" ] || failed=$((failed + 1))
else
  for model in $claimed; do
    run_model "$dir" "$shared/breadth/models" "$model"
    [ -z "$first_error" ] || { echo "FAIL claimed $model: $first_error"; failed=$((failed + 1)); }
    echo "$model (claimed): done"
  done
  breadth_ran=$((ran - classifier_ran))
  echo "$breadth_ran" > "${count_file%.count}_breadth.count"
  saved=("$ran" "$passed" "$failed")
  for model in $(awk -F'\t' 'NR > 1 { print $1 }' "$dir/MANIFEST.tsv" | uniq); do
    grep -qx "$model" <<<"$claimed" && continue
    run_model "$dir" "$shared/breadth/models" "$model"
    echo "not claimed: $model: ${first_error:-all cases pass: claim it}"
  done
  ran=${saved[0]}; passed=${saved[1]}; failed=${saved[2]}
fi
echo "golden cases, engine $engine: $classifier_ran classifier, $((ran - classifier_ran)) claimed breadth cases ran"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$ran" -gt 0 ]
