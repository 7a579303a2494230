#!/bin/sh
# Validate a .desktop file; hints count as failures too.
# Usage: check-desktop-file.sh FILE
set -u
command -v desktop-file-validate >/dev/null 2>&1 || {
  echo "desktop-file-validate not installed"
  exit 77
}
out=$(desktop-file-validate "$1" 2>&1)
rc=$?
[ -n "$out" ] && printf '%s\n' "$out"
[ "$rc" -eq 0 ] && [ -z "$out" ]
