#!/bin/bash
# run.sh — touchbased beside the daemons people run instead (calcurse
# --daemon, remind -z1), measured from outside in one run, written to
# bench/RESULTS.md. See bench/README.md ("run.sh").
#
#   bench/run.sh [--quick] [--build DIR] [--out FILE] [--update-readme]
#
# --quick: tiny sizes, two runs, 2 s idle windows and no minute-long waits
#   for the peers (a smoke test of the script itself, under a minute);
#   writes to a temporary RESULTS unless --out is given.
# --build DIR: the release build to use (default: build-bench in the
#   tree; configured and built when needed). --no-build: use it as it is.
# --update-readme: copy the summary table of RESULTS.md into README.md
#   (between the bench:begin and bench:end marks) and exit.
# TB_BENCH_KEEP=1 keeps the work folder.
#
# Everything runs with a throwaway HOME and XDG folders and on private
# session buses (dbus-run-session): the user's data and daemon are never
# touched.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(dirname "$here")
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

# ------------------------------------------------------------ settings

settings() {
  if [ "$quick" = 1 ]; then
    small=300 big=3000 runs=2 import_runs=1 idle=2 peer_runs=0
  else
    small=30000 big=1000000 runs=5 import_runs=3 idle=60 peer_runs=5
  fi
  export small big runs import_runs idle peer_runs quick
}

log() {
  printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2
}

# record KEY VALUE...: one figure of this run, into the phase's file.
record() {
  local key=$1
  shift
  printf '%s\t%s\n' "$key" "$*" >>"$work/results.${phase:-main}"
}

now_s() {
  date +%s.%N
}

# ms A B: (B - A) in milliseconds, A and B in seconds with a fraction.
ms() {
  awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", (b - a) * 1000}'
}

# Sleeps until the epoch time T (seconds, with a fraction).
sleep_until() {
  local d
  d=$(awk -v t="$1" -v n="$(now_s)" 'BEGIN {d = t - n; print (d > 0 ? d : 0)}')
  sleep "$d"
}

percentile() { # P < numbers, one a line
  sort -g | awk -v p="$1" '{a[NR] = $1}
    END {if (!NR) exit; i = int(p / 100 * NR + 0.999999); if (i < 1) i = 1
         if (i > NR) i = NR; print a[i]}'
}

perf_works() {
  command -v perf >/dev/null &&
    perf stat -x, -e instructions true 2>&1 >/dev/null | grep -q '^[0-9]'
}

# syscalls_of FILE: the calls counted by strace -c, less the restarts
# that attaching itself causes (an interrupted sleep is restarted).
syscalls_of() {
  awk '$NF == "total" {t = $4} $NF == "restart_syscall" {r = $4}
       END {print (t ? t : 0) - (r ? r : 0)}' "$1"
}

# idle_window NAME PID SECONDS: system calls, CPU time and (where perf
# works) instructions of PID over SECONDS, recorded as NAME.*.
idle_window() {
  local name=$1 pid=$2 secs=$3 c0 c1 pp=""
  c0=$(tb_bench_cpu_ticks "$pid")
  if perf_works; then
    perf stat -x, -e instructions -p "$pid" -o "$work/$name.perf" \
      -- sleep "$secs" 2>/dev/null &
    pp=$!
  fi
  timeout -s INT "$secs" strace -c -f -p "$pid" -o "$work/$name.strace" \
    >/dev/null 2>&1 || true
  [ -z "$pp" ] || wait "$pp" || true
  c1=$(tb_bench_cpu_ticks "$pid")
  record "$name.syscalls" "$(syscalls_of "$work/$name.strace")"
  record "$name.cpu_ms" "$(awk -v a="$c0" -v b="$c1" -v t="$(getconf CLK_TCK)" \
    'BEGIN {printf "%.0f", (b - a) * 1000 / t}')"
  if [ -n "$pp" ]; then
    record "$name.instructions" "$(awk -F, '/instructions/ {print $1}' "$work/$name.perf")"
  fi
}

# memory NAME PID: VmRSS, VmHWM, the private part (RssAnon) and PSS, KiB.
memory() {
  local name=$1 pid=$2
  record "$name.rss_kb" "$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")"
  record "$name.hwm_kb" "$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")"
  record "$name.anon_kb" "$(awk '/^RssAnon/ {print $2}' "/proc/$pid/status")"
  record "$name.pss_kb" "$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")"
}

# hyper NAME CMD: median of $runs runs after a warm-up (hyperfine), in ms.
# A command slower than 3 s a run gets 3 runs, the first of which is the
# run that found it slow (no warm-up), said so.
hyper() {
  local name=$1 cmd=$2 n=$runs w=1 t0 t1 first=""
  t0=$(now_s)
  bash -c "$cmd" >/dev/null 2>&1 || true
  t1=$(now_s)
  if awk -v a="$t0" -v b="$t1" 'BEGIN {exit !(b - a > 3)}'; then
    n=2 w=0 first=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')
    record "$name.note" "3 runs, no warm-up: one run takes $(ms "$t0" "$t1") ms"
  fi
  if command -v hyperfine >/dev/null; then
    local shell=-N
    # A redirection needs the shell (whose start hyperfine subtracts).
    case $cmd in *'>'*) shell="" ;; esac
    hyperfine $shell --warmup "$w" --runs "$n" --style none \
      --export-json "$work/$name.json" "$cmd" >/dev/null 2>&1
    record "$name.ms" "$(python3 -c 'import json, statistics, sys
times = json.load(open(sys.argv[1]))["results"][0]["times"]
times += [float(sys.argv[2])] if sys.argv[2] else []
print("%.1f" % (statistics.median_low(times) * 1000))' "$work/$name.json" "$first")"
  else
    local i times=""
    [ -z "$first" ] || times=$(awk -v f="$first" 'BEGIN {print f * 1000}')
    for i in $(seq "$n"); do
      t0=$(now_s)
      bash -c "$cmd" >/dev/null 2>&1 || true
      t1=$(now_s)
      times="$times $(ms "$t0" "$t1")"
    done
    record "$name.ms" "$(printf '%s\n' $times | tb_bench_median)"
  fi
  [ -z "$first" ] || n=$((n + 1))
  record "$name.runs" "$n"
}

