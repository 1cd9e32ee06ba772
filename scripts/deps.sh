#!/usr/bin/env bash
# scripts/deps.sh: installs the Debian packages Cellar builds, tests and benchmarks with (idempotent).
set -euo pipefail
packages=(build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libssl-dev libsqlite3-dev libpq-dev postgresql
  libre2-dev libprotobuf-dev protobuf-compiler libhowardhinnant-date-dev libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev python3-hvac python3-pytest python3-requests python3-jwt
  python3-cryptography wrk nginx-light libclang-rt-14-dev clang-14 tzdata)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing missing packages: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
