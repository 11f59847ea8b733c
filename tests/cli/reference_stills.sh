#!/usr/bin/env bash
# Stills at the reference times look like the original's frames (../shared/reference/).
# Tolerance: mean absolute difference per channel at most 2.0 (of 255) and at most 1.5% of
# pixels off by more than 64. The remaining difference is the original's uneven letter
# spacing in small labels, which attnviz does not copy.
source "$(dirname "$0")/lib.sh" "$@"
if [ ! -d "$REF" ]; then
  echo "reference stills not found at $REF: skipped"
  exit 77
fi
# The original rounds every animation up to whole frames and so ends 0.24 s later; a still
# past our end shows our last frame.
total=$("$AVZ" phases gqa | awk '$1 == "total" { print $3 }')
for ref in "$REF"/t0*.png; do
  name=$(basename "$ref" .png)
  t=$(sed -E 's/^t0*([0-9]+\.[0-9]+)_.*/\1/' <<<"$name")
  t=$(awk -v t="$t" -v d="$total" 'BEGIN { print (t < d) ? t : d }')
  case "$name" in
    *gqa-diagram|*rope-highlight|*6to1-highlight|*repeatkv-highlight) ;;
    *) [ -n "${AVZ_ALL_REFERENCES:-}" ] || continue ;;
  esac
  "$AVZ" still gqa --at "$t" -o "$OUT/$name.png" || { fail "still at $t"; continue; }
  "$TOOLS/avz_imgdiff" "$OUT/$name.png" "$ref" --max-mean 2.0 --max-bad 0.015 \
    --diff "$OUT/$name.diff.png" || fail "$name differs from the original"
done
finish
