#!/usr/bin/env bash
# End to end: render the gqa scene at low quality and check the file with libavformat:
# codec, size, pixel format, frame count, duration, BT.709 tags and one chapter per phase.
source "$(dirname "$0")/lib.sh" "$@"

table=$("$AVZ" phases gqa)
total=$(awk '$1 == "total" { print $3 }' <<<"$table")
names=$(awk 'NR > 1 && $1 != "total" { print $1 }' <<<"$table" | paste -sd, -)
count=$(awk -F, '{ print NF }' <<<"$names")
frames=$(awk -v d="$total" 'BEGIN { printf "%d", d * 15 + 0.5 }')
duration=$(awk -v f="$frames" 'BEGIN { printf "%.6f", f / 15 }')

"$AVZ" render gqa -q l -o "$OUT/gqa.mp4" --quiet || fail "render exited $?"
"$TOOLS/avz_probe" "$OUT/gqa.mp4" --codec h264 --size 854x480 --pix-fmt yuv420p \
  --frames "$frames" --duration "$duration" --bt709 --chapters "$count" \
  --chapter-titles "$names" || fail "probe of the full render"

# A preview encodes with x264 ultrafast (its options travel in the stream's first SEI) unless
# --preset says otherwise.
grep -aq 'subme=0 ' "$OUT/gqa.mp4" || fail "-q l did not encode with ultrafast"
"$AVZ" render gqa -q l --preset medium --only rope -o "$OUT/medium.mp4" --quiet || fail "medium"
grep -aq 'subme=7 ' "$OUT/medium.mp4" || fail "--preset medium did not win over -q l"

# Pacing: stretching the first phase by 2 s adds 2 s (30 frames) and shifts the rest.
first=$(cut -d, -f1 <<<"$names")
first_len=$(awk -v n="$first" '$1 == n { print $4 }' <<<"$table")
longer=$(awk -v a="$first_len" 'BEGIN { printf "%.3f", a + 2 }')
"$AVZ" render gqa -q l --phase "$first=$longer" -o "$OUT/paced.mp4" --quiet || fail "paced render"
"$TOOLS/avz_probe" "$OUT/paced.mp4" --frames $((frames + 30)) --chapters "$count" \
  || fail "probe of the paced render"

# A custom size and frame rate.
"$AVZ" render gqa --size 320x180 --fps 10 --speed 4 -o "$OUT/small.mp4" --quiet || fail "small"
small_frames=$(awk -v d="$total" 'BEGIN { printf "%d", d / 4 * 10 + 0.5 }')
"$TOOLS/avz_probe" "$OUT/small.mp4" --size 320x180 --frames "$small_frames" --bt709 \
  || fail "probe of the small render"
finish
