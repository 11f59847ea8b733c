#!/usr/bin/env bash
# The SDK as a scene author uses it: the build installed into a prefix, the examples built out
# of the tree against that install (with their CMakeLists.txt and with the cc one-liner), and
# the installed attnviz listing, describing, drawing and rendering each of them by file and by
# name; then every kind of bad plug-in gets its one-line error and exit code, and no crash.
source "$(dirname "$0")/lib.sh" "$@"
build=$(cd "$(dirname "$AVZ")/.." && pwd)

# ── Install, and find the SDK through the installed attnviz.pc only ─────────────────────
P=$OUT/prefix
cmake --install "$build" --prefix "$P" >/dev/null || fail "cmake --install"
AVZ=$P/bin/attnviz # expect runs the installed program from here on
export PKG_CONFIG_PATH=$P/lib/pkgconfig
unset AVZ_SCENE_PATH PKG_CONFIG_LIBDIR
cflags=$(pkg-config --cflags attnviz) || fail "pkg-config does not find the installed attnviz.pc"
[[ $cflags == *"$P/"* ]] || fail "pkg-config --cflags does not point into the install: $cflags"

# ── The examples, copied from the install's docs and built with their CMakeLists.txt ────
examples="figures_token_row grid_attention_heatmap timing_kv_cache"
declare -A scene_of=([figures_token_row]=token-row [grid_attention_heatmap]=attention-heatmap
  [timing_kv_cache]=kv-cache-timing)
declare -A phases_of=([figures_token_row]="tokens,arrows"
  [grid_attention_heatmap]="scores,softmax,highlight" [timing_kv_cache]="cache,memory")
declare -A param_of=([figures_token_row]=tokens [grid_attention_heatmap]=seed
  [timing_kv_cache]=tokens)
src=$OUT/examples
cp -r "$P/share/doc/attnviz/examples" "$src" || fail "the install has no share/doc/attnviz/examples"
for f in CMakeLists.txt README.md; do [ -f "$src/$f" ] || fail "the installed examples lack $f"; done
cmake -S "$src" -B "$OUT/examples-build" -DCMAKE_C_FLAGS=-Werror >"$OUT/cmake.log" 2>&1 \
  || fail "cmake cannot configure the examples: $(tail -5 "$OUT/cmake.log")"
cmake --build "$OUT/examples-build" -j2 >>"$OUT/cmake.log" 2>&1 \
  || fail "the examples do not build warning-free: $(grep -m3 -e error -e warning "$OUT/cmake.log")"
scenes=$OUT/scenes # a folder for AVZ_SCENE_PATH
mkdir -p "$scenes"
for e in $examples; do
  [ -f "$OUT/examples-build/$e.so" ] || fail "CMake built no $e.so (without the lib prefix)"
  cp "$OUT/examples-build/$e.so" "$scenes/" || fail "no $e.so to copy"
done

# The one-liner of the README and plugin.h, as typed, for one example and for the installed
# README's own listing (its first ```c block, in "Write a scene").
one=$OUT/one-liner
mkdir -p "$one"
cp "$src/figures_token_row.c" "$one/mine.c"
awk '/^```c$/ { on = 1; next } /^```$/ && on { exit } on' "$P/share/doc/attnviz/README.md" \
  >"$one/hello.c"
for f in mine hello; do
  # shellcheck disable=SC2046 # the flags are words
  (cd "$one" && cc -shared -fPIC -o "$f.so" "$f.c" $(pkg-config --cflags --libs attnviz)) \
    || fail "the cc one-liner does not build $f.c"
done

