#!/usr/bin/env bash
# attnviz installed as a user installs it: `cmake --install` into a prefix that is then moved,
# run from outside the project with the source and build trees out of sight; its manual page
# names every option `--help` lists; its completions complete; and the .deb, unpacked into an
# empty root, runs from there with only the library packages it depends on.
source "$(dirname "$0")/lib.sh" "$@"
build=$(cd "$(dirname "$AVZ")/.." && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)

# Outside both trees, so that hiding them hides nothing the test made.
T=$(mktemp -d /tmp/attnviz-install.XXXXXX)
trap 'rm -rf "$T"' EXIT

# ── cmake --install, then the prefix moved as a whole ─────────────────────────────────
cmake --install "$build" --prefix "$T/prefix" >/dev/null || fail "cmake --install"
mv "$T/prefix" "$T/moved"
P=$T/moved
for f in bin/attnviz lib/libattnviz.so lib/libattnviz.a lib/pkgconfig/attnviz.pc \
  include/attnviz/scene.h include/attnviz/version.h share/attnviz/fonts/LiberationSerif-Regular.ttf \
  share/attnviz/fonts/licenses/Liberation-copyright.txt share/man/man1/attnviz.1 \
  share/bash-completion/completions/attnviz share/zsh/site-functions/_attnviz \
  share/doc/attnviz/LICENSE; do
  [ -e "$P/$f" ] || fail "the install lacks $f"
done
[ -d "$P/lib/attnviz/scenes" ] || fail "the install lacks the plug-in folder lib/attnviz/scenes"
readelf -d "$P/bin/attnviz" | grep 'R.*PATH.*\[\$ORIGIN/\.\./lib\]' >/dev/null \
  || fail "the program does not find its library relative to itself"
# (A sanitized build is exempt: ASan records each global's source file by its full path.)
if ! grep -aq __asan_init "$P/lib/libattnviz.so" &&
  grep -aq "$build\|$root" "$P/bin/attnviz" "$P/lib/libattnviz.so"; then
  fail "the installed files name the build or source tree"
fi

# From /, with the source and build trees hidden where the machine allows a mount namespace.
run_installed() {
  if unshare -m true 2>/dev/null; then
    unshare -m bash -c 'case $2 in "$1"/*) ;; *) mount -t tmpfs none "$2" ;; esac
                        mount -t tmpfs none "$1"; shift 2; cd /; exec "$@"' _ "$root" "$build" "$@"
  else
    (cd / && "$@")
  fi
}
unset AVZ_FONT_DIR AVZ_SCENE_PATH
mkdir -p "$T/made"
run_installed "$P/bin/attnviz" still gqa --at 5 --size 320x180 -o "$T/made/still.png" \
  || fail "the moved install cannot draw a still"
run_installed "$P/bin/attnviz" render gqa --size 160x90 --fps 10 --speed 8 --quiet \
  -o "$T/made/video.mp4" || fail "the moved install cannot render"
"$TOOLS/avz_probe" "$T/made/video.mp4" --codec h264 --size 160x90 >/dev/null \
  || fail "the moved install's video is wrong"
run_installed "$P/bin/attnviz" formula '\frac{QK^\top}{\sqrt{d_k}}' -o "$T/made/f.png" \
  || fail "the moved install cannot typeset a formula"
"$TOOLS/avz_probe" "$T/made/f.png" --codec png >/dev/null || fail "the formula is not a PNG"
# No fonts where they should be: one line naming where it looked and the variable.
mv "$P/share/attnviz/fonts" "$P/share/attnviz/hidden"
err=$(cd / && "$P/bin/attnviz" still gqa --at 1 -o "$T/made/x.png" 2>&1) && fail "ran without fonts"
grep -qF "$P/bin/../share/attnviz/fonts" <<<"$err" || fail "the fonts error names no folder: $err"
grep -qF "AVZ_FONT_DIR" <<<"$err" || fail "the fonts error does not name AVZ_FONT_DIR: $err"
AVZ_FONT_DIR=$P/share/attnviz/hidden "$P/bin/attnviz" still gqa --at 1 --size 64x36 \
  -o "$T/made/y.png" || fail "AVZ_FONT_DIR does not override"
mv "$P/share/attnviz/hidden" "$P/share/attnviz/fonts"

# ── The manual page documents every option, command and exit code --help knows ────────
man_text=$(groff -man -Tutf8 -ww "$P/share/man/man1/attnviz.1" 2>"$OUT/groff.err" | col -b) \
  || fail "the manual page does not format"
