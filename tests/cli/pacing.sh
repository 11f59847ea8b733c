#!/usr/bin/env bash
# Pacing from the command line: --pacing files, phases --json, --from/--to/--only (frame-exact
# parts of the whole video), still --at PHASE+SECONDS, storyboard and hash, with their errors.
source "$(dirname "$0")/lib.sh" "$@"
small=(--size 160x90 --fps 10 --quiet)

table=$("$AVZ" phases gqa)
names=($(awk 'NR > 1 && $1 != "total" { print $1 }' <<<"$table"))
first=${names[0]} second=${names[1]} third=${names[2]}
start_of() { awk -v n="$1" '$1 == n { print $2 }' <<<"$2"; }

# ── phases --json: the same numbers as the table ───────────────────────────────────────
json=$("$AVZ" phases gqa --json)
[ "$(printf '%s\n' "$json" | wc -l)" -eq 1 ] || fail "phases --json is not one line"
for n in "${names[@]}"; do
  grep -qF "{\"name\":\"$n\",\"start\":" <<<"$json" || fail "phases --json lacks phase $n"
done
total=$(awk '$1 == "total" { print $3 }' <<<"$table")
jtotal=$(sed 's/.*"fps":[0-9]*,"duration":\([0-9.]*\),.*/\1/' <<<"$json")
awk -v a="$total" -v b="$jtotal" 'BEGIN { exit !(a - b < 0.001 && b - a < 0.001) }' \
  || fail "phases --json duration $jtotal, table $total"

# ── --pacing FILE: comments, blank lines, spaces; --phase overrides it ─────────────────
printf '# pacing under version control\n\n%s = 6   # slower\n  %s=2.5\n' "$first" "$second" \
  >"$OUT/pace.txt"
from_file=$("$AVZ" phases gqa --pacing "$OUT/pace.txt")
from_flags=$("$AVZ" phases gqa --phase "$first=6" --phase "$second=2.5")
[ "$from_file" = "$from_flags" ] || fail "--pacing differs from the same --phase flags"
overridden=$("$AVZ" phases gqa --pacing "$OUT/pace.txt" --phase "$first=3")
want=$("$AVZ" phases gqa --phase "$first=3" --phase "$second=2.5")
[ "$overridden" = "$want" ] || fail "--phase does not override --pacing"
json=$("$AVZ" phases gqa --pacing "$OUT/pace.txt" --speed 2 --json)
grep -qF "{\"name\":\"$first\",\"start\":0,\"end\":3,\"duration\":3," <<<"$json" \
  || fail "--pacing with --speed in --json: $json"

printf '%s=3\nthis is not a setting\n' "$first" >"$OUT/junk.txt"
expect 2 "$OUT/junk.txt:2: expected NAME=VALUE" phases gqa --pacing "$OUT/junk.txt"
printf '%s=-100\n' "$first" >"$OUT/neg.txt"
expect 2 "$OUT/neg.txt:1: phase $first=-100 would be" phases gqa --pacing "$OUT/neg.txt"
printf '# x\nbogus=3\n' >"$OUT/unknown.txt"
expect 3 "$OUT/unknown.txt:2: unknown phase \"bogus\" (phases: $first" \
  render gqa --pacing "$OUT/unknown.txt" -o "$OUT/x.mp4"
printf '%s=3\n%s=4\n' "$first" "$first" >"$OUT/twice.txt"
expect 2 "$OUT/twice.txt:2: \"$first\" is already set on line 1" \
  phases gqa --pacing "$OUT/twice.txt"
expect 4 "cannot read '$OUT/none.txt'" phases gqa --pacing "$OUT/none.txt"
# A device given by mistake is refused after a bounded read, not read forever.
expect 2 "'/dev/zero' is larger than 64 KiB" phases gqa --pacing /dev/zero
printf 'a=1\0' >"$OUT/nul.txt"
expect 2 "'$OUT/nul.txt' is not text" phases gqa --pacing "$OUT/nul.txt"
# A pipe is fine: pacing can come from another program.
piped=$("$AVZ" phases gqa --pacing <(cat "$OUT/pace.txt")) || fail "--pacing from a pipe"
[ "$piped" = "$from_file" ] || fail "--pacing from a pipe differs from the file"
expect 2 "--pacing is given twice" phases gqa --pacing "$OUT/pace.txt" --pacing "$OUT/pace.txt"
expect 2 "--pacing needs a value" phases gqa --pacing

