#!/usr/bin/env bash
# Diffs the code two tinyfuse builds generate for a whole model corpus: the check for refactors that
# must not change behaviour ("generated C byte-identical before and after").
#
# Usage: scripts/corpus_diff.sh [--keep DIR] OLD_TINYFUSE NEW_TINYFUSE [MODEL_DIR ...]
#        scripts/corpus_diff.sh [--keep DIR] --base REV [NEW_TINYFUSE] [MODEL_DIR ...]
#   OLD_TINYFUSE, NEW_TINYFUSE  two built `tinyfuse` binaries (NEW defaults to build/src/tools/tinyfuse)
#   --base REV                  builds REV in a temporary git worktree (same CMake flags) as OLD
#   MODEL_DIR                   folders of .tflite files (default: ../shared/models ../shared/breadth/models)
#   --keep DIR                  keep the generated files in DIR/{old,new}/MODEL (default: a temp dir, removed)
# Per model it compares, between OLD and NEW: `compile` (the host C, the header and the plan's SVG), `lower --target
# cortex-m4` (the kernels with the Cortex-M4 schedule and DSP intrinsics) and `plan` (the arena). A model
# both builds refuse with the same message counts as identical. Prints one line per model that differs
# (and a unified diff of its first differing file, cut at 40 lines), then the totals. Exit status: 0 when
# every model is identical, 1 when any differs, 2 on a usage error.
set -euo pipefail
cd "$(dirname "$0")/.."

keep=""
base=""
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep="$2"; shift 2 ;;
    --base) base="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) break ;;
  esac
done

work=$(mktemp -d)
cleanup() {
  if [ -n "$base" ] && [ -d "$work/base-src" ]; then git worktree remove --force "$work/base-src" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "$base" ]; then
  rev=$(git rev-parse --verify "$base^{commit}" 2>/dev/null) || { echo "corpus_diff: --base $base is not a commit" >&2; exit 2; }
  git worktree add --detach -q "$work/base-src" "$rev"
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  echo "corpus_diff: building $base ($rev) as OLD" >&2
  cmake -S "$work/base-src" -B "$work/base-build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTINYFUSE_TESTS=OFF \
    "${launcher[@]}" >/dev/null
  cmake --build "$work/base-build" -j"$(nproc)" --target tinyfuse >/dev/null
  old="$work/base-build/src/tools/tinyfuse"
  new="${1:-build/src/tools/tinyfuse}"
  [ $# -gt 0 ] && shift
else
  [ $# -ge 2 ] || { echo "corpus_diff: usage: corpus_diff.sh OLD_TINYFUSE NEW_TINYFUSE [MODEL_DIR ...] (see --help)" >&2; exit 2; }
  old="$1"; new="$2"; shift 2
fi
for b in "$old" "$new"; do
  [ -x "$b" ] || { echo "corpus_diff: $b is not an executable" >&2; exit 2; }
done
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(../shared/models ../shared/breadth/models)

out="${keep:-$work/out}"
mkdir -p "$out"

# Writes everything one build generates for one model into DIR; a refusal is written as its message.
generate() {
  local bin="$1" model="$2" dir="$3"
  mkdir -p "$dir"
  if ! "$bin" compile "$model" -o "$dir/c" --name m >/dev/null 2>"$dir/compile.err"; then
    rm -rf "$dir/c"
    return
  fi
  "$bin" lower "$model" --target cortex-m4 >"$dir/lower_m4.txt" 2>&1 || true
  "$bin" plan "$model" >"$dir/plan.txt" 2>&1 || true
}

same=0; differ=0; models=0
for d in "${dirs[@]}"; do
  [ -d "$d" ] || { echo "corpus_diff: no folder $d (skipped)" >&2; continue; }
  for model in "$d"/*.tflite; do
    [ -e "$model" ] || continue
    name=$(basename "$model" .tflite)
    models=$((models + 1))
    generate "$old" "$model" "$out/old/$name"
    generate "$new" "$model" "$out/new/$name"
    if diff -r -q "$out/old/$name" "$out/new/$name" >/dev/null; then
      same=$((same + 1))
    else
      differ=$((differ + 1))
      echo "DIFFERS: $name"
      diff -r -u "$out/old/$name" "$out/new/$name" | head -n 40 || true
    fi
  done
done
echo "corpus_diff: $models models, $same identical, $differ differ"
[ "$differ" -eq 0 ]
