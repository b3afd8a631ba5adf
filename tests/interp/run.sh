#!/usr/bin/env bash
# Compiles specs/prod.yaml and specs/reports.yaml with the orchc under test and runs their state
# machines in aws-local-stepfunctions with mocked ECS/SNS tasks (interp_test.mjs, README.md).
set -euo pipefail
orchc="$1"; root="$2"
node=$("$root"/scripts/install-node-tools.sh | tail -n1)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$orchc" compile "$root/specs/prod.yaml" "$root/specs/reports.yaml" -o "$tmp" >/dev/null 2>"$tmp/log" ||
  { cat "$tmp/log"; exit 1; }
"$orchc" compile "$root/tests/interp/specs/overlap.yaml" -o "$tmp/overlap" >/dev/null 2>"$tmp/log" ||
  { cat "$tmp/log"; exit 1; }
ASL_DIR="$tmp" "$node" --test --test-reporter=spec "$root/tests/interp/interp_test.mjs"
ASL_DIR="$tmp/overlap" "$node" --test --test-reporter=spec "$root/tests/interp/overlap_test.mjs"
