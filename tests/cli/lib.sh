# Shared by the command-line tests: paths from ctest and small assertion helpers.
# Usage in a test: source lib.sh "$@"   (arguments: attnviz binary, tools dir, output dir)
set -euo pipefail
AVZ=$1
TOOLS=$2
OUT=$3/$(basename "$0" .sh)
REF=${AVZ_REFERENCE_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/reference}
rm -rf "$OUT"
mkdir -p "$OUT"
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

finish() {
  if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
  fi
  echo "all checks passed"
}
