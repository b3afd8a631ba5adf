#!/usr/bin/env bash
# cfn-lint must report nothing (no error, no warning) on any template orchc produces: the specs,
# every golden case, in both definition embeddings.
set -euo pipefail
orchc="$1"; root="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0
for spec in "$root"/specs/*.yaml "$root"/tests/golden/*/spec.yaml; do
  case "$spec" in */error-*) continue ;; esac
  name=$(basename "$(dirname "$spec")")-$(basename "$spec" .yaml)
  mkdir -p "$tmp/$name/string" "$tmp/$name/object"
  "$orchc" compile "$spec" -o "$tmp/$name/object" >/dev/null
  "$orchc" compile "$spec" --definition-string -o "$tmp/$name/string" >/dev/null
  n=$((n + 2))
done
# The committed templates too.
files=$(find "$tmp" "$root/templates" -name '*.template.json' | sort)
if ! cfn-lint --format parseable -- $files; then
  echo "cfn-lint found problems (above)" >&2
  exit 1
fi
echo "cfn-lint: 0 errors, 0 warnings on $(echo "$files" | wc -l) templates"
