#!/usr/bin/env bash
# The command line's conventions, item by item: frames and time (still = a frame of the render),
# what phases prints against the chapters a render writes, parts as PNG sequences, pacing
# values, --quiet/--json/pixel flags on every command, GNU conventions (--opt=value, --, -ql,
# - for standard input, a flag given twice), --params with --set, output folders and
# --no-overwrite, the default output name, "did you mean", help, JSON errors, -v, and a GIF's
# default width. Everything at 64x36, 10 fps, 8 times faster: it runs in seconds.
#
# Golden texts: tests/cli/golden/ holds the expected `attnviz --help`, `attnviz help COMMAND`
# for every command, and the schema of `phases --json` (each key path with its value type, not
# the values). A deliberate change to them is accepted by regenerating the files and reviewing
# the diff:
#   AVZ_UPDATE_GOLDEN=1 ctest --test-dir BUILD -R cli.conventions   (or bash this script)
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh" "$@"
GOLDEN=$HERE/golden
small=(--size 64x36 --fps 10 --speed 8)
probe() { "$TOOLS/avz_probe" "$@" >/dev/null || fail "$("$TOOLS/avz_probe" "$@")"; }
# status CMD...: runs CMD and prints its exit status, whatever it is.
status() { local s=0; "$@" || s=$?; echo "$s"; }
# same A B: the same picture; byte for byte, or else within a rounding's worth of pixels.
same() {
  cmp -s "$1" "$2" || "$TOOLS/avz_imgdiff" "$1" "$2" --max-mean 0.05 --max-bad 0.0005 \
    --threshold 8 >/dev/null
}
# awk's numeric comparison of two decimals to the millisecond.
near() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a - b < 0.0005 && b - a < 0.0005) }'; }

table=$("$AVZ" phases gqa --fps 10 --speed 8)
json=$("$AVZ" phases gqa --fps 10 --speed 8 --json)
names=($(awk 'NR > 1 && $1 != "total" { print $1 }' <<<"$table"))
frames=$(jq .frames <<<"$json")
version=$("$AVZ" --version --json | jq -r .attnviz)

# ── Frames and time: a still is exactly a frame of the render at the same --fps ─────────
"$AVZ" render gqa "${small[@]}" --quiet -o "$OUT/seq/%04d.png" || fail "the whole sequence"
[ "$(ls "$OUT/seq" | wc -l)" -eq "$frames" ] || fail "the sequence has not the $frames frames phases counts"
nth() { printf '%s/%04d.png' "$1" "$2"; }
for n in 0 7 37 $((frames - 1)); do
  "$AVZ" still gqa "${small[@]}" --frame "$n" -o "$OUT/f.png" || fail "--frame $n"
  same "$OUT/f.png" "$(nth "$OUT/seq" "$n")" || fail "still --frame $n is not frame $n of the render"
done
"$AVZ" still gqa "${small[@]}" --at end -o "$OUT/f.png" || fail "--at end"
same "$OUT/f.png" "$(nth "$OUT/seq" $((frames - 1)))" || fail "--at end is not the last frame"
for t in 0 0.04 1.06 3.74 6.91 $(jq .duration <<<"$json"); do
  n=$(frames_at "$t" 10)
  [ "$n" -lt "$frames" ] || n=$((frames - 1))
  "$AVZ" still gqa "${small[@]}" --at "$t" -o "$OUT/f.png" || fail "--at $t"
  same "$OUT/f.png" "$(nth "$OUT/seq" "$n")" || fail "--at $t is not frame round($t x 10) = $n"
done
# -q sets the rate unless --fps does, and the size unless --size does, in either order.
"$AVZ" render gqa -q l --size 64x36 --speed 8 --only sdpa --start-number source --quiet \
  -o "$OUT/seql/%04d.png" || fail "a -q l sequence"
n=$(ls "$OUT/seql" | sed -n 5p | sed 's/\.png$//')
for order in "-q l --size 64x36" "--size 64x36 -q l"; do
  "$AVZ" still gqa $order --speed 8 --frame "$((10#$n))" -o "$OUT/f.png" || fail "still $order"
  same "$OUT/f.png" "$OUT/seql/$n.png" || fail "still $order --frame $n is not that frame of the -q l render"
done
for order in "-q l --fps 10" "--fps 10 -q l"; do
  "$AVZ" still gqa $order --size 64x36 --speed 8 --frame 37 -o "$OUT/f.png" || fail "still $order"
  same "$OUT/f.png" "$(nth "$OUT/seq" 37)" || fail "still $order --frame 37 is not frame 37 at 10 fps"
done

# ── phases: fps, frames, chapter times, scene, version, totals; the chapters agree ─────
head -1 <<<"$table" | grep -q 'at 10 fps' || fail "phases does not say its fps: $(head -1 <<<"$table")"
head -1 <<<"$table" | grep -qw 'gqa' || fail "phases does not name the scene: $(head -1 <<<"$table")"
head -1 <<<"$table" | grep -qF "$version" || fail "phases does not give attnviz's version"
head -1 <<<"$table" | grep -qw 'chapter' || fail "phases has no chapter column: $(head -1 <<<"$table")"
jq -e --arg v "$version" '.scene == "gqa" and .version == $v and .fps == 10 and .origin == "built-in"
  and (.duration | type) == "number"' <<<"$json" >/dev/null || fail "phases --json: $json"
jq -e '(.phases | map(.frames) | add) == .frames and .phases[0].first_frame == 0
  and .phases[-1].last_frame == .frames - 1
  and ([range(1; .phases | length) as $i | .phases[$i].first_frame == .phases[$i - 1].last_frame + 1]
       | all)
  and (.phases | all(.chapter_start == .first_frame / 10 and .chapter_end == (.last_frame + 1) / 10))' \
  <<<"$json" >/dev/null || fail "phases --json: the frames or chapters do not add up"
