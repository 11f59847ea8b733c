#!/usr/bin/env bash
# The whole test suite, as CI runs it: set up, build and run every test, then again with
# AddressSanitizer and UndefinedBehaviorSanitizer, then a short fuzz run of every fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs=$(nproc 2>/dev/null || echo 2)

# Warnings fail the build here, the bench tools' included, so none slips in unseen.
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAVZ_BENCH=ON \
  -DCMAKE_COMPILE_WARNING_AS_ERROR=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DAVZ_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

# 30 s a target from the seed corpus; `fuzz/run.sh build-fuzz SECONDS` runs a long one.
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAVZ_FUZZ=ON \
  -DAVZ_TESTS=OFF >/dev/null
cmake --build build-fuzz -j"$jobs"
fuzz/run.sh build-fuzz 30
