#!/usr/bin/env bash
# The promises an adversarial user tries to break, family by family: standard streams closed
# or broken, every catchable signal, deaths that cannot be caught, a set of files replaced
# together, limits checked up front, odd paths and odd inputs. Each case checks the exit code,
# the one stderr line, the previous file and the folder's listing afterwards.
source "$(dirname "$0")/lib.sh" "$@"
small=(--size 160x90 --fps 10 --speed 8 --quiet)
slow=(-q m --quiet) # long enough to be caught mid-way

previous() { echo "previous good file" >"$1"; cp "$1" "$1.orig"; }
intact() { cmp -s "$1" "$1.orig" || fail "$2: the previous $1 changed"; }
# No file of attnviz's making is left in the folder: no temporary, no lock, no backup.
clean() {
  local left
  left=$(find "${2:-$OUT}" -maxdepth 1 -name '.*attnviz-*')
  [ -z "$left" ] || fail "$1: left $left"
}
probe() { "$TOOLS/avz_probe" "$@" >/dev/null || fail "$("$TOOLS/avz_probe" "$@")"; }
# status CMD...: runs CMD and prints its exit status, whatever it is.
status() { local s=0; "$@" || s=$?; echo "$s"; }

# ── Closed or broken standard streams ────────────────────────────────────────────────
# Closed at start: the video must not become descriptor 2 and swallow the progress.
for closed in "2>&-" "1>&- 2>&-" "0<&- 1>&- 2>&-" "0<&- 2>/dev/null"; do
  t=$OUT/closed.mp4
  rm -f "$t"
  s=$(status eval '"$AVZ" render gqa --size 160x90 --fps 10 --speed 8 -o "$t"' "$closed")
  [ "$s" -eq 0 ] || fail "render with $closed: exit $s"
  probe "$t" --codec h264 --size 160x90
  clean "render with $closed"
done
[ "$(status eval '"$AVZ" list >&- 2>/dev/null')" -eq 4 ] || fail "list with standard output closed did not fail"
# A full device and a closed pipe on standard output are errors, not exit 0.
for cmd in "list" "phases gqa" "phases gqa --json" "params gqa --json" "hash gqa ${small[*]}" \
  "still gqa --at 1 --size 64x36 --json -o $OUT/full.png"; do
  s=$(status eval '"$AVZ" '"$cmd"' >/dev/full 2>"$OUT/full.err"')
  [ "$s" -eq 4 ] || fail "$cmd >/dev/full: exit $s, expected 4"
  grep -q "cannot write to standard output" "$OUT/full.err" || fail "$cmd >/dev/full: $(cat "$OUT/full.err")"
done
rm -f "$OUT/full.png"
{ sleep 0.3; s=0; "$AVZ" list 2>/dev/null || s=$?; echo "$s" >"$OUT/pipe.status"; } | true
[ "$(cat "$OUT/pipe.status")" -eq 5 ] || fail "list into a closed pipe: exit $(cat "$OUT/pipe.status"), expected 5"
# Standard error full or a closed pipe: the render stops, leaves nothing, says so by its code.
t=$OUT/err.mp4
previous "$t"
s=$(status "$AVZ" render gqa --size 160x90 --fps 10 --speed 8 -o "$t" 2>/dev/full)
[ "$s" -eq 4 ] || fail "render with stderr full: exit $s, expected 4"
intact "$t" "stderr full"
clean "stderr full"
# A -v note lost to a full stderr keeps the previous image, as a lost "wrote" line would.
for cmd in "still gqa --at 5" "storyboard gqa --size 160x90" "formula x^3"; do
  previous "$OUT/note.png"
  s=$(status eval '"$AVZ" '"$cmd"' -v -o "$OUT/note.png" 2>/dev/full')
  [ "$s" -eq 4 ] || fail "$cmd -v with stderr full: exit $s, expected 4"
  intact "$OUT/note.png" "$cmd -v, stderr full"
  clean "$cmd -v, stderr full"
