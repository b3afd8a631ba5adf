#!/usr/bin/env bash
# Installs missing packages, configures and builds into build/ (or $ORCHC_BUILD_DIR).
#
#   scripts/build.sh [--all | --target NAME ...] [CMAKE_ARG ...]
#
# By default it builds the tools only (orchc and sample-batch) and installs only the packages
# they need; a build directory configured for the first time gets -DORCHC_BUILD_TESTS=OFF
# (one that already builds the tests keeps them). --all installs every package and builds
# everything with the tests (scripts/test.sh). --target builds the named targets only (the
# batch job's Dockerfile builds sample-batch this way). Other arguments go to cmake's configure
# step; CMAKE_BUILD_TYPE (default RelWithDebInfo) picks the build type. Compiles through ccache
# when it is installed (scripts/compiler-cache.sh; ORCHC_CCACHE=0 turns it off).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=tools
targets=()
cmake_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --all) mode=all ;;
    --target) targets+=("$2"); shift ;;
    *) cmake_args+=("$1") ;;
  esac
  shift
done
build_dir="${ORCHC_BUILD_DIR:-build}"
if [ "$mode" = all ]; then
  ./scripts/install-deps.sh
  cmake_args=(-DORCHC_BUILD_TESTS=ON "${cmake_args[@]}")
else
  ./scripts/install-deps.sh --tools
  [ -f "$build_dir/CMakeCache.txt" ] || cmake_args=(-DORCHC_BUILD_TESTS=OFF "${cmake_args[@]}")
  [ ${#targets[@]} -gt 0 ] || targets=(orchc sample-batch)
fi
. scripts/compiler-cache.sh "$PWD"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-RelWithDebInfo}" \
  "${ccache_args[@]}" "${cmake_args[@]}" >/dev/null
if [ ${#targets[@]} -gt 0 ]; then
  cmake --build "$build_dir" -j"$(nproc)" --target "${targets[@]}"
else
  cmake --build "$build_dir" -j"$(nproc)"
fi
