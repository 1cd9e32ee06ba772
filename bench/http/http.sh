#!/usr/bin/env bash
# bench/http/http.sh: KV v2 read throughput with a non-root token vs nginx serving a static JSON
# file of the same size (same run, same wrk settings), a KV v2 write figure, p99 latencies, dev
# server start-up time and idle memory. Usage: bench/http/http.sh [DURATION] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${CELLAR_BIN:-$PWD/build/cellar}
DURATION=${1:-10s}
CONNS=${2:-32}
THREADS=${WRK_THREADS:-2}
command -v wrk >/dev/null || { echo "wrk missing (apt-get install wrk)"; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "nginx missing (apt-get install nginx-light)"; exit 1; }
[ -x "$BIN" ] || { echo "$BIN missing: build first"; exit 1; }

work=$(mktemp -d /tmp/cellar-bench.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# --- Cellar dev server ---
"$BIN" server -dev -dev-listen-address=127.0.0.1:0 -dev-root-token-id=bench-root \
  -log-level=warn >"$work/cellar.out" 2>"$work/cellar.err" &
pids+=($!)
for _ in $(seq 200); do grep -q "^Root Token:" "$work/cellar.out" && break; sleep 0.05; done
ADDR=$(sed -n 's/^Api Address: //p' "$work/cellar.out")
[ -n "$ADDR" ] || { echo "cellar did not start"; cat "$work/cellar.err"; exit 1; }
ROOT=bench-root
api() { curl -sS -H "X-Vault-Token: $ROOT" "$@"; }

api -X POST "$ADDR/v1/secret/data/bench/app" \
  -d '{"data":{"username":"app","password":"correct-horse-battery-staple","host":"db.internal"}}' >/dev/null
# A non-root token that may read the secret (falls back to root while policies are missing).
TOKEN=$ROOT
token_kind="root (policies not available)"
if api -X PUT "$ADDR/v1/sys/policies/acl/bench" \
     -d '{"policy":"path \"secret/data/bench/*\" { capabilities = [\"read\", \"create\", \"update\"] }"}' \
     -o /dev/null -w '%{http_code}' | grep -q '^20'; then
  t=$(api -X POST "$ADDR/v1/auth/token/create" -d '{"policies":["bench"],"ttl":"1h"}' |
      /usr/bin/python3 -c 'import json,sys;print(json.load(sys.stdin)["auth"]["client_token"])' 2>/dev/null || true)
  if [ -n "$t" ]; then TOKEN=$t; token_kind="non-root (policy bench)"; fi
fi
KV_URL="$ADDR/v1/secret/data/bench/app"
curl -sS -H "X-Vault-Token: $TOKEN" "$KV_URL" >"$work/kv.json"
code=$(curl -sS -o /dev/null -w '%{http_code}' -H "X-Vault-Token: $TOKEN" "$KV_URL")
[ "$code" = 200 ] || { echo "KV read with the bench token answered $code"; exit 1; }

# --- nginx serving the same bytes ---
mkdir -p "$work/www" "$work/nginx"
cp "$work/kv.json" "$work/www/kv.json"
chmod -R a+rX "$work/www"
NGINX_PORT=$(free_port)
cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { root $work/www; default_type application/json; }
  }
}
NGINX
"$NGINX" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
pids+=($!)
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/kv.json" && break; sleep 0.05; done

# CPU seconds (user + system) used so far by the given processes.
cpu_of() {
  local ticks=0 p
  for p in "$@"; do ticks=$((ticks + $(awk '{print $14 + $15}' /proc/"$p"/stat))); done
  echo "$ticks"
}

# run_wrk LABEL "SERVER PIDS" wrk-args... → prints "LABEL rps p99 server-CPU-per-request". The CPU
# per request depends much less on other load than req/s does, so it compares runs on a busy box.
run_wrk() {
  local label=$1 pids=$2; shift 2
  local out before after
  # shellcheck disable=SC2086
  before=$(cpu_of $pids)
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@")
  # shellcheck disable=SC2086
  after=$(cpu_of $pids)
  local rps p99 non2xx reqs cpu
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu=$(/usr/bin/python3 -c "print(f'{($after - $before) / $(getconf CLK_TCK) * 1e6 / $reqs:.1f}')")
  printf '%-28s %12s req/s   p99 %-9s server CPU %6s us/req %s\n' "$label" "$rps" "$p99" "$cpu" \
    "${non2xx:+(non-2xx: $non2xx)}"
  echo "$rps" >"$work/rps.$label"
}

echo "== HTTP benchmark: wrk -t$THREADS -c$CONNS -d$DURATION, keep-alive, $(nproc) cores =="
echo "response size: $(wc -c <"$work/kv.json") bytes; token: $token_kind"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
nginx_pids="${pids[1]} $(pgrep -P "${pids[1]}" | tr '\n' ' ')"
run_wrk nginx-static "$nginx_pids" "http://127.0.0.1:$NGINX_PORT/kv.json"
run_wrk cellar-kv2-read "${pids[0]}" -H "X-Vault-Token: $TOKEN" "$KV_URL"
CELLAR_BENCH_TOKEN=$TOKEN run_wrk cellar-kv2-write "${pids[0]}" -s bench/http/write.lua "$ADDR"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
ratio=$(/usr/bin/python3 -c "print(f'{float(open(\"$work/rps.cellar-kv2-read\").read())/float(open(\"$work/rps.nginx-static\").read()):.2f}')")
echo "cellar read / nginx static = $ratio (goal >= 0.50)"
rss=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/"${pids[0]}"/status)
echo "cellar RSS after the run: ${rss} MB"

echo "== dev server start-up and idle memory =="
/usr/bin/python3 bench/http/startup.py "$BIN" 10
