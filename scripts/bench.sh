#!/usr/bin/env bash
# Builds the compiler and its benchmarks (Release, build-bench/ or $ORCHC_BENCH_DIR) and runs
# them: the per-stage Google Benchmark figures, then the whole-process figures (bench/process.sh).
# The CDK comparison is separate, since it downloads from npm: bench/cdk/run.sh.
# No timing is asserted anywhere; docs/performance.md holds the record.
#
#   scripts/bench.sh                           everything (several minutes)
#   scripts/bench.sh --benchmark_filter=Load   extra arguments go to the stage benchmark
#   STAGES=0 scripts/bench.sh                  whole-process figures only
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${ORCHC_BENCH_DIR:-build-bench}"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DORCHC_BUILD_BENCH=ON \
  -DORCHC_BUILD_TESTS=OFF >/dev/null
cmake --build "$build_dir" -j"$(nproc)" --target orchc orchc_bench orchc_bench_specs

if [ "${STAGES:-1}" = 1 ]; then
  echo "== stages (Google Benchmark; medians of ${REPS:-5} repetitions)"
  "$build_dir/bench/orchc_bench" --benchmark_repetitions="${REPS:-5}" \
    --benchmark_report_aggregates_only=true --benchmark_out="$build_dir/stages.json" \
    --benchmark_out_format=json "$@"
  python3 bench/stages_table.py "$build_dir/stages.json"
fi
echo "== whole process"
bench/process.sh "$build_dir/compiler/orchc" "$build_dir/bench/specs"