done
{ sleep 0.3; s=0; "$AVZ" render gqa --size 160x90 --fps 10 --speed 8 -o "$t" 2>&1 >/dev/null || s=$?
  echo "$s" >"$OUT/epipe.status"; } | true
[ "$(cat "$OUT/epipe.status")" -eq 5 ] || fail "render into a closed stderr pipe: exit $(cat "$OUT/epipe.status")"
intact "$t" "stderr pipe"
clean "stderr pipe"

# A closed standard input is not an empty settings file: its reader says so.
for opt in --params --pacing --cues; do
  for name in - /dev/stdin; do
    s=$(status eval '"$AVZ" phases gqa '"$opt $name"' <&- >/dev/null 2>"$OUT/stdin.err"')
    [ "$s" -eq 4 ] && grep -q "standard input is closed" "$OUT/stdin.err" \
      || fail "$opt $name with stdin closed: exit $s: $(cat "$OUT/stdin.err")"
  done
done

# ── Every terminating signal a program can catch, in every command that writes ───────
# has_mask PID FIELD SIG: whether SIG is in the process's FIELD mask (SigIgn, SigCgt).
has_mask() {
  local mask
  mask=$(awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null)
  [ -n "$mask" ] && (((16#$mask >> ($(kill -l "$3") - 1)) & 1))
}
# wait_catching PID SIG: until the process has its handler for SIG in place (or has ended).
wait_catching() {
  for _ in $(seq 3000); do
    has_mask "$1" SigCgt "$2" || ! kill -0 "$1" 2>/dev/null && return
    sleep 0.02
  done
  fail "process $1 never caught SIG$2"
}
wait_for_temp() {
  for _ in $(seq 1200); do [ -n "$(find "$OUT" -maxdepth 1 -name "$1")" ] && return; sleep 0.05; done
  fail "no temporary file $1 appeared"
}
for sig in HUP INT QUIT TERM PIPE XFSZ USR1 USR2 ALRM XCPU VTALRM PROF IO PWR STKFLT RTMIN RTMAX; do
  t=$OUT/sig.mp4
  previous "$t"
  "$AVZ" render gqa "${slow[@]}" -o "$t" 2>"$OUT/sig.err" &
  pid=$!
  wait_for_temp '.sig.mp4.attnviz-*'
  # Where this test runs under nohup, attnviz keeps SIGHUP ignored: then TERM stops it.
  if has_mask "$pid" SigIgn "$sig"; then
    kill -"$sig" "$pid"
    sleep 0.3
    kill -0 "$pid" 2>/dev/null || fail "SIG$sig, which the parent ignores, stopped attnviz"
    sig=TERM
  fi
  kill -"$sig" "$pid"
  s=0
  wait "$pid" || s=$?
  [ "$s" -eq 5 ] || fail "SIG$sig: exit $s, expected 5 ($(cat "$OUT/sig.err"))"
  [ "$(wc -l <"$OUT/sig.err")" -eq 1 ] || fail "SIG$sig: stderr is not one line: $(cat "$OUT/sig.err")"
  intact "$t" "SIG$sig"
  clean "SIG$sig"
done
# nohup: a SIGHUP the parent ignores does not stop the render, which replaces its file.
t=$OUT/nohup.mp4
previous "$t"
(trap "" HUP && exec "$AVZ" render gqa --size 640x360 --fps 15 --quiet -o "$t") &
pid=$!
wait_for_temp '.nohup.mp4.attnviz-*'
kill -HUP "$pid"
s=0
wait "$pid" || s=$?
[ "$s" -eq 0 ] || fail "an ignored SIGHUP: exit $s, expected 0"
cmp -s "$t" "$t.orig" && fail "an ignored SIGHUP: the file was not replaced"
probe "$t" --size 640x360
clean "nohup"
# The GIF's palette pass, a still, a storyboard and a formula: stopped, or done whole.
for what in gif still storyboard formula; do
  case $what in
  gif) t=$OUT/sig.gif cmd=(render gqa -q m --quiet -o "$t") ;;
  still) t=$OUT/sig.png cmd=(still gqa -q k --at 80 -o "$t") ;;
  storyboard) t=$OUT/sig.png cmd=(storyboard gqa --size 1280x720 -o "$t") ;;
  formula) t=$OUT/sig.png cmd=(formula '\frac{a}{b}' --size 1000 -o "$t") ;;
  esac
  previous "$t"
  "$AVZ" "${cmd[@]}" 2>/dev/null &
  pid=$!
  wait_catching "$pid" TERM # not before: the default action would end it (exit 143)
  kill -TERM "$pid" 2>/dev/null || true
  s=0
  wait "$pid" || s=$?
  case $s in
  5) intact "$t" "SIGTERM during $what" ;;
  0) cmp -s "$t" "$t.orig" && fail "SIGTERM during $what: exit 0 but the file is the old one" ;;
  *) fail "SIGTERM during $what: exit $s" ;;
  esac
  clean "SIGTERM during $what"
