#!/usr/bin/env bash
# CTest fuzz.short (label fuzz): the fuzz targets' regression inputs, then each target for 30 s,
# in a clang fuzz build inside the build tree (scripts/fuzz.sh). It takes minutes, so it runs only
# when ORCHC_TEST_FUZZ=1 (scripts/test.sh, i.e. CI, sets it); otherwise it reports itself skipped
# and a plain `ctest` stays quick. Alone: ORCHC_TEST_FUZZ=1 ctest --test-dir build -L fuzz
set -euo pipefail
fuzz_build="$1"; root="$2"
if [ "${ORCHC_TEST_FUZZ:-0}" != 1 ]; then
  echo "fuzz.short: skipped; ORCHC_TEST_FUZZ=1 runs it (scripts/test.sh does)"
  exit 77
fi
FUZZ_BUILD_DIR="$fuzz_build" exec "$root/scripts/fuzz.sh" 30
