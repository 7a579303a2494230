#!/usr/bin/python3
# Print the line CI looks for, "N passed, N failed" (plus ", N skipped" when
# some were), from one or more meson testlog.json files, and exit 1 when
# anything failed. --failed N adds N failures that never reached a test log
# (a build that did not compile). A missing log counts as one failure.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import json
import sys

PASSED = {'OK', 'EXPECTEDFAIL'}
SKIPPED = {'SKIP'}
# Everything else (FAIL, TIMEOUT, ERROR, UNEXPECTEDPASS, ...) failed.


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('logs', nargs='*', metavar='TESTLOG.JSON')
    parser.add_argument('--failed', type=int, default=0,
                        help='failures to add (e.g. failed builds)')
    args = parser.parse_args()

    passed = skipped = 0
    failed = args.failed
    failures = []
    for path in args.logs:
        try:
            with open(path) as f:
                lines = [line for line in f if line.strip()]
        except OSError as e:
            print(f'{path}: {e.strerror}', file=sys.stderr)
            failed += 1
            continue
        for line in lines:
            test = json.loads(line)
            result = test.get('result', 'ERROR')
            if result in PASSED:
                passed += 1
            elif result in SKIPPED:
                skipped += 1
            else:
                failed += 1
                failures.append(f'{result}: {test.get("name")} ({path})')

    for failure in failures:
        print(failure)
    line = f'{passed} passed, {failed} failed'
    if skipped:
        line += f', {skipped} skipped'
    print(line)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
