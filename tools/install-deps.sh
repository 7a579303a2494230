#!/bin/sh
# Install the Debian/Ubuntu packages touchbase needs that are missing.
# Usage: tools/install-deps.sh run|test
#   run:  what building, installing and running touchbase needs
#   test: that plus everything the test suite and its checks use
# Uses apt-get, through sudo when not root; does nothing when all is there.
set -eu

build_pkgs="build-essential meson ninja-build pkg-config
  libglib2.0-dev libglib2.0-bin libnotify-dev libsqlite3-dev libical-dev
  libjson-glib-dev libsoup-3.0-dev libsecret-1-dev libarchive-dev dbus
  libgmime-3.0-dev libnotmuch-dev
  libecal2.0-dev libedataserver1.2-dev evolution-data-server"
test_pkgs="python3 python3-dbusmock xvfb xauth dunst imagemagick xdotool
  libnotify-bin python3-icalendar khal radicale desktop-file-utils curl
  chromium systemd hyperfine clang clang-format groff-base git strace
  libclang-rt-14-dev valgrind gettext universal-ctags locales tmux notmuch
  debhelper dpkg-dev lintian fakeroot bash-completion zsh
  python3-gi gir1.2-ecal-2.0 gir1.2-edataserver-1.2
  calcurse remind"

case "${1:-}" in
  run) wanted=$build_pkgs ;;
  test) wanted="$build_pkgs $test_pkgs" ;;
  *)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac

missing=
for pkg in $wanted; do
  if ! dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null |
    grep -q 'install ok installed'; then
    missing="$missing $pkg"
  fi
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing packages:$missing" >&2
  echo "This is not a Debian or Ubuntu system: install their equivalents." >&2
  exit 1
fi

sudo=
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "Missing packages:$missing; run as root or install sudo." >&2
    exit 1
  fi
  sudo=sudo
fi

apt_get() {
  # shellcheck disable=SC2086  # word splitting of the package list is wanted
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get "$@"
}

echo "Installing:$missing"
apt_get update -q
# shellcheck disable=SC2086
apt_get install -y -q --no-install-recommends $missing && exit 0

# Some package may not exist here (Ubuntu ships chromium as a snap): install
# one by one; only the build dependencies are fatal.
status=0
for pkg in $missing; do
  apt_get install -y -q --no-install-recommends "$pkg" >/dev/null 2>&1 && continue
  case " $(echo $build_pkgs) " in
    *" $pkg "*)
      echo "ERROR: could not install $pkg, needed to build" >&2
      status=1
      ;;
    *) echo "warning: could not install $pkg; tests that need it skip" >&2 ;;
  esac
done
exit $status