# ── --from/--to/--only: frame counts, chapters, and the whole video's exact frames ─────
sum=0
for n in "${names[@]}"; do
  s=$(start_of "$n" "$table")
  e=$(awk -v n="$n" '$1 == n { print $3 }' <<<"$table")
  want=$(($(frames_at "$e" 10) - $(frames_at "$s" 10)))
  sum=$((sum + want))
  [ "$want" -gt 0 ] || continue
  "$AVZ" render gqa "${small[@]}" --only "$n" -o "$OUT/only.mp4" || fail "--only $n"
  "$TOOLS/avz_probe" "$OUT/only.mp4" --frames "$want" --chapters 1 --chapter-titles "$n" \
    >/dev/null || fail "--only $n: expected $want frames and one chapter"
done
[ "$sum" -eq "$(frames_at "$total" 10)" ] || fail "the parts' frames ($sum) do not add up"
"$AVZ" render gqa "${small[@]}" --from "$second" --to "$third" -o "$OUT/part.mp4" \
  || fail "--from --to"
s=$(start_of "$second" "$table")
e=$(awk -v n="$third" '$1 == n { print $3 }' <<<"$table")
"$TOOLS/avz_probe" "$OUT/part.mp4" --frames $(($(frames_at "$e" 10) - $(frames_at "$s" 10))) \
  --chapter-titles "$second,$third" >/dev/null || fail "--from $second --to $third"
"$AVZ" render gqa "${small[@]}" --from "${names[-1]}" -o "$OUT/tail.mp4" || fail "--from alone"
"$TOOLS/avz_probe" "$OUT/tail.mp4" --chapters 1 >/dev/null || fail "--from the last phase"

# A part is the whole video's frames there, byte for byte (PNG sequences number by frame).
mkdir -p "$OUT/whole" "$OUT/part"
"$AVZ" render gqa "${small[@]}" -o "$OUT/whole/%04d.png" || fail "whole sequence"
"$AVZ" render gqa "${small[@]}" --only "$second" --start-number source -o "$OUT/part/%04d.png" \
  || fail "part sequence"
