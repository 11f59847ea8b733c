#!/usr/bin/env bash
# attnviz draws only with the fonts it ships: with every system font directory hidden (an
# empty tmpfs mounted over each, in a private mount namespace) and fontconfig pointed at
# nothing, a still of each scene is byte-identical to one drawn normally.
source "$(dirname "$0")/lib.sh" "$@"
if ! unshare -m true 2>/dev/null; then
  echo "cannot create a mount namespace here (needs root or user namespaces): skipped"
  exit 77
fi
hide='for d in /usr/share/fonts /usr/local/share/fonts /usr/share/texmf /usr/share/texlive; do
        [ -d "$d" ] && mount -t tmpfs none "$d"; done; exec "$@"'
for scene in $("$AVZ" list | awk 'NR > 1 { print $1 }'); do
  total=$("$AVZ" phases "$scene" | awk '$1 == "total" { print $3 }')
  for t in $(awk -v d="$total" 'BEGIN { print d * 0.3, d * 0.6, d * 0.95 }'); do
    "$AVZ" still "$scene" --at "$t" --size 640x360 -o "$OUT/$scene-$t.png" \
      || fail "$scene at $t"
    FONTCONFIG_FILE=/dev/null HOME=/nonexistent unshare -m bash -c "$hide" _ \
      "$AVZ" still "$scene" --at "$t" --size 640x360 -o "$OUT/$scene-$t-hidden.png" \
      || fail "$scene at $t with system fonts hidden"
    cmp -s "$OUT/$scene-$t.png" "$OUT/$scene-$t-hidden.png" \
      || fail "$scene at $t differs with system fonts hidden"
  done
done
finish
