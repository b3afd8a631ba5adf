#!/usr/bin/env bash
# Compiles specs/prod.yaml, specs/reports.yaml and tests/interp/specs/*.yaml with the orchc under
# test and runs their state machines in aws-local-stepfunctions with mocked ECS/SNS tasks
# (every *_test.mjs here, README.md).
set -euo pipefail
orchc="$1"; root="$2"
node=$("$root"/scripts/install-node-tools.sh | tail -n1)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$orchc" compile "$root/specs/prod.yaml" "$root/specs/reports.yaml" "$root"/tests/interp/specs/*.yaml \
  -o "$tmp" >/dev/null 2>"$tmp/log" || { cat "$tmp/log"; exit 1; }
ASL_DIR="$tmp" "$node" --test --test-reporter=spec "$root"/tests/interp/*_test.mjs
