#!/bin/sh
# bench-export.sh — end to end: `touchbase export --format ics` of N due
# contacts through the real daemon on a private bus (client, D-Bus, store,
# libical, the fd). Median of several runs with hyperfine when installed.
#
#   bench/bench-export.sh BUILD_DIR [N]
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
build=$(cd "${1:-build}" && pwd)
n=${2:-30000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
# The live file is not what is measured here.
tb_bench_home "$tmp" '[calendar]
ics-file=none
'
"$build/bench/gen-db" "$(tb_bench_db)" "$n"

dbus-run-session -- sh -c '
  "$0/daemon/touchbased" >/dev/null 2>&1 &
  daemon=$!
  tb="$0/client/touchbase"
  # Wait until it owns its name (no activation file on this bus).
  i=0
  until "$tb" status >/dev/null 2>&1; do
    i=$((i + 1)); [ $i -lt 100 ] || { echo "touchbased did not start" >&2; exit 1; }
    sleep 0.1
  done
  if command -v hyperfine >/dev/null; then
    hyperfine --warmup 1 --runs 7 --export-json "$1/h.json" \
      "$tb export --format ics -o $1/out.ics"
  else
    for i in 1 2 3 4 5; do /usr/bin/time -f "%e s" "$tb" export --format ics -o "$1/out.ics"; done
  fi
  grep -c "^BEGIN:VEVENT" "$1/out.ics" | sed "s/^/events: /"
  kill $daemon
  wait $daemon
' "$build" "$tmp"