# ── The installed attnviz, by file and by name ─────────────────────────────────────────
quick=(--size 160x90 --fps 10 --quiet)
# on_path ARGS...: the installed attnviz with AVZ_SCENE_PATH=$sp (empty: no folder).
sp=""
on_path() { AVZ_SCENE_PATH=$sp "$AVZ" "$@"; }
listing=$(AVZ_SCENE_PATH=$scenes "$AVZ" list) || fail "list with AVZ_SCENE_PATH"
json=$(AVZ_SCENE_PATH=$scenes "$AVZ" list --json) || fail "list --json with AVZ_SCENE_PATH"
for e in $examples; do
  name=${scene_of[$e]} file=$scenes/$e.so
  grep -qE "^$name +$file " <<<"$listing" || fail "list does not show $name from $file: $listing"
  grep -qF "{\"name\":\"$name\",\"summary\":" <<<"$json" || fail "list --json lacks $name: $json"
  grep -qF "\"origin\":\"$file\"" <<<"$json" || fail "list --json lacks $file as an origin"
  for how in file name; do
    if [ "$how" = file ]; then arg=$file sp=""; else arg=$name sp=$scenes; fi
    out=$(on_path phases "$arg" --fps 10 --json) || fail "phases $arg"
    got=$(grep -o '"name":"[a-z]*"' <<<"$out" | cut -d'"' -f4 | paste -sd,)
    [ "$got" = "${phases_of[$e]}" ] || fail "phases $arg: $got, expected ${phases_of[$e]}"
    frames=$(grep -o '"frames":[0-9]*' <<<"$out" | head -1 | cut -d: -f2)
    on_path params "$arg" | grep "^${param_of[$e]} " >/dev/null || fail "params $arg lacks ${param_of[$e]}"
    on_path still "$arg" --at 1 --size 160x90 -o "$OUT/$e.$how.png" || fail "still $arg --at 1"
    "$TOOLS/avz_probe" "$OUT/$e.$how.png" --codec png --size 160x90 >/dev/null \
      || fail "still $arg is not a 160x90 PNG"
    on_path render "$arg" "${quick[@]}" -o "$OUT/$e.$how.mp4" || fail "render $arg"
    "$TOOLS/avz_probe" "$OUT/$e.$how.mp4" --codec h264 --size 160x90 --frames "$frames" \
      --chapter-titles "${phases_of[$e]}" >/dev/null || fail "render $arg: not the video expected"
  done
  cmp -s "$OUT/$e.file.mp4" "$OUT/$e.name.mp4" || fail "$e: by file and by name differ"
done
sp=""
# The one-liner's build draws what CMake's does; the README's scene draws.
"$AVZ" still "$one/mine.so" --at 1 --size 160x90 -o "$OUT/mine.png" || fail "still mine.so"
cmp -s "$OUT/mine.png" "$OUT/figures_token_row.file.png" || fail "mine.so and CMake's build differ"
(cd "$one" && "$AVZ" still hello.so --at end --size 160x90 -o "$OUT/hello.png") \
  || fail "the README's hello.so (named without ./) does not draw"
# A file that is on AVZ_SCENE_PATH too is one plug-in, not two scenes of one name.
AVZ_SCENE_PATH=$scenes "$AVZ" params "$scenes/timing_kv_cache.so" >/dev/null \
  || fail "a plug-in named by its file and found on AVZ_SCENE_PATH clashes with itself"
# PREFIX/lib/attnviz/scenes is searched without AVZ_SCENE_PATH.
cp "$scenes/grid_attention_heatmap.so" "$P/lib/attnviz/scenes/"
beside=$(cd "$P/bin" && pwd -P)/../lib/attnviz/scenes/grid_attention_heatmap.so
"$AVZ" list | grep -E "^attention-heatmap +$beside " >/dev/null \
  || fail "list does not show a plug-in of PREFIX/lib/attnviz/scenes: $("$AVZ" list)"
"$AVZ" phases attention-heatmap >/dev/null || fail "a plug-in of PREFIX/lib/attnviz/scenes by name"
rm "$P/lib/attnviz/scenes/grid_attention_heatmap.so"
# The examples' own checks: a parameter out of range, and one the scene refuses.
expect 3 'parameter size' still "$scenes/grid_attention_heatmap.so" --set size=99 --at 1 \
  -o "$OUT/x.png"
expect 3 'token-row: tokens: 9 given' still "$scenes/figures_token_row.so" \
  --set tokens="a b c d e f g h i" --at 1 -o "$OUT/x.png"

