#!/usr/bin/env bash
# cdk synth of the equivalent CDK app (bench/cdk/) beside orchc compile of specs/prod.yaml:
# median wall time (hyperfine) and median peak RSS (/usr/bin/time), with the ratio.
#
#   bench/cdk/run.sh [path/to/orchc]        (default: build-bench/compiler/orchc)
#   RUNS=10 SCRATCH=/tmp/orchc-cdk bench/cdk/run.sh
#
# Installs aws-cdk-lib, constructs, aws-cdk, ts-node and typescript (versions pinned in
# package.json) from npm into SCRATCH, outside the repository; never part of the test suite.
# Three CDK paths are timed: the CLI with ts-node (what `cdk synth` does in a `cdk init` app),
# the CLI on precompiled JavaScript, and the precompiled app run directly by node (no CLI: the
# fastest CDK path). The synthesized template is first checked against the reference's resources.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
orchc="$(realpath "${1:-$repo/build-bench/compiler/orchc}")"
runs="${RUNS:-10}"
orchc_runs="${ORCHC_RUNS:-200}"
scratch="${SCRATCH:-${TMPDIR:-/tmp}/orchc-cdk-bench}"
reference="${REFERENCE:-/work/shared/reference/cdk/prod.template.json}"
[ -x "$orchc" ] || { echo "cdk bench: $orchc is not built (scripts/bench.sh builds it)" >&2; exit 2; }
for tool in node npm hyperfine python3; do
  command -v "$tool" >/dev/null || { echo "cdk bench: $tool missing" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "cdk bench: /usr/bin/time missing" >&2; exit 2; }
