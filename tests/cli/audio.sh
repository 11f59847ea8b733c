#!/usr/bin/env bash
# Soundtracks: AAC in .mp4 and .mov, Opus in .webm, 48 kHz, as long as the video; a click at
# each phase's start lands on the phase's first frame (so the encoders' delay is accounted
# for), after an offset too; gain and fade; silence after a short file; a part's clicks where
# the whole has them; hash covers the samples; a joined video's soundtrack (concat --audio,
# --jobs) in sync; and every bad input refused with one line.
source "$(dirname "$0")/lib.sh" "$@"
PATH=$(dirname "$AVZ"):$PATH # plan's commands name attnviz
args=(gqa -q l --speed 4)
table=$("$AVZ" phases "${args[@]}")
mapfile -t starts < <(awk 'NR > 1 && $1 != "total" { print $7 }' <<<"$table")
total=$(awk '$1 == "total" { print $3 }' <<<"$table")
frames=$(frames_at "$total" 15)

"$TOOLS/avz_clicks" clicks.wav 44100 60 "${starts[@]}"
"$TOOLS/avz_clicks" short.wav 44100 2 0.5
"$TOOLS/avz_clicks" tone.wav 48000 60 --tone
"$TOOLS/avz_clicks" empty.wav 48000 0

# clicks_at FILE SHIFT TIME...: FILE's clicks are the TIMEs plus SHIFT (those within the
# video), each within 5 ms (an AAC frame of priming, missed, is 21 ms; Opus's 6.5 ms).
clicks_at() {
  local file=$1 shift_by=$2 got want
  shift 2
  got=$("$TOOLS/avz_probe" "$file" --list-clicks | awk '$1 == "click" { print $2 }')
  want=$(printf '%s\n' "$@" | awk -v s="$shift_by" -v end="$total" '$1 + s >= 0 && $1 + s < end - 0.05 { print $1 + s }')
  if [ "$(wc -l <<<"$got")" -ne "$(wc -l <<<"$want")" ]; then
    fail "$file: clicks at $(echo $got), expected $(echo $want)"
    return
  fi
  paste <(echo "$got") <(echo "$want") | awk -v f="$file" '
    { d = $1 - $2; if (d < 0) d = -d; if (d > 0.005) { print "FAIL: " f ": a click at " $1 " s, expected " $2 " s"; bad = 1 } }
    END { exit bad }' >&2 || failures=$((failures + 1))
}

for ext in mp4 webm mov; do
  codec=$([ "$ext" = webm ] && echo opus || echo aac)
  "$AVZ" render "${args[@]}" --audio clicks.wav -o "a.$ext" --quiet || fail "render $ext --audio"
  "$TOOLS/avz_probe" "a.$ext" --frames "$frames" --audio-codec "$codec" --audio-rate 48000 \
    >/dev/null || fail "probe of a.$ext"
  clicks_at "a.$ext" 0 "${starts[@]}"
done
"$AVZ" render "${args[@]}" -o silent.mp4 --quiet
"$TOOLS/avz_probe" silent.mp4 --audio-codec none >/dev/null || fail "a render without --audio has sound"

# Offset (either sign), gain, fade, padding.
"$AVZ" render "${args[@]}" --audio clicks.wav --audio-offset 0.5 -o late.mp4 --quiet
clicks_at late.mp4 0.5 "${starts[@]}"
"$AVZ" render "${args[@]}" --audio clicks.wav --audio-offset -0.25 -o early.mp4 --quiet
clicks_at early.mp4 -0.25 "${starts[@]}"
"$AVZ" render "${args[@]}" --audio clicks.wav --audio-volume -6 -o quiet.mp4 --quiet
peak=$("$TOOLS/avz_probe" quiet.mp4 --list-clicks | awk '$1 == "click" { print $3; exit }')
awk -v p="$peak" 'BEGIN { exit !(p > 0.33 && p < 0.47) }' || fail "-6 dB gave a click of $peak, not 0.4"
"$AVZ" render "${args[@]}" --audio tone.wav -o faded.mp4 --quiet
"$AVZ" render "${args[@]}" --audio tone.wav --audio-fade 0 -o cut.mp4 --quiet
faded=$("$TOOLS/avz_probe" faded.mp4 --audio-tail | awk '$1 == "tail" { print $2 }')
cut=$("$TOOLS/avz_probe" cut.mp4 --audio-tail | awk '$1 == "tail" { print $2 }')
awk -v f="$faded" -v c="$cut" 'BEGIN { exit !(f < 0.05 && c > 0.4) }' ||
  fail "the fade-out: a tail of $faded with the default fade and $cut with none"
