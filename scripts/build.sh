#!/usr/bin/env bash
# scripts/build.sh: configures (once) and builds build/ with Ninja in Release mode.
set -euo pipefail
cd "$(dirname "$0")/.."
# Relative paths in ccache keys let a fresh clone in another folder reuse earlier compilations.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build build
