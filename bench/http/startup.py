#!/usr/bin/python3
# bench/http/startup.py: dev server start to first healthy response (ms) and idle RSS (MB).
import statistics
import subprocess
import sys
import time
import urllib.request

BIN = sys.argv[1]
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 10

times = []
rss = []
for _ in range(RUNS):
    start = time.monotonic()
    proc = subprocess.Popen([BIN, "server", "-dev", "-dev-listen-address=127.0.0.1:0",
                             "-dev-root-token-id=root", "-log-level=warn"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    addr = None
    for line in iter(proc.stdout.readline, b""):
        if line.startswith(b"Api Address:"):
            addr = line.split(b":", 1)[1].strip().decode()
            break
    while True:
        try:
            with urllib.request.urlopen(addr + "/v1/sys/health", timeout=1) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
    times.append((time.monotonic() - start) * 1000)
    time.sleep(1.0)  # idle
    with open(f"/proc/{proc.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss.append(int(line.split()[1]) / 1024)
    proc.terminate()
    proc.wait()

print(f"startup_ms median={statistics.median(times):.1f} min={min(times):.1f} "
      f"max={max(times):.1f} (n={RUNS})")
print(f"idle_rss_mb median={statistics.median(rss):.1f} max={max(rss):.1f}")
