#!/usr/bin/env bash
# Installs the Debian 12 packages attnviz needs to build, test (clang and its libFuzzer runtime
# for the fuzz run, valgrind, GNU Parallel for the segment tests) and benchmark. Idempotent:
# installs only what is missing. Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(build-essential cmake pkg-config
          libcairo2-dev libpng-dev libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libswresample-dev
          libfreetype-dev libharfbuzz-dev libcmocka-dev jq groff-base bsdextrautils
          clang libclang-rt-14-dev valgrind parallel)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "setup: missing packages: ${missing[*]}; run as root: apt-get install ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: apt-get not found: install these packages by hand: ${missing[*]}" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