done
# A file-size limit with SIGXFSZ at its default (as a CI runner's ulimit -f leaves it) is a
# write error, not a death that leaves the temporary behind.
t=$OUT/fsize.mp4
previous "$t"
s=$(status bash -c 'ulimit -f 16; exec "$@"' _ "$AVZ" render gqa "${small[@]}" -o "$t" 2>"$OUT/fsize.err")
[ "$s" -eq 4 ] || fail "ulimit -f: exit $s, expected 4 ($(cat "$OUT/fsize.err"))"
grep -q "File too large" "$OUT/fsize.err" || fail "ulimit -f: $(cat "$OUT/fsize.err")"
intact "$t" "ulimit -f"
clean "ulimit -f"

# A CPU-time limit's SIGXCPU (soft limit; the hard one would SIGKILL) stops the run cleanly.
t=$OUT/cpu.mp4
previous "$t"
s=$(status bash -c 'ulimit -S -t 1; exec "$@"' _ "$AVZ" render gqa "${slow[@]}" -o "$t" 2>"$OUT/cpu.err")
[ "$s" -eq 5 ] || fail "ulimit -S -t: exit $s, expected 5 ($(cat "$OUT/cpu.err"))"
intact "$t" "ulimit -S -t"
clean "ulimit -S -t"

