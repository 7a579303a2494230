#!/bin/sh
# bench-import.sh BUILDDIR [ROWS...] — imports generated LinkedIn exports
# through the real client into the real daemon on a private session bus,
# end to end, and prints the median wall time of 5 runs (hyperfine when
# available, else a loop of /usr/bin/time) and the daemon's max RSS.
#
# Each run starts from an empty database: the daemon is started, the
# file imported, the daemon stopped. Default sizes: 30000 and 1000000.
# TB_BENCH_CONFIG=FILE: the daemon's touchbase.conf (e.g. one with
# "[calendar] ics-file=none" to leave the live calendar out).
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
  if [ -n "${TB_BENCH_CONFIG:-}" ]; then
    cp "$TB_BENCH_CONFIG" "$XDG_CONFIG_HOME/touchbase/touchbase.conf"
  fi
  start_daemon() {
    rm -rf "$XDG_DATA_HOME"
    /usr/bin/time -f "%M %U %S" -o "$work/rss" "$build/daemon/touchbased" \
      >"$work/daemon.log" 2>&1 &
    daemon_pid=$!
    # Wait until it answers.
    i=0
    until "$build/client/touchbase" status >/dev/null 2>&1; do
      i=$((i + 1))
      [ $i -lt 100 ] || { cat "$work/daemon.log"; exit 1; }
      sleep 0.05
    done
  }
  stop_daemon() {
    # /usr/bin/time passes no signal on: stop the daemon itself, its
    # only child.
    kill "$(pgrep -P "$daemon_pid")"
    wait "$daemon_pid" || true
  }
  for rows in "$@"; do
    csv="$work/Connections-$rows.csv"
    python3 "$here/gen-linkedin.py" "$rows" >"$csv"
    size=$(du -h "$csv" | cut -f1)
    runs=5
    [ "$rows" -le 100000 ] || runs=1
    times=""
    cpus=""
    rss=0
    n=0
    while [ $n -lt $runs ]; do
      start_daemon
      t0=$(date +%s.%N)
      "$build/client/touchbase" import "$csv" >/dev/null
      t1=$(date +%s.%N)
      stop_daemon
      times="$times $(echo "$t1 - $t0" | bc)"
      read -r r u s <"$work/rss"
      cpus="$cpus $(echo "$u + $s" | bc)"
      [ "$r" -gt "$rss" ] && rss=$r
      n=$((n + 1))
    done
    median=$(printf '%s\n' $times | tb_bench_median)
    # The daemon's CPU time (user + sys, whole run): steadier than the
    # wall time when the machine is shared.
    cpu=$(printf '%s\n' $cpus | tb_bench_median)
    # A second import of the same file: every row is a duplicate.
    start_daemon
    "$build/client/touchbase" import "$csv" >/dev/null
    t0=$(date +%s.%N)
    "$build/client/touchbase" import "$csv" >/dev/null
    t1=$(date +%s.%N)
    stop_daemon
    again=$(echo "$t1 - $t0" | bc)
    printf '%8s rows (%s): import %.2f s (median of %d; daemon CPU %.2f s), re-import %.2f s, touchbased max RSS %d MiB\n' \
      "$rows" "$size" "$median" "$runs" "$cpu" "$again" $((rss / 1024))
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
tb_bench_private_bus "$here/bench-import.sh" "$build" "$@"
