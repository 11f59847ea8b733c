#!/usr/bin/env bash
# A render in pieces: plan's commands run by GNU Parallel (here and through --sshlogin), the
# pieces joined by concat into a file like a render in one piece (every frame once,
# continuous timestamps, the whole chapters, faststart, BT.709, no piece tags), the same bytes
# from --jobs, in any order and on a second run; WebM and ProRes pieces; the Kubernetes and
# GitHub Actions examples agreeing with plan; and every piece that does not belong refused.
source "$(dirname "$0")/lib.sh" "$@"
EXAMPLES=$(cd "$(dirname "$0")/../../examples/segments" && pwd)
PATH=$(dirname "$AVZ"):$PATH # plan's commands name attnviz, as on a runner that installed it
args=(gqa -q l --speed 4)

table=$("$AVZ" phases "${args[@]}")
names=$(awk 'NR > 1 && $1 != "total" { print $1 }' <<<"$table" | paste -sd, -)
count=$(awk -F, '{ print NF }' <<<"$names")
total=$(awk '$1 == "total" { print $3 }' <<<"$table")
frames=$(frames_at "$total" 15)

# plan: N renders and a concat, as shell lines and as JSON that agree.
"$AVZ" plan "${args[@]}" --quiet --segments 3 -o s.mp4 >plan.txt || fail "plan exited $?"
"$AVZ" plan "${args[@]}" --quiet --segments 3 -o s.mp4 --json >plan.json || fail "plan --json exited $?"
[ "$(wc -l <plan.txt)" -eq 4 ] || fail "plan printed $(wc -l <plan.txt) lines, not 4"
for k in 0 1 2; do
  eval "line=($(sed -n "$((k + 1))p" plan.txt))"
  [ "$(printf '%s\n' "${line[@]}")" = "$(jq -r ".pieces[$k].argv[]" plan.json)" ] ||
    fail "plan line $((k + 1)) and its JSON argv differ"
done
[ "$(jq '[.pieces[].frames] | add' plan.json)" -eq "$frames" ] || fail "pieces do not add up"
jq -e '[.pieces[].first_frame] as $f | [.pieces[] | .first_frame + .frames] as $e |
  $f[0] == .first_frame and $f[1:] == $e[:-1]' plan.json >/dev/null ||
  fail "pieces are not contiguous"

# GNU Parallel runs the renders, two at a time here, then the concat.
head -n 3 plan.txt | parallel --will-cite -j2 || fail "parallel exited $?"
tail -n 1 plan.txt | sh || fail "concat exited $?"
"$TOOLS/avz_probe" s.mp4 --codec h264 --size 854x480 --frames "$frames" --continuous \
  --faststart --bt709 --chapters "$count" --chapter-titles "$names" --untagged attnviz_ \
  || fail "probe of the joined video"
# Each piece starts with a keyframe where plan says it starts.
for k in 0 1 2; do
  file=$(jq -r ".pieces[$k].file" plan.json)
  "$TOOLS/avz_probe" "$file" --tag "attnviz_segment=$((k + 1))/3" --list-keyframes \
    --frames "$(jq ".pieces[$k].frames" plan.json)" | grep -qx "keyframe 0" ||
    fail "$file does not start with a keyframe or holds other frames than plan says"
done
# ... and the joined video has a keyframe at each seam.
for b in $(jq '.pieces[1:][].first_frame' plan.json); do
  "$TOOLS/avz_probe" s.mp4 --list-keyframes | grep -qx "keyframe $b" || fail "no keyframe at $b"
done
# The chapters are the one-piece render's.
"$AVZ" render "${args[@]}" -o one.mp4 --quiet || fail "one-piece render"
[ "$("$TOOLS/avz_probe" s.mp4 --list-chapters | grep '^chapter')" = \
  "$("$TOOLS/avz_probe" one.mp4 --list-chapters | grep '^chapter')" ] ||
  fail "the joined chapters differ from a one-piece render's"

