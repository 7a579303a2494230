#!/bin/sh
# bench-import-status.sh BUILDDIR [ROWS] — how long `touchbase status`
# takes while a large import runs: imports a generated LinkedIn export of
# ROWS rows (default 1000000) through the real client into the real
# daemon on a private session bus, runs `touchbase status` every 50 ms
# meanwhile, and prints the import's wall time and the percentiles of
# the status round trips during it, beside the same round trip on the
# idle daemon before.
#
# TB_BENCH_CONFIG=FILE: the daemon's touchbase.conf (e.g. one with
# "[calendar] ics-file=none" to leave the live calendar out).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

if [ "${TB_BENCH_INNER:-}" = 1 ]; then
  # Inside dbus-run-session.
  build=$1
  rows=$2
  work=$(mktemp -d "${TMPDIR:-/tmp}/tb-bench.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  export HOME="$work/home" XDG_DATA_HOME="$work/home/data" \
    XDG_CONFIG_HOME="$work/home/config" XDG_CACHE_HOME="$work/home/cache"
  mkdir -p "$HOME"
  if [ -n "${TB_BENCH_CONFIG:-}" ]; then
    mkdir -p "$XDG_CONFIG_HOME/touchbase"
    cp "$TB_BENCH_CONFIG" "$XDG_CONFIG_HOME/touchbase/touchbase.conf"
  fi
  tb="$build/client/touchbase"
  csv="$work/Connections.csv"
  python3 "$(dirname "$0")/gen-linkedin.py" "$rows" >"$csv"
  "$build/daemon/touchbased" >"$work/daemon.log" 2>&1 &
  daemon_pid=$!
  i=0
  until "$tb" status >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -lt 100 ] || { cat "$work/daemon.log"; exit 1; }
    sleep 0.05
  done

  # One round trip in microseconds.
  status_ms() {
    s0=$(date +%s%N)
    # A daemon that cannot answer makes the client give up after
    # D-Bus's default 25 s: that counts as the time it took.
    "$tb" status >/dev/null 2>&1 || true
    s1=$(date +%s%N)
    echo $(((s1 - s0) / 1000))
  }
  # "p50 p90 p99 max (n)" of the microsecond figures in file $1, in ms.
  percentiles() {
    sort -n "$1" | awk '{a[NR] = $1}
      END {
        p50 = a[int(NR * 0.50 + 0.5) > 0 ? int(NR * 0.50 + 0.5) : 1]
        p90 = a[int(NR * 0.90 + 0.5) > 0 ? int(NR * 0.90 + 0.5) : 1]
        p99 = a[int(NR * 0.99 + 0.5) > 0 ? int(NR * 0.99 + 0.5) : 1]
        printf "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (%d calls)",
          p50 / 1000, p90 / 1000, p99 / 1000, a[NR] / 1000, NR
      }'
  }

  : >"$work/idle"
  n=0
  while [ $n -lt 40 ]; do
    status_ms >>"$work/idle"
    sleep 0.05
    n=$((n + 1))
  done

  : >"$work/during"
  t0=$(date +%s.%N)
  "$tb" import "$csv" >/dev/null &
  import_pid=$!
  while kill -0 "$import_pid" 2>/dev/null; do
    status_ms >>"$work/during"
    sleep 0.05
  done
  wait "$import_pid"
  t1=$(date +%s.%N)
  kill "$daemon_pid"
  wait "$daemon_pid" || true

  printf '%8s rows: import %.2f s; status idle: %s\n' "$rows" \
    "$(echo "$t1 - $t0" | bc)" "$(percentiles "$work/idle")"
  printf '%8s       status during the import: %s\n' "" \
    "$(percentiles "$work/during")"
  exit 0
fi

if [ $# -lt 1 ]; then
  echo "usage: $0 BUILDDIR [ROWS]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
TB_BENCH_INNER=1 exec dbus-run-session -- "$0" "$build" "${2:-1000000}" 2>&1 |
  grep -v '^dbus-daemon\|X11'
