#!/usr/bin/env bash
# `orchc schedule` against `orchc validate` of the same spec (docs/performance.md, "Schedule"):
# a spec of 10 workflows, each with one EventBridge Scheduler schedule (cron or rate, in zones
# with and without daylight saving, half of them drawing a DST warning), 10 firings per
# schedule; whole processes measured with hyperfine (Debian package hyperfine). No timing is
# asserted anywhere.
#
#   bench/schedule.sh ORCHC [RUNS]
set -euo pipefail
orchc="$1"; runs="${2:-200}"
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
zones=(Europe/Berlin America/New_York Australia/Lord_Howe Asia/Tokyo America/Sao_Paulo)
exprs=("cron(30 2 * * ? *)" "cron(0 9 ? * MON-FRI *)" "rate(1 day)" "cron(15 1 L * ? *)" "rate(6 hours)")
{
  printf 'version: 1\nenv: bench\nimports:\n  taskDefinition: {ssm: /bench/td}\nworkflows:\n'
  for i in $(seq 0 9); do
    printf '  w%d:\n    schedule: {expression: "%s", engine: scheduler, timezone: %s}\n' \
      "$i" "${exprs[$((i % 5))]}" "${zones[$(((i / 2) % 5))]}"
    printf '    task: {container: app, command: [run]}\n'
  done
} > "$tmp/ten.yaml"
# Fixed clock and start: the same work on every run.
export ORCHC_NOW=2026-12-01T00:00:00Z
"$orchc" schedule "$tmp/ten.yaml" --count 10 --from 2026-12-01T00:00:00Z > "$tmp/out.txt"
echo "schedules: $(grep -c '^[^ ]' "$tmp/out.txt"), firings listed: $(grep -c '^  [0-9[(]' "$tmp/out.txt")"
hyperfine -N --warmup 20 --runs "$runs" --export-markdown "$tmp/table.md" \
  "$orchc validate $tmp/ten.yaml" \
  "$orchc schedule $tmp/ten.yaml --count 10 --from 2026-12-01T00:00:00Z" \
  "$orchc schedule $tmp/ten.yaml --count 10 --from 2026-12-01T00:00:00Z --format json"
cat "$tmp/table.md"
