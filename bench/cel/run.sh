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
# This machine's CPU speed drifts over minutes, so C++ and JS run in alternating rounds
# (ROUNDS, default 3) and each engine's best round per case is reported.
rounds="${ROUNDS:-3}"
out="$(mktemp -d)"
for r in $(seq 1 "$rounds"); do
  "$build/bench/cel/cel_bench" "$cases" --json > "$out/cpp.$r.json" || true
  (cd "$here" && node js_bench.mjs "$cases") > "$out/js.$r.json"
done
python3 - "$out" "$rounds" <<'PY'
import json, sys
out, rounds = sys.argv[1], int(sys.argv[2])

def best(rows_by_round, key_fields):
    # Per case, the round with the lowest ns_per_eval for each timed field.
    merged = {}
    for rows in rows_by_round:
        for r in rows:
            m = merged.setdefault(r["name"], dict(r))
            for f in key_fields:
                if f in r and (f not in m or r[f] < m[f]):
                    m[f] = r[f]
    return merged

cpp = best([json.load(open(f"{out}/cpp.{i}.json"))["results"] for i in range(1, rounds + 1)],
           ["ns_per_eval", "native_ns"])
js_rounds = [json.load(open(f"{out}/js.{i}.json")) for i in range(1, rounds + 1)]
engines = list(js_rounds[0])
js = {e: list(best([jr[e] for jr in js_rounds], ["ns_per_eval"]).values()) for e in engines}
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
print(f"(best of {rounds} alternating rounds per engine and case)")
PY
rm -rf "$out"
