#!/usr/bin/env bash
# Installs, builds and runs every test (CTest). CI runs exactly this (.ci/run).
# Then builds the compiler again with clang, ASan + UBSan and the libFuzzer targets
# (CMakePresets.json, preset asan: build-asan/) and runs its tests (compiler.*, golden.*,
# templates.*, errors.*) under the sanitizers, and fuzz.short with the fuzz targets of that same
# tree; ORCHC_TEST_ASAN=0 skips that second pass, and the first pass then runs fuzz.short (which
# builds a fuzz tree of its own).
set -euo pipefail
cd "$(dirname "$0")/.."
# Each phase's wall time, printed at the end (where CI's time goes).
times=() last=$SECONDS
phase() { times+=("$1 $((SECONDS - last)) s"); last=$SECONDS; }
report() { local out; out=$(printf '%s, ' "${times[@]}"); echo "test.sh: wall time by phase: ${out%, }; total $SECONDS s"; }
trap report EXIT
./scripts/build.sh --all
phase build
./scripts/install-node-tools.sh >/dev/null   # Node 22 + npm test tools (tests/node/), npm ci
phase "node tools"
build_dir="${ORCHC_BUILD_DIR:-build}"
status=0
# fuzz.short (label fuzz) runs once: in the sanitizer pass, or here when that pass is off.
if [ "${ORCHC_TEST_ASAN:-1}" != 0 ]; then
  ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)" -LE '^fuzz$' "$@" || status=$?
else
  ORCHC_TEST_FUZZ="${ORCHC_TEST_FUZZ:-1}" ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)" "$@" || status=$?
fi
phase tests
if [ "${ORCHC_TEST_ASAN:-1}" != 0 ]; then
  echo "test.sh: the compiler's tests under ASan + UBSan (build-asan/)"
  . scripts/compiler-cache.sh "$PWD"
  cmake --preset asan "${ccache_args[@]}" >/dev/null
  cmake --build --preset asan -j"$(nproc)"
  phase "asan build"
  ctest --preset asan -j"$(nproc)" || status=$?
  phase "asan tests"
fi
exit "$status"
