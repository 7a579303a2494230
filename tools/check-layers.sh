#!/bin/sh
# The layer rule: a folder includes its own headers and those of the
# layers below it, never one above or beside it. Lists what each folder
# includes and fails on an include that goes up or sideways, on
# <sqlite3.h> outside the store, and on libarchive outside the formats.
#
#   tools/check-layers.sh [SOURCE-DIR]
#
# From the bottom up (a folder may include any folder before it):
#   include/touchbase  the D-Bus contract (names; the generated bindings
#                      only for daemon/service and client, those of GNOME
#                      Shell's search provider only for daemon/service)
#   common             records, errors, folding, time
#   daemon/core        decisions and texts, no I/O
#   daemon/formats     bytes <-> records
#   daemon/store       SQLite
#   daemon/desktop     notifications, timer, calendar, CalDAV, secrets
#   daemon/engine      the operations, over store, config and clock
#   daemon/sources     readers of mail and calendars (worker threads)
#   daemon/service     the composition root and the D-Bus adapter
#   daemon             main.c
# client sits on common and the contract only.
set -u
srcdir=${1:-.}
cd "$srcdir" || exit 1

layers="include/touchbase common daemon/core daemon/formats daemon/store
daemon/desktop daemon/engine daemon/sources daemon/service daemon"

# rank FOLDER: its place in the order, or nothing for client.
rank() {
  i=0
  for l in $layers; do
    [ "$l" = "$1" ] && { echo $i; return; }
    i=$((i + 1))
  done
}

# owner HEADER: the folder that holds it.
owner() {
  case $1 in
    config.h) echo build ;;
    touchbase/*) echo include/touchbase ;;
    tb-dbus-generated.h) echo dbus ;;
    tb-search-provider-generated.h) echo search-provider ;;
    *)
      for d in common daemon/core daemon/formats daemon/store daemon/desktop \
        daemon/engine daemon/sources daemon/service daemon client; do
        [ -f "$d/$1" ] && { echo "$d"; return; }
      done
      echo unknown
      ;;
  esac
}

status=0
for dir in common daemon/core daemon/formats daemon/store daemon/desktop \
  daemon/engine daemon/sources daemon/service daemon client; do
  [ -d "$dir" ] || continue
  me=$(rank "$dir")
  seen=
  for f in "$dir"/*.c "$dir"/*.h; do
    [ -f "$f" ] || continue
    # "#include" lines: quoted ones are ours, <sqlite3.h> is the store's.
    grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' "$f" |
      sed 's/^\([0-9]*\):[^<"]*[<"]\([^>"]*\)[>"].*/\1 \2/' >"${TMPDIR:-/tmp}/layers.$$"
    while read -r line header; do
      case $header in
        sqlite3.h)
          if [ "$dir" != daemon/store ]; then
            echo "$f:$line: <sqlite3.h> outside daemon/store"
            status=1
          fi
          continue
          ;;
        archive.h | archive_entry.h)
          if [ "$dir" != daemon/formats ]; then
            echo "$f:$line: <$header> (libarchive) outside daemon/formats"
            status=1
          fi
          continue
          ;;
        *.h) ;;
        *) continue ;;
      esac
      case $header in
        */*) [ "${header%%/*}" = touchbase ] || continue ;;
      esac
      # System headers in <...> that are not ours.
      from=$(owner "$header")
      case $from in
        build | "$dir") continue ;;
        unknown)
          grep -q "^[[:space:]]*#[[:space:]]*include[[:space:]]*\"$header\"" "$f" || continue
          echo "$f:$line: includes \"$header\", which no layer holds"
          status=1
          continue
          ;;
        dbus)
          case $dir in
            daemon/service | client) ;;
            *)
              echo "$f:$line: includes the D-Bus bindings outside daemon/service and client"
              status=1
              ;;
          esac
          seen="$seen dbus"
          continue
          ;;
        search-provider)
          if [ "$dir" != daemon/service ]; then
            echo "$f:$line: includes the search provider's bindings outside daemon/service"
            status=1
          fi
          seen="$seen search-provider"
          continue
          ;;
      esac
      case " $seen " in *" $from "*) ;; *) seen="$seen $from" ;; esac
      if [ "$dir" = client ]; then
        case $from in
          common | include/touchbase) ;;
          *)
            echo "$f:$line: the client includes \"$header\" from $from"
            status=1
            ;;
        esac
        continue
      fi
      them=$(rank "$from")
      if [ -z "$them" ] || [ "$them" -ge "$me" ]; then
        echo "$f:$line: includes \"$header\" from $from, which is not below $dir"
        status=1
      fi
    done <"${TMPDIR:-/tmp}/layers.$$"
  done
  rm -f "${TMPDIR:-/tmp}/layers.$$"
  echo "$dir includes:${seen:- nothing of ours}"
done
exit $status