# The table's numbers are the JSON's.
i=0
while read -r name start end len first last chapter; do
  [ "$name" = "${names[$i]}" ] || fail "phases row $i is $name"
  j=$(jq -c ".phases[$i]" <<<"$json")
  [ "$first $last" = "$(jq -r '"\(.first_frame) \(.last_frame)"' <<<"$j")" ] \
    || fail "phases $name: frames $first $last, --json $(jq -c '[.first_frame, .last_frame]' <<<"$j")"
  near "$chapter" "$(jq .chapter_start <<<"$j")" || fail "phases $name: chapter $chapter, --json $j"
  near "$start" "$(jq .start <<<"$j")" && near "$end" "$(jq .end <<<"$j")" \
    || fail "phases $name: $start-$end, --json $j"
  i=$((i + 1))
done < <(awk 'NR > 1 && $1 != "total"' <<<"$table")
[ "$i" -eq "$(jq '.phases | length' <<<"$json")" ] || fail "phases lists $i phases, --json another number"
read -r _ tend tlen tlast tchapter < <(awk '$1 == "total"' <<<"$table")
near "$tend" "$(jq .duration <<<"$json")" || fail "phases total $tend, --json $(jq .duration <<<"$json")"
[ "$tlast" = $((frames - 1)) ] || fail "phases total's last frame $tlast, expected $((frames - 1))"
near "$tchapter" "$(awk -v f="$frames" 'BEGIN { print f / 10 }')" \
  || fail "phases total's chapter column $tchapter is not the video's end"
# The chapters phases prints are those of the WebVTT file and of the MP4, at the same fps.
"$AVZ" render gqa "${small[@]}" --quiet --chapters "$OUT/c.vtt" -o "$OUT/c.mp4" || fail "--chapters"
want=$(jq -r '.phases[] | "\(.chapter_start) \(.chapter_end) \(.name)"' <<<"$json" |
  awk '{ printf "%.3f %.3f %s\n", $1, $2, $3 }')
vtt=$(awk -F' --> ' '/ --> / { split($1, a, ":"); split($2, b, ":"); getline title;
  printf "%.3f %.3f %s\n", a[1] * 3600 + a[2] * 60 + a[3], b[1] * 3600 + b[2] * 60 + b[3], title }' \
  "$OUT/c.vtt")
[ "$vtt" = "$want" ] || fail "the WebVTT chapters differ from phases: $(diff <(echo "$want") <(echo "$vtt") | tr '\n' ' ')"
mp4=$("$TOOLS/avz_probe" "$OUT/c.mp4" --list-chapters | awk '$1 == "chapter" { print $2, $3, $4 }')
[ "$mp4" = "$want" ] || fail "the MP4's chapters differ from phases: $(diff <(echo "$want") <(echo "$mp4") | tr '\n' ' ')"
table_chapters=$(awk 'NR > 1 && $1 != "total" { print $7 }' <<<"$table")
[ "$table_chapters" = "$(awk '{ print $1 }' <<<"$want")" ] || fail "phases' chapter column is not the chapters' starts"
# list and params as JSON, with the fields their tables show.
"$AVZ" list --json | jq -e '(.scenes | length) > 0 and (.scenes | all(
    (.name | type) == "string" and (.summary | type) == "string" and (.origin | type) == "string"))' \
  >/dev/null || fail "list --json: $("$AVZ" list --json)"
[ "$("$AVZ" list --json | jq -r '.scenes[].name')" = "$("$AVZ" list | awk 'NR > 1 { print $1 }')" ] \
  || fail "list --json names other scenes than list"
"$AVZ" params gqa --json | jq -e '.scene == "gqa" and (.params | length) > 0 and (.params | all(
    (.name | type) == "string" and (.type | IN("int", "number", "text")) and (.default | type) == "string"
    and (.min | type) == "number" and (.max | type) == "number" and (.help | type) == "string"))' \
  >/dev/null || fail "params --json: $("$AVZ" params gqa --json)"
[ "$("$AVZ" params gqa --json | jq -r '.params[].name')" = "$("$AVZ" params gqa | awk 'NR > 1 { print $1 }')" ] \
  || fail "params --json names other parameters than params"

# ── A part as a PNG sequence: numbered from 0, from N, or by its frame in the whole video ──
rope=$(jq -c '.phases[] | select(.name == "rope")' <<<"$json")
rfirst=$(jq .first_frame <<<"$rope") rframes=$(jq .frames <<<"$rope")
for start in default 5 source; do
  flags=()
  [ "$start" = default ] || flags=(--start-number "$start")
  case $start in default) from=0 ;; source) from=$rfirst ;; *) from=$start ;; esac
  j=$("$AVZ" render gqa "${small[@]}" --only rope "${flags[@]}" --quiet --json -o "$OUT/part-$start/%04d.png") \
    || fail "--only rope, --start-number $start"
  want=$(for ((k = 0; k < rframes; k++)); do printf '%04d.png\n' $((from + k)); done)
  [ "$(ls "$OUT/part-$start")" = "$want" ] || fail "--start-number $start: files $(ls "$OUT/part-$start" | tr '\n' ' ')"
  for ((k = 0; k < rframes; k++)); do
    same "$(nth "$OUT/part-$start" $((from + k)))" "$(nth "$OUT/seq" $((rfirst + k)))" \
      || fail "--start-number $start: file $((from + k)) is not frame $((rfirst + k))"
  done
  jq -e --argjson f "$rfirst" --argjson n "$rframes" --argjson s "$from" \
    '.first_frame == $f and .frames == $n and .first_number == $s' <<<"$j" >/dev/null \
    || fail "--start-number $start: --json says $j"