# ── Bad plug-ins: one stderr line, exit 3 (not a usable plug-in) or 4 (cannot read) ────
bad=$OUT/bad
mkdir -p "$bad"
# plugin NAME C-CODE: bad/NAME.so from C-CODE after plugin.h and a build function.
plugin() {
  {
    cat <<'END'
#include <attnviz/plugin.h>
static int build(avz_scene *s, const avz_params *p) {
    (void)p;
    avz_phase(s, "only");
    avz_wait(s, 1);
    return avz_scene_status(s, NULL);
}
END
    printf '%s\n' "$2"
  } >"$bad/$1.c"
  # shellcheck disable=SC2046 # the flags are words
  cc -shared -fPIC -Wall -Wno-unused-function -o "$bad/$1.so" "$bad/$1.c" \
    $(pkg-config --cflags --libs attnviz) 2>"$bad/$1.log" || fail "cannot build $1.so: $(cat "$bad/$1.log")"
}
entry='__attribute__((visibility("default"))) const avz_plugin avz_plugin_entry'
plugin abi99 "static const avz_scene_def def = {\"abi\", \"\", NULL, 0, build};
static const avz_scene_def *const list[] = {&def};
$entry = {99, AVZ_VERSION, list, 1};"
plugin noscenes "$entry = {AVZ_PLUGIN_ABI, AVZ_VERSION, NULL, 0};"
plugin badname 'static const avz_scene_def def = {"Bad Name", "", NULL, 0, build}; AVZ_PLUGIN(&def)'
plugin nobuild 'static const avz_scene_def def = {"no-build", "", NULL, 0, NULL}; AVZ_PLUGIN(&def)'
plugin twin_a 'static const avz_scene_def def = {"twin", "", NULL, 0, build}; AVZ_PLUGIN(&def)'
plugin twin_b 'static const avz_scene_def def = {"twin", "", NULL, 0, build}; AVZ_PLUGIN(&def)'
plugin gqa 'static const avz_scene_def def = {"gqa", "", NULL, 0, build}; AVZ_PLUGIN(&def)'
plugin two 'static const avz_scene_def a = {"alpha", "", NULL, 0, build};
static const avz_scene_def b = {"beta", "", NULL, 0, build}; AVZ_PLUGIN(&a, &b)'
echo 'int avz_not_the_entry(void) { return 0; }' >"$bad/noentry.c"
cc -shared -fPIC -o "$bad/noentry.so" "$bad/noentry.c" || fail "cannot build noentry.so"
echo "a text file, not a shared object" >"$bad/text.so"
mkdir -p "$bad/dir.so"

o=$OUT/x.mp4
expect 3 "text.so is not a plug-in attnviz can load" render "$bad/text.so" -o "$o"
expect 3 "noentry.so is not an attnviz plug-in: it has no avz_plugin_entry" \
  render "$bad/noentry.so" -o "$o"
expect 3 "abi99.so was built for attnviz's plug-in interface 99" render "$bad/abi99.so" -o "$o"
expect 3 "rebuild it against this attnviz's headers" phases "$bad/abi99.so"
expect 3 "noscenes.so lists no scenes" render "$bad/noscenes.so" -o "$o"
expect 3 "badname.so has a scene whose name is not lower-case" params "$bad/badname.so"
expect 3 "scene no-build has no build function" still "$bad/nobuild.so" --at 0 -o "$OUT/x.png"
# What would break the list and params tables, or read back as another number, is refused
# when the plug-in loads; a NULL a build passes is its error, not a crash.
plugin summary_nl 'static const avz_scene_def def = {"summary-nl", "two\nlines", NULL, 0, build};
AVZ_PLUGIN(&def)'
plugin help_tab 'static const avz_param_def ps[] = {AVZ_PARAM_INT("n", "1", 0, 9, "a\tb")};
static const avz_scene_def def = {"help-tab", "", ps, 1, build}; AVZ_PLUGIN(&def)'
plugin twice 'static const avz_param_def ps[] = {AVZ_PARAM_INT("n", "1", 0, 9, "one"),
AVZ_PARAM_INT("n", "2", 0, 9, "two")};
static const avz_scene_def def = {"twice", "", ps, 2, build}; AVZ_PLUGIN(&def)'
plugin huge 'static const avz_param_def ps[] = {
AVZ_PARAM_INT("n", "9223372036854775807", 0, 9223372036854775807.0, "n")};
static const avz_scene_def def = {"huge", "", ps, 1, build}; AVZ_PLUGIN(&def)'
plugin nulltext 'static int nul(avz_scene *s, const avz_params *p) {
    (void)p; avz_phase(s, "only"); avz_text(s, NULL, 24, AVZ_WHITE); avz_wait(s, 1);
    return avz_scene_status(s, NULL); }
static const avz_scene_def def = {"null-text", "", NULL, 0, nul}; AVZ_PLUGIN(&def)'
expect 3 "scene summary-nl's summary holds a control character" params "$bad/summary_nl.so"
expect 3 "scene help-tab: the help of parameter n holds a control character" \
  params "$bad/help_tab.so"
