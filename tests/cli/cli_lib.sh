# Shared by the CLI test scripts (source it): a scratch directory $tmp removed at exit, the ok/bad counters,
# expect_error, use_demo_model and finish (prints the counts; exit status 1 when something failed).
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
bad() { echo "FAIL: $*"; failed=$((failed+1)); }

# expect_error NAME PATTERN -- CMD...: exit 2, exactly one stderr line matching PATTERN.
expect_error() {
  local name="$1" pattern="$2"; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ $rc -ne 2 ]; then bad "$name: exit $rc, want 2 ($(cat "$tmp/err"))"; return; fi
  if [ "$(wc -l <"$tmp/err")" -ne 1 ]; then bad "$name: stderr is not one line: $(cat "$tmp/err")"; return; fi
  if ! grep -qE -- "$pattern" "$tmp/err"; then bad "$name: stderr '$(cat "$tmp/err")' does not match '$pattern'"; return; fi
  ok
}

# use_demo_model: the built-in model as the test input, no ../shared needed: sets $model, $in (its input,
# int8 [1,56,56,128]) and $expected (the demo's output for it).
use_demo_model() {
  "$tinyfuse" demo -o "$tmp/demo" >/dev/null || { echo "FAIL: demo"; exit 1; }
  model="$tmp/demo/demo.tflite"
  in="$tmp/demo/input.bin"
  expected="$tmp/demo/output.bin"
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ]
}