"$AVZ" render "${args[@]}" --audio short.wav -o padded.mp4 --quiet
"$TOOLS/avz_probe" padded.mp4 --frames "$frames" --audio-codec aac >/dev/null ||
  fail "a short soundtrack is not padded to the video's length"
clicks_at padded.mp4 0 0.5

# A part carries the whole's clicks there, from the part's start.
heatmap_start=$(awk '$1 == "heatmap" { print $7 }' <<<"$table")
"$AVZ" render "${args[@]}" --only heatmap --audio clicks.wav -o part.mp4 --quiet
part_len=$(awk '$1 == "heatmap" { print $4 }' <<<"$table")
got=$("$TOOLS/avz_probe" part.mp4 --list-clicks | awk '$1 == "click" { print $2 }')
want=$(printf '%s\n' "${starts[@]}" | awk -v a="$heatmap_start" -v l="$part_len" \
  '$1 >= a && $1 < a + l - 0.05 { print $1 - a }')
[ "$(echo $got | awk '{ printf "%.2f", $1 }')" = "$(echo $want | awk '{ printf "%.2f", $1 }')" ] ||
  fail "the part's clicks at $got, expected $want"

# hash covers the soundtrack.
h0=$("$AVZ" hash "${args[@]}" --quiet)
h1=$("$AVZ" hash "${args[@]}" --quiet --audio clicks.wav)
h2=$("$AVZ" hash "${args[@]}" --quiet --audio clicks.wav)
h3=$("$AVZ" hash "${args[@]}" --quiet --audio clicks.wav --audio-volume -1)
[ "$h1" = "$h2" ] || fail "hash --audio differs run to run"
[ "$h0" != "$h1" ] && [ "$h1" != "$h3" ] || fail "hash does not change with the soundtrack"
"$AVZ" render "${args[@]}" --audio clicks.wav -o again.mp4 --quiet
cmp -s a.mp4 again.mp4 || fail "render --audio twice differs"

# A joined video: the pieces have no sound; concat (given it by plan) lays it under all.
"$AVZ" plan "${args[@]}" --quiet --segments 3 --audio clicks.wav -o joined.mp4 >plan.txt
grep -q -- '--audio' <(head -n 3 plan.txt) && fail "plan gave --audio to a piece"
tail -n 1 plan.txt | grep -q -- '--audio clicks.wav' || fail "plan did not give --audio to concat"
sh plan.txt || fail "plan's commands failed"
clicks_at joined.mp4 0 "${starts[@]}"
"$AVZ" render "${args[@]}" --jobs 3 --audio clicks.wav -o jobs.mp4 --quiet
cmp -s joined.mp4 jobs.mp4 || fail "--jobs 3 --audio differs from plan's pieces and concat"

# Bad inputs: one line each, nothing written.
printf 'not a sound\n' >text.txt
expect 2 "has no sound" render "${args[@]}" --audio clicks.wav -o x.gif
expect 2 "has no sound" render "${args[@]}" --audio clicks.wav -o 'x%03d.png'
expect 2 "a piece has no sound" render "${args[@]}" --segment 1/2 --audio clicks.wav -o x.mp4
expect 2 "a piece has no sound" render "${args[@]}" --segment 1/2 --audio-fade 2 -o x.mp4
expect 4 "cannot read the soundtrack 'xnone.wav'" render "${args[@]}" --audio xnone.wav -o x.mp4
expect 3 "'text.txt' holds no audio" render "${args[@]}" --audio text.txt -o x.mp4
# A WAV of its header alone would only pad the video with silence: a broken export.
expect 3 "'empty.wav' holds no sound" render "${args[@]}" --audio empty.wav -o x.mp4
expect 3 "'empty.wav' holds no sound" concat joined-part-*-of-3.mp4 -o x.mp4 --audio empty.wav
expect 2 "--audio-volume must be dB from -60 to 20" render "${args[@]}" --audio clicks.wav --audio-volume 30 -o x.mp4
expect 2 "--audio-fade must be seconds from 0 to 60" render "${args[@]}" --audio clicks.wav --audio-fade -1 -o x.mp4
expect 2 "--audio-offset must be seconds" render "${args[@]}" --audio clicks.wav --audio-offset 1e3 -o x.mp4
expect 2 "is also the --audio file" render "${args[@]}" --audio a.mp4 -o a.mp4
expect 4 "cannot read the soundtrack 'xnone.wav'" concat joined-part-*-of-3.mp4 -o x.mp4 --audio xnone.wav
finish
