#!/bin/bash
# The Debian package as a user gets it: build it with dpkg-buildpackage
# from a copy of the tree, check it with lintian (no error, no warning),
# unpack it into a scratch root and check that every file is in its
# system place, then verify the installed user unit and D-Bus activation
# file against the scratch root.
#
#   check-deb.sh SOURCE-DIR
set -euo pipefail
src=$1
here=$(dirname "$0")
# shellcheck source=copy-tree.sh
. "$here/copy-tree.sh"

for tool in dpkg-buildpackage dh lintian systemd-analyze desktop-file-validate; do
  command -v "$tool" >/dev/null || {
    echo "$tool is not installed (tools/install-deps.sh test installs it)"
    exit 1
  }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tree=$work/touchbase
copy_tree "$src" "$tree"
rm -rf "$tree/debian/.debhelper" "$tree/obj-"*

echo "# dpkg-buildpackage -us -uc -b"
# nocheck: ./test.sh runs the tests; this is about the package.
if ! (cd "$tree" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
  dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1); then
  tail -50 "$work/build.log"
  echo "FAIL: dpkg-buildpackage"
  exit 1
fi
deb=$(ls "$work"/touchbase_*.deb)
echo "# built $(basename "$deb")"

echo "# lintian"
rc=0
lintian --fail-on error,warning "$deb" >"$work/lintian.log" 2>&1 || rc=$?
grep -v '^running with root privileges' "$work/lintian.log" || true
if [ "$rc" -ne 0 ] || grep -q '^[EW]:' "$work/lintian.log"; then
  echo "FAIL: lintian reports errors or warnings"
  exit 1
fi

root=$work/root
dpkg -x "$deb" "$root"
status=0
for f in \
  usr/bin/touchbase \
  usr/libexec/touchbased \
  usr/lib/systemd/user/touchbased.service \
  usr/share/dbus-1/services/io.github.touchbase.Daemon.service \
  usr/share/applications/io.github.touchbase.desktop \
  usr/share/gnome-shell/search-providers/io.github.touchbase.search-provider.ini \
  usr/share/man/man1/touchbase.1.gz \
  usr/share/man/man1/touchbased.1.gz \
  usr/share/bash-completion/completions/touchbase \
  usr/share/zsh/vendor-completions/_touchbase \
  usr/share/doc/touchbase/copyright; do
  if [ -e "$root/$f" ]; then
    echo "# /$f"
  else
    echo "FAIL: /$f is not in the package"
    status=1
  fi
done
for f in usr/bin/touchbase usr/libexec/touchbased; do
  [ -x "$root/$f" ] || { echo "FAIL: /$f is not executable"; status=1; }
done
# Nothing outside /usr, and nothing from the build machine.
stray=$(cd "$root" && find . -mindepth 1 -maxdepth 1 ! -name usr)
[ -z "$stray" ] || { echo "FAIL: outside /usr: $stray"; status=1; }
if grep -rlF "$tree" "$root" >/dev/null 2>&1; then
  echo "FAIL: the package holds paths of the build tree:"
  grep -rlF "$tree" "$root"
  status=1
fi

# The activation file starts the installed daemon, through the unit.
svc=$root/usr/share/dbus-1/services/io.github.touchbase.Daemon.service
grep -qx 'Exec=/usr/libexec/touchbased --log-file' "$svc" ||
  { echo "FAIL: $svc does not Exec /usr/libexec/touchbased"; status=1; }
grep -qx 'SystemdService=touchbased.service' "$svc" ||
  { echo "FAIL: $svc names no SystemdService"; status=1; }

# systemd-analyze cannot verify a user unit under --root: verify a copy
# whose ExecStart points into the scratch root, after checking that the
# path it replaces is the installed daemon.
unit=$root/usr/lib/systemd/user/touchbased.service
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
[ "$exec_start" = /usr/libexec/touchbased ] ||
  { echo "FAIL: ExecStart=$exec_start"; status=1; }
mkdir -p "$work/units"
sed "s|^ExecStart=/|ExecStart=$root/|" "$unit" >"$work/units/touchbased.service"
runtime=$work/runtime
mkdir -m 700 "$runtime"
out=$(XDG_RUNTIME_DIR=$runtime systemd-analyze --user --man=no verify \
  "$work/units/touchbased.service" 2>&1) || { echo "$out"; status=1; }
[ -z "$out" ] || { echo "$out"; echo "FAIL: systemd-analyze verify"; status=1; }
echo "# systemd-analyze --user verify: ${out:-clean}"

desktop-file-validate "$root/usr/share/applications/io.github.touchbase.desktop" ||
  status=1

# The installed client runs, and its completion loads.
"$root/usr/bin/touchbase" --version
bash --norc -c ". '$root/usr/share/bash-completion/completions/touchbase' && complete -p touchbase" ||
  status=1

[ "$status" -eq 0 ] && echo "# the package is complete"
exit $status
