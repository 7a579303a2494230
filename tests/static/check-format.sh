#!/bin/sh
# Fail when a C source or header differs from what clang-format (with the
# repository's .clang-format) would write. Fix with:
#   clang-format -i $(git ls-files '*.c' '*.h')
# Usage: check-format.sh SOURCE-DIR
set -u
srcdir=${1:-.}
cd "$srcdir" || exit 1
clang_format=${CLANG_FORMAT:-clang-format}
command -v "$clang_format" >/dev/null 2>&1 || {
  echo "clang-format not installed"
  exit 77
}
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  files=$(git ls-files --cached --others --exclude-standard -- '*.c' '*.h')
else
  files=$(find . -path './build*' -prune -o -path './_build' -prune -o \
    \( -name '*.c' -o -name '*.h' \) -print)
fi
# Only files that exist (a deleted file can linger in the index).
files=$(for f in $files; do [ -f "$f" ] && echo "$f"; done)
[ -n "$files" ] || exit 0
# shellcheck disable=SC2086  # file names in this repository have no spaces
"$clang_format" --dry-run -Werror $files
