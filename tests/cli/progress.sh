#!/usr/bin/env bash
# Progress as people see it: on a terminal (a pseudo-terminal made by script(1)), a bar that
# fits the terminal's width, names the scene, and ends its line before any message, Ctrl-C's
# included; elsewhere, plain lines that name the scene.
source "$(dirname "$0")/lib.sh" "$@"
command -v script >/dev/null || { echo "no script(1): skipped"; exit 77; }
small=(--size 160x90 --fps 10 --speed 4)

# on_tty COLUMNS COMMAND: runs COMMAND on a terminal COLUMNS wide; prints what it wrote.
on_tty() {
  script -qec "stty cols $1 rows 24; $2" /dev/null </dev/null
}
# Each stretch of the output between carriage returns and newlines, without the clear-to-end.
pieces() { sed 's/\x1b\[K//g' | tr '\r' '\n'; }

for cols in 50 100 24; do
  out=$(on_tty "$cols" "'$AVZ' render gqa ${small[*]} -o '$OUT/tty.mp4'" | pieces)
  long=$(awk -v c="$cols" '!/^attnviz: / && length($0) >= c' <<<"$out")
  [ -z "$long" ] || fail "$cols columns: bars as wide as the terminal or wider: $(head -2 <<<"$long")"
  if [ "$cols" -ge 50 ]; then
    grep -q '^gqa \[[#.]*\] [0-9]*/221' <<<"$out" || fail "$cols columns: no bar naming the scene: $(head -3 <<<"$out")"
  fi
  grep -q '^attnviz: wrote .*tty.mp4' <<<"$out" || fail "$cols columns: the summary does not start a line"
done

# Ctrl-C: the message starts a line of its own, after the bar's.
out=$(on_tty 80 "'$AVZ' render gqa -q m -o '$OUT/int.mp4' & pid=\$!; sleep 1.5; kill -INT \$pid; wait \$pid; echo \"exit \$?\"" | pieces)
grep -q '^attnviz: interrupted' <<<"$out" || fail "SIGINT on a terminal: the message does not start a line: $(tail -3 <<<"$out")"
grep -q '^exit 5' <<<"$out" || fail "SIGINT on a terminal: $(tail -1 <<<"$out")"
[ ! -e "$OUT/int.mp4" ] || fail "SIGINT on a terminal left int.mp4"

# --all: each scene's bar names it.
out=$(on_tty 80 "'$AVZ' render --all ${small[*]} -o '$OUT/all'" | pieces)
for scene in $("$AVZ" list | awk 'NR > 1 { print $1 }'); do
  grep -q "^$scene \[" <<<"$out" || fail "render --all on a terminal: no bar for $scene"
done

# Not a terminal: a line per tenth, each naming the scene.
"$AVZ" render gqa "${small[@]}" -o "$OUT/plain.mp4" 2>"$OUT/plain.err" || fail "a plain render"
[ "$(grep -c '^attnviz: gqa  *[0-9]*%  [0-9]*/221 frames' "$OUT/plain.err")" -eq 10 ] \
  || fail "plain progress: $(head -3 "$OUT/plain.err")"
! grep -q $'\r' "$OUT/plain.err" || fail "plain progress draws a bar"

# A GIF's progress counts its palette's pass too: a frame every tenth of a second, so every
# frame at 10 fps and every fifth at 50.
total=$("$AVZ" phases gqa --speed 4 | awk '$1 == "total" { print $3 }')
for fps in 10 50; do
  "$AVZ" render gqa --size 160x90 --fps "$fps" --speed 4 -o "$OUT/p$fps.gif" 2>"$OUT/gif.err" ||
    fail "a GIF at $fps fps"
  frames=$(frames_at "$total" "$fps") step=$((fps / 10))
  want=$((frames + (frames + step - 1) / step))
  grep -q "  $want/$want frames" "$OUT/gif.err" ||
    fail "GIF at $fps fps: progress does not count $want frames: $(tail -1 "$OUT/gif.err")"
done
finish