case "$scratch" in "$repo"/*) echo "cdk bench: SCRATCH must be outside the repository" >&2; exit 2 ;; esac

echo "== installing the CDK app into $scratch" >&2
mkdir -p "$scratch"
cp -r "$here/bin" "$here/lib" "$here/package.json" "$here/cdk.json" "$here/tsconfig.json" "$scratch/"
(cd "$scratch" && npm install --no-audit --no-fund --loglevel=error >&2 && npx tsc)
export CDK_DISABLE_VERSION_CHECK=1 CDK_DISABLE_CLI_TELEMETRY=true
cdk_ts="npx cdk synth -q -c env=prod -o $scratch/cdk.out.ts"
cdk_js="npx cdk synth -q -c env=prod --app 'node bin/app.js' -o $scratch/cdk.out.js"
python3 -c 'import json, sys; c = json.load(open(sys.argv[1]))["context"]; c["env"] = "prod"; print(json.dumps(c, separators=(",", ":")))' \
  "$here/cdk.json" > "$scratch/context.json"  # what the CLI passes the app: cdk.json's context + -c
node_js="env CDK_OUTDIR=$scratch/cdk.out.node CDK_CONTEXT_JSON=\$(cat $scratch/context.json) node bin/app.js"

echo "== checking the synthesized stack against the reference ($reference)" >&2
(cd "$scratch" && eval "$cdk_ts" >&2)
python3 - "$scratch/cdk.out.ts/OrchestrationStack-prod.template.json" "$reference" <<'PY'
import json, sys
got, want = (json.load(open(p))["Resources"] for p in sys.argv[1:3])
plumbing = {"CDKMetadata"}
g = {k: v["Type"] for k, v in got.items() if k not in plumbing}
w = {k: v["Type"] for k, v in want.items()}
if g != w:
    sys.exit("cdk bench: the synthesized resources differ from the reference:\n  got  %s\n  want %s" % (sorted(g.items()), sorted(w.items())))
print("same %d resources (logical IDs and types) as the reference" % len(g), file=sys.stderr)
PY

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
wall_ms() { python3 -c 'import json,sys; print("%.3f" % (json.load(open(sys.argv[1]))["results"][0]["median"]*1000))' "$1"; }
# mean CPU time (user + system) in ms: far less sensitive than wall time to a loaded machine
cpu_ms() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.3f" % ((r["user"]+r["system"])*1000))' "$1"; }
rss_mb() {  # median peak RSS in MB of a shell command line, over 5 runs
  for _ in 1 2 3 4 5; do (cd "$scratch" && /usr/bin/time -f '%M' bash -c "$1" 2>&1 >/dev/null | tail -n 1); done |
    median | awk '{printf "%.1f", $1/1024}'
}

echo "== timing ($runs runs per CDK path, $orchc_runs per orchc command)" >&2
(cd "$scratch" && hyperfine --warmup 1 --runs "$runs" --export-json "$work/ts.json" "$cdk_ts" >&2)
(cd "$scratch" && hyperfine --warmup 1 --runs "$runs" --export-json "$work/js.json" "$cdk_js" >&2)
(cd "$scratch" && hyperfine --warmup 1 --runs "$runs" --export-json "$work/node.json" "$node_js" >&2)
hyperfine -N --warmup 10 --runs "$orchc_runs" --export-json "$work/oc.json" \
  "$orchc compile $repo/specs/prod.yaml -o $work/out" >&2
hyperfine -N --warmup 10 --runs "$orchc_runs" --export-json "$work/os.json" \
  "$orchc compile $repo/specs/prod.yaml --stdout" >&2
hyperfine -N --warmup 10 --runs "$orchc_runs" --export-json "$work/ov.json" \
  "$orchc validate $repo/specs/prod.yaml" >&2

ts_ms="$(wall_ms "$work/ts.json")"; js_ms="$(wall_ms "$work/js.json")"; node_ms="$(wall_ms "$work/node.json")"
oc_ms="$(wall_ms "$work/oc.json")"; os_ms="$(wall_ms "$work/os.json")"; ov_ms="$(wall_ms "$work/ov.json")"
ts_mb="$(rss_mb "$cdk_ts")"; js_mb="$(rss_mb "$cdk_js")"; node_mb="$(rss_mb "$node_js")"
oc_mb="$(rss_mb "$orchc compile $repo/specs/prod.yaml -o $work/out")"
os_mb="$(rss_mb "$orchc compile $repo/specs/prod.yaml --stdout")"
ov_mb="$(rss_mb "$orchc validate $repo/specs/prod.yaml")"

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg); node $(node --version); aws-cdk-lib $(cd "$scratch" && node -p 'require("aws-cdk-lib/package.json").version')"
echo
row() { echo "| $1 | $(wall_ms "$work/$2.json") | $(cpu_ms "$work/$2.json") | $3 |"; }
echo "| command | median wall (ms) | mean CPU, user+sys (ms) | median peak RSS (MB) |"
echo "|---|---|---|---|"
row "cdk synth (ts-node)" ts "$ts_mb"
row "cdk synth (precompiled JS, via the CLI)" js "$js_mb"
row "node bin/app.js (precompiled, no CLI)" node "$node_mb"
row "orchc compile prod.yaml -o DIR" oc "$oc_mb"
row "orchc compile prod.yaml --stdout" os "$os_mb"
row "orchc validate prod.yaml" ov "$ov_mb"
echo
ratios() {  # $1 = wall_ms or cpu_ms
  local f t oc os ov
  f="$(for k in ts js node; do "$1" "$work/$k.json"; done | sort -g | head -n 1)"
  t="$("$1" "$work/ts.json")"; oc="$("$1" "$work/oc.json")"; os="$("$1" "$work/os.json")"; ov="$("$1" "$work/ov.json")"
  awk -v w="$2" -v f="$f" -v t="$t" -v oc="$oc" -v os="$os" -v ov="$ov" 'BEGIN {
    printf "ratio by %s, fastest CDK path (%.0f ms) / orchc: compile -o %.0fx, --stdout %.0fx, validate %.0fx; cdk synth with ts-node / orchc compile -o: %.0fx\n", w, f, f/oc, f/os, f/ov, t/oc
  }'
}
ratios wall_ms "median wall time"
ratios cpu_ms "CPU time"
