#!/usr/bin/env bash
# scripts/test_postgres.sh start|stop DIR: a private PostgreSQL server for the tests (ctest fixture).
# start: initdb into a fresh temporary directory, listen on 127.0.0.1 at a random free port and
# on a private socket, and write the libpq connection string to DIR/conninfo. stop: shut it down
# and delete its data. PostgreSQL refuses to run as root, so as root it runs as the postgres user.
set -euo pipefail
action="$1"
dir="$(mkdir -p "$2" && cd "$2" && pwd)"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$bindir/initdb" ] || { echo "initdb not found: install postgresql (scripts/deps.sh)" >&2; exit 1; }
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop() {
  [ -f "$dir/datadir" ] || return 0
  local data; data="$(cat "$dir/datadir")"
  as_owner "$bindir/pg_ctl" -D "$data/db" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$data" "$dir/datadir" "$dir/conninfo"
}

case "$action" in
  start)
    stop  # a server left behind by an interrupted run
    data="$(mktemp -d /tmp/cellar-test-postgres.XXXXXX)"
    echo "$data" > "$dir/datadir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$data"
    port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_owner "$bindir/initdb" -D "$data/db" -U postgres --auth=trust --no-sync >/dev/null
    # The superuser needs no password (the tests' own connections); every other user does, so
    # tests can tell a right password from a wrong one (the database engine's credentials).
    printf '%s\n' "local all all trust" "host all postgres 127.0.0.1/32 trust" \
      "host all all 127.0.0.1/32 scram-sha-256" > "$data/db/pg_hba.conf"
    as_owner "$bindir/pg_ctl" -D "$data/db" -l "$data/log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off" >/dev/null \
      || { cat "$data/log" >&2; exit 1; }
    echo "host=127.0.0.1 port=$port user=postgres dbname=postgres" > "$dir/conninfo"
    echo "PostgreSQL for the tests on 127.0.0.1:$port (data in $data)"
    ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
