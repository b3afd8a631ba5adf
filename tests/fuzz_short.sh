#!/usr/bin/env bash
# CTest fuzz.short (label fuzz): the fuzz targets' regression inputs, then fuzz_pipeline for 30 s
# and the three fast targets (fuzz_schedule, fuzz_jsonpath, fuzz_error_names) for 10 s each: 60 s
# in all, as with two targets of 30 s (scripts/fuzz.sh). It runs only when ORCHC_TEST_FUZZ=1 (the
# asan test preset sets it, and scripts/test.sh runs that preset); otherwise it reports itself
# skipped and a plain `ctest` stays quick. Alone: ORCHC_TEST_FUZZ=1 ctest --test-dir build -L fuzz
#   fuzz_short.sh BUILD_DIR SOURCE_DIR [prebuilt]
# prebuilt: BUILD_DIR is a tree configured with ORCHC_FUZZ=ON whose targets are built (the asan
# preset); otherwise BUILD_DIR is a clang fuzz build fuzz.sh configures and builds first.
set -euo pipefail
fuzz_build="$1"; root="$2"; prebuilt="${3:-}"
if [ "${ORCHC_TEST_FUZZ:-0}" != 1 ]; then
  echo "fuzz.short: skipped; ORCHC_TEST_FUZZ=1 runs it (scripts/test.sh does)"
  exit 77
fi
unset ASAN_OPTIONS UBSAN_OPTIONS   # fuzz.sh sets the fuzzers' own (the asan preset's differ)
FUZZ_PREBUILT=$([ "$prebuilt" = prebuilt ] && echo 1 || echo 0) FUZZ_BUILD_DIR="$fuzz_build" FUZZ_SECONDS_FAST=10 exec "$root/scripts/fuzz.sh" 30
