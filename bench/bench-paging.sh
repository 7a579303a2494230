#!/bin/sh
# bench-paging.sh BUILDDIR [N] — what a big network costs the commands
# that list (#11, #13): N (default 1,000,000) connections of a generated
# LinkedIn export imported with --every 90d, so every one is tracked and
# all come due within 90 days. Through the real client and daemon on a
# private session bus, the daemon restarted after the import:
#
#   - round trips (hyperfine -N, median of 5 after a warm-up) of a bare
#     D-Bus Ping, `status`, `show ID`, `search zoe`, `due --within 1d
#     --json` to a pipe, and `due` (the default view) and a Ping on a
#     terminal (script(1), PAGER=cat), so the two compare;
#   - `list --all`, `due --within 1y` and `due --within 1y --json` to a
#     pipe: wall time, rows, the client's max RSS, and the daemon's VmHWM
#     (/proc/PID/status) before and after each.
#
# TB_BENCH_KEEP=1 keeps the folder (database, CSV) and names it;
# TB_BENCH_REUSE=FOLDER measures such a folder again without importing.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

if [ "${TB_BENCH_INNER:-}" = 1 ]; then
  # Inside dbus-run-session.
  build=$1 n=$2 work=$3
  tb="$build/client/touchbase"
  start_daemon() {
    "$build/daemon/touchbased" >>"$work/daemon.log" 2>&1 &
    daemon_pid=$!
    i=0
    until "$tb" status >/dev/null 2>&1; do
      i=$((i + 1))
      [ $i -lt 400 ] || { cat "$work/daemon.log"; exit 1; }
      sleep 0.05
    done
  }
  stop_daemon() {
    kill "$daemon_pid"
    wait "$daemon_pid" || true
  }
  hwm() { awk '/VmHWM/ { print $2 / 1024 " MiB" }' "/proc/$daemon_pid/status"; }
  median() {
    python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("  %-60s median %8.1f ms  (min %.1f, max %.1f)" % (r["command"][:60], r["median"] * 1e3, r["min"] * 1e3, r["max"] * 1e3))' "$1"
  }

  start_daemon
  if [ ! -s "$XDG_DATA_HOME/touchbase/touchbase.db" ]; then
    python3 "$(dirname "$0")/gen-linkedin.py" "$n" >"$work/Connections.csv"
    /usr/bin/time -f "import: %e s" "$tb" import "$work/Connections.csv" \
      --every 90d >/dev/null
  fi
  stop_daemon
  start_daemon
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
  echo "daemon after a restart: VmHWM $(hwm)"
  id=$("$tb" list --limit 1 | cut -f1)
  ping="dbus-send --session --print-reply --dest=io.github.touchbase.Daemon /io/github/touchbase/Daemon org.freedesktop.DBus.Peer.Ping"
  echo "round trips:"
  hyperfine -N --runs 5 --warmup 1 --style none --export-json "$work/h.json" \
    "$ping" "$tb status" "$tb show $id" "$tb search zoe" \
    "$tb due --within 1d --json" >/dev/null 2>&1
  median "$work/h.json"
  echo "on a terminal (script -qec, PAGER=cat):"
  PAGER=cat hyperfine --runs 5 --warmup 1 --style none \
    --export-json "$work/t.json" \
    "script -qec '$ping' /dev/null" "script -qec '$tb due' /dev/null" \
    >/dev/null 2>&1
  median "$work/t.json"
  echo "daemon before the whole lists: VmHWM $(hwm)"
  for cmd in "list --all" "due --within 1y" "due --within 1y --json"; do
    # shellcheck disable=SC2086
    /usr/bin/time -o "$work/time" -f "%e s, client max RSS %M KiB" \
      "$tb" $cmd >"$work/out" 2>"$work/err" ||
      echo "$cmd failed: $(cat "$work/err")"
    printf '%-24s %s, %s lines; daemon VmHWM %s\n' "$cmd:" \
      "$(cat "$work/time")" "$(wc -l <"$work/out")" "$(hwm)"
  done
  stop_daemon
  exit 0
fi

if [ $# -lt 1 ]; then
  echo "usage: $0 BUILDDIR [N]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
n=${2:-1000000}
work=${TB_BENCH_REUSE:-$(mktemp -d "${TMPDIR:-/tmp}/tb-bench.XXXXXX")}
export HOME="$work/home" XDG_DATA_HOME="$work/home/data" \
  XDG_CONFIG_HOME="$work/home/config" XDG_CACHE_HOME="$work/home/cache"
mkdir -p "$HOME" "$XDG_CONFIG_HOME/touchbase" "$XDG_DATA_HOME"
# The live calendar is off: its rebuild would run during the first runs.
printf '[reminders]\nquiet-hours=\n[calendar]\nics-file=none\n' \
  >"$XDG_CONFIG_HOME/touchbase/touchbase.conf"
status=0
TB_BENCH_INNER=1 dbus-run-session -- "$0" "$build" "$n" "$work" 2>&1 |
  grep -v '^dbus-daemon\|X11' || status=$?
if [ -n "${TB_BENCH_KEEP:-}${TB_BENCH_REUSE:-}" ]; then
  echo "kept $work"
else
  rm -rf "$work"
fi
exit $status