done
expect 2 '--start-number is for PNG sequences' render gqa --start-number 3 -o "$OUT/x.mp4"
expect 2 '--start-number must be a number from 0' render gqa --start-number -1 -o "$OUT/x%d.png"

# ── Pacing values: +S, xF, spaces, 0, hexadecimal, a phase too short for a frame ────────
length_of() { "$AVZ" phases gqa "$@" --json | jq '.phases[] | select(.name == "rope") | .duration'; }
nominal=$(jq '.phases[] | select(.name == "rope") | .nominal' <<<"$json")
near "$(length_of --phase rope=+2)" "$(awk -v n="$nominal" 'BEGIN { print n + 2 }')" || fail "rope=+2"
near "$(length_of --phase rope=x1.5)" "$(awk -v n="$nominal" 'BEGIN { print n * 1.5 }')" || fail "rope=x1.5"
near "$(length_of --phase 'rope = 3')" 3 || fail '"rope = 3" as one argument'
[ "$("$AVZ" phases gqa --phase ' rope =  +2 ')" = "$("$AVZ" phases gqa --phase rope=+2)" ] \
  || fail '" rope =  +2 " differs from rope=+2'
unpaced=$("$AVZ" phases gqa)
for v in +0 -0 x1 "$nominal"; do
  [ "$("$AVZ" phases gqa --phase "rope=$v")" = "$unpaced" ] || fail "rope=$v changes the pacing"
done
for v in 0 0.0 00 .0 x0 x0.0; do
  expect 2 "phase rope=$v: a length must be seconds" phases gqa --phase "rope=$v"
done
expect 2 "phase rope=x0: a length must be seconds" still gqa --phase rope=x0 --at 1 -o "$OUT/x.png"
expect 2 "phase rope=-$nominal would be 0.000 s long" phases gqa --phase "rope=-$nominal"
printf 'rope = 0\n' >"$OUT/zero.txt"
expect 2 "$OUT/zero.txt:1: phase rope=0: a length must be seconds" phases gqa --pacing "$OUT/zero.txt"
for v in 0x10 x0x2 +0x1 1e1; do
  expect 2 "phase rope=$v: a length must be seconds" phases gqa --phase "rope=$v"
done
# A phase so short that no frame shows it is an error naming it, in every command with an fps.
for cmd in "render gqa --size 64x36 -o $OUT/x.mp4" "render gqa --size 64x36 -o $OUT/xs/%04d.png" \
  "hash gqa --size 64x36" "phases gqa" "still gqa --size 64x36 --at 1 -o $OUT/x.png"; do
  expect 3 "phase rope is 0.0100 s long: at 10 fps no frame shows it" $cmd --fps 10 --phase rope=0.01
done

