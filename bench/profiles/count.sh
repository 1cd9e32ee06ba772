#!/usr/bin/env bash
# bench/profiles/count.sh: instructions per operation (callgrind, all threads), for before/after
# comparisons that a busy machine does not disturb: one direct read, the same 3 reads one after
# another, one execution of the 3-read profile.
# Usage: bench/profiles/count.sh [BUILD_DIR] [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
N=${2:-200}
BIN=$BUILD/bench/profiles/profiles_count
[ -x "$BIN" ] || { echo "$BIN missing: build the profiles_count target"; exit 1; }
command -v valgrind >/dev/null || { echo "valgrind missing"; exit 1; }

# total OP TIMES: instructions of a whole run (set-up included).
total() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" "$1" "$2" 2>&1 |
    sed -n 's/.*Collected : //p'
}
per_op() { echo $((($(total "$1" $((2 * N))) - $(total "$1" "$N")) / N)); }
read=$(per_op read)
three=$(per_op three)
execution=$(per_op exec)
echo "instructions per operation (callgrind, N=$N):"
printf '  one direct read        %10d\n' "$read"
printf '  3 sequential reads     %10d\n' "$three"
printf '  one profile execution  %10d  (%s x one direct read)\n' "$execution" \
  "$(/usr/bin/python3 -c "print(f'{$execution / $read:.2f}')")"
