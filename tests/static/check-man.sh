#!/bin/sh
# Render man pages with groff and fail on any warning (bad macros,
# unknown escapes, lines that cannot be broken).
# Usage: check-man.sh PAGE...
set -u
command -v groff >/dev/null 2>&1 || {
  echo "groff not installed"
  exit 77
}
status=0
for page in "$@"; do
  out=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -rLL=80n -z "$page" 2>&1)
  if [ -n "$out" ]; then
    printf '%s:\n%s\n' "$page" "$out"
    status=1
  fi
done
exit $status
