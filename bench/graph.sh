#!/usr/bin/env bash
# `orchc graph` against `orchc validate` of the same spec, whole process (docs/performance.md,
# "graph"): hyperfine without a shell (-N), warm-up runs first. Not part of the tests.
#   bench/graph.sh ORCHC [SPEC] [RUNS]      e.g. bench/graph.sh build-bench/compiler/orchc
set -euo pipefail
orchc="$1"; spec="${2:-specs/reports.yaml}"; runs="${3:-300}"
command -v hyperfine >/dev/null || { echo "bench/graph.sh: hyperfine is not installed (scripts/install-deps.sh)" >&2; exit 1; }
hyperfine -N --warmup 30 --runs "$runs" --export-json "${EXPORT:-/dev/null}" \
  "$orchc validate $spec" \
  "$orchc graph $spec" \
  "$orchc graph $spec --format mermaid"