# ── --quiet and --json on every command; the pixel flags on hash and still ─────────────
declare -A keys=(
  [still]='file fps frame height scene time width'
  [storyboard]='file height phases scene width'
  [hash]='digest first_frame fps frames height scene width'
  [list]='scenes'
  [params]='params scene'
  [phases]='duration fps frames origin phases scene version'
  [formula]='em file height width'
  [render]='duration file first_frame fps frames height origin render_fps scene versions wall width'
  [plan]='concat first_frame fps frames output pieces scene segments'
  [concat]='file pieces wall'
)
declare -A run=(
  [still]="gqa ${small[*]} --at 1 -o $OUT/q.png"
  [storyboard]="gqa --size 64x36 --speed 8 -o $OUT/q.png"
  [hash]="gqa ${small[*]} --only rope"
  [list]=""
  [params]="gqa"
  [phases]="gqa --fps 10"
  [formula]="a+b --size 20 -o $OUT/q.png"
  [render]="gqa ${small[*]} --only rope -o $OUT/q.mp4"
  [plan]="gqa ${small[*]} --segments 2 -o $OUT/q.mp4"
  [concat]="$OUT/q-1.mp4 $OUT/q-2.mp4 -o $OUT/q.mp4"
)
for k in 1 2; do "$AVZ" render gqa "${small[@]}" --segment $k/2 -o "$OUT/q-$k.mp4" --quiet; done
for cmd in still storyboard hash list params phases formula render plan concat; do
  out=$("$AVZ" $cmd ${run[$cmd]} --quiet --json 2>"$OUT/q.err") || fail "$cmd --quiet --json: exit $?"
  [ ! -s "$OUT/q.err" ] || fail "$cmd --quiet --json wrote on stderr: $(head -2 "$OUT/q.err")"
  [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "$cmd --json: not one line"
  got=$(jq -r 'keys | join(" ")' <<<"$out" 2>/dev/null) || fail "$cmd --json: not JSON: $out"
  [ "$got" = "${keys[$cmd]}" ] || fail "$cmd --json: keys \"$got\", expected \"${keys[$cmd]}\""
done
"$AVZ" render gqa "${small[@]}" --only rope -o "$OUT/q.mp4" 2>"$OUT/q.err" || fail "render"
[ -s "$OUT/q.err" ] || fail "render without --quiet says nothing (so --quiet is not tested)"
# still: --size, -q, --fps and --transparent as render takes them.
sj() { "$AVZ" still gqa --speed 8 "$@" --json -o "$OUT/p.png" | jq -c '[.width, .height, .fps]'; }
[ "$(sj --size 64x36 --at 1)" = "[64,36,60]" ] || fail "still --size: $(sj --size 64x36 --at 1)"
[ "$(sj -q l --at 1)" = "[854,480,15]" ] || fail "still -q l: $(sj -q l --at 1)"
probe "$OUT/p.png" --size 854x480 --opaque
[ "$(sj --size 64x36 -q l --at 1)" = "[64,36,15]" ] || fail "still --size 64x36 -q l: $(sj --size 64x36 -q l --at 1)"
[ "$(sj --size 64x36 --fps 12 --frame 12 | jq -c '.[2]')" = 12 ] || fail "still --fps"
"$AVZ" still gqa --speed 8 --size 64x36 --at 1 --transparent -o "$OUT/p.png" || fail "still --transparent"
probe "$OUT/p.png" --size 64x36 --alpha
# hash: the same flags change the digest, as they change the render's frames.
hj() { "$AVZ" hash gqa --speed 8 --only rope --quiet --json "$@"; }
px=(--size 64x36 --fps 10)
base=$(hj "${px[@]}" | jq -r .digest)
for change in "--size 32x18 --fps 10" "--size 64x36 --fps 12" \
  "--size 64x36 --fps 10 --transparent --format webm"; do
  d=$(hj $change | jq -r .digest) || fail "hash $change"
  [ -n "$d" ] && [ "$d" != "$base" ] || fail "hash $change: the digest did not change ($d)"
done
[ "$(hj "${px[@]}" -q l | jq -r .digest)" = "$base" ] || fail "hash: -q l overrode --size and --fps"
# --set and --phase read NAME=VALUE as a --params or --pacing line does: blanks around '='
# and the value do not count.
tab=$'\t'
for form in "kv_heads=4" " kv_heads =${tab}4 "; do
  d=$(hj "${px[@]}" --set "$form" --phase "rope = 3${tab}" | jq -r .digest) || fail "hash --set '$form'"
  [ "$d" = "$(hj "${px[@]}" --set kv_heads=4 --phase rope=3 | jq -r .digest)" ] ||
    fail "hash --set '$form': blanks changed the digest"
done
printf 'kv_heads =\t4\n' >"$OUT/blank.params"
[ "$(hj "${px[@]}" --params "$OUT/blank.params" | jq -r .digest)" = "$(hj "${px[@]}" --set kv_heads=4 | jq -r .digest)" ] ||
  fail "hash --params: a line with blanks reads differently from --set"
[ "$(hj -q l | jq -c '[.width, .height, .fps]')" = "[854,480,15]" ] || fail "hash -q l: $(hj -q l)"
# What render refuses, hash refuses too: it digests frames render would encode.
expect 2 'cannot carry transparency' hash gqa "${small[@]}" --transparent
expect 2 'cannot carry transparency' hash gqa "${small[@]}" --transparent --format gif
expect 2 'a GIF cannot play 60 frames per second exactly' hash gqa --size 64x36 --fps 60 --format gif
expect 2 '--transparent does not apply to' phases gqa --transparent

# ── GNU conventions ──────────────────────────────────────────────────────────────────
# --opt=value for every option that takes a value, as help lists them: the same as --opt value.
printf 'rope=1\n' >"$OUT/eq-pace.txt"
printf 'seed=3\n' >"$OUT/eq-params.txt"
"$TOOLS/avz_clicks" "$OUT/eq.wav" 8000 1 0.5
printf '10\t10\trope\n' >"$OUT/eq-cues.txt"
sample() {
  case $2 in
  --output) [ "$1" = render ] || [ "$1" = plan ] && echo "$OUT/eq.mp4" || echo "$OUT/eq.png" ;;
  --quality) echo l ;;
  --fps) echo 12 ;;
  --size) [ "$1" = formula ] && echo 24 || echo 32x18 ;;
  --phase) echo rope=+1 ;;
  --pacing) echo "$OUT/eq-pace.txt" ;;
  --speed) echo 4 ;;
  --set) echo seed=3 ;;
  --params) echo "$OUT/eq-params.txt" ;;
  --from) echo heatmap ;;
  --to) echo rope ;;
  --only) echo sdpa ;;
  --at) echo 2 ;;
  --frame) echo 5 ;;
  --color) echo '#FF8800' ;;
  --workers) echo 2 ;;
  --memory) echo 4096 ;;
  --crf) echo 30 ;;
  --preset) echo fast ;;
  --chapters) echo "$OUT/eq.vtt" ;;
  --start-number) echo 3 ;;
  --format) [ "$1" = phases ] && echo audacity || echo webm ;;
  --cues) echo "$OUT/eq-cues.txt" ;;
  --segment) echo 1/2 ;;
  --audio) echo "$OUT/eq.wav" ;;
  --audio-fade) echo 0.5 ;;
  --audio-offset) echo -0.25 ;;
  --audio-volume) echo -3 ;;
  --segments | --jobs) echo 2 ;;
  *) echo "no sample value for $1 $2" >&2 ;;
  esac
}
declare -A base=(
  [render]="gqa --size=64x36 --fps=10 --speed=8 --only=rope --quiet --json --output=$OUT/eq.mp4"
  [still]="gqa --size=64x36 --fps=10 --speed=8 --at=1 --quiet --json --output=$OUT/eq.png"
  [storyboard]="gqa --size=64x36 --speed=8 --quiet --json --output=$OUT/eq.png"
  [formula]="a+b --size=20 --quiet --json --output=$OUT/eq.png"
  [hash]="gqa --size=64x36 --fps=10 --speed=8 --only=rope --quiet --json"
  [phases]="gqa --fps=10 --json"
  [plan]="gqa --size=64x36 --fps=10 --speed=8 --only=rope --quiet --json --segments=2 --output=$OUT/eq.mp4"
)
# The base arguments without those the options given replace or clash with.
without() {
  local cmd=$1 t opt keep
  shift
  for t in ${base[$cmd]}; do
    keep=$t
    for opt in "$@"; do
      case "$opt:${t%%=*}" in
      "$opt:$opt" | --from:--only | --to:--only | --frame:--at) keep= ;;
      --format:--output) [ "$cmd" = render ] || [ "$cmd" = plan ] && keep= ;;
      --start-number:--output) keep="--output=$OUT/eqseq/%04d.png" ;;
      esac
    done
    [ -z "$keep" ] || printf '%s\n' "$keep"
  done
}
# Every option in one run per command, as --opt=value and as --opt value, but those that clash
# with the rest (--frame with --at, ...) in a run of their own.
for cmd in render plan still storyboard formula hash phases params list; do
  opts=$("$AVZ" help "$cmd" | sed -nE 's/^  (-[a-zA-Z], |    )(--[a-z-]+) [A-Z#].*/\2/p')
  case $cmd in params | list) [ -z "$opts" ] || fail "$cmd takes values now: add it here" ;; esac
  [ -n "$opts" ] || continue
  alone='--(frame|from|to|format|start-number|segment|jobs)'
  groups=("$(grep -vxE -- "$alone" <<<"$opts" | tr '\n' ' ')")
  for opt in $(grep -xE -- "$alone" <<<"$opts"); do groups+=("$opt"); done
  for group in "${groups[@]}"; do
    mapfile -t rest < <(without "$cmd" $group)
    eq=() sp=()
    for opt in $group; do
      v=$(sample "$cmd" "$opt")
      eq+=("$opt=$v")
      sp+=("$opt" "$v")
    done
    s1=0 s2=0
    o1=$("$AVZ" "$cmd" "${rest[@]}" "${eq[@]}" 2>"$OUT/eq1.err") || s1=$?
    o2=$("$AVZ" "$cmd" "${rest[@]}" "${sp[@]}" 2>"$OUT/eq2.err") || s2=$?
    [ "$s1" -eq 0 ] || fail "$cmd ${eq[*]}: exit $s1: $(cat "$OUT/eq1.err")"
    [ "$s2" -eq 0 ] || fail "$cmd ${sp[*]}: exit $s2: $(cat "$OUT/eq2.err")"
    strip='s/"wall":[0-9.]*,"render_fps":[0-9.]*//'
    [ "$(sed "$strip" <<<"$o1")" = "$(sed "$strip" <<<"$o2")" ] \
      || fail "$cmd ${eq[*]} differs from ${sp[*]}: $o1 / $o2"
  done