# ── Deaths that cannot be caught: the next run into the folder cleans up after them ──
mkdir -p "$OUT/killed"
"$AVZ" render gqa "${slow[@]}" -o "$OUT/killed/v.mp4" &
pid=$!
for _ in $(seq 100); do [ -n "$(find "$OUT/killed" -name '.v.mp4.attnviz-*')" ] && break; sleep 0.05; done
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
[ -n "$(find "$OUT/killed" -name '.*attnviz-*')" ] || fail "SIGKILL left nothing to clean (test broken)"
echo "not attnviz's" >"$OUT/killed/.mine.tmp"
# A live render in the same folder keeps its files while another one cleans up.
"$AVZ" render gqa "${slow[@]}" -o "$OUT/killed/live.mp4" 2>/dev/null &
live=$!
for _ in $(seq 100); do [ -n "$(find "$OUT/killed" -name '.live.mp4.attnviz-*')" ] && break; sleep 0.05; done
"$AVZ" render gqa "${small[@]}" -o "$OUT/killed/next.mp4" || fail "the render after a SIGKILL"
[ -z "$(find "$OUT/killed" -name '.v.mp4.attnviz-*')" ] || fail "the dead render's temporary stayed"
[ -n "$(find "$OUT/killed" -name '.live.mp4.attnviz-*')" ] || fail "a live render's temporary was removed"
[ -f "$OUT/killed/.mine.tmp" ] || fail "a file that is not attnviz's was removed"
[ ! -e "$OUT/killed/v.mp4" ] || fail "the killed render left a target"
kill -TERM "$live"
wait "$live" 2>/dev/null || true
rm -f "$OUT/killed/.mine.tmp"
clean "after the kills" "$OUT/killed"
# --jobs killed: its scratch folder of pieces goes with the next render into the folder; a
# file of the user's that only holds the dead render's token stays.
mkdir -p "$OUT/jobs"
"$AVZ" render gqa -q m --quiet --jobs 2 -o "$OUT/jobs/v.mp4" &
pid=$!
for _ in $(seq 200); do [ -n "$(find "$OUT/jobs" -path '*.scratch/*')" ] && break; sleep 0.05; done
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
scratch=$(find "$OUT/jobs" -maxdepth 1 -name '.attnviz-*.scratch')
[ -n "$scratch" ] || fail "--jobs killed left no scratch folder (test broken)"
token=${scratch##*/.attnviz-}
token=${token%.scratch}
echo "mine" >"$OUT/jobs/.notes.attnviz-$token.txt"
"$AVZ" render gqa "${small[@]}" -o "$OUT/jobs/next.mp4" || fail "the render after a killed --jobs"
[ -z "$(find "$OUT/jobs" -name '.attnviz-*')" ] || fail "a killed --jobs left: $(ls -a "$OUT/jobs")"
[ -f "$OUT/jobs/.notes.attnviz-$token.txt" ] || fail "a user's file holding a dead token was removed"

# Stopped while waiting on a FIFO for its settings: "interrupted", as anywhere else.
mkfifo "$OUT/params.fifo"
s=$(interrupt TERM 0.5 phases gqa --params "$OUT/params.fifo")
[ "$s" -eq 5 ] && grep -q "interrupted; no file written" "$OUT/interrupt.err" \
  || fail "SIGTERM waiting on a FIFO: exit $s: $(cat "$OUT/interrupt.err")"

# A replaced file keeps its permissions.
for mode in 600 444 640; do
  "$AVZ" still gqa --at 1 --size 64x36 -o "$OUT/mode.png" && chmod "$mode" "$OUT/mode.png"
  "$AVZ" still gqa --at 2 --size 64x36 -o "$OUT/mode.png" || fail "replacing a $mode file"
  [ "$(stat -c %a "$OUT/mode.png")" = "$mode" ] || fail "a replaced $mode file is $(stat -c %a "$OUT/mode.png")"
  rm -f "$OUT/mode.png"
done

# ── A set of files is replaced together or not at all ───────────────────────────────
# The video and its chapters: the second rename fails, the first is undone.
echo "old video" >"$OUT/set.mp4" && cp "$OUT/set.mp4" "$OUT/set.mp4.orig"
echo "old chapters" >"$OUT/set.vtt" && cp "$OUT/set.vtt" "$OUT/set.vtt.orig"
s=$(status env LD_PRELOAD="$TOOLS/avz_faulty.so" AVZ_FAIL_RENAME_AT=2 \
  ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
  "$AVZ" render gqa "${small[@]}" --chapters "$OUT/set.vtt" -o "$OUT/set.mp4" 2>"$OUT/set.err")
[ "$s" -eq 4 ] || fail "a failed second rename: exit $s ($(cat "$OUT/set.err"))"
intact "$OUT/set.mp4" "a failed second rename"
intact "$OUT/set.vtt" "a failed second rename"
clean "a failed second rename"
# A PNG sequence that fails on its 150th file keeps every old frame, and adds none.
mkdir -p "$OUT/seq"
"$AVZ" render gqa --size 64x36 --fps 10 --quiet -o "$OUT/seq/%04d.png" || fail "the first sequence"
frames=$(ls "$OUT/seq" | wc -l)
[ "$frames" -gt 200 ] || fail "the sequence has $frames frames, too few for this test"
(cd "$OUT/seq" && sha256sum -- *.png >"$OUT/seq.sum")
s=$(status env LD_PRELOAD="$TOOLS/avz_faulty.so" AVZ_FAIL_RENAME_AT=150 \
  ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
  "$AVZ" render gqa --size 64x36 --fps 10 --quiet --transparent -o "$OUT/seq/%04d.png" 2>"$OUT/seq.err")
[ "$s" -eq 4 ] || fail "a sequence failing at file 150: exit $s ($(cat "$OUT/seq.err"))"
(cd "$OUT/seq" && sha256sum -c --quiet "$OUT/seq.sum") || fail "the old sequence did not survive"
[ "$(ls "$OUT/seq" | wc -l)" -eq "$frames" ] || fail "the failed sequence left files"
clean "a failed sequence" "$OUT/seq"

# ── Limits checked up front, in milliseconds, with the limit that was checked ───────
# (Not in a sanitized build: ASan reserves terabytes of shadow memory, which no ulimit -v allows.)
if ldd "$AVZ" | grep libasan >/dev/null; then
  echo "ulimit -v: skipped in a sanitized build"
else
  for cmd in "render gqa -q h -o $OUT/x.mp4" "hash gqa -q h" "still gqa -q k --at 1 -o $OUT/x.png"; do
    err=$( (ulimit -v 300000; "$AVZ" $cmd 2>&1 >/dev/null); echo "exit $?")
    grep -q "exit 2" <<<"$err" || fail "$cmd under ulimit -v 300 MB: $err"
    grep -q "ulimit -v" <<<"$err" || fail "$cmd under ulimit -v: the message names no limit: $err"
  done
  # What fits the estimate runs: the limit the message names, given, is enough.
  need=$( (ulimit -v 300000; "$AVZ" hash gqa -q l --quiet 2>&1 || true) | sed -n 's/.*maps about \([0-9]*\) MiB.*/\1/p')
  if [ -z "$need" ]; then
    fail "hash under ulimit -v gave no estimate"
  elif ! (ulimit -v $(((need + 1) * 1024)); "$AVZ" hash gqa -q l --speed 8 --quiet >/dev/null); then
    fail "hash within its own estimate ($need MiB) failed"
  fi
fi
expect 2 "too large (at most 32767 a side)" storyboard gqa --size 8192x8192 -o "$OUT/x.png"
expect 2 "at most 1000000 are allowed" hash gqa --size 16x16 --fps 240 --speed 0.01
s=$(status bash -c 'ulimit -s 128; exec "$@"' _ "$AVZ" still gqa --at 1 --size 64x36 -o "$OUT/x.png" 2>/dev/null)
[ "$s" -eq 2 ] || fail "ulimit -s 128: exit $s, expected 2"
s=$(status bash -c 'ulimit -s 600; exec "$@"' _ "$AVZ" render gqa "${small[@]}" -o "$OUT/stack.mp4")
[ "$s" -eq 0 ] || fail "ulimit -s 600: exit $s"

# ── A memory budget: met by the encoder's settings, refused up front when it cannot be ──
t="$OUT/budget.mp4"
previous "$t"
expect 2 "needs at least" render gqa -q h --memory 128 -o "$t"
intact "$t" "--memory 128"
expect 2 "--memory must be a whole number of MiB" render gqa --memory 1e3 -o "$t"
expect 2 "--memory must be a whole number of MiB" hash gqa --memory 63
intact "$t" "--memory 63"
need=$( ("$AVZ" render gqa -q h --memory 128 -o "$t" 2>&1 || true) | sed -n 's/.*needs at least \([0-9]*\) MiB.*/\1/p')
budgeted=(render gqa --size 640x360 --fps 10 --only rope --quiet)
"$AVZ" render gqa -q h --fps 10 --only rope --quiet --memory "$need" -o "$OUT/least.mp4" \
  || fail "the smallest budget the message names ($need MiB) did not render"
# The bytes depend on the budget, not on the workers (nor so the machine); a budget that
# shortens the lookahead changes them.
"$AVZ" "${budgeted[@]}" --memory 100 --workers 1 -o "$OUT/m1.mp4" || fail "--memory 100, 1 worker"
"$AVZ" "${budgeted[@]}" --memory 100 --workers 3 -o "$OUT/m3.mp4" || fail "--memory 100, 3 workers"
"$AVZ" "${budgeted[@]}" -o "$OUT/m0.mp4" || fail "no budget"
cmp -s "$OUT/m1.mp4" "$OUT/m3.mp4" || fail "--memory 100: the bytes depend on the workers"
cmp -s "$OUT/m1.mp4" "$OUT/m0.mp4" && fail "--memory 100 encoded as without a budget"
probe "$OUT/m1.mp4" --codec h264
"$AVZ" hash gqa --size 640x360 --fps 10 --only rope --memory 100 --quiet >/dev/null \
  || fail "hash within --memory 100"

# A report that does not arrive undoes the files it reports, in every command that writes:
# standard output full or closed with --json, the previous files stay and none are added.
mkdir -p "$OUT/report/seq"
echo "old frame" >"$OUT/report/seq/0000.png"
for out in r.mp4 r.png seq/%04d.png; do
  case $out in
  r.png) cmd=(still gqa --at 1 --size 64x36 -o "$OUT/report/$out") ;;
  *) cmd=(render gqa --size 160x90 --fps 10 --speed 8 --chapters "$OUT/report/r.vtt" -o "$OUT/report/$out") ;;
  esac
  for stream in ">/dev/full" ">&-"; do
    for f in r.mp4 r.png r.vtt; do previous "$OUT/report/$f"; done
    cp "$OUT/report/seq/0000.png" "$OUT/report/seq.orig"
    s=$(status eval '"$AVZ" "${cmd[@]}" --json' "$stream" '2>"$OUT/report.err"')
    [ "$s" -eq 4 ] || fail "${cmd[0]} -o $out --json $stream: exit $s, expected 4"
    grep -q "cannot write to standard output" "$OUT/report.err" || fail "${cmd[0]} -o $out $stream: $(cat "$OUT/report.err")"
    # No "wrote" line before the error: the files were put back.
    grep -q "wrote" "$OUT/report.err" && fail "${cmd[0]} -o $out $stream: $(cat "$OUT/report.err")"
    for f in r.mp4 r.png r.vtt; do intact "$OUT/report/$f" "${cmd[0]} -o $out --json $stream"; done
    cmp -s "$OUT/report/seq/0000.png" "$OUT/report/seq.orig" || fail "-o $out $stream: an old frame changed"
    [ "$(ls "$OUT/report/seq")" = 0000.png ] || fail "-o $out $stream: frames were added"
    clean "${cmd[0]} -o $out $stream" "$OUT/report"
  done
