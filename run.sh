#!/usr/bin/env bash
# Install what is missing, build, install touchbase for this user under
# ~/.local, and start touchbased:
#   - with a systemd user session: enable and (re)start touchbased.service;
#   - otherwise: run touchbased in the foreground on the session bus,
#     starting a session bus first when none answers (tools/session-bus.sh;
#     its address goes to ~/.cache/touchbase/session-bus.env). Ctrl-C stops
#     the daemon and leaves the bus, which a restarted daemon joins. With
#     --background the daemon is started detached instead, logging to
#     ~/.local/state/touchbase/touchbased.log, and run.sh returns.
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
# A bus that outlives the daemon: reused when one runs, started otherwise
# (tools/session-bus.sh); its address is in the env file for other
# terminals, and stopping touchbased leaves it for the next one.
envfile=$(tools/session-bus.sh)
# shellcheck source=/dev/null
. "$envfile"
reload_bus_config

echo
echo "To reach touchbased from another terminal, first run:"
echo "  . $envfile"
next_steps

logfile=${XDG_STATE_HOME:-$HOME/.local/state}/touchbase/touchbased.log
if $background; then
  # --log-file: nobody reads a detached daemon's stderr.
  setsid "$touchbased" --replace --log-file </dev/null >/dev/null 2>&1 &
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

echo
echo "touchbased is running in the foreground; Ctrl-C stops it (the bus stays,"
echo "and the next touchbase command starts touchbased again, logging to"
echo "$logfile)."
# --replace: take over from one started earlier on this bus.
exec "$touchbased" --replace