done
rm -rf "$OUT/eqseq" "$OUT/gqa.webm"
# Short options: -oFILE, and flags combined with the one that takes a value (-nql, -vq l).
"$AVZ" still gqa --size 64x36 --at 1 -o"$OUT/short.png" || fail "-oFILE"
[ -f "$OUT/short.png" ] || fail "-oFILE wrote no $OUT/short.png"
[ "$("$AVZ" phases gqa -ql)" = "$("$AVZ" phases gqa -q l)" ] || fail "-ql differs from -q l"
[ "$("$AVZ" phases gqa -ql)" = "$("$AVZ" phases gqa --quality=l)" ] || fail "-ql differs from --quality=l"
rm -f "$OUT/nql.png"
"$AVZ" still gqa -nql --size 64x36 --at 1 -o "$OUT/nql.png" || fail "-nql"
[ "$(status "$AVZ" still gqa -nql --size 64x36 --at 1 -o "$OUT/nql.png" 2>/dev/null)" -eq 6 ] \
  || fail "-nql: -n was not taken"
err=$("$AVZ" hash gqa -vql --size 64x36 --speed 8 --only rope 2>&1 >/dev/null) || fail "-vql"
grep -q 'at 15 fps' <<<"$err" || fail "-vql: -v or -q l was not taken: $err"
expect 2 'unknown quality "vl"' hash gqa -qvl
# -- ends the options: what follows is an operand, even if it starts with '-'.
[ "$("$AVZ" phases -- gqa)" = "$unpaced" ] || fail "phases -- gqa"
"$AVZ" formula --size 20 -o "$OUT/minus.png" -- -x || fail "formula -- -x"
"$AVZ" formula --size 20 -o "$OUT/plain.png" x || fail "formula x"
cmp -s "$OUT/minus.png" "$OUT/plain.png" && fail "formula -- -x drew x: the operand lost its '-'"
expect 2 'unexpected argument "--json"' phases gqa -- --json
[ -z "$("$AVZ" phases gqa -- --json 2>/dev/null)" ] || fail "--json after -- still printed JSON"
# - reads standard input: --pacing - and --params -, not both.
printf 'rope = 3\n# c\n' >"$OUT/stdin-pace.txt"
[ "$("$AVZ" phases gqa --pacing - <"$OUT/stdin-pace.txt")" = "$("$AVZ" phases gqa --pacing "$OUT/stdin-pace.txt")" ] \
  || fail "--pacing - differs from the file"
printf 'seed=3\n' >"$OUT/stdin-params.txt"
[ "$("$AVZ" hash gqa "${small[@]}" --only rope --quiet --params - <"$OUT/stdin-params.txt")" = \
  "$("$AVZ" hash gqa "${small[@]}" --only rope --quiet --set seed=3)" ] || fail "--params - differs from --set"
s=$(status "$AVZ" phases gqa --pacing - --params - <"$OUT/stdin-pace.txt" 2>"$OUT/both.err")
[ "$s" -eq 2 ] && grep -q "standard input" "$OUT/both.err" \
  || fail "--pacing - --params -: exit $s, $(cat "$OUT/both.err")"
# A single-value option given twice is an error, in any spelling.
for opt in $("$AVZ" help render | sed -nE 's/^  (-[a-zA-Z], |    )(--[a-z-]+) [A-Z#].*/\2/p'); do
  case $opt in --phase | --set) continue ;; esac
  v=$(sample render "$opt")
  expect 2 "$opt is given twice; give it once" render gqa "$opt" "$v" "$opt=$v" -o "$OUT/x.mp4"
