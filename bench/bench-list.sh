#!/bin/sh
# bench-list.sh BUILDDIR [ROWS...] — `touchbase list > /dev/null` of ROWS
# contacts through the real client and the real daemon on a private
# session bus: the median wall time of 5 runs (hyperfine when available,
# else a loop of date +%s.%N), and the client's and the daemon's CPU time
# of one run. Default sizes: 30000 and 1000000.
#
# The contacts come from a generated LinkedIn export imported with
# --every 90d, so every one is tracked and listed. The live calendar is
# off: its rebuild after the import would run during the first runs.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

if [ "${TB_BENCH_INNER:-}" = 1 ]; then
  # Inside dbus-run-session.
  build=$1
  shift
  work=$(mktemp -d "${TMPDIR:-/tmp}/tb-bench.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  tb_bench_home "$work"
  printf '[reminders]\nquiet-hours=\n[calendar]\nics-file=none\n' \
    >"$XDG_CONFIG_HOME/touchbase/touchbase.conf"
  tb="$build/client/touchbase"
  for rows in "$@"; do
    rm -rf "$XDG_DATA_HOME"
    "$build/daemon/touchbased" >"$work/daemon.log" 2>&1 &
    daemon_pid=$!
    i=0
    until "$tb" status >/dev/null 2>&1; do
      i=$((i + 1))
      [ $i -lt 100 ] || { cat "$work/daemon.log"; exit 1; }
      sleep 0.05
    done
    csv="$work/Connections-$rows.csv"
    python3 "$here/gen-linkedin.py" "$rows" >"$csv"
    "$tb" import "$csv" --every 90d >/dev/null
    lines=$("$tb" list | wc -l)
    if command -v hyperfine >/dev/null; then
      hyperfine --runs 5 --warmup 1 --style none --export-json "$work/h.json" \
        "$tb list > /dev/null" >/dev/null
      median=$(tb_bench_hyperfine_median "$work/h.json")
    else
      times=""
      n=0
      while [ $n -lt 5 ]; do
        t0=$(date +%s.%N)
        "$tb" list >/dev/null
        t1=$(date +%s.%N)
        times="$times $(echo "$t1 - $t0" | bc)"
        n=$((n + 1))
      done
      median=$(printf '%s\n' $times | tb_bench_median)
    fi
    # CPU of one run on each side: where the time goes.
    d0=$(awk '{print $14 + $15}' "/proc/$daemon_pid/stat")
    client=$( { /usr/bin/time -f "%U %S" "$tb" list >/dev/null; } 2>&1 |
      awk '{print $1 + $2}')
    d1=$(awk '{print $14 + $15}' "/proc/$daemon_pid/stat")
    daemon=$(echo "scale=2; ($d1 - $d0) / $(getconf CLK_TCK)" | bc)
    kill "$daemon_pid"
    wait "$daemon_pid" || true
    printf '%8s rows: list to a pipe %.3f s (median of 5, %s lines); one run: client CPU %.2f s, daemon CPU %.2f s\n' \
      "$rows" "$median" "$lines" "$client" "$daemon"
  done
  exit 0
fi

if [ $# -lt 1 ]; then
  echo "usage: $0 BUILDDIR [ROWS...]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
shift
[ $# -gt 0 ] || set -- 30000 1000000
tb_bench_private_bus "$here/bench-list.sh" "$build" "$@"
