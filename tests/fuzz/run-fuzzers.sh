#!/bin/sh
# Runs each libFuzzer harness of a -Dfuzzing=true build for a bounded
# time, starting from the seed corpus in the repository (copied, so the
# repository is not changed). Fails when any harness finds a crash, a
# leak, a timeout or an out-of-memory.
#
#   tests/fuzz/run-fuzzers.sh BUILDDIR SECONDS
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 BUILDDIR SECONDS" >&2
  exit 2
fi
builddir=$1
seconds=$2
srcdir=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/tb-fuzz.XXXXXX")
status=0

for name in csv vcard time backup zip ical-events options; do
  exe=$builddir/tests/fuzz/fuzz-$name
  if [ ! -x "$exe" ]; then
    echo "$0: $exe not found (configure with -Dfuzzing=true and build)" >&2
    exit 2
  fi
  mkdir -p "$work/$name/corpus" "$work/$name/artifacts"
  cp "$srcdir/corpus/$name/"* "$work/$name/corpus/"
  dict=
  if [ -f "$srcdir/$name.dict" ]; then
    dict=-dict=$srcdir/$name.dict
  fi
  echo "== fuzz-$name for ${seconds}s"
  # shellcheck disable=SC2086
  if "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 $dict \
      -artifact_prefix="$work/$name/artifacts/" "$work/$name/corpus" \
      >"$work/$name/log" 2>&1; then
    tail -n 12 "$work/$name/log" | grep -E '^(stat::number_of_executed_units|Done)' || true
    echo "fuzz-$name: ok"
  else
    status=1
    tail -n 40 "$work/$name/log" >&2
    echo "fuzz-$name: FAILED; reproducer(s):" >&2
    ls "$work/$name/artifacts/" >&2
  fi
done

if [ $status -eq 0 ]; then
  rm -rf "$work"
else
  echo "Logs and reproducers kept in $work" >&2
fi
exit $status