tb() {
  "$build/client/touchbase" "$@"
}

# After the last activity, before an idle window: GLib lets a thread of
# its pool that has had nothing to do for 15 s go (two system calls, once).
settle() {
  [ "$quick" = 1 ] || sleep 16
}

# notify_times PATTERN: epoch times of the Notify calls whose summary or
# body contains PATTERN, one a line, as dbus-monitor saw them pass (the
# mock server's own timestamps are whole seconds).
notify_times() {
  awk -v p="$1" '
    /^method call time=/ && /member=Notify$/ {split($3, a, "="); t = a[2]; n = 0; next}
    /^(method|signal|error)/ {t = ""; next}
    t != "" && /^   string "/ {n++; if ((n == 3 || n == 4) && index($0, p)) {print t; t = ""}}
  ' "$work/$phase.monitor"
}

# monitor: records the Notify calls on the current bus (dbus-monitor).
monitor() {
  dbus-monitor --session \
    "type='method_call',interface='org.freedesktop.Notifications',member='Notify'" \
    >"$work/$phase.monitor" 2>/dev/null &
  sleep 0.5
}

iso_utc() {
  date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ
}

# due_at NAME T: a contact NAME due at epoch second T (every 1d, last
# talked to a day before T).
due_at() {
  tb add "$1" --every 1d >/dev/null
  tb log "$1" --at "$(iso_utc $(($2 - 86400)))" >/dev/null
}

wait_for_notify() { # PATTERN MAX_SECONDS
  local i=0
  while [ "$i" -lt $(($2 * 20)) ]; do
    [ -z "$(notify_times "$1")" ] || return 0
    sleep 0.05
    i=$((i + 1))
  done
  return 1
}

# ---------------------------------------------------------- the phases

# Import of the big LinkedIn export, $import_runs times from an empty
# database, with `status` asked in a loop meanwhile; the last database
# stays for the next phase.
phase_import() {
  local r t0 t1 poller c0 c1 n=$import_runs
  for r in $(seq "$import_runs"); do
    [ "$r" -le "$n" ] || break
    rm -rf "$work/big"
    tb_bench_home "$work/big" $'[reminders]\nquiet-hours=\n'
    tb_bench_start_daemon "$build" "$work/import-$r.log"
    rm -f "$work/import-stop"
    (
      # Every call that began before the import ended.
      while [ ! -e "$work/import-stop" ]; do
        a=$(now_s)
        timeout 60 "$build/client/touchbase" status >/dev/null 2>&1 || true
        b=$(now_s)
        echo "$(ms "$a" "$b")" >>"$work/status-during-import"
        sleep 0.1
      done
    ) &
    poller=$!
    c0=$(tb_bench_cpu_ticks "$tb_daemon_pid")
    t0=$(now_s)
    tb import "$work/big.csv" --every 90d >/dev/null
    t1=$(now_s)
    c1=$(tb_bench_cpu_ticks "$tb_daemon_pid")
    touch "$work/import-stop"
    wait "$poller" || true
    record import.s "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')"
    # The whole run is to take minutes: a slow machine gets one run.
    if [ "$r" = 1 ] && [ "$n" -gt 1 ] &&
      awk -v a="$t0" -v b="$t1" 'BEGIN {exit !(b - a > 60)}'; then
      n=1
      record import.note "1 run: it took $(ms "$t0" "$t1") ms, so more would not fit the run's 15 minutes"
    fi
    record import.cpu_s "$(awk -v a="$c0" -v b="$c1" -v t="$(getconf CLK_TCK)" \
      'BEGIN {printf "%.2f", (b - a) / t}')"
    record import.hwm_kb "$(awk '/^VmHWM/ {print $2}' "/proc/$tb_daemon_pid/status")"
    # A first look-up of a tracked name for the next phase.
    [ "$r" != "$n" ] || tb add "Bench Probe" --every 30d >/dev/null
    tb_bench_wait_idle "$tb_daemon_pid" 300
    tb_bench_stop "$tb_daemon_pid"
  done
  cp "$work/status-during-import" "$work/status-lat"
  record status_import.n "$(wc -l <"$work/status-lat")"
  for p in 50 90 99 100; do
    record "status_import.p$p" "$(percentile "$p" <"$work/status-lat")"
  done
}

