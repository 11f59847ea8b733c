#!/usr/bin/env bash
# Faults around the output: a full disk, a failing write, SIGTERM mid-render, special and
# clashing output paths, corrupt fonts and awkward tokens. Each run must end with its exit
# code and one line on stderr, leave the target as it was (or absent), and leave no
# temporary file (.NAME.*) beside it.
source "$(dirname "$0")/lib.sh" "$@"

# 11 s of video at 854x480: a few seconds of work, about 110 KB of output.
render=(render gqa -q l --speed 8 --quiet)

# The target's earlier content, kept in TARGET.orig to compare with afterwards.
previous() {
  echo "previous good video" >"$1"
  cp "$1" "$1.orig"
}

# after NAME CODE FRAGMENT TARGET STATUS: checks a finished run whose stderr is $OUT/NAME.err.
after() {
  local name=$1 code=$2 fragment=$3 target=$4 status=$5 err=$OUT/$1.err
  [ "$status" -eq "$code" ] || fail "$name: exit $status, expected $code: $(cat "$err")"
  [ "$(wc -l <"$err")" -eq 1 ] || fail "$name: stderr is not one line: $(cat "$err")"
  grep -qF -- "$fragment" "$err" || fail "$name: stderr lacks \"$fragment\": $(cat "$err")"
  if [ -e "$target.orig" ]; then
    cmp -s "$target" "$target.orig" || fail "$name: the previous $target changed"
  elif [ ! -d "$target" ] && [ ! -p "$target" ] && [ ! -L "$target" ] && [ ! -c "$target" ]; then
    [ ! -e "$target" ] || fail "$name: $target was written"
  fi
  local left
  left=$(find "$(dirname "$target")" -maxdepth 1 -name ".$(basename "$target").*")
  [ -z "$left" ] || fail "$name: left a temporary file: $left"
}

# run NAME CODE FRAGMENT TARGET ARGS...
run() {
  local name=$1 code=$2 fragment=$3 target=$4 status=0
  shift 4
  "$AVZ" "$@" >/dev/null 2>"$OUT/$name.err" || status=$?
  after "$name" "$code" "$fragment" "$target" "$status"
}

# ── A full disk ─────────────────────────────────────────────────────────────────────────
# RLIMIT_FSIZE below the video's size; with SIGXFSZ ignored, the write fails with EFBIG.
t=$OUT/efbig.mp4
previous "$t"
status=0
(
  trap '' XFSZ
  ulimit -f 32
  exec "$AVZ" "${render[@]}" -o "$t"
) >/dev/null 2>"$OUT/efbig.err" || status=$?
after efbig 4 "File too large" "$t" "$status"

# A real one, where the machine lets us mount a 64 KB tmpfs.
small=$OUT/small
mkdir "$small"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=64k tmpfs "$small" 2>/dev/null; then
  trap 'umount "$small"' EXIT
  previous "$small/enospc.mp4"
  run enospc 4 "No space left on device" "$small/enospc.mp4" "${render[@]}" -o "$small/enospc.mp4"
  umount "$small"
  trap - EXIT
else
  echo "note: no tmpfs mount here (needs root); the full disk is simulated by ulimit -f only"
fi

# ── A failing write ─────────────────────────────────────────────────────────────────────
# write() to regular files fails with EIO after 40000 bytes, mid-video (tests/tools/faulty.c).
t=$OUT/eio.mp4
previous "$t"
status=0
# An ASan build wants its runtime first among the libraries; the shim goes first here.
LD_PRELOAD=$TOOLS/avz_faulty.so AVZ_FAIL_WRITE_AFTER=40000 \
  ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
  "$AVZ" "${render[@]}" -o "$t" >/dev/null 2>"$OUT/eio.err" || status=$?
after eio 4 "Input/output error" "$t" "$status"

# ── SIGTERM mid-render ──────────────────────────────────────────────────────────────────
t=$OUT/term.mp4
previous "$t"
"$AVZ" render gqa -q m --quiet -o "$t" >/dev/null 2>"$OUT/term.err" &
pid=$!
# Wait until the temporary file exists: the render is then under way.
for _ in $(seq 100); do
  [ -n "$(find "$OUT" -maxdepth 1 -name '.term.mp4.*')" ] && break
  sleep 0.1
done
sleep 0.5
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
after term 5 "interrupted" "$t" "$status"

# ── Outputs that are not a file we may replace ──────────────────────────────────────────
mkdir "$OUT/dir.mp4"
run directory 4 "is a directory" "$OUT/dir.mp4" "${render[@]}" -o "$OUT/dir.mp4"
[ -d "$OUT/dir.mp4" ] || fail "directory: the directory is gone"

mkfifo "$OUT/fifo.mp4"
run fifo 4 "$OUT/fifo.mp4" "$OUT/fifo.mp4" "${render[@]}" -o "$OUT/fifo.mp4"
[ -p "$OUT/fifo.mp4" ] || fail "fifo: the FIFO was replaced"

run devfull 2 "must end in" /dev/full "${render[@]}" -o /dev/full
ln -s /dev/full "$OUT/devfull.mp4"
run devfull-link 4 "$OUT/devfull.mp4" "$OUT/devfull.mp4" "${render[@]}" -o "$OUT/devfull.mp4"
[ "$(readlink "$OUT/devfull.mp4")" = /dev/full ] || fail "devfull-link: the link was replaced"
[ -c /dev/full ] || fail "devfull-link: /dev/full is no longer a device"

