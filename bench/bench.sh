#!/usr/bin/env bash
# Speed and memory figures, as medians over several runs. Prints figures; it asserts nothing
# (machines are noisy): read the ratios, measured within one run, against the targets.
#
#   bench/bench.sh [RUNS] [--encoders] [--segments] [--only EXT,...]
#                         (RUNS default 3; builds a Release binary in build-bench/)
#
# --encoders also prints bench/encoders' tables of candidates (README, "Encoders") for 240
# frames of gqa's heatmap at 854x480 and at 1920x1080 (the 1080p table takes ~10 minutes),
# bench/palette's quality of a GIF palette counted from fewer frames, and bench/gif_quality's
# of the GIF a render writes, decoded (~1 minute).
# --segments also prints what splitting the full gqa at 1080p60 into N = 1, 2, 4 and 8 pieces
# costs (README, "Segments"), each piece rendered alone as on a machine of its own: ~6 minutes.
# --only gif,webm prints only those outputs' render-against-encoder rows (after a change to one
# output, without the half hour of the rest).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=3 encoders= segments= only=
while [ $# -gt 0 ]; do
  case $1 in
    --encoders) encoders=1 ;;
    --segments) segments=1 ;;
    --only) only=,$2, && shift ;;
    *) runs=$1 ;;
  esac
  shift
done
scripts/setup.sh
command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DAVZ_TESTS=OFF -DAVZ_BENCH=ON >/dev/null
cmake --build build-bench -j"$(nproc)" >/dev/null
avz=build-bench/bin/attnviz
enc=build-bench/bin/encode_only
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# wall seconds and peak RSS (MB) of a command, as "SECONDS MB"
measure() {
  /usr/bin/time -f "%e %M" -o "$out/time" "$@" >/dev/null 2>&1
  awk '{ printf "%s %.0f\n", $1, $2 / 1024 }' "$out/time"
}
# median wall time of a render and of encoding the same frames alone (decoded from the
# render, through the same sink and settings); prints the ratio
render_vs_encode() {
  local label=$1 ext=$2 preset=$3
  shift 3
  [ -z "$only" ] || [[ $only == *",$ext,"* ]] || return 0
  local walls=() encs=() mem=() r="$out/r.$ext" e="$out/e.$ext" fps=()
  [ "$ext" = png ] && { r="$out/r/%05d.png" e="$out/e/%05d.png"; }
  for _ in $(seq "$runs"); do
    rm -rf "$out/r" "$out/e" && mkdir -p "$out/r" "$out/e"
    read -r wall rss < <(measure "$avz" render gqa "$@" ${preset:+--preset "$preset"} -o "$r" --quiet)
    walls+=("$wall")
    mem+=("$rss")
    [ "$ext" = png ] && fps=(--fps "$([ "$2" = l ] && echo 15 || echo 60)") # -q l or -q h
    encs+=("$("$enc" "$r" "$e" ${preset:+--preset "$preset"} "${fps[@]}" | awk '{ print $5 }')")
  done
  local w e m
  w=$(printf '%s\n' "${walls[@]}" | median)
  e=$(printf '%s\n' "${encs[@]}" | median)
  m=$(printf '%s\n' "${mem[@]}" | median)
  printf '%-28s render %7.2f s   encode alone %7.2f s   ratio %.2f   peak %5s MB\n' \
    "$label" "$w" "$e" "$(awk -v a="$w" -v b="$e" 'BEGIN { print a / b }')" "$m"
}

echo "attnviz $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, $runs runs, medians"
render_vs_encode "gqa 1080p60 mp4 medium" mp4 medium -q h
render_vs_encode "gqa 480p15 mp4 ultrafast" mp4 ultrafast -q l   # the preview's default preset
for ext in webm mov gif png; do
  render_vs_encode "gqa 480p15 $ext" "$ext" "" -q l
done
for ext in webm mov gif png; do
  render_vs_encode "gqa 1080p60 $ext" "$ext" "" -q h
done

[ -z "$only" ] || exit 0

# A memory budget at 1080p60 (flat in the video's length, so an eighth of it): the peak,
# the time and the size of what each budget chooses.
for budget in "" 1024 768 512 384 320; do
  read -r wall rss < <(measure "$avz" render gqa -q h --speed 8 ${budget:+--memory "$budget"} \
    -o "$out/m.mp4" --quiet)
  printf '%-28s peak %5s MB   %6.2f s   %8d bytes\n' "1080p60 --memory ${budget:-none}" "$rss" \
    "$wall" "$(stat -c %s "$out/m.mp4")"
done

# Memory is flat in the video's length: the same 1080p frame size, 10x the frames.
read -r _ short < <(measure "$avz" render gqa -q h --fps 6 -o "$out/s.mp4" --quiet)
read -r _ long < <(measure "$avz" render gqa -q h --fps 6 --speed 0.1 -o "$out/l.mp4" --quiet)
printf '%-28s 1x %s MB, 10x longer %s MB (%+.1f%%)\n' "memory vs length, 1080p" "$short" "$long" \
  "$(awk -v a="$short" -v b="$long" 'BEGIN { print (b - a) * 100 / a }')"