# The big database: restarts (ready, memory), the idle daemon once the
# daily limit is spent, round trips.
phase_big() {
  local r t0 t1 w
  tb_bench_home "$work/big"
  # One first alert a day, spent on an overdue contact below: then every
  # contact that comes due is held to tomorrow.
  printf '[reminders]\nquiet-hours=\ndaily-limit=1\n' \
    >"$XDG_CONFIG_HOME/touchbase/touchbase.conf"
  tb_bench_notification_server "$work/big-notify.log"
  for r in $(seq "$runs"); do
    gdbus wait --session --timeout 60 io.github.touchbase.Daemon &
    w=$!
    sleep 0.2
    t0=$(now_s)
    "$build/daemon/touchbased" >"$work/big-$r.log" 2>&1 &
    tb_daemon_pid=$!
    wait "$w"
    t1=$(now_s)
    record big.ready_ms "$(ms "$t0" "$t1")"
    # CPU time until then (schedstat: ns on a CPU), which the load of
    # the machine does not stretch as it does the wall time.
    record big.ready_cpu_ms "$(awk '{printf "%.1f", $1 / 1e6}' "/proc/$tb_daemon_pid/schedstat")"
    tb_bench_wait_idle "$tb_daemon_pid" 300
    memory big.restart "$tb_daemon_pid"
    [ "$r" = "$runs" ] || tb_bench_stop "$tb_daemon_pid"
  done
  # Spend the day's first alert; contacts of a paced import come due all
  # the time after it.
  tb add "Limit Probe" --every 30d >/dev/null
  tb log "Limit Probe" --at -40d >/dev/null
  local i=0
  while [ "$i" -lt 60 ]; do
    if tb status --json | /usr/bin/python3 -c 'import json, sys
s = json.load(sys.stdin)
sys.exit(0 if s["alerts_started_today"] >= s["daily_limit"] else 1)'; then
      break
    fi
    sleep 1
    i=$((i + 1))
  done
  record big.limit_spent_after_s "$i"
  tb_bench_wait_idle "$tb_daemon_pid" 300
  settle
  idle_window big.idle "$tb_daemon_pid" "$idle"
  record big.held "$(tb status --json | /usr/bin/python3 -c 'import json, sys
print(json.load(sys.stdin).get("held_by_daily_limit", 0))')"

  hyper big.ping "dbus-send --session --print-reply --dest=io.github.touchbase.Daemon /io/github/touchbase/Daemon org.freedesktop.DBus.Peer.Ping"
  hyper big.status "$build/client/touchbase status"
  hyper big.show "$build/client/touchbase show 'Bench Probe'"
  hyper big.search "$build/client/touchbase search zoe"
  hyper big.due "$build/client/touchbase due"
  hyper big.due_json "$build/client/touchbase due --within 1d --json"
  tb_bench_stop "$tb_daemon_pid"
  kill "$tb_notify_pid" 2>/dev/null || true
  touch "$work/big.done"
}

# The small network: idle with nothing due, lateness, SIGSTOP over a due
# time, a due time passed while not running, restarts, list.
phase_small() {
  local r t0 t1 t name
  tb_bench_home "$work/small" \
    $'[reminders]\nquiet-hours=\ndaily-limit=1000\n'
  tb_bench_notification_server "$work/small-notify.log"
  monitor
  tb_bench_start_daemon "$build" "$work/small.log"
  tb_bench_wait_idle "$tb_daemon_pid" 120
  settle
  idle_window small.idle "$tb_daemon_pid" "$idle"
  # The timings wait for the big phase: one thing at a time.
  t=0
  while [ ! -e "$work/big.done" ] && [ "$t" -lt 900 ]; do
    sleep 1
    t=$((t + 1))
  done

  # Lateness: contacts due a second apart, from the mock server's
  # timestamp of each Notify.
  t=$(($(date +%s) + 3))
  for r in $(seq "$runs"); do due_at "Late Probe $r" $((t + r)); done
  sleep_until $((t + runs + 2))
  for r in $(seq "$runs"); do
    wait_for_notify "Late Probe $r" 5 || true
    t1=$(notify_times "Late Probe $r" | head -1)
    [ -z "$t1" ] || record small.late_ms "$(ms $((t + r)) "$t1")"
  done

  # Stopped (SIGSTOP) over its due time: shown within ... of SIGCONT, once.
  for r in $(seq "$runs"); do
    name="Stop Probe $r"
    t=$(($(date +%s) + 3))
    due_at "$name" "$t"
    sleep_until $((t - 1))
    kill -STOP "$tb_daemon_pid"
    sleep_until $((t + 1))
    t0=$(now_s)
    kill -CONT "$tb_daemon_pid"
    wait_for_notify "$name" 5 || true
    sleep 1.5
    t1=$(notify_times "$name" | head -1)
    [ -z "$t1" ] || record small.sigcont_ms "$(ms "$t0" "$t1")"
    record small.sigcont_count "$(notify_times "$name" | wc -l)"
  done

  # Not running at its due time: shown once, at start; then the idle
  # daemon's memory after the restart.
  for r in $(seq "$runs"); do
    name="Down Probe $r"
    t=$(($(date +%s) + 2))
    due_at "$name" "$t"
    tb_bench_stop "$tb_daemon_pid"
    sleep_until $((t + 1))
    t0=$(now_s)
    "$build/daemon/touchbased" >>"$work/small.log" 2>&1 &
    tb_daemon_pid=$!
    wait_for_notify "$name" 10 || true
    t1=$(notify_times "$name" | head -1)
    [ -z "$t1" ] || record small.start_notify_ms "$(ms "$t0" "$t1")"
    tb_bench_wait_idle "$tb_daemon_pid" 60
    record small.start_count "$(notify_times "$name" | wc -l)"
    memory small.restart "$tb_daemon_pid"
  done

  hyper small.ping "dbus-send --session --print-reply --dest=io.github.touchbase.Daemon /io/github/touchbase/Daemon org.freedesktop.DBus.Peer.Ping"
  hyper small.list "$build/client/touchbase list > /dev/null"
  tb_bench_stop "$tb_daemon_pid"

  # ICS export of as many due contacts (another database: all due).
  tb_bench_home "$work/export" $'[reminders]\nquiet-hours=\n[calendar]\nics-file=none\n'
  "$build/bench/gen-db" "$(tb_bench_db)" "$small" due
  tb_bench_start_daemon "$build" "$work/export.log"
  tb_bench_wait_idle "$tb_daemon_pid" 60
  hyper small.export "$build/client/touchbase export --format ics -o $work/export.ics"
  # The daemon's CPU time of one more export (schedstat, ns).
  local c0 c1
  c0=$(awk '{print $1}' "/proc/$tb_daemon_pid/schedstat")
  tb export --format ics -o "$work/export.ics"
  c1=$(awk '{print $1}' "/proc/$tb_daemon_pid/schedstat")
  record small.export_cpu_ms "$(awk -v a="$c0" -v b="$c1" 'BEGIN {printf "%.0f", (b - a) / 1e6}')"
  record small.export_events "$(grep -c '^BEGIN:VEVENT' "$work/export.ics")"
  tb_bench_stop "$tb_daemon_pid"
  kill "$tb_notify_pid" 2>/dev/null || true
}

# --------------------------------------------------------------- peers

