#!/usr/bin/env bash
# Redraws docs/reports.svg, the picture of specs/reports.yaml shown in README.md and
# docs/spec.md: `orchc graph` rendered by Graphviz's dot (commit the result; the test
# graph.picture_fresh fails when it is stale). Builds orchc into build/ ($ORCHC_BUILD_DIR) first.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${ORCHC_BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build "$build_dir" --target orchc >/dev/null
tests/graph/draw_picture.sh "$build_dir/compiler/orchc" specs/reports.yaml >docs/reports.svg.tmp
mv docs/reports.svg.tmp docs/reports.svg
