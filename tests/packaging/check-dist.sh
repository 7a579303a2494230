#!/bin/bash
# `meson dist` makes a tarball that builds: in a git copy of the tree,
# make the tarball (without running the tests: this test is part of them),
# unpack it elsewhere, and build and install it from there.
#
#   check-dist.sh SOURCE-DIR
set -euo pipefail
src=$1
here=$(dirname "$0")
# shellcheck source=copy-tree.sh
. "$here/copy-tree.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tree=$work/touchbase
copy_tree "$src" "$tree"
# meson dist packs what the repository's HEAD holds: commit the copy.
git -C "$tree" init -q
git -C "$tree" add -A
git -C "$tree" -c user.name=test -c user.email=test@example.invalid \
  commit -q -m dist

meson setup "$work/b" "$tree" -Dtests=false >"$work/setup.log" 2>&1 ||
  { cat "$work/setup.log"; exit 1; }
meson dist -C "$work/b" --no-tests --formats xztar >"$work/dist.log" 2>&1 ||
  { cat "$work/dist.log"; exit 1; }
tarball=$(ls "$work"/b/meson-dist/touchbase-*.tar.xz)
echo "# $(basename "$tarball")"
mkdir "$work/unpacked"
tar -C "$work/unpacked" -xf "$tarball"
dir=$(ls -d "$work"/unpacked/touchbase-*)
for f in debian/control debian/rules completions/touchbase.bash \
  systemd/io.github.touchbase.search-provider.ini; do
  [ -e "$dir/$f" ] || { echo "FAIL: $f is not in the tarball"; exit 1; }
done
meson setup "$work/b2" "$dir" -Dtests=false --prefix=/usr >"$work/setup2.log" 2>&1 ||
  { cat "$work/setup2.log"; echo "FAIL: the tarball does not configure"; exit 1; }
ninja -C "$work/b2" >"$work/build2.log" 2>&1 ||
  { tail -40 "$work/build2.log"; echo "FAIL: the tarball does not build"; exit 1; }
DESTDIR=$work/dest meson install -C "$work/b2" --no-rebuild --quiet
[ -x "$work/dest/usr/libexec/touchbased" ] ||
  { echo "FAIL: the tarball's build installs no daemon"; exit 1; }
echo "# the tarball builds and installs"