# The peers' data: $small entries recurring every 7–90 days, the first
# occurrence from tomorrow on (so nothing is due in the idle window),
# plus the probes: one a minute from M0 (lateness), one at MS (stopped
# over it). Times are local, as both read them.
gen_peers() {
  python3 - "$work/peers" "$small" "$1" "$peer_runs" <<'EOF'
import datetime
import sys

out, n, m0, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
today = datetime.date.today()
apts, rem = [], []
for i in range(n):
    every = 7 + i % 84
    day = today + datetime.timedelta(days=1 + (i * 7919) % every)
    # 15 minutes long, within the day (calcurse refuses a recurring
    # appointment of no length at midnight).
    hh, mm = divmod((i * 37) % (1440 - 15), 60)
    eh, em = divmod(hh * 60 + mm + 15, 60)
    d = day.strftime('%m/%d/%Y')
    apts.append(f'{d} @ {hh:02d}:{mm:02d} -> {d} @ {eh:02d}:{em:02d} '
                f'{{{every}D}} |Person {i}')
    rem.append(f'REM {day.strftime("%b %d %Y")} *{every} AT {hh:02d}:{mm:02d} '
               f'MSG Person {i}')
probes = [(f'probe-late-{k}', m0 + 60 * k) for k in range(runs)]
if runs:
    probes.append(('probe-stop', m0 + 60 * runs))
for name, t in probes:
    at = datetime.datetime.fromtimestamp(t)
    d = at.strftime('%m/%d/%Y')
    apts.append(f'{d} @ {at:%H:%M} -> {d} @ {at:%H:%M} |{name}')
    rem.append(f'REM {at:%b %d %Y} AT {at:%H:%M} MSG {name}')
with open(f'{out}/calcurse/apts', 'w') as f:
    f.write('\n'.join(apts) + '\n')
with open(f'{out}/reminders.rem', 'w') as f:
    f.write('\n'.join(rem) + '\n')
EOF
}

# Both peers, side by side: an idle window, then lateness at each probe's
# minute, then a SIGSTOP over the stop probe's minute.
phase_peers() {
  local p="$work/peers" cal_pid rem_pid m0 ms_t t_stop t_cont k t n first
  mkdir -p "$p/calcurse" "$p/home"
  export HOME="$p/home" SHELL=/bin/sh
  printf '#!/bin/sh\necho "$(date +%%s.%%N) $*" >>%s/%s.notified\n' "$p" calcurse \
    >"$p/notify-calcurse"
  printf '#!/bin/sh\necho "$(date +%%s.%%N) $*" >>%s/%s.notified\n' "$p" remind \
    >"$p/notify-remind"
  chmod +x "$p/notify-calcurse" "$p/notify-remind"
  # notification.warning=0: the command runs when an appointment starts;
  # notifyall: for every appointment, not only flagged ones.
  printf '%s\n' 'notification.warning=0' 'notification.notifyall=all' \
    "notification.command=$p/notify-calcurse" 'daemon.enable=yes' \
    'daemon.log=yes' >"$p/calcurse/conf"
  m0=$(( ($(date +%s) + idle + 40) / 60 * 60 + 60 ))
  ms_t=$((m0 + 60 * peer_runs))
  gen_peers "$m0"
  calcurse -D "$p/calcurse" --daemon
  sleep 1
  cal_pid=$(cat "$p/calcurse/.daemon.pid")
  remind -z1 -k"$p/notify-remind %s" "$p/reminders.rem" >"$p/remind.out" 2>&1 &
  rem_pid=$!
  echo "$cal_pid $rem_pid" >"$work/peers.pids"
  sleep 3
  idle_window calcurse.idle "$cal_pid" "$idle" &
  local window=$!
  idle_window remind.idle "$rem_pid" "$idle"
  wait "$window"
  if [ "$peer_runs" -gt 0 ]; then
    sleep_until $((ms_t - 5))
    t_stop=$(now_s)
    kill -STOP "$cal_pid" "$rem_pid"
    sleep_until $((ms_t + 15))
    t_cont=$(now_s)
    kill -CONT "$cal_pid" "$rem_pid"
    sleep_until $((ms_t + 100))
  fi
  kill "$cal_pid" "$rem_pid" 2>/dev/null || true
  for peer in calcurse remind; do
    touch "$p/$peer.notified"
    for k in $(seq 0 $((peer_runs - 1))); do
      t=$((m0 + 60 * k))
      # The notification nearest to the probe's minute (calcurse names
      # none: it wakes every 60 s from its start and runs the command for
      # what starts in the minute ahead).
      n=$(awk -v t="$t" '{d = $1 - t; if (d > -61 && d < 120) print d}' \
        "$p/$peer.notified" | awk '{a = ($1 < 0 ? -$1 : $1); if (!n || a < b) {b = a; v = $1; n = 1}} END {if (n) printf "%.1f", v * 1000}')
      [ -z "$n" ] || record "$peer.late_ms" "$n"
    done
    if [ "$peer_runs" -gt 0 ]; then
      # Only what came after the stop: calcurse may have run the command
      # for the stop probe's minute before it was stopped.
      first=$(awk -v t="$t_stop" '$1 > t {print $1; exit}' "$p/$peer.notified")
      record "$peer.sigcont_count" "$(awk -v t="$t_stop" '$1 > t' "$p/$peer.notified" | wc -l)"
      # (The last lateness probe's notification is a minute earlier.)
      record "$peer.before_stop_count" "$(awk -v t="$t_stop" -v m="$ms_t" '$1 <= t && $1 > m - 30' "$p/$peer.notified" | wc -l)"
      [ -z "$first" ] || record "$peer.sigcont_ms" "$(ms "$t_cont" "$first")"
    fi
  done
}

# ------------------------------------------------------------- results

# get KEY: the median of the values recorded under KEY (empty: none).
get() {
  cat "$work"/results.* 2>/dev/null | awk -F'\t' -v k="$1" '$1 == k {print $2}' |
    tb_bench_median
}

count() {
  cat "$work"/results.* 2>/dev/null | awk -F'\t' -v k="$1" '$1 == k' | wc -l
}

