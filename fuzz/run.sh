#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 40) each, starting from the seed corpus in
# tests/fuzz-corpus/TARGET/ and the inputs earlier runs kept in BUILD/fuzz-corpus/TARGET/.
# A crash, leak, hang (over 10 s) or broken contract stops that target, leaves the input in
# BUILD/fuzz-crashes/ and makes the script fail.
# usage: fuzz/run.sh BUILD [SECONDS]   (BUILD configured with CC=clang -DAVZ_FUZZ=ON)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
seconds=${2:-40}
status=0
mkdir -p "$build/fuzz-crashes"
for bin in "$build"/fuzz/fuzz_*; do
  name=${bin##*/fuzz_}
  work=$build/fuzz-corpus/$name
  log=$build/fuzz-$name.log
  mkdir -p "$work"
  dict=()
  [ -f "$root/fuzz/$name.dict" ] && dict=(-dict="$root/fuzz/$name.dict")
  if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=4096 \
      -print_final_stats=1 -artifact_prefix="$build/fuzz-crashes/$name-" "${dict[@]}" \
      "$work" "$root/tests/fuzz-corpus/$name" >"$log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    echo "fuzz $name: ${execs:-?} runs in ${seconds} s, $cov, no failures"
  else
    echo "fuzz $name: FAILED; the end of $log:" >&2
    tail -n 60 "$log" >&2
    status=1
  fi
done
exit $status