expect 3 "scene twice declares parameter n twice" params "$bad/twice.so"
expect 3 "must be whole numbers from -2^53 to 2^53" params "$bad/huge.so"
expect 3 "null-text: avz_text: utf8 is NULL" still "$bad/nulltext.so" --at 0 -o "$OUT/x.png"
# A plug-in named by its file wins over a scene of its name that is built in or installed.
"$AVZ" phases "$bad/gqa.so" | grep -q "^only " \
  || fail "gqa.so by its file is not the plug-in's scene: $("$AVZ" phases "$bad/gqa.so")"
plugin kvtwin 'static const avz_scene_def def = {"kv-cache-timing", "", NULL, 0, build}; AVZ_PLUGIN(&def)'
AVZ_SCENE_PATH=$scenes "$AVZ" phases "$bad/kvtwin.so" | grep -q "^only " \
  || fail "a rebuilt copy by its file clashes with the installed scene of its name"
expect 3 'holds 2 scenes; pick one' render "$bad/two.so" -o "$o"
expect 3 'has no scene "gamma"' render "$bad/two.so:gamma" -o "$o"
"$AVZ" phases "$bad/two.so:beta" >/dev/null || fail "two.so:beta does not pick a scene"
expect 3 "dir.so is not a file" render "$bad/dir.so" -o "$o"
expect 4 "cannot open plug-in $OUT/nope.so" render "$OUT/nope.so" -o "$o"
expect 4 "cannot open plug-in" render "$OUT/missing/nope.so:alpha" -o "$o"
# A plug-in cut short (a copy not finished): refused before dlopen would SIGBUS on it, by file
# and in a folder, where it would otherwise end every command.
head -c 3000 "$scenes/timing_kv_cache.so" >"$bad/short.so"
expect 3 "short.so is cut short" render "$bad/short.so" -o "$o"
mkdir -p "$OUT/shorts"
cp "$bad/short.so" "$OUT/shorts/"
AVZ_SCENE_PATH=$OUT/shorts expect 3 "short.so is cut short" list
# Built for another machine, or the other word size: said so, not "No such file".
cp "$bad/gqa.so" "$bad/arm.so" && printf '\267\000' | dd of="$bad/arm.so" bs=1 seek=18 conv=notrunc status=none
expect 3 "arm.so is built for another machine (ELF machine 183" phases "$bad/arm.so"
cp "$bad/gqa.so" "$bad/b32.so" && printf '\001' | dd of="$bad/b32.so" bs=1 seek=4 conv=notrunc status=none
expect 3 "b32.so is a 32-bit library; this attnviz is 64-bit" phases "$bad/b32.so"
chmod 000 "$bad/short.so"
[ -r "$bad/short.so" ] || expect 4 "cannot open plug-in" phases "$bad/short.so"
chmod 644 "$bad/short.so"
# A plug-in's own code cannot decide the command's outcome: what it prints on stdout goes to
# stderr (stdout is the report), and exit() from it fails the command with its files put back.
plugin chatty '#include <stdio.h>
__attribute__((constructor)) static void hello(void) { puts("chatty loaded"); }
static int chat(avz_scene *s, const avz_params *p) { printf("chatty builds\n"); return build(s, p); }
static const avz_scene_def def = {"chatty", "", NULL, 0, chat}; AVZ_PLUGIN(&def)'
"$AVZ" phases "$bad/chatty.so" --json >"$OUT/chatty.out" 2>"$OUT/chatty.err" || fail "phases chatty.so"
grep -q "chatty [lb]" "$OUT/chatty.out" && fail "a plug-in's printf reached the --json report: $(cat "$OUT/chatty.out")"
[ "$(head -c 1 "$OUT/chatty.out")" = "{" ] || fail "phases --json of chatty.so: $(cat "$OUT/chatty.out")"
grep -q "chatty loaded" "$OUT/chatty.err" && grep -q "chatty builds" "$OUT/chatty.err" \
  || fail "a plug-in's printf is lost, not on stderr: $(cat "$OUT/chatty.err")"
plugin meddles '#include <signal.h>
#include <stdio.h>
#include <unistd.h>
__attribute__((destructor)) static void bye(void) { puts("meddles unloads"); }
static int meddle(avz_scene *s, const avz_params *p) {
    signal(SIGINT, SIG_IGN); signal(SIGTERM, SIG_IGN); if (chdir("..")) return -1;
    if (fork() == 0) exit(0);
    build(s, p); avz_play(s, 30, avz_fade_in(avz_circle(s, 1, avz_stroke_style(AVZ_WHITE, 2))));
    return avz_scene_status(s, NULL); }