done
# A folder the command made goes again with the files: a new PNG sequence folder, --all's DIR.
for cmd in "render gqa --size 160x90 --fps 10 --speed 8 -o $OUT/report/new/%04d.png" \
  "render --all --size 64x36 --fps 5 --speed 8 -o $OUT/report/newall"; do
  s=$(status eval '"$AVZ" '"$cmd"' --json >/dev/full 2>/dev/null')
  [ "$s" -eq 4 ] || fail "$cmd --json >/dev/full: exit $s, expected 4"
  [ ! -e "$OUT/report/new" ] && [ ! -e "$OUT/report/newall" ] || fail "$cmd --json >/dev/full: left its folder"
done
# Standard error full: the JSON error says so, not that a signal stopped the render.
err=$("$AVZ" render gqa --size 160x90 --fps 10 --speed 8 --json -o "$OUT/report/r.mp4" 2>/dev/full || true)
jq -e '.exit == 4 and (.error | test("standard error"))' <<<"$err" >/dev/null || fail "stderr full: $err"
# render --all replaces every scene's file at the end or none: stopped during a later scene,
# the first scene's previous file stays; a later scene's file that cannot be written is
# refused before anything is drawn, and the only JSON line is the error.
mkdir -p "$OUT/all"
scenes=$("$AVZ" list --json | jq -r '.scenes[].name')
first=$(head -1 <<<"$scenes") second=$(sed -n 2p <<<"$scenes")
previous "$OUT/all/$first.mp4"
"$AVZ" render --all -q m --speed 2 --quiet -o "$OUT/all" 2>"$OUT/all.err" &
pid=$!
seen=
for _ in $(seq 2400); do
  [ -n "$(find "$OUT/all" -maxdepth 1 -name ".$second.mp4.attnviz-*")" ] && seen=1 && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
