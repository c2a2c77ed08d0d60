#!/usr/bin/env bash
# Errors as users meet them (issue 13): every command checks its arguments and the model before it writes
# anything; a directory it cannot create, a file it cannot write, an unknown target or command or option,
# and sizes the board lacks are one line on stderr naming what was typed, exit status 2 (never 3, which
# is kept for bugs), and nothing left behind.
set -uo pipefail
tinyfuse="$1"
source "$(dirname "$0")/cli_lib.sh"

use_demo_model
touch "$tmp/file"

# nothing_left NAME PATH...: none of the paths exists, and no staging directory is left in $tmp.
nothing_left() {
  local name="$1"; shift
  for p in "$@"; do
    if [ -e "$p" ]; then bad "$name: left $p behind"; return; fi
  done
  if find "$tmp" -name '.tinyfuse-*' | grep -q .; then bad "$name: left a staging directory"; return; fi
  ok
}

# Defect 2: an output directory that cannot be created.
expect_error "compile -o /proc/x" "cannot create directory '/proc/x/out'" -- "$tinyfuse" compile "$model" -o /proc/x/out
expect_error "compile -o under a file" "cannot create directory '$tmp/file/sub': '$tmp/file' is not a directory" -- \
  "$tinyfuse" compile "$model" -o "$tmp/file/sub"
expect_error "demo -o /proc/x" "cannot create directory '/proc/x'" -- "$tinyfuse" demo -o /proc/x
expect_error "demo -o under a file" "'$tmp/file' is not a directory" -- "$tinyfuse" demo -o "$tmp/file/d"
nothing_left "no directory made" /proc/x "$tmp/file/sub"

# Defect 3: sizes the board lacks, and other Cortex-M arguments, refused before anything is written.
expect_error "compile --flash-size 64MiB" "--flash-size 67108864 exceeds the 4 MiB of flash that cortex-m4" -- \
  "$tinyfuse" compile "$model" -o "$tmp/m4/out" --target cortex-m4 --flash-size 64MiB
expect_error "compile --ram-size 64MiB" "--ram-size 67108864 exceeds the 16 MiB of RAM" -- \
  "$tinyfuse" compile "$model" -o "$tmp/m4/out" --target cortex-m4 --ram-size 64MiB
expect_error "compile --flash-size 1GB" "bad memory size '1GB'" -- \
  "$tinyfuse" compile "$model" -o "$tmp/m4/out" --target cortex-m55 --flash-size 1GB
expect_error "compile --flash-size on the host" "--flash-size and --ram-size need a Cortex-M --target" -- \
  "$tinyfuse" compile "$model" -o "$tmp/m4/out" --flash-size 1MiB
expect_error "compile --target cortex-m3" "cortex-m3.*cortex-m4" -- "$tinyfuse" compile "$model" -o "$tmp/m4/out" --target cortex-m3
expect_error "run --flash-size with the interpreter" "need a Cortex-M --engine" -- \
  "$tinyfuse" run "$model" -i "$in" -o "$tmp/m4/x.bin" --flash-size 1MiB
expect_error "run --ram-size 64MiB" "--ram-size 67108864 exceeds" -- \
  "$tinyfuse" run "$model" --engine cortex-m4 -i "$in" -o "$tmp/x.bin" --ram-size 64MiB
nothing_left "nothing written for bad sizes" "$tmp/m4" "$tmp/x.bin"
if command -v arm-none-eabi-gcc >/dev/null && command -v qemu-system-arm >/dev/null; then
  # A model that does not fit is known only once it links: the staged files go, the directory too.
  expect_error "compile, model over --flash-size" "flash|FLASH" -- \
    "$tinyfuse" compile "$model" -o "$tmp/m4/out" --target cortex-m4 --flash-size 16K
  nothing_left "nothing written when the link fails" "$tmp/m4"
else
  echo "skipped: Cortex-M link failure (no arm-none-eabi-gcc / qemu-system-arm)"
fi

# A model that is refused leaves no output directory.
expect_error "compile, bad model" "cannot open" -- "$tinyfuse" compile "$tmp/none.tflite" -o "$tmp/c1"
nothing_left "no directory for a bad model" "$tmp/c1"

