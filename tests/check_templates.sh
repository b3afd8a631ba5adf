#!/usr/bin/env bash
# templates/ must be exactly what specs/ compile to. Regenerate with scripts/gen-templates.sh.
set -euo pipefail
orchc="$1"; root="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$orchc" compile "$root"/specs/*.yaml -o "$tmp" >/dev/null
if ! diff -r "$tmp" "$root/templates"; then
  echo "templates/ is stale: run scripts/gen-templates.sh and commit the result" >&2
  exit 1
fi
echo "templates/ is fresh ($(ls "$tmp" | wc -l) files)"
