#!/usr/bin/env bash
# Every bad input gets one line on stderr naming the problem, its documented exit code, and
# no output file; a previous output file stays as it was.
source "$(dirname "$0")/lib.sh" "$@"

o=$OUT/x.mp4
expect 2 'unknown command "paint"' paint
expect 2 "which scene?" render -o "$o"
expect 3 'unknown scene "nope" (scenes: gqa' render nope -o "$o"
# What the user typed is quoted with its control characters escaped: one line, no escapes.
expect 3 'unknown scene "a\x1B[2J\x0Ab"' render $'a\x1b[2J\nb' -o "$o"
expect 2 'must end in .mp4' render gqa -o "$OUT/x.avi"
expect 2 'unknown option --bogus' render gqa --bogus -o "$o"
expect 2 '--size must be WxH with even numbers' render gqa --size 321x180 -o "$o"
expect 2 '--size must be WxH' render gqa --size 0x0 -o "$o"
expect 2 '--size must be WxH' render gqa --size 99999x99999 -o "$o"
expect 2 '--size must be WxH' render gqa --size 640x360x2 -o "$o"
expect 2 '--fps must be a whole number from 1 to 240' render gqa --fps 0 -o "$o"
expect 2 '--fps must be' render gqa --fps 241 -o "$o"
expect 2 '--fps must be' render gqa --fps 3.5 -o "$o"
expect 2 '--fps must be' render gqa --fps 99999999999999999999 -o "$o"
expect 2 'unknown quality "z"' render gqa -q z -o "$o"
expect 2 '--speed must be a number' render gqa --speed 0 -o "$o"
expect 2 '--speed must be a number' render gqa --speed nan -o "$o"
expect 2 '--phase must be NAME=LEN' render gqa --phase diagram -o "$o"
expect 2 'would be -0.790 s long (it is 9.210 s)' render gqa --phase diagram=-10 -o "$o"
expect 2 'a length must be seconds' render gqa --phase diagram=inf -o "$o"
expect 2 '--phase must be NAME=LEN' render gqa --phase =3 -o "$o"
expect 3 'unknown phase "bogus" (phases: diagram' render gqa --phase bogus=3 -o "$o"
expect 3 'has no parameter "nope"' render gqa --set nope=1 -o "$o"
expect 2 '--set must be NAME=VALUE' render gqa --set novalue -o "$o"
expect 2 '--crf must be' render gqa --crf 52 -o "$o"
expect 2 '--workers must be' render gqa --workers 0 -o "$o"
expect 2 '-o needs a value' render gqa -o
expect 4 "$OUT/missing" render gqa -q l -o "$OUT/missing/x.mp4"
touch "$OUT/file"
expect 4 "file' is not a folder" render gqa -q l -o "$OUT/file/x.mp4"
# A folder that exists but takes no files is not called missing.
expect 4 "cannot create files in folder '/proc'" render gqa -q l -o /proc/x.mp4
mkdir -p "$OUT/folder"
expect 4 "folder': Is a directory" render gqa -q l --pacing "$OUT/folder" -o "$o"
expect 2 "missing --at WHEN or --frame N" still gqa -o "$OUT/x.png"
expect 2 '--at must be SECONDS, PHASE, PHASE+SECONDS or end' still gqa --at -1 -o "$OUT/x.png"
expect 3 '--at: unknown phase "soon"' still gqa --at soon -o "$OUT/x.png"
expect 3 'past the end of gqa' still gqa --at 100000 -o "$OUT/x.png"
expect 2 'must end in .png' still gqa --at 1 -o "$OUT/x.jpg"
AVZ_FONT_DIR=$OUT/nofonts expect 4 "$OUT/nofonts (AVZ_FONT_DIR): No such file" render gqa -q l -o "$o"
AVZ_FONT_DIR=$OUT/file expect 4 "(AVZ_FONT_DIR) is not a folder" render gqa -q l -o "$o"