all() { # the values of KEY, comma-separated
  cat "$work"/results.* 2>/dev/null | awk -F'\t' -v k="$1" '$1 == k {print $2}' |
    paste -sd, - | sed 's/,/, /g'
}

note() {
  cat "$work"/results.* 2>/dev/null | awk -F'\t' -v k="$1.note" '$1 == k {print $2; exit}'
}

fmt() { # VALUE UNIT: "—" when empty
  if [ -z "$1" ]; then echo "—"; else echo "$1 $2"; fi
}

ratio() { # PEER TOUCHBASE: how many times touchbase's figure the peer's is
  awk -v p="$1" -v t="$2" 'BEGIN {
    if (p == "" || t == "") {print "—"; exit}
    if (p < 0) {print "early"; exit}
    if (t < 0) t = -t
    if (t == 0 && p == 0) print "same"
    else if (t == 0) print "∞ (touchbase 0)"
    else printf "×%.0f\n", p / t}'
}

mib() {
  [ -n "$1" ] && awk -v k="$1" 'BEGIN {printf "%.1f MiB", k / 1024}' || echo "—"
}

verdict() { # VALUE OP TARGET: met, or missed and by how much
  [ -n "$1" ] || { echo "not measured"; return; }
  if awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN {exit !((op == "<" && v < t) || (op == "<=" && v <= t) || (op == "==" && v == t))}'; then
    echo "met"
  elif [ "$3" = 0 ]; then
    echo "missed"
  else
    awk -v v="$1" -v t="$3" 'BEGIN {printf "missed (×%.1f)\n", v / t}'
  fi
}

missed_why() { # VERDICT WHY: "VERDICT | WHY", WHY only for a miss
  case $1 in
    missed*) echo "$1 | $2" ;;
    *) echo "$1 |" ;;
  esac
}

times_of() { # KEY: "once in each of N runs", or the counts
  local v
  v=$(all "$1")
  if [ -n "$v" ] && [ -z "$(echo "$v" | tr -d ' ,1')" ]; then
    echo "once in each of $(count "$1") runs"
  else
    echo "${v:-0} times"
  fi
}

