#!/usr/bin/env bash
# `orchc explain` against `orchc validate` of the same spec, whole process (docs/performance.md,
# "explain"): hyperfine without a shell (-N), warm-up runs first. Not part of the tests.
#   bench/explain.sh ORCHC [SPEC] [RUNS]    e.g. bench/explain.sh build/compiler/orchc /tmp/gen-10000.yaml 5
# explain exits 1 on a spec over CloudFormation's limits (every generated spec from 100
# workflows on) after printing its explanation: -i keeps hyperfine timing it.
set -euo pipefail
orchc="$1"; spec="${2:-specs/reports.yaml}"; runs="${3:-100}"
command -v hyperfine >/dev/null || { echo "bench/explain.sh: hyperfine is not installed (scripts/install-deps.sh)" >&2; exit 1; }
hyperfine -N -i --warmup 2 --runs "$runs" --export-json "${EXPORT:-/dev/null}" \
  "$orchc validate $spec" \
  "$orchc explain $spec" \
  "$orchc explain $spec --format json"