[ "$(ls "$OUT/part" | wc -l)" -gt 0 ] || fail "the part wrote no frames"
for f in "$OUT"/part/*.png; do
  cmp -s "$f" "$OUT/whole/$(basename "$f")" || fail "part frame $(basename "$f") differs"
done
[ "$(ls "$OUT/part" | head -1)" = "$(printf '%04d.png' "$(frames_at "$s" 10)")" ] \
  || fail "the part's first file is not numbered by its frame in the whole video"

expect 3 "--from: unknown phase \"bogus\" (phases: $first" render gqa --from bogus -o "$OUT/x.mp4"
expect 3 "--to: unknown phase \"bogus\"" render gqa --to bogus -o "$OUT/x.mp4"
expect 3 "--only: unknown phase \"bogus\"" render gqa --only bogus -o "$OUT/x.mp4"
expect 3 "--to $first comes before --from $second" \
  render gqa --from "$second" --to "$first" -o "$OUT/x.mp4"
expect 2 "--only cannot be combined with --from or --to" \
  render gqa --only "$first" --from "$first" -o "$OUT/x.mp4"
expect 2 "--only cannot be combined with --from or --to" \
  render gqa --to "$first" --only "$first" -o "$OUT/x.mp4"
expect 2 "--from does not apply to 'still'" still gqa --from "$first" --at 1 -o "$OUT/x.png"

# ── still --at SECONDS | PHASE | PHASE+SECONDS ─────────────────────────────────────────
s=$(start_of "$second" "$table")
"$AVZ" still gqa --size 320x180 --at "$second" -o "$OUT/a.png" || fail "--at PHASE"
"$AVZ" still gqa --size 320x180 --at "$s" -o "$OUT/b.png" || fail "--at its start"
cmp -s "$OUT/a.png" "$OUT/b.png" || fail "--at $second differs from --at $s"
"$AVZ" still gqa --size 320x180 --at "$second+1.5" -o "$OUT/c.png" || fail "--at PHASE+SEC"
"$AVZ" still gqa --size 320x180 --at "$(awk -v s="$s" 'BEGIN { print s + 1.5 }')" \
  -o "$OUT/d.png" || fail "--at its start + 1.5"
cmp -s "$OUT/c.png" "$OUT/d.png" || fail "--at $second+1.5 differs from the same seconds"
# --at PHASE is the phase's first frame, as phases lists it, before and after pacing.
for pacing in "" "--phase $first=2"; do
  f=$("$AVZ" phases gqa $pacing | awk -v n="$second" '$1 == n { print $5 }')
  "$AVZ" still gqa --size 320x180 --at "$second" $pacing -o "$OUT/e.png" || fail "--at PHASE"
  "$AVZ" still gqa --size 320x180 --frame "$f" $pacing -o "$OUT/f.png" || fail "--frame $f"
  cmp -s "$OUT/e.png" "$OUT/f.png" || fail "--at $second is not frame $f ($pacing)"
done
expect 3 "--at: unknown phase \"bogus\"" still gqa --at bogus+1 -o "$OUT/x.png"
expect 2 "not \"$second+soon\"" still gqa --at "$second+soon" -o "$OUT/x.png"
expect 3 "--at $second+999 is past the end of phase $second" \
  still gqa --at "$second+999" -o "$OUT/x.png"

# ── storyboard ─────────────────────────────────────────────────────────────────────────
"$AVZ" storyboard gqa -o "$OUT/sheet.png" || fail "storyboard"
"$TOOLS/avz_probe" "$OUT/sheet.png" --codec png >/dev/null || fail "storyboard is not a PNG"
"$AVZ" storyboard gqa --size 160x90 --phase "$first=2" -o "$OUT/small.png" || fail "small sheet"
cmp -s "$OUT/sheet.png" "$OUT/small.png" && fail "--size does not change the storyboard"
"$AVZ" storyboard gqa -o "$OUT/sheet2.png" && cmp -s "$OUT/sheet.png" "$OUT/sheet2.png" \
  || fail "storyboard is not reproducible"
"$AVZ" storyboard gqa --size 64x36 || fail "storyboard without -o"
[ -f "$OUT/gqa-storyboard.png" ] || fail "storyboard without -o wrote no gqa-storyboard.png"
rm -f "$OUT/gqa-storyboard.png"
expect 2 'must end in .png' storyboard gqa -o "$OUT/x.jpg"
expect 2 "--fps does not apply to 'storyboard'" storyboard gqa --fps 10 -o "$OUT/x.png"
expect 4 "$OUT/missing" storyboard gqa -o "$OUT/missing/x.png"

# ── hash: the raw frames, the same for any --workers, different when pacing changes ────
h1=$("$AVZ" hash gqa "${small[@]}" --workers 1) || fail "hash"
h3=$("$AVZ" hash gqa "${small[@]}" --workers 3) || fail "hash, 3 workers"
[[ "$h1" =~ ^[0-9a-f]{16}$ ]] || fail "hash prints \"$h1\", not 16 hex digits"
[ "$h1" = "$h3" ] || fail "hash differs between 1 and 3 workers ($h1, $h3)"
[ "$h1" = "$("$AVZ" hash gqa "${small[@]}" --workers 2)" ] || fail "hash is not reproducible"
hp=$("$AVZ" hash gqa "${small[@]}" --phase "$first=3") || fail "paced hash"
[ "$h1" != "$hp" ] || fail "hash unchanged by --phase"
hs=$("$AVZ" hash gqa --size 192x108 --fps 10 --quiet) || fail "hash at another size"
[ "$h1" != "$hs" ] || fail "hash unchanged by --size"
hf=$("$AVZ" hash gqa "${small[@]}" --only "$second") || fail "hash of a part"
[ "$h1" != "$hf" ] || fail "hash of a part equals the whole's"
hq=$("$AVZ" hash gqa "${small[@]}" --pacing "$OUT/pace.txt") || fail "hash with --pacing"
[ "$hq" = "$("$AVZ" hash gqa "${small[@]}" --phase "$first=6" --phase "$second=2.5")" ] \
  || fail "hash with --pacing differs from the same --phase flags"
expect 2 "unknown option --bogus" hash gqa --bogus
expect 2 "-o does not apply to 'hash'" hash gqa -o "$OUT/x.mp4"
expect 3 'unknown scene "nope"' hash nope
finish
