#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, -DTINYFUSE_FUZZ=ON with ASan + UBSan) and runs each for SECONDS
# (default 60), then prints per target: executions, executions per second, corpus size and the share of
# inputs that reached each pipeline stage. The targets run in libFuzzer's fork mode and go on past a
# crash; afterwards every crash input (BUILD_DIR/artifacts/) is replayed and matched against
# fuzz/known_bugs.txt. Exits non-zero on a crash, leak, timeout or out-of-memory that is not a known bug,
# and on generated C that differs from the interpreter (see docs/FUZZING.md).
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]          (targets: fuzz_import fuzz_pipeline; default both)
# Environment:
#   TINYFUSE_FUZZ_BUILD   build directory (default: build-fuzz); the corpora grow in BUILD/corpus/ across runs
#   TINYFUSE_JOBS         build parallelism (default: nproc)
#   TINYFUSE_FUZZ_ARGS    extra libFuzzer flags, e.g. "-fork=4" on a machine with 4 cores to spare
#   TINYFUSE_FUZZ_CDIFF   how many pipeline-corpus models get their C compiled with ASan+UBSan and compared
#                         with the interpreter after the run (default 20; 0 skips)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_import fuzz_pipeline)
build_dir="${TINYFUSE_FUZZ_BUILD:-build-fuzz}"
jobs="${TINYFUSE_JOBS:-$(nproc)}"

for tool in clang clang++ cmake ninja; do
  command -v "$tool" >/dev/null || { echo "fuzz.sh: $tool not found (scripts/setup.sh installs it)" >&2; exit 1; }
done

CC=clang CXX=clang++ cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTINYFUSE_WERROR="${TINYFUSE_WERROR:-ON}" -DTINYFUSE_FUZZ=ON -DTINYFUSE_SANITIZE=ON -DTINYFUSE_TESTS=OFF >/dev/null
cmake --build "$build_dir" -j"$jobs" --target fuzz_tool "${targets[@]}"

corpus="$build_dir/corpus"
artifacts="$build_dir/artifacts"
mkdir -p "$corpus/import" "$corpus/pipeline" "$artifacts"
# The seed corpora come from the writer: regenerated every time, never committed.
"$build_dir/fuzz/fuzz_tool" seeds "$corpus/seed_import" "$corpus/seed_pipeline" >/dev/null

# "internal:" errors of known bugs do not crash the targets (fuzz/pipeline_runner.h, TINYFUSE_FUZZ_IGNORE).
known_file=fuzz/known_bugs.txt
known_patterns="$build_dir/known_bugs.patterns"
grep -v '^#' "$known_file" | cut -f1 | grep -v '^$' >"$known_patterns" || true
known_fragments=$(paste -sd'|' "$known_patterns")
export TINYFUSE_FUZZ_IGNORE="${TINYFUSE_FUZZ_IGNORE:+$TINYFUSE_FUZZ_IGNORE|}$known_fragments"

# malloc_context_size=0: ASan skips recording allocation stacks (several times faster here); replay a
# crash with the default to see where the memory came from.
export ASAN_OPTIONS="malloc_context_size=0:detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

