#!/usr/bin/env bash
# Valgrind memcheck on a short render, a still and a failing render: no invalid reads or
# writes, no use of uninitialised memory, no definite leaks. Skipped (77) without valgrind
# and for sanitizer builds, which valgrind cannot run.
source "$(dirname "$0")/lib.sh" "$@"

if ! command -v valgrind >/dev/null; then
  echo "skipped: valgrind is not installed"
  exit 77
fi
# grep reads to the end (no -q): under pipefail, nm killed by SIGPIPE would read as "no".
if ldd "$AVZ" | grep libasan >/dev/null || nm "$AVZ" 2>/dev/null | grep __asan_init >/dev/null; then
  echo "skipped: $AVZ is built with AddressSanitizer"
  exit 77
fi

preload=()
# libhwy (JPEG XL's SIMD library, loaded by libavcodec; attnviz never decodes JPEG XL) runs
# rdtscp in a constructor. Valgrind cannot run rdtscp where the CPU does not advertise it
# (some VMs) and stops with SIGILL before main. There a stub stands in for libhwy: every
# function aborts, so a call into it would show.
hwy=$(ldd "$AVZ" | awk '/libhwy\.so/ { print $1 }')
if [ -n "$hwy" ] && ! grep -qw rdtscp /proc/cpuinfo; then
  mkdir -p "$OUT/hwy"
  ldd "$AVZ" | awk '/=> \// { print $3 }' | xargs nm -D --undefined-only 2>/dev/null |
    awk '$2 ~ /@HWY/ { split($2, s, "@"); print s[1], s[2] }' | sort -u >"$OUT/hwy/symbols"
  {
    echo '#include <stdlib.h>'
    awk '{ print "void " $1 "(void) { abort(); }" }' "$OUT/hwy/symbols"
  } >"$OUT/hwy/stub.c"
  awk '{ print $2 }' "$OUT/hwy/symbols" | sort -u |
    awk '{ print $1 " { global: *; };" }' >"$OUT/hwy/stub.map"
  "${CC:-cc}" -shared -fPIC -Wl,-soname,"$hwy" -Wl,--version-script="$OUT/hwy/stub.map" \
    -o "$OUT/hwy/$hwy" "$OUT/hwy/stub.c"
  preload=(LD_LIBRARY_PATH="$OUT/hwy")
fi

# memcheck NAME EXPECTED_EXIT ARGS...: runs attnviz under valgrind, which exits 99 when it
# finds an error or a definite leak.
memcheck() {
  local name=$1 expected=$2 status=0
  shift 2
  env "${preload[@]}" valgrind --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --suppressions="$(dirname "$0")/valgrind.supp" --log-file="$OUT/$name.log" \
    "$AVZ" "$@" >/dev/null 2>"$OUT/$name.err" || status=$?
  if [ "$status" -ne "$expected" ]; then
    fail "$name: exit $status, expected $expected; $(cat "$OUT/$name.err")"
    cat "$OUT/$name.log" >&2
  fi
}

memcheck render 0 render gqa --size 160x90 --fps 5 --speed 8 --quiet -o "$OUT/short.mp4"
[ -s "$OUT/short.mp4" ] || fail "render: no video"
memcheck still 0 still self-attention --at 5 --size 160x90 -o "$OUT/still.png"
[ -s "$OUT/still.png" ] || fail "still: no image"
# A scene that fails half-way through its build (a token no font can draw) frees what it made.
memcheck bad-token 3 render gqa --size 160x90 --fps 5 --set $'tokens=<s> a\x01b' -o "$OUT/bad.mp4"
finish
