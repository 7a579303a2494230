#!/usr/bin/env bash
# Install what is missing, build from scratch, run the whole test suite, and
# end with the line "N passed, N failed".
#
#   build-test   --werror build: every suite (unit, integration, static)
#   build-asan   AddressSanitizer + UndefinedBehaviorSanitizer: unit suite
#   build-fuzz   clang -Dfuzzing=true: the fuzz suite (seed corpora, and
#                15 s of fuzzing per harness)
#
# Logs: build-test/meson-logs/testlog.txt, build-asan/meson-logs/testlog-asan.txt,
# and for integration tests build-test/tests/integration/logs/.
set -uo pipefail
cd "$(dirname "$0")"

if ! tools/install-deps.sh test; then
  echo "could not install the packages the tests need" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

jobs=$(nproc 2>/dev/null || echo 2)
build_failures=0
logs=()

# build_and_test DIR SUITE-ARGS -- SETUP-ARGS...
build_and_test() {
  local dir=$1 suite=$2
  shift 2
  echo "=== $dir: setup and build"
  rm -rf "$dir"
  if ! meson setup "$dir" --werror "$@" >"$dir.setup.log" 2>&1; then
    cat "$dir.setup.log"
    build_failures=$((build_failures + 1))
    return
  fi
  rm -f "$dir.setup.log"
  if ! meson compile -C "$dir"; then
    build_failures=$((build_failures + 1))
    return
  fi
  echo "=== $dir: tests ($suite)"
  local rc=0
  # shellcheck disable=SC2086  # $suite is empty or "--suite NAME"
  meson test -C "$dir" $suite --print-errorlogs --num-processes "$jobs" || rc=$?
  # testlog.json, or testlog-SETUP.json with --setup.
  local found=false log
  for log in "$dir"/meson-logs/testlog*.json; do
    [ -f "$log" ] || continue
    logs+=("$log")
    found=true
  done
  if ! $found && [ "$rc" -ne 0 ]; then
    build_failures=$((build_failures + 1))
  fi
}

# -Deds=enabled: CI reads evolution-data-server's calendars, never skips.
build_and_test build-test "" -Deds=enabled

# The "asan" test setup (tests/meson.build) sets the sanitizer options.
build_and_test build-asan "--suite unit --setup asan" \
  -Db_sanitize=address,undefined -Dbuildtype=debug

# libFuzzer harnesses (clang): every seed corpus, then each harness fuzzes
# for 15 s (the "fuzz-run" test, tests/fuzz/meson.build).
if command -v clang >/dev/null; then
  CC=clang build_and_test build-fuzz "--suite fuzz" -Dfuzzing=true
else
  echo "clang not found: no fuzzing" >&2
  build_failures=$((build_failures + 1))
fi

echo
/usr/bin/python3 tools/summarize-testlog.py --failed "$build_failures" "${logs[@]}"