static const avz_scene_def def = {"meddles", "", NULL, 0, meddle}; AVZ_PLUGIN(&def)'
mkdir -p "$OUT/here"
(cd "$OUT/here" && "$AVZ" render "$bad/meddles.so" "${quick[@]}" --json -o m.mp4 >"$OUT/meddles.out" 2>/dev/null) \
  || fail "render meddles.so failed"
[ -f "$OUT/here/m.mp4" ] || fail "a plug-in's chdir moved the output elsewhere: $(ls "$OUT")"
[ "$(wc -l <"$OUT/meddles.out")" -eq 1 ] && [ "$(head -c 1 "$OUT/meddles.out")" = "{" ] \
  || fail "a plug-in's destructor or child broke --json: $(cat "$OUT/meddles.out")"
s=$(interrupt INT 1 render "$bad/meddles.so" -q m -o "$OUT/here/m2.mp4")
[ "$s" -eq 5 ] || fail "a plug-in that ignores SIGINT made the render unstoppable: exit $s"
plugin quits_loading '#include <stdlib.h>
__attribute__((constructor)) static void quit(void) { exit(0); }
static const avz_scene_def def = {"quits-loading", "", NULL, 0, build}; AVZ_PLUGIN(&def)'
plugin quits_building '#include <stdlib.h>
static int quit(avz_scene *s, const avz_params *p) { (void)s; (void)p; exit(0); }
static const avz_scene_def def = {"quits-building", "", NULL, 0, quit}; AVZ_PLUGIN(&def)'
for q in quits_loading quits_building; do
  echo "previous" >"$OUT/kept.mp4"
  who="plug-in $bad/$q.so"
  [ $q = quits_building ] && who="scene quits-building ($bad/$q.so)"
  expect 3 "$who called exit()" render "$bad/$q.so" -o "$OUT/kept.mp4"
  [ "$(cat "$OUT/kept.mp4")" = previous ] || fail "$q.so: the previous video was replaced"
  expect 3 "called exit()" render "$bad/$q.so" -o "$OUT/xseq/f-%03d.png"
  err=$("$AVZ" phases "$bad/$q.so" --json 2>/dev/null) && fail "$q.so: phases --json succeeded"
  [[ $err == '{"error":'*'"exit":3}' ]] || fail "$q.so: phases --json says $err"
done
[ -z "$(find "$OUT" -maxdepth 1 -name '.*attnviz-*')" ] || fail "an exit() in a plug-in left files"

# What a build gets wrong is the scene's failure, exit 3, never a report of "inf", a false
# success or an I/O code; a build in an endless loop of scene calls stops at a signal.
plugin forever 'static int spin(avz_scene *s, const avz_params *p) {
    (void)p; avz_phase(s, "spin"); while (!avz_scene_status(s, NULL)) avz_wait(s, 0); return -1; }
static const avz_scene_def def = {"forever", "", NULL, 0, spin}; AVZ_PLUGIN(&def)'
plugin wrong '#include <float.h>
#include <math.h>
#include <string.h>
static int wrong(avz_scene *s, const avz_params *p) {
    const char *how = avz_param_text(s, p, "how");
    avz_phase(s, !strcmp(how, "name") ? "two words" : "only");
    avz_id dot = avz_circle(s, 0.1, avz_stroke_style(AVZ_WHITE, 2));
    if (!strcmp(how, "wait")) avz_wait(s, DBL_MAX);
    if (!strcmp(how, "move")) avz_play(s, 1.0, avz_move(dot, AVZ_V(INFINITY, 0)));
    if (!strcmp(how, "utf8")) avz_text(s, "\xff\xfe", 24, AVZ_WHITE);
    if (!strcmp(how, "eio")) avz_scene_fail(s, -EIO, "my own I/O code");
    avz_wait(s, 1);
    return !strcmp(how, "return") ? -EINTR : avz_scene_status(s, NULL);
}
static const avz_param_def params[] = {AVZ_PARAM_TEXT("how", "wait", 1, 10, "what goes wrong")};
static const avz_scene_def def = {"wrong", "", params, 1, wrong}; AVZ_PLUGIN(&def)'
expect 3 'phase "only" lasts 1.798e+308 s' phases "$bad/wrong.so" --json
expect 3 'phase "only" lasts 1.798e+308 s' still "$bad/wrong.so" --at end -o "$OUT/x.png"
expect 3 'phase name "two words" is not' phases "$bad/wrong.so" --set how=name
expect 3 'has a shift, destination' render "$bad/wrong.so" --set how=move -o "$o"
expect 3 'invalid UTF-8' storyboard "$bad/wrong.so" --set how=utf8 -o "$OUT/x.png"
expect 4 'my own I/O code' phases "$bad/wrong.so" --set how=eio
expect 3 'its build function failed (-4' phases "$bad/wrong.so" --set how=return
s=$(interrupt INT 0.5 phases "$bad/forever.so")
[ "$s" -eq 5 ] || fail "SIGINT during an endless build: exit $s, expected 5 ($(cat "$OUT/interrupt.err"))"
# A frame of thousands of full-frame shapes (minutes at 4K) stops part-way at a signal.
plugin heavy 'static int pile(avz_scene *s, const avz_params *p) {
    (void)p; avz_phase(s, "pile"); avz_anims shows = {0};
    for (int i = 0; i < 4000; i++)
        avz_anims_add(s, &shows, avz_show(avz_rect(s, 14, 8, avz_box_style(AVZ_WHITE, 0.5, 0.02))));
    avz_play_anims(s, AVZ_AUTO, &shows); avz_wait(s, 1); return avz_scene_status(s, NULL); }