done
expect 2 '--output is given twice' render gqa -o "$OUT/x.mp4" --output="$OUT/x.mp4"
expect 2 '--quality is given twice' still gqa -ql --quality l --at 1 -o "$OUT/x.png"
expect 2 '--at is given twice' still gqa --at 1 --at=2 -o "$OUT/x.png"
expect 2 '--color is given twice' formula x --color '#FFFFFF' --color='#FFFFFF' -o "$OUT/x.png"
expect 2 '--phase rope is given twice' render gqa --phase rope=1 --phase 'rope = 2' -o "$OUT/x.mp4"
expect 2 '--set seed is given twice' hash gqa --set seed=1 --set seed=2

# ── --params FILE: NAME=VALUE lines, as pacing files; --set wins ──────────────────────
h() { "$AVZ" hash gqa "${small[@]}" --only rope --quiet "$@"; }
printf '# parameters\n\nkv_heads = 8   # two groups\n  layers=12\n' >"$OUT/params.txt"
[ "$(h --params "$OUT/params.txt")" = "$(h --set kv_heads=8 --set layers=12)" ] \
  || fail "--params differs from the same --set flags"
[ "$(h --params "$OUT/params.txt")" != "$(h)" ] || fail "--params changed nothing"
[ "$(h --params "$OUT/params.txt" --set kv_heads=6)" = "$(h --set kv_heads=6 --set layers=12)" ] \
  || fail "--set does not win over --params"
printf 'kv_heads=8\nnot a setting\n' >"$OUT/pjunk.txt"
expect 2 "$OUT/pjunk.txt:2: expected NAME=VALUE" hash gqa --params "$OUT/pjunk.txt"
printf 'seed=1\nseed=2\n' >"$OUT/ptwice.txt"
expect 2 "$OUT/ptwice.txt:2: \"seed\" is already set on line 1" hash gqa --params "$OUT/ptwice.txt"
printf '# x\nkv_haeds=8\n' >"$OUT/punknown.txt"
expect 3 "$OUT/punknown.txt:2: scene gqa has no parameter \"kv_haeds\"; did you mean \"kv_heads\"?" \
  render gqa --params "$OUT/punknown.txt" -o "$OUT/x.mp4"
printf 'layers=0\n' >"$OUT/pbad.txt"
expect 3 "$OUT/pbad.txt:1: parameter layers must be" still gqa --params "$OUT/pbad.txt" --at 1 -o "$OUT/x.png"
expect 4 "cannot read '$OUT/pnone.txt'" hash gqa --params "$OUT/pnone.txt"

# ── Output folders and --no-overwrite ───────────────────────────────────────────────
# --all into a folder that does not exist, given with a trailing '/': made, no "//" anywhere.
"$AVZ" render --all "${small[@]}" --json -o "$OUT/fresh/all/" >"$OUT/all.json" 2>"$OUT/all.err" \
  || fail "render --all into a new folder: $(tail -1 "$OUT/all.err")"
[ "$(ls "$OUT/fresh/all" | wc -l)" -eq "$("$AVZ" list --json | jq '.scenes | length')" ] \
  || fail "render --all: $(ls "$OUT/fresh/all" | tr '\n' ' ')"
grep -qF '//' "$OUT/all.err" "$OUT/all.json" && fail "render --all -o DIR/ wrote a '//': $(grep -hF '//' "$OUT/all.err" "$OUT/all.json" | head -1)"
err=$("$AVZ" render --all "${small[@]}" -n -o "$OUT/fresh/all/" 2>&1 >/dev/null) || true
grep -qF "$OUT/fresh/all/gqa.mp4 exists" <<<"$err" || fail "render --all -n -o DIR/: $err"
# A failure removes the folders it made, --all's and a sequence's alike.
"$AVZ" render --all --size 64x36 --speed 8 --fps 60 --format gif -o "$OUT/gone/all/" 2>/dev/null && fail "--all: a 60 fps GIF accepted"
[ ! -e "$OUT/gone" ] || fail "a failed --all left the folders it made"
"$AVZ" render gqa "${small[@]}" --phase rope=0.01 -o "$OUT/gone/seq/%04d.png" 2>/dev/null && fail "a frameless phase accepted"
[ ! -e "$OUT/gone" ] || fail "a failed sequence left the folders it made"
# -n: exit 6 before any work (a 4K render would take minutes), the file intact.
echo "old" >"$OUT/keep.mp4" && echo "old" >"$OUT/keep.png" && echo "old" >"$OUT/keep.vtt"
for cmd in "render gqa -q k -o $OUT/keep.mp4" "render gqa -q k --chapters $OUT/keep.vtt -o $OUT/new.mp4" \
  "still gqa -q k --at 1 -o $OUT/keep.png" "storyboard gqa -q k -o $OUT/keep.png" \
  "formula x --size 1000 -o $OUT/keep.png"; do
  for n in -n $([[ $cmd == render* ]] && echo --no-overwrite); do
    s=$(status timeout 20 "$AVZ" $cmd $n 2>"$OUT/n.err")
    [ "$s" -eq 6 ] || fail "$cmd $n: exit $s, expected 6"
    grep -q "exists; not replaced (--no-overwrite)" "$OUT/n.err" || fail "$cmd $n: $(cat "$OUT/n.err")"
    [ "$(wc -l <"$OUT/n.err")" -eq 1 ] || fail "$cmd $n: stderr is not one line"
  done
