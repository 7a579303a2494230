#!/bin/sh
# The layer rule holds in the tree, and the check can fail: a copy of the
# tree where the store includes the daemon's header must be refused.
# Usage: check-layers.sh SOURCE-DIR
set -u
srcdir=$1
check=$srcdir/tools/check-layers.sh
"$check" "$srcdir" || exit 1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$srcdir/common" "$srcdir/daemon" "$srcdir/client" "$tmp/"
echo '#include "tb-daemon.h"' >>"$tmp/daemon/store/tb-store.c"
if out=$("$check" "$tmp" 2>&1); then
  echo "check-layers.sh accepted the store including tb-daemon.h"
  exit 1
fi
case $out in
  *"daemon/store/tb-store.c:"*'"tb-daemon.h"'*) ;;
  *)
    echo "check-layers.sh failed without naming the include:"
    echo "$out"
    exit 1
    ;;
esac
echo "ok: an upward include is refused"
