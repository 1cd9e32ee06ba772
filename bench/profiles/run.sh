#!/usr/bin/env bash
# bench/profiles/run.sh: a profile of 3 independent KV v2 reads versus a client making the same 3
# reads one after another over keep-alive HTTP, in one run against one dev server.
#   latency (one connection, wrk -c1): one direct read, 3 sequential direct reads, one execution;
#     goal: execution <= 1.5x one direct read. Reads and executions alternate in ROUNDS short runs
#     (ROUND_DURATION each) and the ratio is the median of the rounds' ratios: on a shared machine
#     a burst of load then falls on both sides of one round rather than on one side of the ratio.
#   throughput (wrk -cCONNS): direct reads/s next to executions/s.
# Usage: bench/profiles/run.sh [DURATION] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${CELLAR_BIN:-$PWD/build/cellar}
DURATION=${1:-5s}
CONNS=${2:-16}
THREADS=${WRK_THREADS:-2}
ROUNDS=${ROUNDS:-5}
ROUND_DURATION=${ROUND_DURATION:-1s}
command -v wrk >/dev/null || { echo "wrk missing (apt-get install wrk)"; exit 1; }
[ -x "$BIN" ] || { echo "$BIN missing: build first"; exit 1; }

work=$(mktemp -d /tmp/cellar-bench-profiles.XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$BIN" server -dev -dev-listen-address=127.0.0.1:0 -dev-root-token-id=bench-root \
  -log-level=warn >"$work/cellar.out" 2>"$work/cellar.err" &
pid=$!
for _ in $(seq 200); do grep -q "^Root Token:" "$work/cellar.out" && break; sleep 0.05; done
ADDR=$(sed -n 's/^Api Address: //p' "$work/cellar.out")
[ -n "$ADDR" ] || { echo "cellar did not start"; cat "$work/cellar.err"; exit 1; }
api() { curl -sS -f -H "X-Vault-Token: bench-root" "$@"; }
json_field() { /usr/bin/python3 -c "import json,sys;print(json.load(sys.stdin)$1)"; }

for k in a b c; do
  api -X POST "$ADDR/v1/secret/data/bench/$k" \
    -d "{\"data\":{\"user\":\"app-$k\",\"password\":\"correct-horse-battery-staple-$k\"}}" >/dev/null
done
api -X PUT "$ADDR/v1/sys/profiles/modify/bench3" -d "$(/usr/bin/python3 -c 'import json; print(json.dumps({"profile": open("bench/profiles/three_reads.hcl").read()}))')" >/dev/null
api -X PUT "$ADDR/v1/sys/policies/acl/bench" -d '{"policy":"path \"secret/data/bench/*\" { capabilities = [\"read\"] }\npath \"sys/profiles/execute/bench3\" { capabilities = [\"update\"] }"}' >/dev/null
TOKEN=$(api -X POST "$ADDR/v1/auth/token/create" -d '{"policies":["bench"],"ttl":"1h"}' |
        json_field '["auth"]["client_token"]')
export CELLAR_BENCH_TOKEN=$TOKEN
EXEC_URL="$ADDR/v1/sys/profiles/execute/bench3"
READ_URL="$ADDR/v1/secret/data/bench/a"
code=$(curl -sS -o "$work/exec.json" -w '%{http_code}' -X POST -d '{}' -H "X-Vault-Token: $TOKEN" "$EXEC_URL")
[ "$code" = 200 ] || { echo "profile execution answered $code: $(cat "$work/exec.json")"; exit 1; }

# run_wrk LABEL THREADS CONNS wrk-args... → "LABEL rps avg_us p50_us p99_us" in $work/LABEL
run_wrk() {
  local label=$1 threads=$2 conns=$3; shift 3
  local out
  out=$(wrk -t"$threads" -c"$conns" -d"${WRK_DURATION:-$DURATION}" --latency "$@")
  if grep -q "Non-2xx" <<<"$out"; then echo "$label: non-2xx answers"; echo "$out"; exit 1; fi
  /usr/bin/python3 - "$label" "$work/$label" <<PY
import re, sys
out = """$out"""
def us(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    return float(m.group(1)) * {"us": 1, "ms": 1e3, "s": 1e6}[m.group(2)]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
avg = us(re.search(r"Latency\s+(\S+)", out).group(1))
p50 = us(re.search(r"\s50%\s+(\S+)", out).group(1))
p99 = us(re.search(r"\s99%\s+(\S+)", out).group(1))
open(sys.argv[2], "w").write(f"{rps} {avg} {p50} {p99}\n")
PY
}

echo "== profiles benchmark: 3 independent KV v2 reads; wrk, keep-alive; $(nproc) cores;" \
     "load $(cut -d' ' -f1-3 /proc/loadavg) =="
# Latency: one connection, one request at a time.
for round in $(seq "$ROUNDS"); do
  WRK_DURATION=$ROUND_DURATION run_wrk "lat-read-$round" 1 1 -H "X-Vault-Token: $TOKEN" "$READ_URL"
  WRK_DURATION=$ROUND_DURATION run_wrk "lat-exec-$round" 1 1 -s bench/profiles/execute.lua \
    "$EXEC_URL"
done
run_wrk lat-3reads 1 1 -s bench/profiles/three_reads.lua "$ADDR"
# Throughput: CONNS connections.
run_wrk tput-read "$THREADS" "$CONNS" -H "X-Vault-Token: $TOKEN" "$READ_URL"
run_wrk tput-exec "$THREADS" "$CONNS" -s bench/profiles/execute.lua "$EXEC_URL"

/usr/bin/python3 - "$work" "$CONNS" "$ROUNDS" <<'PY'
import statistics, sys
work, conns, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
def read(label):
    rps, avg, p50, p99 = map(float, open(f"{work}/{label}").read().split())
    return dict(rps=rps, avg=avg, p50=p50, p99=p99)
def rounds_of(label):
    runs = [read(f"{label}-{i}") for i in range(1, rounds + 1)]
    return {k: statistics.median(run[k] for run in runs) for k in runs[0]}, runs
(r, reads), (e, execs) = rounds_of("lat-read"), rounds_of("lat-exec")
r3 = read("lat-3reads")
ratios = [x["p50"] / y["p50"] for x, y in zip(execs, reads)]
tr, te = read("tput-read"), read("tput-exec")
print(f"latency, 1 connection (median / p99; reads and executions: median of {rounds} rounds):")
print(f"  one direct read            {r['p50']:8.0f} us  / {r['p99']:8.0f} us")
print(f"  3 sequential direct reads  {3 * r3['p50']:8.0f} us  (3 x median {r3['p50']:.0f} us)")
print(f"  one profile execution      {e['p50']:8.0f} us  / {e['p99']:8.0f} us")
ratio = statistics.median(ratios)
print(f"  execution / one direct read = {ratio:.2f} (goal <= 1.50: {'met' if ratio <= 1.5 else 'NOT met'})"
      f"; rounds: {' '.join(f'{x:.2f}' for x in ratios)}")
print(f"  execution / 3 sequential reads = {e['p50'] / (3 * r3['p50']):.2f}")
print(f"throughput, {conns} connections:")
print(f"  direct reads      {tr['rps']:10.0f} /s")
print(f"  executions        {te['rps']:10.0f} /s  (= {3 * te['rps']:.0f} reads/s inside profiles)")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