# Files that cannot be written: nothing of the command is left, not even the files that could be.
mkdir -p "$tmp/c2/model.c"
expect_error "compile over a directory" "cannot write '$tmp/c2/model.c': it is a directory" -- \
  "$tinyfuse" compile "$model" -o "$tmp/c2"
nothing_left "no .h beside the refused .c" "$tmp/c2/model.h" "$tmp/c2/model_plan.svg"
expect_error "run -o in a missing directory" "cannot write '$tmp/no/x.bin': no directory" -- \
  "$tinyfuse" run "$model" -i "$in" -i "$in" -o "$tmp/ok.bin" -o "$tmp/no/x.bin"
expect_error "run -o under /proc" "cannot write '/proc/x.bin'" -- "$tinyfuse" run "$model" -i "$in" -o /proc/x.bin
expect_error "run -o twice" "'$tmp/twice.bin' is given as an output twice" -- \
  "$tinyfuse" run "$model" -i "$in" -i "$in" -o "$tmp/twice.bin" -o "$tmp/twice.bin"
# A pipe is written to, not replaced (a rename would replace /dev/null itself when run as root).
mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/from_fifo" & reader=$!
if "$tinyfuse" run "$model" -i "$in" -o "$tmp/fifo" && [ -p "$tmp/fifo" ]; then
  wait $reader && cmp -s "$tmp/from_fifo" "$expected" && ok || bad "run -o a pipe: wrong bytes"
else
  kill $reader 2>/dev/null; bad "run -o a pipe: failed or replaced the pipe"
fi
nothing_left "run left no output" "$tmp/ok.bin" "$tmp/twice.bin"
expect_error "plan --svg into /proc" "cannot write '/proc/x/p.svg'" -- "$tinyfuse" plan "$model" --svg /proc/x/p.svg
expect_error "lower --op out of range" "--op 99: the model has" -- "$tinyfuse" lower "$model" --op 99
expect_error "bench without the corpus" "$tmp/no-shared" -- "$tinyfuse" bench memory --shared "$tmp/no-shared"

# The same commands work where they can write, and overwrite their earlier outputs.
"$tinyfuse" compile "$model" -o "$tmp/ok/deep" >/dev/null && [ -s "$tmp/ok/deep/model.c" ] && [ -s "$tmp/ok/deep/model.h" ] &&
  [ -s "$tmp/ok/deep/model_plan.svg" ] && ok || bad "compile into a new nested directory"
"$tinyfuse" compile "$model" -o "$tmp/ok/deep/" --name m2 --no-svg >/dev/null && [ -s "$tmp/ok/deep/m2.c" ] &&
  [ ! -e "$tmp/ok/deep/m2_plan.svg" ] && ok || bad "compile into an existing directory"
"$tinyfuse" plan "$model" --svg "$tmp/ok/p.svg" >/dev/null && [ -s "$tmp/ok/p.svg" ] && ok || bad "plan --svg"
nothing_left "no staging directory after success"

# Defect 4 and its kin: unknown commands and options are named, with the valid ones.
expect_error "unknown command" "unknown command 'frobnicate'; the commands are: .*compile" -- "$tinyfuse" frobnicate
expect_error "unknown command with arguments" "unknown command 'comple'" -- "$tinyfuse" comple "$model" -o "$tmp/c3"
expect_error "no command" "no command given; the commands are: .*inspect" -- "$tinyfuse"
expect_error "unknown option" "unexpected argument '--bogus' for 'tinyfuse inspect'; its options are: .*--json" -- \
  "$tinyfuse" inspect "$model" --bogus
expect_error "unknown option of compile" "unexpected arguments '--flash' '1MiB' for 'tinyfuse compile'.*--flash-size" -- \
  "$tinyfuse" compile "$model" -o "$tmp/c3" --flash 1MiB
expect_error "unknown top-level option" "unknown option '--bogus'; the commands are: .*plan" -- "$tinyfuse" --bogus
nothing_left "no directory for bad command lines" "$tmp/c3"

finish