# NaN, infinite, huge, overflowing, negative and empty values.
expect 2 '--fps must be' render gqa --fps nan -o "$o"
expect 2 '--fps must be' render gqa --fps -1 -o "$o"
expect 2 '--fps must be' render gqa --fps '' -o "$o"
expect 2 '--size must be WxH' render gqa --size '' -o "$o"
expect 2 '--size must be WxH' render gqa --size -16x16 -o "$o"
expect 2 '--size must be WxH' render gqa --size 2147483648x16 -o "$o"
expect 2 '--size must be WxH' render gqa --size 4294967312x4294967312 -o "$o"
expect 2 '--speed must be a number' render gqa --speed 1e309 -o "$o"
expect 2 '--speed must be a number' render gqa --speed -1 -o "$o"
expect 2 '--speed must be a number' render gqa --speed '' -o "$o"
expect 2 'a length must be seconds' render gqa --phase diagram=nan -o "$o"
expect 2 'a length must be seconds' render gqa --phase diagram=1e400 -o "$o"
expect 2 'would be 3600.0001 s long, more than the 3600 s a phase may last' render gqa --phase diagram=3600.0001 -o "$o"
expect 2 '--phase must be NAME=LEN' render gqa --phase diagram= -o "$o"
expect 2 '--phase must be NAME=LEN' render gqa --phase "dia gram=3" -o "$o"
expect 2 'a length must be seconds' render gqa --phase diagram=0 -o "$o"
expect 2 'a length must be seconds' render gqa --phase diagram=0x10 -o "$o"
expect 2 '--set must be NAME=VALUE' render gqa --set =1 -o "$o"
# An empty value is malformed, as on a --params line.
expect 2 '--set must be NAME=VALUE, not "kv_heads= "' render gqa --set "kv_heads= " -o "$o"
expect 2 '--audio-fade shapes a soundtrack: give --audio FILE too' render gqa --audio-fade 2 -o "$o"
expect 2 '--audio-volume shapes a soundtrack' render gqa --audio-volume -3 -o "$o"
expect 2 '--audio-offset shapes a soundtrack' concat "$OUT/p1.mp4" --audio-offset 1 -o "$o"
many_sets=()
for i in $(seq 65); do many_sets+=(--set "hidden=$i"); done
expect 2 'at most 64 --set options' render gqa "${many_sets[@]}" -o "$o"
expect 3 'parameter hidden must be a whole number' render gqa --set hidden=nan -o "$o"
expect 3 'parameter hidden must be a whole number' render gqa --set hidden=1e3 -o "$o"
expect 3 'parameter hidden must be a whole number' render gqa --set hidden=-1 -o "$o"
expect 3 'parameter layers must be' render gqa --set layers=99999999999999999999 -o "$o"
expect 3 'parameter seed must be' render gqa --set seed=-1 -o "$o"
expect 2 '--set must be NAME=VALUE, not "tokens="' render gqa --set tokens= -o "$o"
printf 'hidden=64\001\n' >"$OUT/control.params"
expect 2 'control.params:1: holds the control character U+0001' render gqa --params "$OUT/control.params" -o "$o"
printf 'hidden=\300\n' >"$OUT/latin1.params"
expect 2 'latin1.params:1: not valid UTF-8 text' render gqa --params "$OUT/latin1.params" -o "$o"
expect 2 '--workers must be' render gqa --workers 65 -o "$o"
expect 2 '--crf must be' render gqa --crf nan -o "$o"
expect 3 '--at: unknown phase "nan"' still gqa --at nan -o "$OUT/x.png"
expect 2 '--at must be SECONDS' still gqa --at 1e309 -o "$OUT/x.png"
expect 3 'unknown scene ""' render '' -o "$o"
expect 2 '-o needs a file name' render gqa -o ''
expect 2 "unknown x264 preset 'bogus'" render gqa --preset bogus -o "$o"
# Requests that cannot finish fail up front: an hour-long phase at 8192x8192 and 240 fps.
expect 2 'pixels to render' render gqa --size 8192x8192 --fps 240 --phase diagram=3600 -o "$o"
expect 2 '--memory 64 shared by --jobs 64 leaves each piece 1 MiB' render gqa --jobs 64 --memory 64 -o "$o"
expect 2 'at most 1000000 are allowed' render gqa --size 16x16 --fps 240 --speed 0.01 -o "$o"
ln -sfn "$OUT/nowhere" "$OUT/dangling"
expect 4 "dangling: it is a symlink to nothing" render gqa -q l -o "$OUT/dangling/%04d.png"
rm "$OUT/dangling"

# Bytes that are not UTF-8 and bidirectional overrides in a quoted word are escaped.
expect 3 'unknown scene "bad\xFFname\u202Eevil"' render $'bad\xffname\xe2\x80\xaeevil' -o "$o"

# A message quoting a very long word (a path, a value) shortens it in its middle, so that the
# reason after it is never cut off.
long=$(printf 'x%.0s' $(seq 3000))
deep=$OUT/$(printf 'xd/%.0s' $(seq 1500))x.mp4
for args in "render gqa -o $OUT/$long.mp4|is longer than 255 bytes" \
  "render gqa -o $deep|File name too long" "still gqa --at $long -o $OUT/x.png|or end, not" \
  "render gqa --set $long=1 -o $OUT/x.mp4|(parameters:" "render $long -o $OUT/x.mp4|(scenes:"; do
  err=$(eval '"$AVZ" '"${args%|*}" 2>&1 >/dev/null || true)
  [ "${#err}" -lt 700 ] || fail "${args:0:30}...: a message of ${#err} bytes"
  grep -qF -- "${args#*|}" <<<"$err" || fail "${args:0:30}...: the reason is cut off: ${err: -80}"
done

# A failed render leaves the previous file byte for byte.
echo "previous good video" >"$OUT/keep.mp4"
cp "$OUT/keep.mp4" "$OUT/keep.orig"
"$AVZ" render gqa --phase bogus=1 -o "$OUT/keep.mp4" 2>/dev/null && fail "bad phase accepted"
cmp -s "$OUT/keep.mp4" "$OUT/keep.orig" || fail "a failed render changed the previous file"

# Interrupted half-way: exit 5, the previous file intact, no temporary file left.
status=$(interrupt INT 1.5 render gqa -q m -o "$OUT/keep.mp4" --quiet)
[ "$status" -eq 5 ] || fail "SIGINT: exit $status, expected 5 ($(cat "$OUT/interrupt.err"))"
grep -q "interrupted" "$OUT/interrupt.err" || fail "SIGINT: no message"
cmp -s "$OUT/keep.mp4" "$OUT/keep.orig" || fail "SIGINT changed the previous file"
[ -z "$(find "$OUT" -name '.keep.mp4*')" ] || fail "SIGINT left a temporary file"
finish
