# lib.sh — what the benchmark scripts share: a throwaway home, a private
# session bus, starting and stopping touchbased on it, medians.
# POSIX sh; source it: . "$(dirname "$0")/lib.sh"
#
# Nothing here touches the user's data: every script sets HOME and the
# XDG folders to a temporary folder first, and runs the daemon on a bus of
# its own (dbus-run-session), so an installed touchbased is never reached.
#
# SPDX-License-Identifier: GPL-3.0-or-later

# tb_bench_home DIR [CONFIG]: HOME and the XDG folders under DIR (made
# and exported); CONFIG, when given, is the text of touchbase.conf.
tb_bench_home() {
  export HOME="$1/home" XDG_DATA_HOME="$1/home/data" \
    XDG_CONFIG_HOME="$1/home/config" XDG_CACHE_HOME="$1/home/cache" \
    XDG_STATE_HOME="$1/home/state"
  mkdir -p "$HOME" "$XDG_DATA_HOME/touchbase" "$XDG_CONFIG_HOME/touchbase" \
    "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
  if [ $# -gt 1 ]; then
    printf '%s' "$2" >"$XDG_CONFIG_HOME/touchbase/touchbase.conf"
  fi
}

# tb_bench_db: the database path of the current home.
tb_bench_db() {
  echo "$XDG_DATA_HOME/touchbase/touchbase.db"
}

# tb_bench_private_bus SCRIPT ARGS...: runs SCRIPT again on a bus of its
# own, with TB_BENCH_INNER=1 so it knows it is inside. The bus's own
# chatter (and a notification server's complaint that it has no display)
# is dropped.
tb_bench_private_bus() {
  TB_BENCH_INNER=1 dbus-run-session -- "$@" 2>&1 |
    { grep -v '^dbus-daemon\|X11' || true; }
}

# tb_bench_notification_server LOG: a python-dbusmock notification server
# on the current bus (its calls are timestamped), so no real one is
# activated; sets tb_notify_pid.
tb_bench_notification_server() {
  /usr/bin/python3 -m dbusmock --template notification_daemon \
    -p '{"capabilities": "body body-markup actions"}' >"$1" 2>&1 &
  tb_notify_pid=$!
  gdbus wait --session --timeout 20 org.freedesktop.Notifications
}

# tb_bench_start_daemon BUILD LOG [ARGS...]: starts BUILD's touchbased and
# waits until it owns its name; sets tb_daemon_pid.
tb_bench_start_daemon() {
  _build=$1
  _log=$2
  shift 2
  "$_build/daemon/touchbased" "$@" >"$_log" 2>&1 &
  tb_daemon_pid=$!
  if ! gdbus wait --session --timeout 60 io.github.touchbase.Daemon; then
    cat "$_log" >&2
    return 1
  fi
}

# tb_bench_stop PID: SIGTERM, then waits for it (the daemon frees
# everything and closes its database cleanly).
tb_bench_stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# tb_bench_cpu_ticks PID: user + system CPU time so far, in clock ticks.
tb_bench_cpu_ticks() {
  awk '{print $14 + $15}' "/proc/$1/stat"
}

# tb_bench_wait_idle PID [MAX_SECONDS]: waits until PID has used no CPU
# for a second (a rebuild of the live calendar after a start or an import
# is over), at most MAX_SECONDS (default 120).
tb_bench_wait_idle() {
  _max=${2:-120}
  _prev=$(tb_bench_cpu_ticks "$1")
  _i=0
  while [ "$_i" -lt "$_max" ]; do
    sleep 1
    _now=$(tb_bench_cpu_ticks "$1")
    [ "$_now" != "$_prev" ] || return 0
    _prev=$_now
    _i=$((_i + 1))
  done
  echo "lib.sh: process $1 still busy after $_max s" >&2
}

# tb_bench_median: the median of the numbers on stdin, one a line (the
# lower middle one of an even count).
tb_bench_median() {
  sort -g | awk '{a[NR] = $1} END {if (NR) print a[int((NR + 1) / 2)]}'
}

# tb_bench_hyperfine_median JSON: the median time, in seconds, of the
# first command of a hyperfine --export-json file.
tb_bench_hyperfine_median() {
  python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"
}
