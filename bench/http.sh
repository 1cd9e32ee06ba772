#!/usr/bin/env bash
# bench/http.sh: the HTTP benchmark's entry point named in issue 4; the script lives in bench/http/.
exec "$(dirname "$0")/http/http.sh" "$@"
