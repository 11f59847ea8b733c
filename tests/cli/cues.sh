#!/usr/bin/env bash
# Narration cues: phases --format audacity and vtt read back with --cues give the same
# phases; cues set where phases begin (and "end" where the video ends); a narration with a
# click at each cue, rendered with --audio and --cues, has each click within a frame of its
# phase's first frame; and every bad cue is refused with one line.
source "$(dirname "$0")/lib.sh" "$@"
args=(gqa -q l --speed 4)
# phase_col TABLE NAME COLUMN
phase_col() { awk -v n="$2" -v c="$3" '$1 == n { print $c }' <<<"$1"; }

# Round trips.
plain=$("$AVZ" phases "${args[@]}")
"$AVZ" phases "${args[@]}" --format audacity >labels.txt || fail "phases --format audacity"
"$AVZ" phases "${args[@]}" --format vtt >labels.vtt || fail "phases --format vtt"
head -1 labels.vtt | grep -qx WEBVTT || fail "phases --format vtt is not WebVTT"
[ "$(wc -l <labels.txt)" -eq "$(($(wc -l <<<"$plain") - 1))" ] || fail "a label per phase and the end"
[ "$("$AVZ" phases "${args[@]}" --cues labels.txt)" = "$plain" ] || fail "audacity labels do not round-trip"
[ "$("$AVZ" phases "${args[@]}" --cues labels.vtt)" = "$plain" ] || fail "WebVTT cues do not round-trip"

# Cues decide: rope at 3 s, sdpa at 9 s, the end at 24 s; the phases between keep their lengths.
printf 'rope\t3.0\nsdpa\t9.0\nend\t24.0\n' | awk -F'\t' '{ printf "%s\t%s\t%s\n", $2, $2, $1 }' >cued.txt
printf '\\ 1.0 2.0\n' >>cued.txt # an Audacity spectral line, skipped
cued=$("$AVZ" phases "${args[@]}" --cues cued.txt) || fail "phases --cues"
[ "$(phase_col "$cued" rope 2)" = 3.000 ] || fail "rope starts at $(phase_col "$cued" rope 2), not 3"
[ "$(phase_col "$cued" sdpa 2)" = 9.000 ] || fail "sdpa starts at $(phase_col "$cued" sdpa 2), not 9"
[ "$(phase_col "$cued" total 3)" = 24.000 ] || fail "the video ends at $(phase_col "$cued" total 3)"
for p in gqa-ratio heatmap; do
  [ "$(phase_col "$cued" $p 4)" = "$(phase_col "$plain" $p 4)" ] || fail "$p's length changed"
done
# They win over --phase for the phases they decide; --speed scales what they leave.
[ "$("$AVZ" phases "${args[@]}" --cues cued.txt --phase diagram=9)" = "$cued" ] ||
  fail "--phase won over a cue"

# A narration: a click at each cue; with --audio and --cues each lands on its phase.
"$TOOLS/avz_clicks" voice.wav 44100 24 3.0 9.0
"$AVZ" render "${args[@]}" --cues cued.txt --audio voice.wav -o narrated.mp4 --quiet ||
  fail "render --cues --audio"
clicks=$("$TOOLS/avz_probe" narrated.mp4 --list-clicks | awk '$1 == "click" { print $2 }')
for p in rope sdpa; do
  chapter=$(phase_col "$cued" $p 7)
  awk -v c="$chapter" -v list="$clicks" 'BEGIN { n = split(list, t, "\n");
    for (i = 1; i <= n; i++) { d = t[i] - c; if (d < 0) d = -d; if (d <= 1 / 15) exit 0 } exit 1 }' ||
    fail "no click within a frame of $p's first frame ($chapter s): $(echo $clicks)"
done

# Bad cues: one line each, naming the file and line.
printf '0\t0\tdiagram\n4\t4\tropee\n' >unknown.txt
printf '3\t3\trope\n5\t5\trope\n' >twice.txt
printf '3\t3\tsdpa\n9\t9\trope\n' >order.txt
printf '0\t0\trope\n' >squeezed.txt
printf '0.01\t0.01\trope\n' >short.txt
printf '1\t1\tdiagram\n' >first.txt
printf 'rope at three\n' >malformed.txt
printf 'WEBVTT\n\n00:03.000 --> 00:04.000\n\n' >nolabel.vtt
printf 'WEBVTT\n\n00:03 --> 00:04\nrope\n' >badtime.vtt
: >empty.txt
printf 'WEBVTT\n\nNOTE nothing cued yet\n' >empty.vtt
expect 3 'unknown.txt:2: unknown phase "ropee"' phases "${args[@]}" --cues unknown.txt
expect 3 "twice.txt:2: rope is cued twice (also on line 1)" phases "${args[@]}" --cues twice.txt
expect 3 "order.txt:1: the cues are out of order: sdpa at 3.000 s plays after rope, cued at 9.000 s" phases "${args[@]}" --cues order.txt
expect 3 "squeezed.txt:1: rope at 0.000 s leaves no time for diagram" phases "${args[@]}" --cues squeezed.txt
expect 3 "phase diagram is 0.0100 s long: at 15 fps no frame shows it" render "${args[@]}" --cues short.txt -o x.mp4
expect 3 "first.txt:1: diagram is the first phase" phases "${args[@]}" --cues first.txt
expect 2 "malformed.txt:1: expected START<TAB>END<TAB>LABEL" phases "${args[@]}" --cues malformed.txt
expect 2 "nolabel.vtt:3: a cue without a phase name" phases "${args[@]}" --cues nolabel.vtt
expect 2 "badtime.vtt:3: not a WebVTT time" phases "${args[@]}" --cues badtime.vtt
# Times that would wrap round (2^32 hours), signs and spaces are not times; a cue that would
# make a phase longer than --phase allows (an hour) is refused like --phase.
for t in 4294967296:00:05.000 -1:00:05.000 "+00:05.000" 00:05.0000 00:60.000; do
  printf 'WEBVTT\n\n%s --> 99:00:00.000\nrope\n' "$t" >wrap.vtt
  expect 2 "wrap.vtt:3: not a WebVTT time" phases "${args[@]}" --cues wrap.vtt
done
printf '3601\t3601\trope\n' >long.txt
expect 3 'long.txt: phase "diagram" needs a length above 0 and at most 3600 s' phases "${args[@]}" --cues long.txt
expect 4 "cannot read 'xnone.txt'" render "${args[@]}" --cues xnone.txt -o x.mp4
expect 2 "'empty.txt' holds no cues (an Audacity label: START<TAB>END<TAB>LABEL)" render "${args[@]}" --cues empty.txt -o x.mp4
expect 2 "'empty.vtt' holds no cues" phases "${args[@]}" --cues empty.vtt
expect 2 "--format must be text, audacity or vtt" phases "${args[@]}" --format srt
finish