# ── An output that is also an input ─────────────────────────────────────────────────────
printf 'diagram=2\n' >"$OUT/pace.mp4"
cp "$OUT/pace.mp4" "$OUT/pace.mp4.orig"
run output-is-pacing 2 "pace.mp4" "$OUT/pace.mp4" \
  "${render[@]}" --pacing "$OUT/pace.mp4" -o "$OUT/./pace.mp4"
printf 'diagram=2\n' >"$OUT/pace.vtt"
cp "$OUT/pace.vtt" "$OUT/pace.vtt.orig"
run chapters-is-pacing 2 "pace.vtt" "$OUT/pace.vtt" \
  "${render[@]}" --pacing "$OUT/pace.vtt" --chapters "$OUT/pace.vtt" -o "$OUT/pace-out.mp4"
[ ! -e "$OUT/pace-out.mp4" ] || fail "chapters-is-pacing: wrote the video"
# A PNG sequence replaces the inputs named as its frames, and a plug-in named by its file is an
# input too: refused, the input left as it was.
mkdir -p "$OUT/frames"
printf 'kv_heads=2\n' >"$OUT/frames/00007.png"
cp "$OUT/frames/00007.png" "$OUT/frames/00007.png.orig"
run frame-is-params 2 "named as one of its frames" "$OUT/frames/00007.png" \
  "${render[@]}" --params "$OUT/frames/00007.png" -o "$OUT/./frames//%05d.png"
run frame-is-pacing 2 "the --pacing file" "$OUT/frames/00007.png" \
  "${render[@]}" --pacing "$OUT/frames/00007.png" -o "$OUT/frames/%d.png"
# (refused before the plug-in is loaded: any file shows it)
echo "a plug-in" >"$OUT/plug.mp4" && cp "$OUT/plug.mp4" "$OUT/plug.mp4.orig"
run output-is-plugin 2 "is also the plug-in file" "$OUT/plug.mp4" render "$OUT/plug.mp4" -o "$OUT/plug.mp4"
echo "a plug-in" >"$OUT/frames/0001.png" && cp "$OUT/frames/0001.png" "$OUT/frames/0001.png.orig"
run frame-is-plugin 2 "the plug-in file" "$OUT/frames/0001.png" \
  render "$OUT/frames/0001.png" -q l -o "$OUT/frames/%04d.png"

# ── Corrupt fonts ───────────────────────────────────────────────────────────────────────
# A copy of the shipped fonts with one file cut in half: the table directory survives, the
# outlines do not.
fonts_dir=$(cd "$(dirname "$0")/../../fonts" && pwd)
for font in latinmodern-math.otf LiberationSerif-Regular.ttf DejaVuSans.ttf; do
  rm -rf "$OUT/fonts"
  cp -r "$fonts_dir" "$OUT/fonts"
  head -c $(($(stat -c %s "$fonts_dir/$font") / 2)) "$fonts_dir/$font" >"$OUT/fonts/$font"
  t=$OUT/font.mp4
  previous "$t"
  AVZ_FONT_DIR=$OUT/fonts run "font-$font" 4 "$font" "$t" "${render[@]}" -o "$t"
done
# Glyph outlines scrambled (table directory intact): a font that cannot be read, exit 4.
if command -v python3 >/dev/null; then
  rm -rf "$OUT/fonts"
  cp -r "$fonts_dir" "$OUT/fonts"
  python3 -c "import random, sys; random.seed(1); d = bytearray(open(sys.argv[1], 'rb').read())
for i in range(2000): d[random.randrange(200, len(d))] = random.randrange(256)
open(sys.argv[1], 'wb').write(d)" "$OUT/fonts/LiberationSerif-Regular.ttf"
  t=$OUT/glyphs.png
  AVZ_FONT_DIR=$OUT/fonts run font-glyphs 4 "cannot load the outline of glyph" "$t" \
    still gqa --size 64x36 --at heatmap -o "$t"
fi

# A font that is a FIFO (or any file that is not one) is refused at once, not waited on.
rm -rf "$OUT/fonts"
cp -r "$fonts_dir" "$OUT/fonts"
rm "$OUT/fonts/DejaVuSans.ttf"
mkfifo "$OUT/fonts/DejaVuSans.ttf"
t=$OUT/font.mp4
previous "$t"
AVZ_FONT_DIR=$OUT/fonts run font-fifo 4 "DejaVuSans.ttf is not a file" "$t" "${render[@]}" -o "$t"

# ── Tokens the cards cannot show ────────────────────────────────────────────────────────
# run_token NAME FRAGMENT TOKENS: a render with --set tokens=TOKENS fails with exit 3.
run_token() {
  previous "$OUT/tokens.mp4"
  run "token-$1" 3 "$2" "$OUT/tokens.mp4" "${render[@]}" --set "tokens=$3" -o "$OUT/tokens.mp4"
}
run_token long "has 100004 characters; at most 250" "<s> $(head -c 100000 /dev/zero | tr '\0' x)"
run_token many "17 given" "$(seq -s ' ' 17)"
run_token control "U+0001" $'<s> a\x01b'
run_token escape "U+001B" $'<s> \x1b[2J'
run_token newline "tokens" $'<s> a\nb'
run_token utf8 "not valid UTF-8" $'<s> \xff\xfe'
run_token overlong-utf8 "not valid UTF-8" $'<s> \xc0\xaf'
run_token surrogate "not valid UTF-8" $'<s> \xed\xa0\x80'
# Continuation bytes count for no character: 300 of them once overran the token's buffer.
run_token continuation "not valid UTF-8" "<s> a$(head -c 300 /dev/zero | tr '\0' '\200')"
finish