[ -n "$seen" ] || fail "render --all: the second scene's file never appeared"
kill -TERM "$pid"
s=0
wait "$pid" || s=$?
[ "$s" -eq 5 ] || fail "render --all stopped in $second: exit $s ($(cat "$OUT/all.err"))"
intact "$OUT/all/$first.mp4" "render --all stopped in $second"
[ "$(ls "$OUT/all" | grep -v '\.orig$')" = "$first.mp4" ] || fail "render --all stopped: left $(ls "$OUT/all" | tr '\n' ' ')"
clean "render --all stopped" "$OUT/all"
mkdir "$OUT/all/$second.mp4"
s=0
timeout 60 "$AVZ" render --all -q k --json -o "$OUT/all" >"$OUT/all.json" 2>"$OUT/all.err" || s=$?
[ "$s" -eq 4 ] || fail "render --all with a folder in the way: exit $s ($(cat "$OUT/all.err"))"
[ "$(wc -l <"$OUT/all.json")" -eq 1 ] && jq -e '.exit == 4' "$OUT/all.json" >/dev/null \
  || fail "render --all with a folder in the way printed: $(cat "$OUT/all.json")"
intact "$OUT/all/$first.mp4" "render --all with a folder in the way"
clean "render --all with a folder in the way" "$OUT/all"

