# Shared by the command-line tests: paths from ctest and small assertion helpers.
# Usage in a test: source lib.sh "$@"   (arguments: attnviz binary, tools dir, output dir)
set -euo pipefail
AVZ=$(realpath "$1")
TOOLS=$(realpath "$2")
OUT=$(realpath -m "$3")/$(basename "$0" .sh)
REF=${AVZ_REFERENCE_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/reference}
rm -rf "$OUT"
mkdir -p "$OUT"
# Outputs attnviz writes by default (SCENE.mp4) land where the checks below look.
cd "$OUT"
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# expect CODE FRAGMENT ARGS...: attnviz ARGS fails with exit CODE and one stderr line holding
# FRAGMENT, and leaves no output named x* (or its temporary .x*) under $OUT.
expect() {
  local code=$1 fragment=$2
  shift 2
  local err status=0
  err=$("$AVZ" "$@" 2>&1 >/dev/null) || status=$?
  [ "$status" -eq "$code" ] || fail "attnviz $*: exit $status, expected $code"
  [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "attnviz $*: stderr is not one line: $err"
  grep -qF -- "$fragment" <<<"$err" || fail "attnviz $*: stderr lacks \"$fragment\": $err"
  [ -z "$(find "$OUT" -name 'x*' -o -name '.x*')" ] || fail "attnviz $*: left an output file"
  find "$OUT" \( -name 'x*' -o -name '.x*' \) -delete
}

# interrupt SIGNAL DELAY ARGS...: runs attnviz ARGS (stdout dropped, stderr to
# $OUT/interrupt.err), sends SIGNAL after DELAY seconds, and prints its exit status.
interrupt() {
  local sig=$1 delay=$2 s=0 pid
  shift 2
  "$AVZ" "$@" >/dev/null 2>"$OUT/interrupt.err" &
  pid=$!
  sleep "$delay"
  kill -"$sig" "$pid" 2>/dev/null || true
  wait "$pid" || s=$?
  echo "$s"
}

# frames_at SECONDS FPS: the frame count of SECONDS at FPS, rounded.
frames_at() { awk -v t="$1" -v f="$2" 'BEGIN { printf "%d", t * f + 0.5 }'; }

finish() {
  if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
  fi
  echo "all checks passed"
}
