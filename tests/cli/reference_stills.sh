#!/usr/bin/env bash
# Stills at the reference times look like the original's frames (../shared/reference/).
# Each still has its own tolerance: about 25% above what attnviz measured when it matched,
# so that a missing or misplaced element fails. What remains is mostly the original's uneven
# letter spacing in small labels (hinting at tiny sizes), which attnviz does not copy.
#   mean: mean absolute difference per channel (of 255); bad: fraction of pixels off by > 64
source "$(dirname "$0")/lib.sh" "$@"
if [ ! -d "$REF" ]; then
  echo "reference stills not found at $REF: skipped"
  exit 77
fi
# The original rounds every animation up to whole frames and ends 0.24 s later; a still past
# our end shows our last frame.
total=$("$AVZ" phases gqa | awk '$1 == "total" { print $3 - 0.001 }')
#        still                              mean   bad
while read -r name max_mean max_bad; do
  ref=$REF/$name.png
  [ -f "$ref" ] || { fail "reference $ref missing"; continue; }
  t=$(sed -E 's/^t0*([0-9]+\.[0-9]+)_.*/\1/' <<<"$name")
  t=$(awk -v t="$t" -v d="$total" 'BEGIN { print (t < d) ? t : d }')
  "$AVZ" still gqa --at "$t" -o "$OUT/$name.png" || { fail "still at $t"; continue; }
  "$TOOLS/avz_imgdiff" "$OUT/$name.png" "$ref" --max-mean "$max_mean" --max-bad "$max_bad" \
    --diff "$OUT/$name.diff.png" || fail "$name differs from the original"
done <<'TABLE'
t009.10_gqa-diagram                         1.15   0.0070
t012.00_rope-highlight                      1.60   0.0095
t016.50_gqa-6to1-highlight                  1.70   0.0115
t021.50_repeatkv-highlight                  1.35   0.0080
t037.00_sdpa-formula-four-steps             2.95   0.0180
t044.80_heatmap-before-mask                 0.90   0.0030
t047.80_heatmap-after-causal-softmax        0.90   0.0042
t052.50_heatmap-diagonal-highlight          1.00   0.0050
t071.20_gen-step3-distribution-kvcache      0.92   0.0052
t088.65_last-frame                          1.00   0.0050
TABLE
finish