[ ! -s "$OUT/groff.err" ] || fail "groff warns about the manual page: $(head -3 "$OUT/groff.err")"
for cmd in $("$P/bin/attnviz" --help | awk '/^commands:/ { on = 1; next } on && !NF { exit } on { print $1 }'); do
  grep -q "^ *$cmd\$" <<<"$man_text" || fail "the manual page has no section for '$cmd'"
  for opt in $("$P/bin/attnviz" help "$cmd" | grep -o -- '--[a-z-]*' | sort -u); do
    grep -qF -- "$opt" <<<"$man_text" || fail "the manual page does not name $opt (of $cmd)"
  done
done
for code in 0 1 2 3 4 5 6; do
  grep -qE "^ +$code +[^ ]" <<<"$man_text" || fail "the manual page does not document exit $code"
done
for var in AVZ_FONT_DIR AVZ_SCENE_PATH; do
  grep -qF "$var" <<<"$man_text" || fail "the manual page does not document $var"
done

# ── bash completion: commands, options, scenes, phases and parameters ─────────────────
complete_with() { # words... : prints what completes the last one
  PATH=$P/bin:$PATH bash -c 'source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _attnviz; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$P/share/bash-completion/completions/attnviz" "$@"
}
bash -n "$P/share/bash-completion/completions/attnviz" || fail "the bash completion does not parse"
complete_with attnviz re | grep -x render >/dev/null || fail "bash: no command completion"
complete_with attnviz render "" | grep -x gqa >/dev/null || fail "bash: no scene completion"
complete_with attnviz render gqa --on | grep -x -- --only >/dev/null || fail "bash: no option completion"
complete_with attnviz render gqa --only heat | grep -x heatmap >/dev/null || fail "bash: no phase completion"
complete_with attnviz render gqa --set kv | grep -x kv_heads= >/dev/null || fail "bash: no parameter completion"
complete_with attnviz still gqa -q "" | grep -x l >/dev/null || fail "bash: no quality completion"
if command -v zsh >/dev/null; then
  zsh -n "$P/share/zsh/site-functions/_attnviz" || fail "the zsh completion does not parse"
fi

# ── The .deb: built by CPack, unpacked into an empty root, run from there ─────────────
(cd "$T" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$T/deb" >/dev/null) \
  || fail "cpack -G DEB"
deb=$(ls "$T"/deb/attnviz_*_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "no attnviz_VERSION_ARCH.deb"
if [ -n "$deb" ]; then
  depends=$(dpkg-deb -f "$deb" Depends)
  grep -q -- '-dev' <<<"$depends" && fail "the .deb depends on -dev packages: $depends"
  for pkg in libavcodec libavformat libcairo2 libfreetype6 libharfbuzz0b; do
    grep -q "$pkg" <<<"$depends" || fail "the .deb does not depend on $pkg: $depends"
  done
  dpkg-deb -x "$deb" "$T/root"
  R=$T/root/usr
  [ -f "$R/share/man/man1/attnviz.1" ] || fail "the .deb has no manual page"
  missing=$(ldd "$R/bin/attnviz" | grep 'not found' || true)
  [ -z "$missing" ] || fail "the unpacked program lacks libraries: $missing"
  # Every library the program and libattnviz link directly comes with the package or from a
  # package it depends on (the rest come with those).
  map=$(ldd "$R/bin/attnviz")
  for so in $(readelf -d "$R/bin/attnviz" "$R"/lib/libattnviz.so.* | awk '/NEEDED/ { print $5 }' |
    tr -d '[]' | sort -u); do
    case $so in libattnviz.so.*) continue ;; esac
    lib=$(awk -v so="$so" '$1 == so { print $3 }' <<<"$map")
    owner=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null) || true
    owner=${owner%%:*}
    case $owner in libc6 | libgcc-s1) continue ;; esac
    grep -qw -- "$owner" <<<"$depends" || fail "$so comes from ${owner:-no package}, not in Depends"
  done
  run_installed "$R/bin/attnviz" --version >"$OUT/version.txt" || fail "the .deb's --version"
  grep -q "^attnviz " "$OUT/version.txt" || fail "--version says: $(cat "$OUT/version.txt")"
  grep -q "libx264" "$OUT/version.txt" || fail "--version does not name libx264"
  run_installed "$R/bin/attnviz" still gqa --at 3 --size 320x180 -o "$T/made/deb.png" \
    || fail "the .deb's program cannot draw a still"
  cmp -s "$T/made/deb.png" "$T/made/still.png" && fail "two different stills are equal"
fi
finish
