#!/bin/sh
# A session bus for touchbase where no systemd user session provides one,
# which outlives the daemon: run.sh uses it, so that stopping touchbased
# leaves the bus, and a restarted touchbased (or one D-Bus activation
# starts) joins the same bus as every terminal that sourced the file.
#
#   tools/session-bus.sh     prints the path of the env file
#
# The env file, $XDG_CACHE_HOME/touchbase/session-bus.env, sets and
# exports DBUS_SESSION_BUS_ADDRESS (". FILE" in a shell). In order:
#   - the bus of $DBUS_SESSION_BUS_ADDRESS when it answers;
#   - else the bus the env file names when it answers;
#   - else a new one (dbus-daemon --session --fork), written to the file.
set -eu

cache=${XDG_CACHE_HOME:-$HOME/.cache}
envfile=$cache/touchbase/session-bus.env

# answers ADDRESS: whether a bus listens there.
answers() {
  [ -n "$1" ] || return 1
  DBUS_SESSION_BUS_ADDRESS=$1 dbus-send --session --print-reply \
    --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.GetId >/dev/null 2>&1
}

# write ADDRESS [PID]: the env file, replaced whole.
write() {
  mkdir -p "$(dirname "$envfile")"
  chmod 700 "$(dirname "$envfile")"
  tmp=$envfile.$$
  (
    umask 077
    {
      printf "DBUS_SESSION_BUS_ADDRESS='%s'\nexport DBUS_SESSION_BUS_ADDRESS\n" "$1"
      [ -z "${2:-}" ] || printf "DBUS_SESSION_BUS_PID=%s\nexport DBUS_SESSION_BUS_PID\n" "$2"
    } >"$tmp"
  )
  mv -f "$tmp" "$envfile"
}

if answers "${DBUS_SESSION_BUS_ADDRESS:-}"; then
  # Keep a PID the file already has for this very bus.
  pid=
  if [ -f "$envfile" ]; then
    old=$(sed -n "s/^DBUS_SESSION_BUS_ADDRESS='\(.*\)'$/\1/p" "$envfile")
    [ "$old" = "$DBUS_SESSION_BUS_ADDRESS" ] &&
      pid=$(sed -n 's/^DBUS_SESSION_BUS_PID=//p' "$envfile")
  fi
  write "$DBUS_SESSION_BUS_ADDRESS" "$pid"
  echo "$envfile"
  exit 0
fi

if [ -f "$envfile" ]; then
  old=$(sed -n "s/^DBUS_SESSION_BUS_ADDRESS='\(.*\)'$/\1/p" "$envfile")
  if answers "$old"; then
    echo "$envfile"
    exit 0
  fi
fi

# The standard session configuration includes ~/.local/share/dbus-1/services:
# on this bus the client can D-Bus-activate touchbased too.
bus=$(dbus-daemon --session --fork --print-address=1 --print-pid=1)
address=$(echo "$bus" | sed -n 1p)
pid=$(echo "$bus" | sed -n 2p)
[ -n "$address" ] || {
  echo "session-bus.sh: dbus-daemon did not start" >&2
  exit 1
}
write "$address" "$pid"
echo "Started a session bus (pid $pid); it stays when touchbased stops." >&2
echo "$envfile"