done
for f in keep.mp4 keep.png keep.vtt; do grep -qx old "$OUT/$f" || fail "-n changed $f"; done
[ ! -e "$OUT/new.mp4" ] || fail "-n with an existing --chapters file wrote the video"
# A PNG sequence: any of its files existing is refused, before any frame is written.
mkdir -p "$OUT/nseq"
echo "old" >"$OUT/nseq/0003.png"
s=$(status timeout 20 "$AVZ" render gqa -q k --only rope -n -o "$OUT/nseq/%04d.png" 2>"$OUT/n.err")
[ "$s" -eq 6 ] || fail "a sequence over an existing frame with -n: exit $s, expected 6 ($(cat "$OUT/n.err"))"
grep -qF "$OUT/nseq/0003.png exists" "$OUT/n.err" || fail "sequence -n: $(cat "$OUT/n.err")"
[ "$(ls "$OUT/nseq")" = "0003.png" ] && grep -qx old "$OUT/nseq/0003.png" || fail "sequence -n changed the folder: $(ls "$OUT/nseq" | head -3)"
"$AVZ" render gqa "${small[@]}" --only rope --start-number 10 -n --quiet -o "$OUT/nseq/%04d.png" \
  || fail "-n refused a sequence whose files do not exist"
# --all: a later scene's existing file is refused before the first scene is rendered.
mkdir -p "$OUT/nall"
last=$("$AVZ" list --json | jq -r '.scenes[-1].name')
echo "old" >"$OUT/nall/$last.mp4"
s=$(status timeout 20 "$AVZ" render --all -q k -n -o "$OUT/nall" 2>"$OUT/n.err")
[ "$s" -eq 6 ] || fail "render --all -n: exit $s, expected 6 ($(cat "$OUT/n.err"))"
[ "$(ls "$OUT/nall")" = "$last.mp4" ] || fail "render --all -n rendered before refusing: $(ls "$OUT/nall" | tr '\n' ' ')"

# ── The default output: SCENE.mp4 (and SCENE.png, formula.png) in the current folder ─
tr -s '\n ' ' ' <<<"$("$AVZ" help render)" | grep -q 'Without -o it writes SCENE.mp4 in the current folder' \
  || fail "help render does not state the default output"
mkdir -p "$OUT/cwd"
(
  cd "$OUT/cwd"
  "$AVZ" render gqa "${small[@]}" --only rope --quiet || fail "render without -o"
  "$AVZ" render gqa "${small[@]}" --only rope --quiet --format webm || fail "render --format webm without -o"
  "$AVZ" still gqa --size 64x36 --at 1 || fail "still without -o"
  "$AVZ" formula x --size 20 || fail "formula without -o"
  [ "$(ls | tr '\n' ' ')" = "formula.png gqa.mp4 gqa.png gqa.webm " ] || fail "without -o: $(ls | tr '\n' ' ')"
  probe gqa.mp4 --codec h264 --size 64x36
  probe gqa.webm --codec vp9
  exit "$failures"
) || failures=$((failures + $?))

# ── "did you mean", on one line ─────────────────────────────────────────────────────
expect 2 "unknown command \"rendr\"; did you mean 'render'?" rendr gqa
expect 2 "unknown command \"rendr\"; did you mean 'render'?" help rendr
expect 3 'unknown scene "gqaa"; did you mean "gqa"?' render gqaa -o "$OUT/x.mp4"
expect 3 'unknown scene "gqaa"; did you mean "gqa"?' phases gqaa
expect 3 '--phase: unknown phase "heatmp"; did you mean "heatmap"?' render gqa --phase heatmp=2 -o "$OUT/x.mp4"
expect 3 '--only: unknown phase "heatmp"; did you mean "heatmap"?' hash gqa --only heatmp
expect 3 '--at: unknown phase "heatmp"; did you mean "heatmap"?' still gqa --at heatmp+1 -o "$OUT/x.png"
expect 3 'no parameter "kv_haeds"; did you mean "kv_heads"?' render gqa --set kv_haeds=2 -o "$OUT/x.mp4"
expect 2 'unknown option --sise; did you mean --size?' render gqa --sise 64x36 -o "$OUT/x.mp4"
expect 2 'unknown option --quiett; did you mean --quiet?' phases gqa --quiett
expect 2 'unknown option --sise=64x36; did you mean --size?' still gqa --sise=64x36 --at 1 -o "$OUT/x.png"

# ── help COMMAND is COMMAND --help; help alone is --help, and says the exit codes ──────
for cmd in render plan concat still storyboard formula hash phases params list help; do
  a=$("$AVZ" help "$cmd") || fail "help $cmd"
  [ "$a" = "$("$AVZ" "$cmd" --help)" ] || fail "help $cmd differs from $cmd --help"
  [ "$a" = "$("$AVZ" "$cmd" -h)" ] || fail "help $cmd differs from $cmd -h"
  head -1 <<<"$a" | grep -q "^usage: attnviz $cmd " || fail "help $cmd: $(head -1 <<<"$a")"
done
[ "$("$AVZ" help)" = "$("$AVZ" --help)" ] || fail "help differs from --help"
overview=$(tr -s '\n ' ' ' <<<"$("$AVZ" --help)")
for code in "0 ok" "1 failure" "2 usage" "3 bad input" "4 I/O" "5 interrupted" "6 would overwrite"; do
  grep -qF "$code" <<<"$overview" || fail "--help does not document exit $code"
done