# ── Paths ────────────────────────────────────────────────────────────────────────────
long=$(printf 'v%.0s' $(seq 246)).mp4 # 250 bytes: the longest name a file system takes, less a bit
"$AVZ" render gqa "${small[@]}" -o "$OUT/$long" || fail "a 250-byte file name"
probe "$OUT/$long" --codec h264
clean "a 250-byte file name"
# Names over NAME_MAX (255 bytes) fail before any work: a file's, and a PNG sequence's last
# frame's (249 bytes and %d.png: frame 99 takes 255 bytes, frame 100 256), with no folder made.
s=$(status "$AVZ" render gqa "${small[@]}" -o "$OUT/$(printf 'w%.0s' $(seq 252)).mp4" 2>"$OUT/long.err")
[ "$s" -eq 4 ] && grep -q "longer than 255 bytes" "$OUT/long.err" || fail "a 256-byte name: exit $s, $(cat "$OUT/long.err")"
pattern=$OUT/seqlong/$(printf 'w%.0s' $(seq 249))%d.png
s=$(status "$AVZ" render gqa "${small[@]}" -o "$pattern" 2>"$OUT/long.err")
[ "$s" -eq 4 ] && grep -q "file name of frame 110 of PNG sequence .* would be longer than 255 bytes" "$OUT/long.err" ||
  fail "a PNG pattern too long at its end: exit $s, $(cat "$OUT/long.err")"