static const avz_scene_def def = {"heavy", "", NULL, 0, pile}; AVZ_PLUGIN(&def)'
echo "previous" >"$OUT/heavy.png"
SECONDS=0
s=$(interrupt INT 2 still "$bad/heavy.so" --at end -q k -o "$OUT/heavy.png")
[ "$s" -eq 5 ] && [ "$SECONDS" -le 12 ] \
  || fail "SIGINT drawing a heavy still: exit $s after $SECONDS s ($(cat "$OUT/interrupt.err"))"
[ "$(cat "$OUT/heavy.png")" = previous ] || fail "SIGINT drawing a heavy still replaced the file"
# The folders on AVZ_SCENE_PATH: every plug-in in them is checked, for every command.
mkdir -p "$OUT/twins" "$OUT/shadow" "$OUT/texts"
cp "$bad/twin_a.so" "$bad/twin_b.so" "$OUT/twins/"
cp "$bad/gqa.so" "$OUT/shadow/"
cp "$bad/text.so" "$OUT/texts/"
AVZ_SCENE_PATH=$OUT/twins expect 3 'two scenes are named "twin"' list
AVZ_SCENE_PATH=$OUT/twins expect 3 'two scenes are named "twin"' render gqa -o "$o"
AVZ_SCENE_PATH=$OUT/shadow expect 3 'two scenes are named "gqa": built-in and' list
AVZ_SCENE_PATH=$OUT/texts expect 3 "is not a plug-in attnviz can load" list
AVZ_SCENE_PATH=$OUT/no-such-folder expect 4 "cannot read the plug-in folder $OUT/no-such-folder" list
AVZ_SCENE_PATH=$scenes:$OUT/no-such-folder expect 4 "(AVZ_SCENE_PATH)" render token-row -o "$o"
# One file reached by several paths is one plug-in: folders given twice, a symlinked folder, the
# installed folder also on AVZ_SCENE_PATH, a file named that a folder also holds.
ln -sfn "$scenes" "$OUT/scenes-link"
once() {
  AVZ_SCENE_PATH=$1 "$AVZ" list >"$OUT/twice.out" 2>&1 || fail "AVZ_SCENE_PATH=$1: $(cat "$OUT/twice.out")"
  [ "$(grep -c "^$2 " "$OUT/twice.out")" -eq 1 ] || fail "AVZ_SCENE_PATH=$1 lists $2 twice"
}
once "$scenes:$scenes" kv-cache-timing
once "$scenes:$OUT/scenes-link" kv-cache-timing
cp "$scenes/timing_kv_cache.so" "$P/lib/attnviz/scenes/"
once "$P/lib/attnviz/scenes" kv-cache-timing
rm "$P/lib/attnviz/scenes/timing_kv_cache.so"
mkdir -p "$OUT/pair"
cp "$bad/two.so" "$OUT/pair/"
AVZ_SCENE_PATH=$OUT/pair expect 3 'has no scene "gamma"' render "$OUT/pair/two.so:gamma" -o "$o"
AVZ_SCENE_PATH=$OUT/pair expect 3 'holds 2 scenes; pick one' phases "$OUT/pair/two.so"
AVZ_SCENE_PATH=$OUT/pair "$AVZ" phases "$OUT/pair/two.so:beta" >/dev/null \
  || fail "two.so:beta, also on AVZ_SCENE_PATH, does not pick a scene"
finish