# ── A failing --json run: {"error": ..., "exit": ...} on stdout, the line on stderr ──
echo old >"$OUT/exists.png"
for cmd in "render gqa --fps 0 -o $OUT/x.mp4" "render nope -o $OUT/x.mp4" "phases gqa --phase bogus=1" \
  "still gqa --at 1000 -o $OUT/x.png" "render gqa -q l -o $OUT/missing/x.mp4" "hash gqa --bogus" \
  "still gqa --at 1 -n -o $OUT/exists.png" "formula '\\nope' -o $OUT/x.png" "list extra" "params"; do
  s=0
  out=$(eval "\"\$AVZ\" $cmd --json" 2>"$OUT/j.err") || s=$?
  [ "$s" -ne 0 ] || fail "$cmd --json: exit 0"
  [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "$cmd --json: stdout is not one line: $out"
  jq -e --argjson s "$s" '(.error | type) == "string" and .exit == $s and (keys | length) == 2' \
    <<<"$out" >/dev/null 2>&1 || fail "$cmd --json (exit $s): $out"
  [ "$(wc -l <"$OUT/j.err")" -eq 1 ] || fail "$cmd --json: stderr is not one line"
  [ "attnviz: $(jq -r .error <<<"$out" 2>/dev/null)" = "$(cat "$OUT/j.err")" ] \
    || fail "$cmd --json: the JSON error is not the stderr line: $out / $(cat "$OUT/j.err")"
done
rm -f "$OUT/x.mp4" "$OUT/x.png"

# ── -v: pacing, encoder settings, workers, memory; -v -v: the encoder's own log ──────
"$AVZ" render gqa "${small[@]}" --only rope -v --phase rope=+1 -o "$OUT/v.mp4" 2>"$OUT/v.err" || fail "render -v"
paced=$(printf '%.3f' "$(length_of --phase rope=+1 --speed 8)")
for want in "phase rope  *$paced s" 'phase generation' 'encoder: mp4.*preset medium.*crf 23' \
  'workers: [0-9]' 'memory needed about [0-9]* MiB'; do
  grep -q "^attnviz: .*$want" "$OUT/v.err" || fail "render -v does not say \"$want\": $(grep -v '%' "$OUT/v.err" | tr '\n' '|')"
done
grep -q 'libx264' "$OUT/v.err" && fail "render -v shows the encoder's log"
err=$("$AVZ" render gqa "${small[@]}" --only rope -v --crf 30 --preset fast -o "$OUT/v.mp4" 2>&1) || fail "-v --crf"
grep -q 'encoder: mp4.*preset fast.*crf 30' <<<"$err" || fail "render -v does not say the given preset and crf"
for vv in "-v -v" "-vv" "--verbose -v"; do
  "$AVZ" render gqa "${small[@]}" --only rope $vv -o "$OUT/v.mp4" 2>"$OUT/vv.err" || fail "render $vv"
  grep -q 'libx264' "$OUT/vv.err" || fail "render $vv does not show the encoder's log"
  grep -q '^attnviz: workers' "$OUT/vv.err" || fail "render $vv lost -v's lines"
done
"$AVZ" render gqa "${small[@]}" --only rope -v --quiet -o "$OUT/v.mp4" 2>"$OUT/vq.err" || fail "-v --quiet"
[ ! -s "$OUT/vq.err" ] || fail "--quiet does not silence -v"
# The memory estimate is for the workers that will run: one per core unless --workers says.
mem() { "$AVZ" hash gqa -q h --fps 10 --speed 8 --only rope -v "$@" 2>&1 >/dev/null | sed -n 's/.*memory needed about \([0-9]*\) MiB.*/\1/p'; }
cores=$(getconf _NPROCESSORS_ONLN)
[ "$cores" -le 64 ] || cores=64
m0=$(mem) m1=$(mem --workers "$cores")
[ -n "$m0" ] && [ "$m0" = "$m1" ] || fail "-v: the memory estimate ($m0 MiB) is not that for $cores workers ($m1 MiB)"
err=$("$AVZ" hash gqa "${small[@]}" --only rope -v 2>&1 >/dev/null) || fail "hash -v"
grep -q "workers: $cores" <<<"$err" || fail "-v does not say how many workers: $(grep workers <<<"$err")"

# ── A GIF without -q or --size is 960 px wide ─────────────────────────────────────────
tr -s '\n ' ' ' <<<"$("$AVZ" help render)" | grep -q 'a GIF 960x540' || fail "help render does not say a GIF's size"
"$AVZ" render gqa --fps 10 --speed 8 --only rope --quiet -o "$OUT/g.gif" || fail "render a GIF"
probe "$OUT/g.gif" --codec gif --size 960x540 --frames "$rframes"
[ "$("$AVZ" hash gqa --fps 10 --speed 8 --only rope --format gif --quiet --json | jq -c '[.width, .height]')" = "[960,540]" ] \
  || fail "hash --format gif is not 960x540"
"$AVZ" render gqa --size 64x36 --fps 10 --speed 8 --only rope --quiet -o "$OUT/g.gif" || fail "a small GIF"
probe "$OUT/g.gif" --size 64x36

# ── Golden texts: help, every command's help, the schema of phases --json ─────────────
schema() { jq -r 'paths(scalars) as $p | "\($p | map(if type == "number" then "[]" else . end) | join(".")) \(getpath($p) | type)"' | sort -u; }
mkdir -p "$OUT/golden"
"$AVZ" --help >"$OUT/golden/help.txt"
for cmd in render plan concat still storyboard formula hash phases params list help; do
  "$AVZ" help "$cmd" >"$OUT/golden/help-$cmd.txt"
done
"$AVZ" phases gqa --json | schema >"$OUT/golden/phases-json-schema.txt"
if [ "${AVZ_UPDATE_GOLDEN:-}" = 1 ]; then
  mkdir -p "$GOLDEN"
  cp "$OUT"/golden/* "$GOLDEN/"
  echo "updated $GOLDEN"
fi
for f in "$OUT"/golden/*; do
  g=$GOLDEN/$(basename "$f")
  if [ ! -f "$g" ]; then
    fail "no golden $g (run with AVZ_UPDATE_GOLDEN=1)"
  elif ! diff -u "$g" "$f" >"$OUT/golden.diff"; then
    fail "$(basename "$f") differs from its golden (AVZ_UPDATE_GOLDEN=1 accepts it):"
    cat "$OUT/golden.diff" >&2
  fi
done
[ "$(ls "$GOLDEN" | wc -l)" -eq "$(ls "$OUT/golden" | wc -l)" ] || fail "$GOLDEN holds files this test does not write"
finish
