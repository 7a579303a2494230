#!/bin/sh
# Install the build into a scratch DESTDIR and check that every file lands
# where it should. Usage: check-install.sh BUILD-DIR ABSOLUTE-PATH...
set -u
builddir=$1
shift
destdir=$(mktemp -d)
trap 'rm -rf "$destdir"' EXIT
if ! meson install -C "$builddir" --no-rebuild --destdir "$destdir" \
  >"$destdir.log" 2>&1; then
  cat "$destdir.log"
  rm -f "$destdir.log"
  exit 1
fi
rm -f "$destdir.log"
status=0
for path in "$@"; do
  if [ -e "$destdir$path" ]; then
    echo "installed: $path"
  else
    echo "MISSING: $path"
    status=1
  fi
done
exit $status
