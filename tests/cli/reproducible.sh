#!/usr/bin/env bash
# The same scene and flags give the same bytes, whatever the number of drawing workers.
source "$(dirname "$0")/lib.sh" "$@"
for w in 1 2 3; do
  "$AVZ" render gqa --size 320x180 --fps 10 --workers "$w" -o "$OUT/w$w.mp4" --quiet \
    || fail "render with $w workers"
done
cmp "$OUT/w1.mp4" "$OUT/w2.mp4" || fail "1 and 2 workers differ"
cmp "$OUT/w1.mp4" "$OUT/w3.mp4" || fail "1 and 3 workers differ"
"$AVZ" still gqa --at 16.5 --size 640x360 -o "$OUT/a.png" || fail "still a"
"$AVZ" still gqa --at 16.5 --size 640x360 -o "$OUT/b.png" || fail "still b"
cmp "$OUT/a.png" "$OUT/b.png" || fail "stills differ"
finish
