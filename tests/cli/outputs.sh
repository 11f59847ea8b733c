#!/usr/bin/env bash
# Outputs by extension (.mp4 .webm .mov .gif, PNG sequences), --transparent, --chapters,
# --json and render --all: what lands in each file, the same bytes for any --workers, and
# one clear error with no output for everything a format cannot do.
source "$(dirname "$0")/lib.sh" "$@"
small=(--size 160x90 --fps 10 --quiet)

table=$("$AVZ" phases gqa)
names=($(awk 'NR > 1 && $1 != "total" { print $1 }' <<<"$table"))
second=${names[1]}
total=$(awk '$1 == "total" { print $3 }' <<<"$table")
s=$(awk -v n="$second" '$1 == n { print $2 }' <<<"$table")
e=$(awk -v n="$second" '$1 == n { print $3 }' <<<"$table")
part=$(($(frames_at "$e" 10) - $(frames_at "$s" 10)))
probe() { "$TOOLS/avz_probe" "$@" >/dev/null || fail "$("$TOOLS/avz_probe" "$@")"; }

# ── Each format: codec, pixel format, alpha, frames; the same bytes for 1 and 3 workers ──
for w in 1 3; do
  for out in v.mp4 v.webm t.webm v.mov t.mov v.gif; do
    flags=()
    [[ $out == t.* ]] && flags=(--transparent)
    "$AVZ" render gqa "${small[@]}" --only "$second" "${flags[@]}" --workers "$w" \
      -o "$OUT/w$w-$out" || fail "render $out with $w workers"
  done
done
for out in v.mp4 v.webm t.webm v.mov t.mov v.gif; do
  cmp -s "$OUT/w1-$out" "$OUT/w3-$out" || fail "$out differs between 1 and 3 workers"
done
probe "$OUT/w1-v.mp4" --codec h264 --pix-fmt yuv420p --bt709 --opaque --frames "$part" --chapters 1
probe "$OUT/w1-v.webm" --codec vp9 --pix-fmt yuv420p --bt709 --opaque --frames "$part" \
  --chapter-titles "$second"
probe "$OUT/w1-t.webm" --codec vp9 --size 160x90 --bt709 --alpha --frames "$part"
probe "$OUT/w1-v.mov" --codec prores --opaque --bt709 --frames "$part" --chapters 0
probe "$OUT/w1-t.mov" --codec prores --alpha --bt709 --frames "$part"
# GIF delays are whole hundredths: 10 fps plays exactly; without --fps, -q l's 15 becomes 10.
probe "$OUT/w1-v.gif" --codec gif --size 160x90 --frames "$part"
"$AVZ" render gqa -q l --speed 8 --quiet -o "$OUT/q.gif" || fail "gif at -q l"
probe "$OUT/q.gif" --size 854x480 --frames "$(frames_at "$(awk -v t="$total" 'BEGIN { print t / 8 }')" 10)"
"$AVZ" render gqa --size 160x90 --fps 25 --speed 8 --quiet -o "$OUT/f25.gif" || fail "gif at 25"

# ── PNG sequences: numbered by frame, frame N is the still at N / fps, alpha on request ──
mkdir -p "$OUT/seq" "$OUT/tseq"
"$AVZ" render gqa "${small[@]}" --only "$second" --start-number source -o "$OUT/seq/f%05d.png" \
  || fail "sequence"
[ "$(ls "$OUT/seq" | wc -l)" -eq "$part" ] || fail "sequence: $(ls "$OUT/seq" | wc -l) files, expected $part"
n=$(($(frames_at "$s" 10) + 3))
"$AVZ" still gqa --size 160x90 --fps 10 --at "$(awk -v n="$n" 'BEGIN { print n / 10 }')" -o "$OUT/still.png"
# The same pixels; stills are compressed harder, so the bytes differ.
"$TOOLS/avz_imgdiff" "$OUT/still.png" "$OUT/seq/$(printf 'f%05d.png' "$n")" --max-mean 0 \
  --max-bad 0 --threshold 0 >/dev/null || fail "frame $n differs from its still"
probe "$OUT/seq/$(printf 'f%05d.png' "$n")" --opaque
"$AVZ" render gqa "${small[@]}" --only "$second" --transparent --start-number source \
  -o "$OUT/tseq/%d.png" || fail "transparent sequence"
probe "$OUT/tseq/$n.png" --alpha
"$AVZ" still gqa --size 160x90 --at 1 --transparent -o "$OUT/tstill.png" || fail "transparent still"
probe "$OUT/tstill.png" --alpha
[ -z "$(find "$OUT" -name '.*.png.*')" ] || fail "temporary files left behind"

# ── --chapters FILE.vtt and --json ─────────────────────────────────────────────────────
json=$("$AVZ" render gqa "${small[@]}" --chapters "$OUT/c.vtt" --json -o "$OUT/j.mp4") \
  || fail "render --chapters --json"
head -1 "$OUT/c.vtt" | grep -qx WEBVTT || fail "c.vtt does not start with WEBVTT"
[ "$(grep -c -- ' --> ' "$OUT/c.vtt")" -eq "${#names[@]}" ] || fail "c.vtt: not a cue per phase"
# Chapters lie on the frame grid: the first ends at the first frame of the second phase.
grep -qx "00:00:00.000 --> $(awk -v f="$(frames_at "$s" 10)" 'BEGIN { printf "00:00:%06.3f", f / 10 }')" \
  "$OUT/c.vtt" || fail "c.vtt: the first cue does not end where $second starts"
