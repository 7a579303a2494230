#!/bin/sh
# bench-streams.sh BUILDDIR [N] — whether a whole list holds the daemon
# (#11): N (default 1,000,000) connections of a generated LinkedIn export
# imported with --every 90d, the daemon restarted after the import; then,
# through the real client and daemon on a private session bus:
#
#   - `status` asked every 0.2 s while `list --all`, then `export
#     --format csv`, write to /dev/null: the round trips, how many were
#     asked before the client ended, and its wall time;
#   - `list --all --json` to /dev/null: wall time, the client's max RSS,
#     and the largest its memfd grew (/proc/PID/fd, polled every 0.05 s);
#   - the daemon's VmHWM after each.
#
# TB_BENCH_KEEP=1 keeps the folder (database, CSV) and names it;
# TB_BENCH_REUSE=FOLDER measures such a folder again without importing.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

if [ "${TB_BENCH_INNER:-}" = 1 ]; then
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

  start_daemon
  # The daemon makes an empty database as it starts: the CSV tells.
  if [ ! -s "$work/Connections.csv" ]; then
    python3 "$(dirname "$0")/gen-linkedin.py" "$n" >"$work/Connections.csv"
    /usr/bin/time -f "import: %e s" "$tb" import "$work/Connections.csv" \
      --every 90d >/dev/null
  fi
  stop_daemon
  start_daemon
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
  echo "daemon after a restart: VmHWM $(hwm)"
  for cmd in "list --all" "export --format csv"; do
    python3 - "$tb" "$cmd" <<'PY'
import statistics, subprocess, sys, time
tb, cmd = sys.argv[1], sys.argv[2].split()
def status():
    t = time.monotonic()
    subprocess.run([tb, 'status'], stdout=subprocess.DEVNULL, check=True)
    return time.monotonic() - t
idle = [status() for _ in range(5)]
start = time.monotonic()
lister = subprocess.Popen([tb, *cmd], stdout=subprocess.DEVNULL)
during = []
while lister.poll() is None:
    time.sleep(0.2)
    during.append((status(), lister.poll() is None))
took = time.monotonic() - start
inside = [s for s, running in during if running]
print(f'status idle: median {statistics.median(idle) * 1e3:.1f} ms')
print(f'{" ".join(cmd)} to /dev/null: {took:.2f} s; status asked '
      f'{len(during)} times, {len(inside)} answered while it ran')
if during:
    lat = [s for s, _ in during]
    print(f'status meanwhile: median {statistics.median(lat) * 1e3:.1f}'
          f' ms, max {max(lat) * 1e3:.1f} ms')
PY
    echo "daemon after $cmd: VmHWM $(hwm)"
  done
  /usr/bin/time -o "$work/time" -f "%e s, client max RSS %M KiB" \
    "$tb" list --all --json >/dev/null &
  timer=$!
  peak=0
  while kill -0 $timer 2>/dev/null; do
    for pid in $(pgrep -P $timer 2>/dev/null); do
      for fd in /proc/$pid/fd/*; do
        case $(readlink "$fd" 2>/dev/null) in
        /memfd:*)
          size=$(stat -L -c %s "$fd" 2>/dev/null || echo 0)
          [ "$size" -gt "$peak" ] && peak=$size
          ;;
        esac
      done
    done
    sleep 0.05
  done
  wait $timer || echo "list --all --json failed"
  echo "list --all --json: $(cat "$work/time"); memfd at most $((peak / 1024)) KiB; daemon VmHWM $(hwm)"
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
  grep -v '^dbus-daemon\|X11\|evolution\|libedbus' || status=$?
if [ -n "${TB_BENCH_KEEP:-}${TB_BENCH_REUSE:-}" ]; then
  echo "kept $work"
else
  rm -rf "$work"
fi
exit $status
