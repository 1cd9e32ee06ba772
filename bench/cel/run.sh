#!/usr/bin/env bash
# bench/cel/run.sh CASES.json: builds cel_bench, runs the cases through it and through the
# JavaScript engines (@bufbuild/cel, @marcbachmann/cel-js), and prints one table: ns per
# evaluation per case per engine and how many times faster Cellar is than the fastest JS engine.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cases="$(realpath "${1:-$here/cases.json}")"
build="${CELLAR_BENCH_BUILD:-$root/build-cel}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target cel_bench -j2 >/dev/null
(cd "$here" && [ -d node_modules/@marcbachmann ] || npm install --no-audit --no-fund >/dev/null)
"$build/bench/cel/cel_bench" "$cases" --json > /tmp/cel_bench_cpp.json || true
(cd "$here" && node js_bench.mjs "$cases") > /tmp/cel_bench_js.json
python3 - /tmp/cel_bench_cpp.json /tmp/cel_bench_js.json <<'PY'
import json, sys
cpp = {r["name"]: r for r in json.load(open(sys.argv[1]))["results"]}
js = json.load(open(sys.argv[2]))
engines = list(js)
print(f"{'case':22} {'cellar ns':>10} {'native ns':>10} " +
      " ".join(f"{e[:12]+' ns':>15}" for e in engines) + f" {'vs fastest JS':>14} {'vs native':>10}")
for name, r in cpp.items():
    row = [f"{name:22}", f"{r.get('ns_per_eval', float('nan')):10.0f}",
           f"{r['native_ns']:10.0f}" if "native_ns" in r else f"{'-':>10}"]
    fastest = None
    for e in engines:
        jr = next((x for x in js[e] if x["name"] == name), {})
        ns = jr.get("ns_per_eval")
        ok = jr.get("ok")
        row.append(f"{ns:13.0f}{'  ' if ok else ' !'}" if ns else f"{'error':>15}")
        if ns and ok and (fastest is None or ns < fastest):
            fastest = ns
    ours = r.get("ns_per_eval")
    row.append(f"{fastest / ours:13.1f}x" if fastest and ours else f"{'-':>14}")
    row.append(f"{ours / r['native_ns']:9.1f}x" if "native_ns" in r and ours else f"{'-':>10}")
    print(" ".join(row) + ("" if r.get("ok") else "  MISMATCH"))
print("(! = that engine's result did not match `expected`; it is left out of the ratio)")
PY
