#!/usr/bin/env bash
# scripts/build.sh: configures (once) and builds build/ with Ninja in Release mode.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build build
