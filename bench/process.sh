#!/usr/bin/env bash
# Whole-process figures of orchc (docs/performance.md): median wall time (hyperfine) and median
# peak RSS (/usr/bin/time) of `orchc validate` and `orchc compile` on the prod spec and on the
# generated specs, plus callgrind instruction counts (repeatable on a noisy machine).
#
#   bench/process.sh [path/to/orchc] [spec-dir]
#   RUNS=50 SIZES="1000 10000" CALLGRIND=0 bench/process.sh build-bench/compiler/orchc
#
# Past 100 workflows orchc reports CloudFormation's template limits (exit 1) after doing all the
# work; those rows measure throughput. hyperfine is run with -i so such exits are timed too.
#
# spec-dir holds gen-N.yaml (bench/gen_spec.py N); missing ones are generated there.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
orchc="$(realpath "${1:-$repo/build-bench/compiler/orchc}")"
spec_dir="${2:-$repo/build-bench/bench/specs}"
runs="${RUNS:-30}"
sizes="${SIZES:-1000 10000}"
callgrind="${CALLGRIND:-1}"
callgrind_max="${CALLGRIND_MAX:-1000}"  # callgrind is ~50x slower: skip it on larger specs
[ -x "$orchc" ] || { echo "bench: $orchc is not built (scripts/bench.sh builds it)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "bench: hyperfine missing (apt-get install hyperfine)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }

mkdir -p "$spec_dir"
for n in $sizes; do
  [ -f "$spec_dir/gen-$n.yaml" ] || python3 "$here/gen_spec.py" "$n" -o "$spec_dir/gen-$n.yaml"
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# median of numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# median wall (ms) by hyperfine, median peak RSS (MB) and, once, instructions by callgrind
measure() {
  local label="$1"; shift
  local runs_here="$runs"
  hyperfine -N -i --warmup 3 --runs "$runs_here" --export-json "$work/h.json" "$*" >/dev/null 2>&1
  local wall cpu
  wall="$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.2f" % (r["median"]*1000))' "$work/h.json")"
  cpu="$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.2f" % ((r["user"]+r["system"])*1000))' "$work/h.json")"
  local rss
  rss="$(for _ in $(seq 1 7); do { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null || true; } | tail -n 1; done | median)"
  rss="$(awk -v k="$rss" 'BEGIN {printf "%.1f", k/1024}')"
  local ir="-"
  if [ "$callgrind" = 1 ] && command -v valgrind >/dev/null; then
    ir="$({ valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null || true; } |
          sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' | tail -n 1)"
    ir="$(awk -v i="$ir" 'BEGIN {printf "%.1f M", i/1e6}')"
  fi
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$wall" "$cpu" "$rss" "$ir"
}

prod="$repo/specs/prod.yaml"
echo "orchc: $orchc ($("$orchc" --version)); $runs runs each; $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo '| command | median wall (ms) | mean CPU, user+sys (ms) | median peak RSS (MB) | instructions (callgrind) |'
echo '|---|---|---|---|---|'
measure "validate prod.yaml" "$orchc" validate "$prod"
measure "compile prod.yaml --stdout" "$orchc" compile "$prod" --stdout
measure "compile prod.yaml -o DIR (fsync)" "$orchc" compile "$prod" -o "$work/out"
all_callgrind="$callgrind"
for n in $sizes; do
  s="$spec_dir/gen-$n.yaml"
  if [ "$n" -gt "$callgrind_max" ]; then callgrind=0; else callgrind="$all_callgrind"; fi
  measure "validate gen-$n.yaml" "$orchc" validate "$s"
  measure "compile gen-$n.yaml --stdout" "$orchc" compile "$s" --stdout
  measure "compile gen-$n.yaml -o DIR (fsync)" "$orchc" compile "$s" -o "$work/out-$n"
done

# A pre-commit hook passes every changed file at once: one process shares the set-up.
callgrind="$all_callgrind"
files=()
for i in $(seq 1 100); do cp "$prod" "$work/spec-$i.yaml"; files+=("$work/spec-$i.yaml"); done
measure "validate 100 files, one process" "$orchc" validate "${files[@]}"
hyperfine -N --warmup 1 --runs 5 --export-json "$work/h100.json" \
  "bash -c 'for f in $work/spec-*.yaml; do $orchc validate \$f; done'" >/dev/null 2>&1
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("| validate 100 files, 100 processes (bash loop) | %.2f | %.2f | - | - |" % (r["median"]*1000, (r["user"]+r["system"])*1000))' "$work/h100.json"
