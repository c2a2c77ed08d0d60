#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, -DTINYFUSE_FUZZ=ON with ASan + UBSan) and runs each for SECONDS
# (default 60), then prints per target: executions, executions per second, corpus size and the share of
# inputs that reached each pipeline stage. Exits non-zero when a target found a crash, a leak, a timeout
# or an out-of-memory; the input is saved under BUILD_DIR/artifacts/ (see docs/FUZZING.md to replay it).
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]          (targets: fuzz_import fuzz_pipeline; default both)
# Environment:
#   TINYFUSE_FUZZ_BUILD   build directory (default: build-fuzz); the corpora grow in BUILD/corpus/ across runs
#   TINYFUSE_JOBS         build parallelism (default: nproc)
#   TINYFUSE_FUZZ_ARGS    extra libFuzzer flags, e.g. "-fork=2 -ignore_crashes=1" for long runs
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
  -DTINYFUSE_FUZZ=ON -DTINYFUSE_SANITIZE=ON -DTINYFUSE_TESTS=OFF >/dev/null
cmake --build "$build_dir" -j"$jobs" --target fuzz_tool "${targets[@]}"

corpus="$build_dir/corpus"
artifacts="$build_dir/artifacts"
mkdir -p "$corpus/import" "$corpus/pipeline" "$artifacts"
# The seed corpora come from the writer: regenerated every time, never committed.
"$build_dir/fuzz/fuzz_tool" seeds "$corpus/seed_import" "$corpus/seed_pipeline" >/dev/null

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
  rm -f "$stats"
  echo "fuzz.sh: running $target for ${seconds}s (log: $log)"
  # -entropic=0: the entropic scheduler's bookkeeping cost most of the time on these targets.
  # shellcheck disable=SC2086
  if TINYFUSE_FUZZ_STATS="$stats" "$build_dir/fuzz/$target" "$dir" "$seeds" -max_total_time="$seconds" \
      -entropic=0 -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 "${limits[@]}" -print_final_stats=1 \
      -artifact_prefix="$artifacts/$target-" ${TINYFUSE_FUZZ_ARGS:-} >"$log" 2>&1; then
    result="ok"
  else
    result="FAILED (see $log; artifacts in $artifacts)"
    status=1
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  files=$(find "$dir" -type f | wc -l)
  bytes=$(du -sb "$dir" | cut -f1)
  summary+="$target: $result; ${execs:-?} executions (${rate:-?}/s), corpus $files files, $bytes bytes"$'\n'
  if [ -f "$stats" ]; then summary+="$(sed 's/^/  /' "$stats")"$'\n'; fi
  if [ "$result" != "ok" ]; then
    summary+="$(grep -m1 -E 'ERROR: |runtime error:|==ERROR|deadly signal|Test unit written' "$log" | sed 's/^/  /')"$'\n'
  fi
done
cdiff="${TINYFUSE_FUZZ_CDIFF:-20}"
if [ "$cdiff" -gt 0 ] && [ -d "$corpus/pipeline" ]; then
  echo "fuzz.sh: generated C vs interpreter on up to $cdiff corpus models (log: $build_dir/cdiff.log)"
  # The newest corpus entries first: they are the ones this run found.
  mapfile -t newest < <(ls -t "$corpus/pipeline" | head -n 400 | sed "s|^|$corpus/pipeline/|")
  if "$build_dir/fuzz/fuzz_tool" cdiff --max "$cdiff" "${newest[@]}" >"$build_dir/cdiff.log" 2>&1; then
    summary+="$(tail -1 "$build_dir/cdiff.log")"$'\n'
  else
    summary+="$(grep -E '^MISMATCH|^cdiff:' "$build_dir/cdiff.log" | cut -c1-300)"$'\n'
    status=1
  fi
fi

echo
printf '%s' "$summary"
exit "$status"
