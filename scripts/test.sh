#!/usr/bin/env bash
# Installs, builds and runs every test (CTest). CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
build_dir="${ORCHC_BUILD_DIR:-build}"
ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)" "$@"