write_results() {
  local f=$1 cores kernel perf_note describe
  # Before the file is written: it is in the tree, and would make it dirty.
  describe=$(git -C "$src" describe --always --dirty 2>/dev/null || echo '?')
  cores=$(nproc)
  kernel=$(uname -r)
  if perf_works; then perf_note="perf stat counts instructions here"
  else perf_note="perf stat -e instructions is not supported on this machine (no PMU, e.g. a VM): CPU time from /proc instead"; fi
  {
    echo "# Benchmark results"
    echo
    echo "Written by \`bench/run.sh\`$([ "$quick" = 1 ] && echo ' --quick (tiny sizes: a smoke test, not figures)') on $date_start."
    echo "Machine: $cores cores ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)),"
    echo "kernel $kernel, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM;"
    echo "load average at the start $load_start, at the end $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "A load average near or above the number of cores means other work"
    echo "shared the machine, so the timings are upper bounds. Whole run: $(( $(date +%s) - t_start )) s."
    echo "touchbase $describe, release build;"
    echo "calcurse $(dpkg-query -W -f '${Version}' calcurse 2>/dev/null || echo '(not installed)'), remind $(dpkg-query -W -f '${Version}' remind 2>/dev/null || echo '(not installed)')."
    echo
    echo "Each figure is the median of the runs listed (\"runs\"); $perf_note."
    echo "The peers get the same data shape: $small entries recurring every"
    echo "7–90 days (calcurse: \`apts\` lines with \`{ND}\`; remind: \`REM ... *N AT\`)."
    echo
    echo "<!-- summary:begin -->"
    echo "| figure | target | touchbased | calcurse --daemon | ratio | remind -z1 | ratio |"
    echo "|---|---|---:|---:|---:|---:|---:|"
    local ti ci ri
    ti=$(get small.idle.syscalls); ci=$(get calcurse.idle.syscalls); ri=$(get remind.idle.syscalls)
    echo "| system calls in ${idle} s idle, $small tracked, nothing due | 0 | $(fmt "$ti" "") | $(fmt "$ci" "") | $(ratio "$ci" "$ti") | $(fmt "$ri" "") | $(ratio "$ri" "$ti") |"
    echo "| CPU in the same ${idle} s | — | $(fmt "$(get small.idle.cpu_ms)" ms) | $(fmt "$(get calcurse.idle.cpu_ms)" ms) | | $(fmt "$(get remind.idle.cpu_ms)" ms) | |"
    echo "| system calls in ${idle} s idle, $big tracked, daily limit spent | 0 | $(fmt "$(get big.idle.syscalls)" "") | | | | |"
    ti=$(get small.late_ms); ci=$(get calcurse.late_ms); ri=$(get remind.late_ms)
    echo "| lateness of a reminder after its due time | < 10 ms | $(fmt "$ti" ms) | $(fmt "$ci" ms) | $(ratio "$ci" "$ti") | $(fmt "$ri" ms) | $(ratio "$ri" "$ti") |"
    ti=$(get small.sigcont_ms); ci=$(get calcurse.sigcont_ms); ri=$(get remind.sigcont_ms)
    echo "| stopped (SIGSTOP) over the due time: reminder after SIGCONT | < 1 s, once | $(fmt "$ti" ms), $(times_of small.sigcont_count) | $(fmt "$ci" ms), $(times_of calcurse.sigcont_count)$([ "$(get calcurse.before_stop_count)" = 0 ] || [ -z "$(get calcurse.before_stop_count)" ] || echo " (it had already run the command before the stop)") | | $(fmt "$ri" ms), $(times_of remind.sigcont_count) | |"
    echo "<!-- summary:end -->"
    echo
    echo "touchbased alone:"
    echo
    echo "| figure | target | touchbased |"
    echo "|---|---|---:|"
    echo "| due while not running: reminder after the start | once, at start | $(fmt "$(get small.start_notify_ms)" ms), $(times_of small.start_count) |"
    echo "| ready (exec until the bus name is owned), $big | < 100 ms | $(fmt "$(get big.ready_ms)" ms) (CPU $(fmt "$(get big.ready_cpu_ms)" ms)) |"
    echo "| RSS of an idle daemon after a restart, $small | < 12 MB | $(mib "$(get small.restart.rss_kb)") (private $(mib "$(get small.restart.anon_kb)")) |"
    echo "| RSS of an idle daemon after a restart, $big | < 20 MB | $(mib "$(get big.restart.rss_kb)") (private $(mib "$(get big.restart.anon_kb)")) |"
    echo "| bare D-Bus ping (dbus-send), $big | — | $(fmt "$(get big.ping.ms)" ms) |"
    echo "| \`touchbase status\`, $big | < 20 ms | $(fmt "$(get big.status.ms)" ms) |"
    echo "| \`touchbase show\`, $big | < 20 ms | $(fmt "$(get big.show.ms)" ms) |"
    echo "| \`touchbase due\`, $big | < 20 ms | $(fmt "$(get big.due.ms)" ms) |"
    echo "| \`touchbase due --within 1d --json\`, $big | < 20 ms | $(fmt "$(get big.due_json.ms)" ms) |"
    echo "| \`touchbase search zoe\`, $big | < 20 ms | $(fmt "$(get big.search.ms)" ms) |"
    echo "| \`touchbase list\` to a pipe, $small | < 0.3 s | $(fmt "$(get small.list.ms)" ms) |"
    echo "| import of $big LinkedIn rows | < 20 s | $(fmt "$(get import.s)" s) |"
    echo "| \`touchbase status\` during that import (p50 / p99 / max of $(get status_import.n)) | < 50 ms | $(get status_import.p50) / $(get status_import.p99) / $(get status_import.p100) ms |"
    echo "| introductions, $small × 5 facts, from the store | < 0.3 s | $(fmt "$(get intros.s)" s) (CPU $(fmt "$(get intros.cpu_s)" s), loading $(fmt "$(get intros.load_cpu_s)" s)) |"
    echo "| ICS export of $small due contacts | < 0.25 s | $(fmt "$(get small.export.ms)" ms) (daemon CPU $(fmt "$(get small.export_cpu_ms)" ms)) |"
    echo
    echo "## Targets"
    echo
    echo "A miss says by how much (the figure over the target) and why, as far"
    echo "as this run can tell; the load average above stretches every wall"
    echo "time, the counts and CPU times less so."
    echo
    echo "| figure | touchbased | target | | why, when missed |"
    echo "|---|---:|---|---|---|"
    local paging="not profiled yet at this size"
    echo "| idle system calls, $small | $(get small.idle.syscalls) | 0 | $(verdict "$(get small.idle.syscalls)" == 0) | |"
    echo "| idle system calls, $big, limit spent | $(get big.idle.syscalls) | 0 | $(verdict "$(get big.idle.syscalls)" == 0) | |"
    echo "| lateness | $(fmt "$(get small.late_ms)" ms) | < 10 ms | $(verdict "$(get small.late_ms)" "<" 10) | |"
    echo "| after SIGCONT | $(fmt "$(get small.sigcont_ms)" ms) | < 1000 ms | $(verdict "$(get small.sigcont_ms)" "<" 1000) | |"
    echo "| ready, $big | $(fmt "$(get big.ready_ms)" ms) | < 100 ms | $(verdict "$(get big.ready_ms)" "<" 100) | |"
    echo "| RSS after a restart, $small | $(mib "$(get small.restart.rss_kb)") | < 12 MB | $(missed_why "$(verdict "$(get small.restart.rss_kb)" "<" 11719)" "the shared pages of the libraries are most of it: ~13 MiB before the sources, ~19 MiB since libecal, libedataserver, GMime and notmuch are linked for them (a run before they were: 14.5 MiB at 30,000, 15.1 MiB at 1,000,000); the daemon's own memory is the private $(mib "$(get small.restart.anon_kb)")") |"
    echo "| RSS after a restart, $big | $(mib "$(get big.restart.rss_kb)") | < 20 MB | $(missed_why "$(verdict "$(get big.restart.rss_kb)" "<" 19531)" "the shared pages of the libraries are most of it: ~13 MiB before the sources, ~19 MiB since libecal, libedataserver, GMime and notmuch are linked for them (a run before they were: 14.5 MiB at 30,000, 15.1 MiB at 1,000,000); the daemon's own memory is the private $(mib "$(get big.restart.anon_kb)")") |"
    echo "| status, $big | $(fmt "$(get big.status.ms)" ms) | < 20 ms | $(missed_why "$(verdict "$(get big.status.ms)" "<" 20)" "the bare ping costs $(fmt "$(get big.ping.ms)" ms) of it; status counts due contacts and held alerts over the indexes (\`paging\`)") |"
    echo "| show, $big | $(fmt "$(get big.show.ms)" ms) | < 20 ms | $(missed_why "$(verdict "$(get big.show.ms)" "<" 20)" "a name, not an id: the ranked match of the name over the tracked tier of the name index, then GetContact; $paging") |"
    echo "| due, $big | $(fmt "$(get big.due.ms)" ms) | < 20 ms | $(missed_why "$(verdict "$(get big.due.ms)" "<" 20)" "into a pipe (hyperfine's) \`due\` prints every contact due by now, thousands of rows at this size, streamed through WriteDueRows; on a terminal it prints the first 100 of each list (bench/README.md, paging: 39 ms)") |"
    echo "| due --within 1d --json, $big | $(fmt "$(get big.due_json.ms)" ms) | < 20 ms | $(missed_why "$(verdict "$(get big.due_json.ms)" "<" 20)" "every contact due within a day, as JSON records read a page of 1,000 at a time: the time grows with the rows printed") |"
    echo "| search, $big | $(fmt "$(get big.search.ms)" ms) | < 20 ms | $(missed_why "$(verdict "$(get big.search.ms)" "<" 20)" "$paging; bench/README.md has the search's own figures") |"
    echo "| list, $small | $(fmt "$(get small.list.ms)" ms) | < 300 ms | $(missed_why "$(verdict "$(get small.list.ms)" "<" 300)" "$paging") |"
    echo "| import, $big | $(fmt "$(get import.s)" s) | < 20 s | $(missed_why "$(verdict "$(get import.s)" "<" 20)" "the daemon's CPU time was $(fmt "$(get import.cpu_s)" s) over its reader and writer threads; the import runs in a worker thread with its own connection (the status row below), so the miss is the writing itself, not yet profiled further") |"
    echo "| status during the import, p99 | $(get status_import.p99) ms | < 50 ms | $(missed_why "$(verdict "$(get status_import.p99)" "<" 50)" "a status call waits for a core behind the import's two threads") |"
    echo "| introductions | $(fmt "$(get intros.s)" s) | < 0.3 s | $(missed_why "$(verdict "$(get intros.s)" "<" 0.3)" "CPU $(fmt "$(get intros.cpu_s)" s) a run, of which loading from the store $(fmt "$(get intros.load_cpu_s)" s): the matching itself is over the target (bench/README.md)") |"
    echo "| ICS export | $(fmt "$(get small.export.ms)" ms) | < 250 ms | $(missed_why "$(verdict "$(get small.export.ms)" "<" 250)" "the daemon's CPU $(fmt "$(get small.export_cpu_ms)" ms) an export, three quarters of it in libical building and printing components (bench/README.md)") |"
    echo
    echo "## Every run"
    echo
    echo "Each value in the order measured (the tables above show their median)."
    echo
    echo '```'
    cat "$work"/results.* 2>/dev/null | awk -F'\t' '{v[$1] = v[$1] (v[$1] == "" ? "" : ", ") $2; if (!($1 in o)) {o[$1] = ++n; k[n] = $1}}
      END {for (i = 1; i <= n; i++) printf "%-32s %s\n", k[i], v[k[i]]}'
    echo '```'
    echo
    echo "## How each figure is measured"
    echo
    echo "- idle: \`strace -c -f -p PID\` for ${idle} s (less the one"
    echo "  \`restart_syscall\` that attaching causes), and the CPU time from"
    echo "  /proc/PID/stat over the same window, 16 s after the daemon last used"
    echo "  CPU (GLib ends a pool thread unused for 15 s: two calls, once)."
    echo "  The $small-contact daemon has"
    echo "  nothing due for a week (\`gen-db ... waiting\`). The $big-contact"
    echo "  daemon runs on the database its import wrote (\`--every 90d\`, so"
    echo "  one comes due every few seconds) with \`daily-limit=1\`, after that"
    echo "  one alert was shown (an overdue contact; status \`alerts_started_today\`)."
    echo "  One window each: a window is a minute, and the peers wake once a"
    echo "  minute, so five would cost five minutes."
    echo "- lateness: touchbased: contacts due at known seconds (\`add --every"
    echo "  1d\`, \`log --at\` a day earlier), the python-dbusmock notification"
    echo "  server's timestamp of each Notify call minus the due time."
    echo "  calcurse and remind: appointments / \`AT\` reminders at the next"
    echo "  $peer_runs minutes (their resolution), the time their notify command"
    echo "  (\`notification.command\`, \`-k\`) ran \`date +%s.%N\` minus the"
    echo "  minute. A negative value is early: calcurse wakes every 60 s from"
    echo "  its start and runs the command for what starts within the minute."
    echo "- SIGSTOP: stopped 1 s before the due time (peers: 5 s before the"
    echo "  minute), SIGCONT 1 s after (peers: 15 s after); the time from"
    echo "  SIGCONT to the notification, and how many came (peers: one run,"
    echo "  a minute each)."
    echo "- not running: the daemon stopped (SIGTERM) before the due time and"
    echo "  started 1 s after it; the time from exec to the Notify call."
    echo "- ready: \`gdbus wait --session io.github.touchbase.Daemon\` started"
    echo "  before the exec; the time from exec until it returns, and the"
    echo "  daemon's CPU time until then (/proc/PID/schedstat), which load"
    echo "  does not stretch."
    echo "- memory: /proc/PID/status VmRSS (RssAnon: the private part; the"
    echo "  rest is shared libraries' pages, ~13 MiB for an empty database)"
    echo "  once the daemon has used no CPU for a second after a restart."
    echo "- round trips: \`hyperfine -N --warmup 1 --runs $runs\` of the real"
    echo "  client (its start included), beside \`dbus-send\` of"
    echo "  org.freedesktop.DBus.Peer.Ping to the daemon (a process start and"
    echo "  one round trip: the floor)."
    echo "- import: \`touchbase import\` of a \`gen-linkedin.py\` export"
    echo "  \`--every 90d\` from an empty database, $import_runs runs (each"
    echo "  takes tens of seconds at a million rows); meanwhile \`touchbase"
    echo "  status\` in a loop (0.1 s apart), each call's wall time."
    echo "- introductions: \`bench-intros --store --contacts $small --facts 5"
    echo "  --runs $runs\` (what \`SuggestIntros\` does before it replies)."
    echo "- ICS export: \`touchbase export --format ics -o FILE\` of a"
    echo "  \`gen-db\` database of $small due contacts, live calendar off."
    for k in import big.due big.due_json big.status big.show big.search; do
      [ -z "$(note "$k")" ] || echo "- \`${k#big.}\`: $(note "$k")."
    done
  } >"$f"
}

update_readme() {
  local readme="$src/README.md" results=$1
  python3 - "$readme" "$results" <<'EOF'
import re
import sys
readme, results = sys.argv[1], sys.argv[2]
table = re.search(r'<!-- summary:begin -->\n(.*?)<!-- summary:end -->',
                  open(results, encoding='utf-8').read(), re.S)[1]
text = open(readme, encoding='utf-8').read()
new = re.sub(r'(<!-- bench:begin -->\n).*?(<!-- bench:end -->)',
             lambda m: m[1] + table + m[2], text, flags=re.S)
if new == text and table not in text:
    sys.exit('README.md has no <!-- bench:begin --> / <!-- bench:end --> marks')
open(readme, 'w', encoding='utf-8').write(new)
EOF
}

# ---------------------------------------------------------------- main

install_missing() {
  local pkgs=() sudo=""
  command -v calcurse >/dev/null || pkgs+=(calcurse)
  command -v remind >/dev/null || pkgs+=(remind)
  command -v hyperfine >/dev/null || pkgs+=(hyperfine)
  command -v strace >/dev/null || pkgs+=(strace)
  [ ${#pkgs[@]} -gt 0 ] || return 0
  [ "$(id -u)" = 0 ] || sudo=sudo
  log "installing ${pkgs[*]}"
  $sudo apt-get install -y "${pkgs[@]}" >/dev/null
}

cleanup() {
  local pids
  if [ -s "$work/peers.pids" ]; then
    read -r pids <"$work/peers.pids"
    kill $pids 2>/dev/null || true
  fi
  [ -z "${peers_pid:-}" ] || kill "$peers_pid" 2>/dev/null || true
  if [ -n "${TB_BENCH_KEEP:-}" ]; then
    log "kept $work"
  else
    rm -rf "$work"
  fi
}

main() {
  quick=0
  build=""
  out=""
  local readme_only=0 no_build=0
  while [ $# -gt 0 ]; do
    case $1 in
      --quick) quick=1 ;;
      --build) build=$2; shift ;;
      --no-build) no_build=1 ;;
      --out) out=$2; shift ;;
      --update-readme) readme_only=1 ;;
      -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
      *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
  done
  if [ "$readme_only" = 1 ]; then
    update_readme "${out:-$here/RESULTS.md}"
    exit 0
  fi
  settings
  t_start=$(date +%s)
  date_start=$(date -u '+%Y-%m-%d %H:%M UTC')
  load_start=$(cut -d' ' -f1-3 /proc/loadavg)
  [ "$quick" = 1 ] || install_missing
  build=${build:-$src/build-bench}
  if [ "$no_build" = 0 ]; then
    if [ ! -f "$build/build.ninja" ]; then
      log "configuring $build (release)"
      meson setup "$build" "$src" --buildtype=release >/dev/null
    fi
    log "building $build"
    ninja -C "$build" >/dev/null
  fi
  build=$(cd "$build" && pwd)
  work=$(mktemp -d "${TMPDIR:-/tmp}/tb-bench.XXXXXX")
  trap cleanup EXIT
  export build work
  [ -n "$out" ] || { [ "$quick" = 1 ] && out="$work/RESULTS.md" || out="$here/RESULTS.md"; }

  log "generating the data ($small and $big contacts)"
  python3 "$here/gen-linkedin.py" "$big" >"$work/big.csv"
  mkdir -p "$work/small/home/data/touchbase"
  "$build/bench/gen-db" "$work/small/home/data/touchbase/touchbase.db" "$small" waiting

  if command -v calcurse >/dev/null && command -v remind >/dev/null; then
    log "peers: calcurse --daemon and remind -z1 in the background"
    mkdir -p "$work/peers"
    (phase=peers phase_peers) &
    peers_pid=$!
  else
    log "calcurse or remind missing: no peers"
  fi

  log "import of $big rows, $import_runs run(s)"
  tb_bench_private_bus "$here/run.sh" --inner import
  log "$big contacts and $small contacts, side by side"
  tb_bench_private_bus "$here/run.sh" --inner big &
  local big_pid=$!
  tb_bench_private_bus "$here/run.sh" --inner small
  wait "$big_pid"

  log "introductions"
  phase=intros
  "$build/bench/bench-intros" --contacts "$small" --facts 5 --runs "$runs" --store \
    --target 1000 >"$work/intros.out" 2>&1 || true
  record intros.s "$(sed -n 's/^intros.*median \([0-9.]*\) s.*/\1/p' "$work/intros.out")"
  record intros.cpu_s "$(sed -n 's/^cpu: median \([0-9.]*\) s, of which loading \([0-9.]*\) s/\1/p' "$work/intros.out")"
  record intros.load_cpu_s "$(sed -n 's/^cpu: .*loading \([0-9.]*\) s/\1/p' "$work/intros.out")"
  record intros.runs "$runs"
  phase=main

  if [ -n "${peers_pid:-}" ]; then
    log "waiting for the peers"
    wait "$peers_pid" || true
    peers_pid=""
  fi
  write_results "$out"
  log "wrote $out"
  if [ "$quick" = 1 ]; then
    cat "$out"
    check_figures
  fi
}

# The smoke test's verdict: every figure of touchbased was measured (a
# part of the script that rots leaves its figure out).
check_figures() {
  local k missing=""
  for k in small.idle.syscalls big.idle.syscalls small.late_ms \
    small.sigcont_ms small.start_notify_ms big.ready_ms small.restart.rss_kb \
    big.restart.rss_kb big.ping.ms big.status.ms big.show.ms big.due.ms \
    big.due_json.ms big.search.ms small.list.ms import.s status_import.p50 \
    intros.s small.export.ms; do
    [ -n "$(get "$k")" ] || missing="$missing $k"
  done
  if command -v calcurse >/dev/null && command -v remind >/dev/null; then
    for k in calcurse.idle.syscalls remind.idle.syscalls; do
      [ -n "$(get "$k")" ] || missing="$missing $k"
    done
  fi
  if [ -n "$missing" ]; then
    echo "run.sh: not measured:$missing" >&2
    return 1
  fi
}

if [ "${1:-}" = --inner ]; then
  # Inside a private bus (tb_bench_private_bus): one phase.
  set +e
  settings >/dev/null
  phase=$2
  "phase_$2"
  exit 0
fi
main "$@"
