#!/usr/bin/env bash
# scripts/fuzz_short.sh: builds the libFuzzer targets with clang and runs each briefly (FUZZ_SECONDS).
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
seconds=${FUZZ_SECONDS:-60}
if [ ! -f build-fuzz/build.ninja ]; then
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCELLAR_BUILD_FUZZ=ON -DCELLAR_BUILD_TESTS=OFF -DCELLAR_BUILD_BENCH=OFF >/dev/null
fi
# Each line: target name, seed corpus folder.
targets=()
while read -r target corpus; do
  [ -n "$target" ] && [ -d "$corpus" ] && targets+=("$target:$corpus")
done < <(sed -e 's/#.*//' fuzz/targets.txt)
status=0
for entry in "${targets[@]}"; do
  target=${entry%%:*}; corpus=${entry#*:}
  cmake --build build-fuzz --target "$target" >/dev/null || { echo "FAIL build $target"; status=1; continue; }
  work=$(mktemp -d)
  if build-fuzz/fuzz/$(basename "$(dirname "$corpus")")/"$target" -max_total_time="$seconds" \
      -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$work/" "$work" "$corpus" >"$work/log" 2>&1; then
    echo "PASS fuzz $target ($seconds s, $(grep -c . "$work/log") log lines)"
  else
    echo "FAIL fuzz $target: see below"; tail -40 "$work/log"; status=1
  fi
  rm -rf "$work"
done
exit $status