grep -qx "$second" "$OUT/c.vtt" || fail "c.vtt lacks the title $second"
[ "$(printf '%s\n' "$json" | wc -l)" -eq 1 ] || fail "--json is not one line: $json"
for key in '"scene":"gqa"' "\"file\":\"$OUT/j.mp4\"" "\"frames\":$(frames_at "$total" 10)" \
  '"fps":10' '"duration":' '"wall":' '"render_fps":'; do
  grep -qF "$key" <<<"$json" || fail "--json lacks $key: $json"
done

# ── render --all ───────────────────────────────────────────────────────────────────────
mkdir -p "$OUT/all" "$OUT/allwebm"
"$AVZ" render --all "${small[@]}" --speed 4 -o "$OUT/all" || fail "render --all"
scenes=$("$AVZ" list | awk 'NR > 1 { print $1 }')
for scene in $scenes; do
  probe "$OUT/all/$scene.mp4" --codec h264
done
[ "$(ls "$OUT/all" | wc -l)" -eq "$(wc -w <<<"$scenes")" ] || fail "--all: not one file per scene"
"$AVZ" render --all "${small[@]}" --speed 4 --format webm --json -o "$OUT/allwebm" >"$OUT/all.json" \
  || fail "render --all --format webm"
[ "$(wc -l <"$OUT/all.json")" -eq "$(wc -w <<<"$scenes")" ] || fail "--all --json: not a line per scene"
probe "$OUT/allwebm/gqa.webm" --codec vp9

# ── Errors: one line, the documented code, no file ────────────────────────────────────
o=$OUT/x.mp4
expect 2 'must end in .mp4, .webm, .mov or .gif, or be a PNG sequence' render gqa -o "$OUT/x.avi"
expect 2 'must end in .mp4' render gqa -o "$OUT/x%d%d.png"
expect 2 'must end in .mp4' render gqa -o "$OUT/x%s.png"
expect 2 'H.264/MP4 cannot carry transparency' render gqa --transparent -o "$o"
expect 2 'GIF cannot carry transparency' render gqa --transparent -o "$OUT/x.gif"
expect 2 'crf and preset apply to H.264 (.mp4) only' render gqa --crf 20 -o "$OUT/x.webm"
expect 2 'crf and preset apply to H.264 (.mp4) only' render gqa --preset fast -o "$OUT/x%03d.png"
expect 2 "unknown x264 preset 'warp'" render gqa --preset warp -o "$o"
expect 2 'a GIF cannot play 60 frames per second exactly' render gqa --fps 60 -o "$OUT/x.gif"
expect 2 "chapters file '$OUT/x.txt' must end in .vtt" render gqa --chapters "$OUT/x.txt" -o "$o"
expect 4 "$OUT/missing" render gqa "${small[@]}" --chapters "$OUT/missing/x.vtt" -o "$o"
expect 2 '--transparent does not apply to' storyboard gqa --transparent -o "$OUT/x.png"
expect 2 '--transparent does not apply to' list --transparent
expect 2 '--all renders every scene; give no SCENE' render gqa --all -o "$OUT"
expect 2 'are for one scene' render --all --phase "$second=2" -o "$OUT"
expect 2 'are for one scene' render --all --only "$second" -o "$OUT"
expect 2 '--format must be mp4, webm, mov, gif or png' render --all --format avi -o "$OUT"
expect 2 '--all writes mp4, webm, mov or gif, not png' render --all --format png -o "$OUT"
expect 2 '--format goes with --all' render gqa --format webm -o "$o"
touch "$OUT/notdir"
expect 4 "-o $OUT/notdir is not a folder" render --all -o "$OUT/notdir"

# A PNG sequence or --all may write into a folder that does not exist yet: it is made, and
# removed again when the render fails.
"$AVZ" render gqa "${small[@]}" --only "$second" -o "$OUT/new/deeper/%04d.png" \
  || fail "a sequence into a new folder"
[ "$(ls "$OUT/new/deeper" | wc -l)" -eq "$part" ] || fail "the new folder lacks the frames"
"$AVZ" render gqa "${small[@]}" --phase bogus=1 -o "$OUT/gone/%04d.png" 2>/dev/null \
  && fail "bad phase accepted"
[ ! -e "$OUT/gone" ] || fail "a failed sequence left the folder it made"
"$AVZ" render --all "${small[@]}" --speed 8 --preset nope -o "$OUT/gone2" 2>/dev/null \
  && fail "bad preset accepted"
[ ! -e "$OUT/gone2" ] || fail "a failed --all left the folder it made"
# The JSON of a still says which frame it is.
j=$("$AVZ" still gqa --size 160x90 --fps 10 --at 1.04 --json -o "$OUT/j.png") || fail "still --json"
grep -qF '"frame":10,"time":1,' <<<"$j" || fail "still --json: $j"

# A failed render of any kind leaves the previous output as it was.
for kind in webm mov gif; do
  echo "previous good $kind" >"$OUT/keep.$kind"
  "$AVZ" render gqa --phase bogus=1 -o "$OUT/keep.$kind" 2>/dev/null && fail "bad phase accepted"
  grep -qx "previous good $kind" "$OUT/keep.$kind" || fail "a failed render changed keep.$kind"
done
mkdir -p "$OUT/keepseq"
echo "previous frame" >"$OUT/keepseq/0000.png"
"$AVZ" render gqa --size 640x360 --quiet -o "$OUT/keepseq/%04d.png" 2>/dev/null &
pid=$!
sleep 1
kill -INT "$pid"
status=0
wait "$pid" || status=$?
[ "$status" -eq 5 ] || fail "SIGINT during a sequence: exit $status, expected 5"
[ "$(ls -A "$OUT/keepseq")" = "0000.png" ] || fail "an interrupted sequence left files: $(ls -A "$OUT/keepseq")"
grep -qx "previous frame" "$OUT/keepseq/0000.png" || fail "an interrupted sequence replaced a frame"
finish