status=0
summary=""
for target in "${targets[@]}"; do
  case "$target" in
    fuzz_import) dir="$corpus/import"; seeds="$corpus/seed_import"; limits=(-max_len=16384) ;;
    fuzz_pipeline) dir="$corpus/pipeline"; seeds="$corpus/seed_pipeline"; limits=(-max_len=512 -len_control=0) ;;
    *) echo "fuzz.sh: unknown target '$target'" >&2; exit 2 ;;
  esac
  log="$build_dir/$target.log"
  stats="$build_dir/$target.stats"
  rm -f "$stats" "$stats.counts"
  stamp="$build_dir/.$target.start"
  touch "$stamp"
  echo "fuzz.sh: running $target for ${seconds}s (log: $log)"
  # -fork=1 with -ignore_*: one worker process at a time, restarted after a crash, so that a known bug
  # does not end the run. -entropic=0: the entropic scheduler's bookkeeping cost most of the time here.
  # shellcheck disable=SC2086
  TINYFUSE_FUZZ_STATS="$stats" "$build_dir/fuzz/$target" "$dir" "$seeds" -max_total_time="$seconds" \
    -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -entropic=0 -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=1024 "${limits[@]}" -artifact_prefix="$artifacts/$target-" ${TINYFUSE_FUZZ_ARGS:-} \
    >"$log" 2>&1 || true
  execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
  rate=$(grep -oE 'exec/s:? [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || true)
  files=$(find "$dir" -type f | wc -l)
  bytes=$(du -sb "$dir" | cut -f1)

  # Triage: replay every input this run saved; a report matching a known bug is counted, anything else fails.
  result="ok"
  known=0
  new=()
  while IFS= read -r artifact; do
    report="$artifact.report"
    "$build_dir/fuzz/$target" -timeout=30 -rss_limit_mb=2048 -malloc_limit_mb=1024 "$artifact" >"$report" 2>&1 || true
    if grep -qE 'runtime error:|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|internal error|SUMMARY:' "$report"; then
      if [ -s "$known_patterns" ] && grep -qF -f "$known_patterns" "$report"; then
        known=$((known + 1))
        continue
      fi
      new+=("$artifact: $(grep -m1 -E 'runtime error:|ERROR: |internal error' "$report")")
    elif [[ "$(basename "$artifact")" == *crash-* ]]; then
      new+=("$artifact: crashed while fuzzing, not on replay (flaky; see $log)")
    fi
    # A timeout or out-of-memory that does not reproduce on replay is load on a shared machine: ignored.
  done < <(find "$artifacts" -name "$target-*" -newer "$stamp" ! -name '*.report' 2>/dev/null | sort)
  if [ ${#new[@]} -gt 0 ]; then
    result="FAILED: ${#new[@]} new crash input(s)"
    status=1
  fi
  summary+="$target: $result; ${execs:-?} executions (${rate:-?}/s), corpus $files files, $bytes bytes"
  summary+="; known bugs hit: $known"$'\n'
  for line in "${new[@]}"; do summary+="  NEW: $line"$'\n'; done
  if [ -f "$stats" ]; then summary+="$(sed 's/^/  /' "$stats")"$'\n'; fi
done
cdiff="${TINYFUSE_FUZZ_CDIFF:-20}"
if [ "$cdiff" -gt 0 ] && [ -d "$corpus/pipeline" ]; then
  echo "fuzz.sh: generated C vs interpreter on up to $cdiff corpus models (log: $build_dir/cdiff.log)"
  # One process per model (a sanitizer report ends a process), newest corpus entries first: they are the
  # ones this run found. Models that do not compile or are too large to interpret are skipped.
  : >"$build_dir/cdiff.log"
  compared=0
  known=0
  fresh=0
  while IFS= read -r input && [ "$compared" -lt "$cdiff" ]; do
    out=$("$build_dir/fuzz/fuzz_tool" cdiff "$corpus/pipeline/$input" 2>&1 || true)
    printf '%s\n' "$out" >>"$build_dir/cdiff.log"
    if printf '%s\n' "$out" | grep -q '^cdiff: 0 models compared, 0 differ'; then continue; fi
    compared=$((compared + 1))
    if printf '%s\n' "$out" | grep -q '^cdiff: 1 models compared, 0 differ'; then continue; fi
    line=$(printf '%s\n' "$out" | grep -m1 -E '^MISMATCH|runtime error|ERROR' || echo "$input: cdiff crashed")
    if [ -s "$known_patterns" ] && printf '%s\n' "$out" | grep -qF -f "$known_patterns"; then
      known=$((known + 1))
    else
      fresh=$((fresh + 1))
      summary+="  NEW: ${line:0:400}"$'\n'
      status=1
    fi
  done < <(ls -t "$corpus/pipeline" | head -n 2000)
  summary+="cdiff: $compared corpus models compiled with ASan+UBSan and compared with the interpreter: "
  summary+="$((compared - known - fresh)) equal, $known known bugs, $fresh new"$'\n'
fi

echo
printf '%s' "$summary"
exit "$status"