[ ! -e "$OUT/seqlong" ] || fail "a PNG pattern too long made its folder"
"$AVZ" render gqa "${small[@]}" --to diagram -o "$pattern" || fail "a PNG pattern that fits for these frames"
[ "$(find "$OUT/seqlong" -name '*.png' | wc -l)" -lt 100 ] || fail "the frames that fit are not fewer than 100"
rm -rf "$OUT/seqlong"
# A symlinked target: the file it points to is replaced, the link stays a link.
mkdir -p "$OUT/real"
echo old >"$OUT/real/v.mp4"
ln -s real/v.mp4 "$OUT/link.mp4"
"$AVZ" render gqa "${small[@]}" -o "$OUT/link.mp4" || fail "render through a symlink"
[ -L "$OUT/link.mp4" ] || fail "the symlink was replaced by a file"
probe "$OUT/real/v.mp4" --codec h264
clean "through a symlink" "$OUT/real"
# A long path is quoted shortened, its cause kept.
deep=$OUT/$(printf 'd%.0s' $(seq 200))/$(printf 'e%.0s' $(seq 200))/$(printf 'f%.0s' $(seq 200))/x.mp4
err=$("$AVZ" render gqa "${small[@]}" -o "$deep" 2>&1 >/dev/null) && fail "rendered into a missing folder"
grep -q "…" <<<"$err" || fail "a long path is not shortened: $err"
grep -q "does not exist" <<<"$err" || fail "a long path's message lost its cause: $err"
[ "${#err}" -lt 600 ] || fail "a long path's message is ${#err} bytes"
# Every byte of a path stays valid JSON.
odd=$OUT/$'odd\x01"\\\xff name'.png
"$AVZ" still gqa --at 1 --size 64x36 --json -o "$odd" >"$OUT/odd.json" || fail "a still to an odd path"
jq -e .file "$OUT/odd.json" >/dev/null || fail "an odd path made invalid JSON: $(cat "$OUT/odd.json")"
err=$("$AVZ" render $'nope\x1b[2J\xff' --json 2>/dev/null || true)
jq -e '.exit == 3' <<<"$err" >/dev/null || fail "an odd scene name made invalid JSON: $err"

# ── Inputs ──────────────────────────────────────────────────────────────────────────
printf '\xef\xbb\xbfdiagram=6\r\n# comment\r\nrope = x2\r\n' >"$OUT/crlf.txt"
"$AVZ" phases gqa --pacing "$OUT/crlf.txt" >"$OUT/crlf.out" || fail "a pacing file with a BOM and CRLF"
grep -qE '^diagram +0\.000 +6\.000' "$OUT/crlf.out" || fail "BOM and CRLF: $(head -2 "$OUT/crlf.out")"
grep -qE '^rope +6\.000 +15\.000 +9\.000' "$OUT/crlf.out" || fail "x2: $(sed -n 3p "$OUT/crlf.out")"
total=$("$AVZ" phases gqa | awk '$1 == "total" { print $3 }')
"$AVZ" still gqa --at "$total" --size 64x36 -o "$OUT/at-total.png" || fail "--at the total phases prints"
"$AVZ" still gqa --at end --size 64x36 -o "$OUT/at-end.png" || fail "--at end"
last=$(($("$AVZ" phases gqa --json | jq .frames) - 1))
"$AVZ" still gqa --frame "$last" --size 64x36 -o "$OUT/last.png" || fail "--frame of the last frame"
cmp -s "$OUT/at-end.png" "$OUT/last.png" || fail "--at end is not the last frame"
cmp -s "$OUT/at-total.png" "$OUT/last.png" || fail "--at $total is not the last frame"
expect 3 "past the last frame" still gqa --frame "$((last + 1))" --size 64x36 -o "$OUT/x.png"

# ── The same mistake, the same code, in every command ───────────────────────────────
expect 3 '--at: unknown phase "bogus"' still gqa --at bogus -o "$OUT/x.png"
expect 3 '--only: unknown phase "bogus"' render gqa --only bogus -o "$OUT/x.mp4"
expect 3 '--phase: unknown phase "bogus"' render gqa --phase bogus=2 -o "$OUT/x.mp4"
expect 3 '--from: unknown phase "bogus"' hash gqa --from bogus
expect 3 '--phase: unknown phase "bogus"' phases gqa --phase bogus=1
printf 'bogus=1\n' >"$OUT/bogus.txt"
expect 3 "$OUT/bogus.txt:1: unknown phase \"bogus\"" storyboard gqa --pacing "$OUT/bogus.txt" -o "$OUT/x.png"
finish