# Deterministic: a piece rendered again, pieces given in another order, --jobs.
cp s-part-2-of-3.mp4 again.mp4
"$AVZ" render "${args[@]}" --segment 2/3 -o s-part-2-of-3.mp4 --quiet
cmp -s again.mp4 s-part-2-of-3.mp4 || fail "render --segment 2/3 twice differs"
"$AVZ" concat s-part-3-of-3.mp4 s-part-1-of-3.mp4 s-part-2-of-3.mp4 -o reordered.mp4 --quiet
cmp -s s.mp4 reordered.mp4 || fail "the pieces' order changed the joined bytes"
"$AVZ" render "${args[@]}" --jobs 3 -o jobs.mp4 --chapters jobs.vtt --quiet || fail "--jobs 3"
cmp -s s.mp4 jobs.mp4 || fail "--jobs 3 differs from three pieces and concat"
[ "$(grep -c -- '-->' jobs.vtt)" -eq "$count" ] || fail "--jobs --chapters lacks chapters"
[ -z "$(find . -name '.attnviz-*.scratch')" ] || fail "--jobs left its pieces' folder"

# Through --sshlogin: two "hosts" whose ssh runs the command here (quoting and all). Like
# sshd it sets SHELL, which parallel's remote side runs the job with (a CI runner may not
# have it set, and without it the job silently does nothing).
cat >fake-ssh <<'EOF'
#!/usr/bin/env bash
export SHELL=/bin/bash
while [ $# -gt 0 ]; do case $1 in -*) shift ;; *) break ;; esac; done
shift
[ "${1-}" = "--" ] && shift
exec bash -c "$*"
EOF
chmod +x fake-ssh
mkdir remote && (cd remote && "$AVZ" plan "${args[@]}" --quiet --segments 2 -o 'my video.mp4' >plan.txt)
(cd remote && head -n 2 plan.txt | parallel --will-cite --ssh "$OUT/fake-ssh" \
  -S 1/hostA,1/hostB --workdir "$OUT/remote") || fail "parallel --sshlogin exited $?"
for k in 1 2; do
  [ -s "remote/my video-part-$k-of-2.mp4" ] || fail "piece $k missing after parallel --sshlogin"
done
(cd remote && tail -n 1 plan.txt | sh) || fail "concat after --sshlogin exited $?"
"$TOOLS/avz_probe" "remote/my video.mp4" --frames "$frames" --continuous >/dev/null ||
  fail "probe of the video joined after --sshlogin"

# WebM (with alpha) and ProRes pieces join too.
for ext in webm mov; do
  for k in 1 2; do
    "$AVZ" render "${args[@]}" --only heatmap --transparent --segment "$k/2" -o "h$k.$ext" \
      --quiet || fail "$ext piece $k"
  done
  "$AVZ" concat "h2.$ext" "h1.$ext" -o "h.$ext" --quiet || fail "concat of $ext"
  hf=$("$AVZ" phases "${args[@]}" | awk '$1 == "heatmap" { print $6 - $5 + 1 }')
  "$TOOLS/avz_probe" "h.$ext" --frames "$hf" --continuous --alpha --untagged attnviz_ \
    || fail "probe of the joined $ext"
done
# ProRes keeps its 4444 fourcc, as a render in one piece has it.
"$TOOLS/avz_probe" h.mov --codec-tag ap4h >/dev/null || fail "the joined .mov is not ap4h"
# plan --format: the pieces and the joined video take its extension.
"$AVZ" plan "${args[@]}" --only rope --quiet --segments 2 --format webm >fmt.txt
sh fmt.txt || fail "plan --format webm: its commands fail"
"$TOOLS/avz_probe" gqa.webm --codec vp9 >/dev/null || fail "plan --format webm did not make gqa.webm"

# The examples run the commands plan prints: an attnviz that only prints its argv stands in.
mkdir stub
printf '#!/bin/sh\necho attnviz; printf "%%s\\n" "$@"\n' >stub/attnviz
chmod +x stub/attnviz
# plan_argv JSON-PATH: an argv from plan's JSON for the examples' render, one word a line.
"$AVZ" plan gqa --quality h --segments 4 -o /out/gqa.mp4 --json >k8s.json
"$AVZ" plan gqa --quality h --segments 4 -o gqa.mp4 --json >gha.json
# The block scalars under `args:` in the manifest, one script per Job.
awk '/^ *- \|$/ { on = 1; indent = -1; n++; next }
     on && indent < 0 { match($0, /^ */); indent = RLENGTH }
     on { match($0, /^ */); if (RLENGTH < indent) on = 0; else print > ("script" n) }' \
  "$EXAMPLES/kubernetes-job.yaml"
for i in 0 1 2 3; do
  [ "$(JOB_COMPLETION_INDEX=$i PATH="$OUT/stub:$PATH" sh script1)" = \
    "$(jq -r ".pieces[$i].argv[]" k8s.json)" ] || fail "kubernetes piece $i is not plan's"
done
[ "$(PATH="$OUT/stub:$PATH" sh script2)" = "$(jq -r '.concat.argv[]' k8s.json)" ] ||
  fail "the kubernetes join is not plan's concat"
render_run=$(grep -A1 'name: render$' "$EXAMPLES/github-actions.yml" | sed -n 's/^ *run: //p')
concat_run=$(grep -A1 'name: concat$' "$EXAMPLES/github-actions.yml" | sed -n 's/^ *run: //p')
for k in 1 2 3 4; do
  [ "$(PATH="$OUT/stub:$PATH" sh -c "${render_run//'${{ matrix.segment }}'/$k}")" = \
    "$(jq -r ".pieces[$((k - 1))].argv[]" gha.json)" ] || fail "actions piece $k is not plan's"
done
[ "$(PATH="$OUT/stub:$PATH" sh -c "$concat_run")" = "$(jq -r '.concat.argv[]' gha.json)" ] ||
  fail "the actions join is not plan's concat"

# What does not belong is refused with one line naming it; nothing is written.
"$AVZ" render self-attention -q l --speed 4 --segment 1/3 -o other-scene.mp4 --quiet
"$AVZ" render gqa -q l --speed 2 --segment 1/3 -o other-flags.mp4 --quiet
"$AVZ" render gqa -q l --speed 4 --segment 1/3 -o other.webm --quiet
perl -pe 's/0\.2\.0/0.1.9/g' s-part-1-of-3.mp4 >old-version.mp4
p1=s-part-1-of-3.mp4 p2=s-part-2-of-3.mp4 p3=s-part-3-of-3.mp4
expect 3 "segment 2 of 3 is missing" concat $p1 $p3 -o x.mp4
"$AVZ" render "${args[@]}" --segment 2/2 -o of-two.mp4 --quiet
expect 3 "'of-two.mp4' is segment 2 of 2, not of 3" concat $p1 of-two.mp4 $p3 -o x.mp4
expect 3 "'$p2' repeats segment 2 of 3" concat $p1 $p2 $p2 $p3 -o x.mp4
expect 3 "'other-scene.mp4' is of the scene self-attention" concat other-scene.mp4 $p2 $p3 -o x.mp4
expect 3 "'other-flags.mp4' was rendered with other flags" concat $p2 other-flags.mp4 $p3 -o x.mp4
expect 3 "'one.mp4' is not a piece" concat $p1 one.mp4 -o x.mp4
expect 3 "'other.webm' is not a H.264/MP4" concat other.webm $p2 $p3 -o x.mp4
expect 3 "was rendered by attnviz 0.1.9" concat old-version.mp4 $p2 $p3 -o x.mp4
expect 4 "cannot read 'xmissing.mp4'" concat xmissing.mp4 -o x.mp4
expect 2 "is an input and an output" concat $p1 $p2 $p3 -o $p1
expect 2 "concat needs -o" concat $p1 $p2 $p3
expect 2 "concat needs the pieces" concat -o x.mp4
expect 2 "concat writes .mp4, .webm or .mov" concat $p1 -o x.gif
expect 2 "--segment must be K/N" render gqa -q l --segment 0/3 -o x.mp4
expect 2 "--segment must be K/N" render gqa -q l --segment 4/3 -o x.mp4
expect 2 "--segment must be K/N" render gqa -q l --segment 1/1001 -o x.mp4
expect 2 "--segment must be K/N" render gqa -q l --segment 1/ -o x.mp4
expect 2 "--segment is for .mp4, .webm and .mov" render gqa -q l --segment 1/2 -o x.gif
expect 2 "--segment is for .mp4, .webm and .mov" render gqa -q l --segment 1/2 -o 'x%03d.png'
expect 2 "--jobs is for .mp4, .webm and .mov" render gqa -q l --jobs 2 -o x.gif
expect 2 "need at least 1000 frames" render gqa -q l --only rope --segment 1/1000 -o x.mp4
expect 2 "--segment renders one piece" render gqa -q l --segment 1/2 --jobs 2 -o x.mp4
expect 2 "do not go with --all" render --all --segment 1/2 -o xdir
expect 2 "plan needs --segments" plan gqa -q l -o x.mp4
expect 2 "--segments must be a whole number" plan gqa --segments 0 -o x.mp4
expect 2 "only .mp4, .webm and .mov join" plan gqa --segments 2 -o x.gif
expect 3 "unknown scene" plan xnope --segments 2
# A piece of --jobs that fails stops the others: one line, exit 4, nothing left behind.
status=0
err=$(LD_PRELOAD="$TOOLS/avz_faulty.so" AVZ_FAIL_WRITE_AFTER=200000 \
  ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 "$AVZ" render "${args[@]}" --jobs 3 -o xjobs.mp4 --quiet 2>&1) || status=$?
[ "$status" -eq 4 ] || fail "--jobs with a failing write: exit $status, expected 4"
[ "$(wc -l <<<"$err")" -eq 1 ] || fail "--jobs with a failing write: not one line: $err"
# It names the piece of the output asked for, not the hidden folder's file.
grep -Eq "piece [1-3] of 3 of '[^']*xjobs.mp4'" <<<"$err" && ! grep -q "scratch" <<<"$err" ||
  fail "--jobs with a failing write: the error does not name the piece: $err"
[ -z "$(find . -name 'xjobs*' -o -name '.attnviz-*.scratch')" ] || fail "--jobs left files behind"
# A failed concat leaves the previous output as it was.
cp s.mp4 keep.mp4
"$AVZ" concat $p1 $p3 -o keep.mp4 2>/dev/null && fail "a concat missing a piece succeeded"
cmp -s s.mp4 keep.mp4 || fail "a failed concat changed the previous output"
# Its "wrote" line must arrive too: with stderr full the joined file is put back (exit 4).
echo "previous" >kept.mp4
status=0
"$AVZ" concat $p1 $p2 $p3 -o kept.mp4 2>/dev/full || status=$?
[ "$status" -eq 4 ] || fail "concat with stderr full: exit $status, expected 4"
[ "$(cat kept.mp4)" = previous ] || fail "concat with stderr full replaced its output"
"$AVZ" concat $p1 $p2 $p3 -o kept.mp4 --quiet 2>/dev/full || fail "concat --quiet with stderr full failed"
# Into a closed pipe instead: a broken pipe, exit 5 as for every command.
echo "previous" >kept.mp4
{ sleep 0.3; s=0; "$AVZ" concat $p1 $p2 $p3 -o kept.mp4 2>&1 >/dev/null || s=$?; echo "$s" >cpipe.status; } | true
[ "$(cat cpipe.status)" -eq 5 ] || fail "concat into a closed stderr pipe: exit $(cat cpipe.status), expected 5"
[ "$(cat kept.mp4)" = previous ] || fail "concat into a closed stderr pipe replaced its output"
# A write that fails (a file-size limit here, a full disk alike) names the output, not a piece.
echo "previous" >kept.mp4
status=0
err=$(bash -c 'ulimit -f 8; exec "$@"' _ "$AVZ" concat $p1 $p2 $p3 -o kept.mp4 2>&1) || status=$?
[ "$status" -eq 4 ] || fail "concat past ulimit -f: exit $status, expected 4 ($err)"
grep -q "cannot write '[^']*kept.mp4'" <<<"$err" || fail "concat past ulimit -f: $err"
[ "$(cat kept.mp4)" = previous ] || fail "concat past ulimit -f replaced its output"
finish
