#!/bin/sh
# bench-search.sh — end to end: `touchbase search` through the real daemon
# on a private bus (client start, D-Bus, FTS5 query, the records), over a
# LinkedIn export of N rows (gen-linkedin.py) imported by the real client,
# so the index is the one an import writes. Median of 5 runs per query
# with hyperfine when installed, else 5 runs under /usr/bin/time.
#
#   bench/bench-search.sh BUILD_DIR [N...]      # default: 30000 1000000
#
# TB_BENCH_KEEP=1 keeps each run's folder (database, CSV) and names it;
# TB_BENCH_REUSE=FOLDER searches such a kept folder again (one N only),
# without generating and importing it anew.
#
# The queries, by how many contacts they match (gen-linkedin's names come
# from 22 first and 19 last names, so a first name is ~1/22 of the rows):
#   a unique e-mail slug (1), two names (~1/400), one first name (~1/22),
#   a company (~1/6), a two-letter prefix of a common position word
#   (~2/5).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
build=$(cd "${1:-build}" && pwd)
shift || true
[ $# -gt 0 ] || set -- 30000 1000000
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

for n in "$@"; do
  tmp=${TB_BENCH_REUSE:-$(mktemp -d)}
  # Neither the live file nor reminders are what is measured here.
  tb_bench_home "$tmp" '[calendar]
ics-file=none
[reminders]
quiet-hours=
'
  [ -n "${TB_BENCH_REUSE:-}" ] ||
    python3 "$here/gen-linkedin.py" "$n" > "$tmp/Connections.csv"
  # A row with an e-mail: its slug is in one contact only.
  slug=$(python3 -c 'import re, sys
print(re.search(r",([^,@]+)@example", open(sys.argv[1], encoding="utf-8").read())[1])' \
    "$tmp/Connections.csv")
  echo "== $n contacts (unique slug: $slug)"

  dbus-run-session -- sh -c '
    "$0/daemon/touchbased" >/dev/null 2>&1 &
    daemon=$!
    tb="$0/client/touchbase"
    i=0
    until "$tb" status >/dev/null 2>&1; do
      i=$((i + 1)); [ $i -lt 100 ] || { echo "touchbased did not start" >&2; exit 1; }
      sleep 0.1
    done
    [ -n "${TB_BENCH_REUSE:-}" ] ||
      /usr/bin/time -f "import: %e s" "$tb" import "$1/Connections.csv" >/dev/null
    ls -l "$XDG_DATA_HOME/touchbase/touchbase.db" | awk "{ print \"database: \" \$5 \" bytes\" }"
    for q in "$2" "zoe müller" "zoe" "tidewater" "en"; do
      total=$("$tb" search $q --limit 1000 | wc -l)
      echo "search $q: $total rows (at most 1000 shown)"
      if command -v hyperfine >/dev/null; then
        hyperfine --warmup 2 --runs 5 --style basic --export-json "$1/h.json" \
          "$tb search $q" >/dev/null 2>&1
        python3 -c "import json,sys; r=json.load(open(sys.argv[1]))[\"results\"][0]; print(\"  median %.1f ms  min %.1f ms  max %.1f ms\" % (r[\"median\"]*1e3, r[\"min\"]*1e3, r[\"max\"]*1e3))" "$1/h.json"
      else
        for i in 1 2 3 4 5; do /usr/bin/time -f "  %e s" "$tb" search $q >/dev/null; done
      fi
    done
    kill $daemon
    wait $daemon || true
  ' "$build" "$tmp" "$slug"
  if [ -n "${TB_BENCH_KEEP:-}${TB_BENCH_REUSE:-}" ]; then echo "kept $tmp"
  else rm -rf "$tmp"; fi
done
