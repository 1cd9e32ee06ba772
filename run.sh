#!/usr/bin/env bash
# run.sh: installs what is missing, builds, and starts a dev server (prints address and root token).
set -euo pipefail
cd "$(dirname "$0")"
./scripts/deps.sh
./scripts/build.sh
exec build/cellar server -dev "$@"
