#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) into build-fuzz/ and runs each for SECONDS
# (default 60). Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#   (targets: fuzz_pipeline fuzz_schedule fuzz_jsonpath fuzz_error_names; docs/reliability.md)
#   FUZZ_JOBS=N      parallel fuzzing processes per target (default 1)
#   FUZZ_SECONDS_FAST=N  seconds for the fast targets (fuzz_schedule, fuzz_jsonpath,
#                    fuzz_error_names; default SECONDS)
#   FUZZ_BUILD_DIR   the build directory (default build-fuzz)
#   FUZZ_PREBUILT=1  FUZZ_BUILD_DIR is already configured with ORCHC_FUZZ=ON and built (the asan
#                    preset's build-asan/ is such a tree): use its targets as they are
# The working corpus grows in $FUZZ_BUILD_DIR/corpus/<target>, seeded from specs/, the golden and
# hostile-input cases and tests/fuzz/corpus/; a crash is saved in $FUZZ_BUILD_DIR/artifacts/ and
# the script fails. Every input in tests/fuzz/regressions/<target>/ is run first.
# Figures of the documented long run: docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_pipeline fuzz_schedule fuzz_jsonpath fuzz_error_names)
build="${FUZZ_BUILD_DIR:-build-fuzz}"
jobs="${FUZZ_JOBS:-1}"

if [ "${FUZZ_PREBUILT:-0}" = 1 ]; then
  for t in "${targets[@]}"; do
    [ -x "$build/tests/fuzz/$t" ] ||
      { echo "fuzz.sh: $build/tests/fuzz/$t is not built (cmake --build --preset asan)" >&2; exit 2; }
  done
else
  if ! command -v clang++ >/dev/null 2>&1; then
    echo "fuzz.sh: clang++ is not installed (scripts/install-deps.sh installs it)" >&2
    [ "${FUZZ_REQUIRE_CLANG:-1}" = 0 ] && exit 77
    exit 2
  fi
  # The same instrumentation as the asan preset: ASan + UBSan (ORCHC_SANITIZE) and libFuzzer's
  # coverage (ORCHC_FUZZ).
  CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DORCHC_FUZZ=ON \
    -DORCHC_SANITIZE=ON >/dev/null
  cmake --build "$build" -j"$(nproc)" --target "${targets[@]}"
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
mkdir -p "$build/artifacts"
for t in "${targets[@]}"; do
  bin="$build/tests/fuzz/$t"
  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  seeds=()
  timeout=10
  case "$t" in
    fuzz_pipeline)
      seeds=(specs/*.yaml tests/golden/*/spec.yaml tests/fuzz/corpus/pipeline/*)
      for f in tests/errors/*/spec.yaml; do [ -e "$f" ] && seeds+=("$f"); done
      dict=tests/fuzz/pipeline.dict
      # Room for the seeds with thousands of sequential steps (tests/fuzz/corpus/pipeline/); one
      # such input takes seconds under the sanitizers on a loaded machine, hence its timeout.
      maxlen=65536; timeout=30 ;;
    fuzz_schedule)
      seeds=(tests/fuzz/corpus/schedule/*)
      dict=tests/fuzz/schedule.dict
      maxlen=256 ;;
    fuzz_jsonpath)
      seeds=(tests/fuzz/corpus/jsonpath/*)
      dict=tests/fuzz/jsonpath.dict
      maxlen=512 ;;
    fuzz_error_names)
      seeds=(tests/fuzz/corpus/error_names/*)
      dict=tests/fuzz/error_names.dict
      maxlen=1024 ;;
    *) echo "fuzz.sh: unknown target $t" >&2; exit 2 ;;
  esac
  for s in "${seeds[@]}"; do cp -f "$s" "$corpus/seed-$(echo "$s" | tr '/' '_')"; done
  # The regressions: each input that once crashed runs once and must pass.
  regressions=(tests/fuzz/regressions/"$t"/*)
  if [ -e "${regressions[0]}" ]; then
    echo "fuzz.sh: $t: ${#regressions[@]} regression inputs"
    "$bin" -rss_limit_mb=2048 -timeout="$timeout" "${regressions[@]}" >"$build/$t.regressions.log" 2>&1 ||
      { tail -50 "$build/$t.regressions.log"; echo "fuzz.sh: $t failed on a regression input" >&2; exit 1; }
  fi
  t_seconds="$seconds"
  [ "$t" != fuzz_pipeline ] && t_seconds="${FUZZ_SECONDS_FAST:-$seconds}"
  echo "fuzz.sh: $t for ${t_seconds}s ($jobs job(s))"
  log="$build/$t.log"
  parallel=()
  [ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs")
  status=0
  "$bin" "$corpus" -dict="$root/$dict" -max_len="$maxlen" -max_total_time="$t_seconds" \
    -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout="$timeout" -print_final_stats=1 \
    "${parallel[@]}" -artifact_prefix="$build/artifacts/$t-" >"$log" 2>&1 || status=$?
  [ "$jobs" -gt 1 ] && cat fuzz-*.log >>"$log" 2>/dev/null && rm -f fuzz-*.log
  grep -E '^#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::peak_rss_mb|cov:' "$log" | tail -3 || true
  if [ "$status" -ne 0 ]; then
    tail -60 "$log"
    echo "fuzz.sh: $t found a failure (exit $status); the input is in $build/artifacts/" >&2
    exit 1
  fi
done