read -r wall rss < <(measure "$avz" render gqa -q k --speed 8 -o "$out/k.mp4" --quiet)
printf '%-28s %s s for 1/8 of the video, peak %s MB\n' "gqa 2160p60 (speed 8)" "$wall" "$rss"

# Drawing scales with workers: `hash` samples, draws and digests every frame without
# encoding, so its wall time is the drawing rate alone.
for w in 1 2; do
  t=()
  for _ in $(seq "$runs"); do
    read -r wall _ < <(measure "$avz" hash gqa -q h --workers "$w" --quiet)
    t+=("$wall")
  done
  eval "w$w=$(printf '%s\n' "${t[@]}" | median)"
done
printf '%-28s 1 worker %s s, 2 workers %s s, speed-up %.2fx\n' "drawing 1080p (hash)" \
  "$w1" "$w2" "$(awk -v a="$w1" -v b="$w2" 'BEGIN { print a / b }')"

# The candidates for each output's encoder, on a lossless render of the same frames.
if [ -n "$encoders" ]; then
  for size in 854x480 1920x1080; do
    rm -rf "$out/src" && mkdir -p "$out/src"
    "$avz" render gqa --size "$size" --fps 15 --only heatmap -o "$out/src/%05d.png" --quiet
    echo
    build-bench/bin/encoders "$out/src/%05d.png" 15 --runs "$runs"
  done
  # A GIF's palette counted from every frame of the full gqa at 50 fps, from one every tenth of
  # a second (what a render does) and from one every fifth, against the lossless frames.
  rm -rf "$out/src" && mkdir -p "$out/src"
  "$avz" render gqa --size 854x480 --fps 50 -o "$out/src/%05d.png" --quiet
  echo
  build-bench/bin/palette "$out/src/%05d.png" 50 1 5 10
  # The GIF a render writes of the same frames, decoded as a browser shows it, against them.
  "$avz" render gqa --size 854x480 --fps 50 -o "$out/q.gif" --quiet
  printf 'the rendered GIF, decoded: '
  build-bench/bin/gif_quality "$out/q.gif" "$out/src/%05d.png" 50
fi

# A render in N pieces, each rendered alone (as on N machines) then joined: the CPU it takes in
# all, the longest piece plus the join (N machines' wall time), the size against one piece,
# and the quality of the frames around each seam (two either side) against lossless stills,
# next to the same frames of the one-piece render.
if [ -n "$segments" ]; then
  echo
  seam_frames() { jq -r '.pieces[1:][].first_frame | . - 2, . - 1, ., . + 1' "$1"; }
  for n in 1 2 4 8; do
    "$avz" plan gqa -q h --quiet --segments "$n" -o "$out/seg$n.mp4" --json >"$out/plan$n.json"
    cpu=0 longest=0
    for k in $(seq 0 $((n - 1))); do
      mapfile -t argv < <(jq -r ".pieces[$k].argv[1:][]" "$out/plan$n.json")
      /usr/bin/time -f "%e %U %S" -o "$out/time" "$avz" "${argv[@]}" >/dev/null 2>&1
      read -r wall user sys <"$out/time"
      cpu=$(awk -v a="$cpu" -v u="$user" -v s="$sys" 'BEGIN { print a + u + s }')
      longest=$(awk -v a="$longest" -v w="$wall" 'BEGIN { print (w > a) ? w : a }')
    done
    mapfile -t argv < <(jq -r '.concat.argv[1:][]' "$out/plan$n.json")
    /usr/bin/time -f "%e" -o "$out/time" "$avz" "${argv[@]}" >/dev/null 2>&1
    join=$(cat "$out/time")
    eval "size$n=$(stat -c %s "$out/seg$n.mp4") longest$n=$longest cpu$n=$cpu join$n=$join"
    seam_frames "$out/plan$n.json" >>"$out/frames"
  done
  mkdir -p "$out/stills"
  for f in $(sort -nu "$out/frames"); do
    "$avz" still gqa -q h --frame "$f" -o "$(printf '%s/stills/%06d.png' "$out" "$f")" --quiet
  done
  printf '| N | CPU | longest piece + join | size vs 1 piece | seams: PSNR, SSIM | same frames, 1 piece |\n'
  printf '| --- | --- | --- | --- | --- | --- |\n'
  for n in 1 2 4 8; do
    eval "size=\$size$n longest=\$longest$n cpu=\$cpu$n join=\$join$n"
    seams="-" one="-"
    if [ "$n" -gt 1 ]; then
      mapfile -t frames < <(seam_frames "$out/plan$n.json")
      seams=$(build-bench/bin/seams "$out/seg$n.mp4" "$out/stills" "${frames[@]}")
      one=$(build-bench/bin/seams "$out/seg1.mp4" "$out/stills" "${frames[@]}")
    fi
    printf '| %d | %.1f s | %.1f s + %.2f s | %+.2f%% | %s | %s |\n' "$n" "$cpu" "$longest" "$join" \
      "$(awk -v a="$size" -v b="$size1" 'BEGIN { print (a - b) * 100 / b }')" "$seams" "$one"
  done
fi
