#!/usr/bin/env bash
# The house rules a folder listing promises, checked on the sources:
#  - no include cycle among the library's modules (src/): a module is X.c with its headers X.h,
#    X_internal.h and include/attnviz/X.h; a header no .c file is named after (an interface,
#    such as output/output.h or api.h) passes its includes on to whoever includes it;
#  - the library knows no scene and no command line: src/ includes nothing from scenes/ or tools/;
#  - scenes, built-in or example, use only the public API (attnviz/...) and their own headers;
#  - the command line uses only the public API, its own headers and the built-in scenes' list.
# Usage: layering.sh SOURCE_DIR
set -euo pipefail
cd "$1"
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# includes FILE: the quoted includes of FILE, one a line.
includes() { sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$1"; }
# stem PATH: the module a file belongs to.
stem() {
  local s
  s=$(basename "$1")
  s=${s%.[ch]}
  echo "${s%_internal}"
}

# ── Include cycles among src/'s modules ─────────────────────────────────────────────────
mapfile -t lib_files < <(find src include/attnviz -name '*.[ch]' | sort)
declare -A module_of_c=() path_of=()
for f in "${lib_files[@]}"; do
  [[ $f == *.c ]] && module_of_c[$(stem "$f")]=1
  path_of[$f]=1
done
# resolve FROM NAME: the path an include of NAME in FROM reaches, or nothing (a system header).
resolve() {
  local dir
  dir=$(dirname "$1")
  for candidate in "$dir/$2" "src/$2" "include/$2"; do
    candidate=$(realpath -m --relative-to=. "$candidate")
    [ -n "${path_of[$candidate]:-}" ] && { echo "$candidate"; return; }
  done
}
# reach FILE: the modules FILE depends on, through interface headers.
declare -A reached=()
reach() {
  local name target m
  while read -r name; do
    target=$(resolve "$1" "$name")
    [ -n "$target" ] || continue
    m=$(stem "$target")
    if [ -n "${module_of_c[$m]:-}" ]; then
      echo "$m"
    elif [ -z "${reached[$target]:-}" ]; then
      reached[$target]=1
      reach "$target"
    fi
  done < <(includes "$1")
}
edges=$(mktemp)
trap 'rm -f "$edges" "$edges.loops"' EXIT
for f in "${lib_files[@]}"; do
  m=$(stem "$f")
  [ -n "${module_of_c[$m]:-}" ] || continue
  reached=()
  for d in $(reach "$f" | sort -u); do
    [ "$d" != "$m" ] && echo "$m $d" >>"$edges"
  done
done
sort -u -o "$edges" "$edges"
if ! tsort "$edges" >/dev/null 2>"$edges.loops"; then
  fail "include cycle among src/'s modules: $(grep -v 'input contains a loop' "$edges.loops" |
    sed 's/^tsort: //' | paste -sd' ')"
  while read -r from to; do
    grep -qx "tsort: $from" "$edges.loops" && grep -qx "tsort: $to" "$edges.loops" &&
      echo "  $from -> $to" >&2
  done <"$edges"
fi

# ── Who may include what ────────────────────────────────────────────────────────────────
# check FOLDER ALLOWED-REGEX WHY: every quoted include of FOLDER's files matches ALLOWED-REGEX.
check() {
  local f name
  while read -r f; do
    while read -r name; do
      [[ $name =~ $2 ]] || fail "$f includes \"$name\": $3"
    done < <(includes "$f")
  done < <(find "$1" -name '*.[ch]' | sort)
}
check src '^(attnviz/|[a-z0-9_/]+\.h$)' "the library knows no scene and no command line"
for f in $(find src -name '*.[ch]'); do
  for name in $(includes "$f"); do
    [ -n "$(resolve "$f" "$name")" ] || [[ $name == attnviz/version.h ]] ||
      fail "$f includes \"$name\", which is not the library's"
  done
done
scene_headers=$(find scenes -name '*.h' -printf '%f|' | sed 's/|$//')
check scenes "^(attnviz/[a-z_]+\.h|$scene_headers)$" "scenes use only the public API"
check examples '^attnviz/[a-z_]+\.h$' "an example plug-in uses only the public API"
tool_headers=$(find tools -name '*.h' -printf '%f|' | sed 's/|$//')
check tools "^(attnviz/[a-z_]+\.h|$tool_headers|builtin\.h)$" \
  "the command line uses only the public API and the built-in scenes' list"

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "no include cycle among $(cut -d' ' -f1 "$edges" | sort -u | wc -l) modules; every folder includes only what it may"
