#!/bin/sh
# Verify a systemd user unit with systemd-analyze; any diagnostic (even an
# "unknown key" that systemd only warns about) fails the test.
# Usage: check-systemd-unit.sh UNIT-FILE
set -u
command -v systemd-analyze >/dev/null 2>&1 || {
  echo "systemd-analyze not installed"
  exit 77
}
runtime=$(mktemp -d)
trap 'rm -rf "$runtime"' EXIT
out=$(XDG_RUNTIME_DIR="$runtime" systemd-analyze --user --man=no verify "$1" 2>&1)
rc=$?
[ -n "$out" ] && printf '%s\n' "$out"
[ "$rc" -eq 0 ] && [ -z "$out" ]
