#!/usr/bin/env bash
# docs/reports.svg must be exactly what scripts/gen-graph-picture.sh draws now.
set -euo pipefail
orchc="$1"; root="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$root"
tests/graph/draw_picture.sh "$orchc" specs/reports.yaml >"$tmp/reports.svg"
tests/graph/draw_picture.sh "$orchc" specs/reports.yaml >"$tmp/again.svg"
if ! cmp -s "$tmp/reports.svg" "$tmp/again.svg"; then
  echo "dot drew specs/reports.yaml differently twice: the picture cannot be checked" >&2
  exit 1
fi
if ! diff "$tmp/reports.svg" docs/reports.svg >"$tmp/diff"; then
  head -40 "$tmp/diff" >&2
  # The layout depends on Graphviz's version and on the font fontconfig gives for Helvetica
  # (Debian 12: graphviz 2.42.2, DejaVu Sans from fonts-dejavu-core).
  echo "docs/reports.svg is stale (drawn with $(dot -V 2>&1), Helvetica = $(fc-match Helvetica 2>/dev/null)): run scripts/gen-graph-picture.sh and commit the result" >&2
  exit 1
fi
echo "docs/reports.svg is fresh ($(wc -c <docs/reports.svg) bytes)"
