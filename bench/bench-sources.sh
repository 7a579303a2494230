#!/bin/sh
# bench-sources.sh BUILDDIR [MESSAGES] — a first and a second
# `touchbase sources --scan` of a Maildir Sent folder of MESSAGES messages
# (default 10000; each to two of 300 addresses, 200 of them contacts,
# 200 body lines each) through the real client and daemon on a private
# session bus: the wall time of each scan, the longest answer to
# `touchbase status` while they run (how long the main loop was held),
# and the daemon's own figure for each slice it wrote.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

if [ "${TB_BENCH_INNER:-}" = 1 ]; then
  build=$1
  n=$2
  work=$(mktemp -d "${TMPDIR:-/tmp}/tb-bench.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  export HOME="$work/home" XDG_DATA_HOME="$work/home/data" \
    XDG_CONFIG_HOME="$work/home/config" XDG_CACHE_HOME="$work/home/cache"
  mkdir -p "$XDG_CONFIG_HOME/touchbase" "$HOME/Mail/Sent/cur" \
    "$HOME/Mail/Sent/new" "$HOME/Mail/Sent/tmp"
  printf '[reminders]\nquiet-hours=\n[calendar]\nics-file=none\n[sources]\nmaildir=~/Mail/Sent\nmy-addresses=me@example.org\n' \
    >"$XDG_CONFIG_HOME/touchbase/touchbase.conf"
  python3 - "$HOME/Mail/Sent/cur" "$n" <<'PY'
import email.utils, sys, time
folder, n = sys.argv[1], int(sys.argv[2])
now = int(time.time())
body = 'body line\n' * 200
for i in range(n):
    with open(f'{folder}/{i}.bench:2,S', 'w') as f:
        f.write(f'From: me@example.org\n'
                f'To: p{i % 300}@example.com, p{(i * 7) % 300}@example.com\n'
                f'Date: {email.utils.formatdate(now - 60 - i * 3000)}\n'
                f'Message-ID: <b{i}@example.org>\nSubject: s\n\n{body}')
PY
  tb="$build/client/touchbase"
  G_MESSAGES_DEBUG=tb-sources "$build/daemon/touchbased" \
    >"$work/daemon.log" 2>&1 &
  daemon_pid=$!
  i=0
  until "$tb" status >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -lt 100 ] || { cat "$work/daemon.log"; exit 1; }
    sleep 0.1
  done
  i=0
  while [ $i -lt 200 ]; do
    "$tb" add "Person $i" --email "p$i@example.com" >/dev/null
    i=$((i + 1))
  done
  python3 - "$tb" "$work/latency" <<'PY' &
import subprocess, sys, time
worst, end = 0.0, time.time() + 8
while time.time() < end:
    start = time.monotonic()
    subprocess.run([sys.argv[1], 'status'], capture_output=True)
    worst = max(worst, time.monotonic() - start)
    time.sleep(0.05)
open(sys.argv[2], 'w').write(f'{worst * 1000:.0f}')
PY
  probe=$!
  for run in first second; do
    start=$(date +%s.%N)
    "$tb" sources --scan
    end=$(date +%s.%N)
    echo "$run scan of $n messages: $(echo "$end - $start" | bc) s"
  done
  wait $probe
  echo "longest status answer during the scans: $(cat "$work/latency") ms"
  grep 'records written' "$work/daemon.log" | sed 's/.*: //' | sort | uniq -c |
    sort -rn | head -5
  kill "$daemon_pid"
  wait "$daemon_pid" || true
  exit 0
fi

build=${1:?usage: bench-sources.sh BUILDDIR [MESSAGES]}
TB_BENCH_INNER=1 exec dbus-run-session -- "$0" "$(cd "$build" && pwd)" \
  "${2:-10000}"
