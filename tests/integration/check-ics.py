#!/usr/bin/python3
# check-ics.py — does an .ics file work with other people's parsers?
#
#   /usr/bin/python3 tests/integration/check-ics.py FILE [--no-khal] [--count N]
#                                       [--uid UID]... [--summary TEXT]...
#
# Checks the raw text (CRLF lines, folded at 75 octets, no libical
# "/freeassociation.sourceforge.net/" TZIDs), parses it with python3-icalendar
# (every VEVENT/VTODO has a UID and a DTSTAMP, a VEVENT a DTSTART, UIDs are
# unique) and imports it with khal (`khal import --batch` into a throwaway
# configuration and calendar; each VEVENT UID must arrive as a file).
# --count is the number of VEVENT+VTODO expected; --uid and --summary must
# each be found on some component.
#
# Exit status 0 when all is well, 1 with a message on stderr naming the
# problem, 2 on bad usage. Prints nothing on stdout (safe under TAP).
#
# Needs Debian's python3-icalendar and khal: run with /usr/bin/python3.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import os
import subprocess
import sys
import tempfile


class Failure(Exception):
    pass


def check_raw(data):
    if not data.startswith(b"BEGIN:VCALENDAR\r\n"):
        raise Failure("does not start with BEGIN:VCALENDAR and CRLF")
    if not data.endswith(b"END:VCALENDAR\r\n"):
        raise Failure("does not end with END:VCALENDAR and CRLF")
    lines = data.split(b"\r\n")
    for number, line in enumerate(lines[:-1], 1):
        if b"\n" in line or b"\r" in line:
            raise Failure("line %d: bare LF or CR (lines must end in CRLF)" % number)
        if len(line) > 75:
            raise Failure("line %d: %d octets, not folded at 75" % (number, len(line)))
        if line.upper().startswith(b"TZID") or b";TZID=" in line.upper():
            if b"freeassociation" in line:
                raise Failure("line %d: libical TZID prefix: %r" % (number, line))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Failure("not UTF-8: %s" % e)


def check_tzids(cal):
    for comp in cal.walk():
        for name, value in comp.property_items(recursive=False):
            params = getattr(value, "params", None) or {}
            tzid = params.get("TZID")
            if tzid is None and name == "TZID":
                tzid = str(value)
            if tzid is None:
                continue
            if "/" in tzid and tzid.startswith("/"):
                raise Failure("TZID %r is not a plain Olson name" % tzid)
            if not os.path.exists(os.path.join("/usr/share/zoneinfo", tzid)):
                raise Failure("TZID %r is not an Olson zone" % tzid)


def check_icalendar(data, args):
    try:
        import icalendar
    except ImportError:
        raise Failure("python3-icalendar is missing (run with /usr/bin/python3)")
    try:
        cal = icalendar.Calendar.from_ical(data)
    except Exception as e:  # icalendar raises ValueError and friends
        raise Failure("python3-icalendar cannot parse it: %s" % e)
    for comp in cal.walk():
        if getattr(comp, "errors", None):
            raise Failure("python3-icalendar: %s in %s: %s"
                          % (comp.name, comp.get("UID"), comp.errors))
    check_tzids(cal)

    items = [c for c in cal.walk() if c.name in ("VEVENT", "VTODO")]
    uids = set()
    event_uids = set()
    for comp in items:
        uid = comp.get("UID")
        if uid is None:
            raise Failure("a %s without UID" % comp.name)
        uid = str(uid)
        if comp.get("DTSTAMP") is None:
            raise Failure("%s %s has no DTSTAMP" % (comp.name, uid))
        if comp.name == "VEVENT" and comp.get("DTSTART") is None:
            raise Failure("VEVENT %s has no DTSTART" % uid)
        if comp.name == "VTODO" and comp.get("DUE") is None and comp.get("DTSTART") is None:
            raise Failure("VTODO %s has neither DUE nor DTSTART" % uid)
        if uid in uids:
            raise Failure("UID %s appears twice" % uid)
        uids.add(uid)
        if comp.name == "VEVENT":
            event_uids.add(uid)

    if args.count is not None and len(items) != args.count:
        raise Failure("%d VEVENT/VTODO components, expected %d" % (len(items), args.count))
    for uid in args.uid or []:
        if uid not in uids:
            raise Failure("no component with UID %s" % uid)
    summaries = [str(c.get("SUMMARY", "")) for c in items]
    for text in args.summary or []:
        if not any(text in s for s in summaries):
            raise Failure("no SUMMARY contains %r" % text)
    return event_uids


def check_khal(path, event_uids):
    with tempfile.TemporaryDirectory(prefix="check-ics-") as tmp:
        caldir = os.path.join(tmp, "cal")
        os.mkdir(caldir)
        config = os.path.join(tmp, "khal.conf")
        with open(config, "w") as f:
            f.write("[calendars]\n[[touchbase]]\npath = %s\n"
                    "[sqlite]\npath = %s\n"
                    "[locale]\ntimeformat = %%H:%%M\ndateformat = %%Y-%%m-%%d\n"
                    "longdateformat = %%Y-%%m-%%d\n"
                    "datetimeformat = %%Y-%%m-%%d %%H:%%M\n"
                    "longdatetimeformat = %%Y-%%m-%%d %%H:%%M\n"
                    % (caldir, os.path.join(tmp, "khal.db")))
        env = dict(os.environ, HOME=tmp, XDG_CONFIG_HOME=tmp, XDG_DATA_HOME=tmp,
                   XDG_CACHE_HOME=tmp, LC_ALL="C.UTF-8", LANG="C.UTF-8", TZ="UTC")
        try:
            proc = subprocess.run(["khal", "-c", config, "import", "--batch", path],
                                  env=env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  timeout=120)
        except FileNotFoundError:
            raise Failure("khal is not installed")
        except subprocess.TimeoutExpired:
            raise Failure("khal import took more than 120 s")
        output = proc.stdout.decode("utf-8", "replace").strip()
        if proc.returncode != 0:
            raise Failure("khal import failed (%d): %s" % (proc.returncode, output))
        # khal logs problems it skips over ("Skipping ...") without failing.
        for word in ("error", "Error", "Skipping", "skipping", "Traceback"):
            if word in output:
                raise Failure("khal import complained: %s" % output)
        files = [n for n in os.listdir(caldir) if n.endswith(".ics")]
        if len(files) != len(event_uids):
            raise Failure("khal imported %d events, the file has %d"
                          % (len(files), len(event_uids)))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file")
    parser.add_argument("--no-khal", action="store_true", help="skip the khal import")
    parser.add_argument("--count", type=int, help="expected VEVENT+VTODO count")
    parser.add_argument("--uid", action="append", help="a UID that must be there")
    parser.add_argument("--summary", action="append",
                        help="text some SUMMARY must contain")
    args = parser.parse_args()

    try:
        with open(args.file, "rb") as f:
            data = f.read()
        check_raw(data)
        event_uids = check_icalendar(data, args)
        if not args.no_khal:
            check_khal(os.path.abspath(args.file), event_uids)
    except OSError as e:
        print("check-ics: %s: %s" % (args.file, e), file=sys.stderr)
        return 1
    except Failure as e:
        print("check-ics: %s: %s" % (args.file, e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
