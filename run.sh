#!/usr/bin/env bash
# Install what is missing, build, install touchbase for this user under
# ~/.local, and start touchbased:
#   - with a systemd user session: enable and (re)start touchbased.service;
#   - otherwise: run touchbased in the foreground on the session bus,
#     starting a session bus first when there is none (Ctrl-C stops both).
#     With --background it is started detached instead, and run.sh returns.
# Safe to run again: it rebuilds, reinstalls and restarts.
set -euo pipefail
cd "$(dirname "$0")"

background=false
case "${1:-}" in
  --background) background=true ;;
  "") ;;
  *)
    echo "usage: $0 [--background]" >&2
    exit 2
    ;;
esac

tools/install-deps.sh run

prefix=$HOME/.local
builddir=build-run
options=(
  --prefix "$prefix"
  --buildtype debugoptimized
  -Dsystemd_user_unit_dir="$HOME/.local/share/systemd/user"
  -Ddbus_services_dir="$HOME/.local/share/dbus-1/services"
  -Dtests=false
)
if [ -f "$builddir/build.ninja" ]; then
  meson setup --reconfigure "$builddir" "${options[@]}" >/dev/null
else
  meson setup "$builddir" "${options[@]}" >/dev/null
fi
meson compile -C "$builddir"
meson install -C "$builddir" --quiet --no-rebuild
echo "Installed touchbase under $prefix"

touchbased=$prefix/libexec/touchbased
touchbase=$prefix/bin/touchbase

next_steps() {
  echo
  echo "Next, try:"
  case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "  export PATH=\"\$HOME/.local/bin:\$PATH\"   # add this to ~/.profile too" ;;
  esac
  echo '  touchbase add "Ana Silva" --every 2w --url https://www.linkedin.com/in/ana-silva'
  echo '  touchbase log ana --kind coffee --note "talked about her new job"'
  echo '  touchbase due --within 1w'
  echo '  touchbase status'
  echo '  man touchbase'
}

# Make a running bus see the newly installed activation file.
reload_bus_config() {
  dbus-send --session --type=method_call --dest=org.freedesktop.DBus \
    /org/freedesktop/DBus org.freedesktop.DBus.ReloadConfig \
    >/dev/null 2>&1 || true
}

if systemctl --user show-environment >/dev/null 2>&1; then
  systemctl --user daemon-reload
  reload_bus_config
  systemctl --user enable touchbased.service
  # restart, not start: pick up the binary just installed.
  systemctl --user restart touchbased.service
  echo "touchbased.service is enabled and started:"
  systemctl --user --no-pager --lines=0 status touchbased.service || true
  "$touchbase" status || echo "warning: touchbase status failed; see journalctl --user -u touchbased.service" >&2
  next_steps
  exit 0
fi

echo "No systemd user session here: running touchbased on the session bus."
started_bus_pid=
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  # The standard session configuration includes ~/.local/share/dbus-1/services,
  # so on this bus the client can D-Bus-activate touchbased too.
  bus=$(dbus-daemon --session --fork --print-address=1 --print-pid=1)
  DBUS_SESSION_BUS_ADDRESS=$(sed -n 1p <<<"$bus")
  started_bus_pid=$(sed -n 2p <<<"$bus")
  export DBUS_SESSION_BUS_ADDRESS
  echo "Started a session bus (pid $started_bus_pid)."
else
  reload_bus_config
fi

# Remember how to reach it, for other terminals.
envdir=${XDG_RUNTIME_DIR:-$HOME/.cache}/touchbase
mkdir -p "$envdir"
envfile=$envdir/session-bus.env
printf "export DBUS_SESSION_BUS_ADDRESS='%s'\n" "$DBUS_SESSION_BUS_ADDRESS" >"$envfile"

echo
echo "To reach touchbased from another terminal, first run:"
echo "  export DBUS_SESSION_BUS_ADDRESS='$DBUS_SESSION_BUS_ADDRESS'"
echo "or:  . $envfile"
next_steps

if $background; then
  logfile=${XDG_CACHE_HOME:-$HOME/.cache}/touchbase/touchbased.log
  mkdir -p "$(dirname "$logfile")"
  setsid "$touchbased" --replace </dev/null >>"$logfile" 2>&1 &
  pid=$!
  # Return only once the daemon answers, so the next command finds it.
  for _ in $(seq 50); do
    "$touchbase" status >/dev/null 2>&1 && break
    sleep 0.1
  done
  echo
  echo "touchbased runs in the background (pid $pid), logging to $logfile:"
  "$touchbase" status
  exit 0
fi

if [ -n "$started_bus_pid" ]; then
  trap 'kill "$started_bus_pid" 2>/dev/null || true' EXIT
fi
echo
echo "touchbased is running in the foreground; Ctrl-C stops it."
# --replace: take over from one started earlier on this bus.
"$touchbased" --replace
