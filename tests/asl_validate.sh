#!/usr/bin/env bash
# Every state machine definition orchc emits passes asl-validator (tests/node, pinned): the
# committed templates/ and tests/golden/ outputs, and specs/ plus every golden spec compiled in
# both embeddings (the .asl.json files and the definitions inside the templates).
# tests/asl_known_defects.txt lists definitions known to be refused, with the reason; each must
# still be refused (the test fails once a listed defect is fixed, so the list stays true).
set -euo pipefail
orchc="$1"; root="$2"
node=$("$root"/scripts/install-node-tools.sh | tail -n1)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for spec in "$root"/specs/*.yaml "$root"/tests/golden/*/spec.yaml; do
  case "$spec" in */error-*) continue ;; esac
  name=$(basename "$(dirname "$spec")")-$(basename "$spec" .yaml)
  mkdir -p "$tmp/$name/string" "$tmp/$name/object"
  # Warnings are not this test's business; an error shows its diagnostics.
  "$orchc" compile "$spec" -o "$tmp/$name/object" >/dev/null 2>"$tmp/log" || { cat "$tmp/log"; exit 1; }
  "$orchc" compile "$spec" --definition-string -o "$tmp/$name/string" >/dev/null 2>"$tmp/log" ||
    { cat "$tmp/log"; exit 1; }
done
mapfile -t files < <(find "$tmp" "$root/templates" "$root/tests/golden" \
  \( -name '*.asl.json' -o -name '*.template.json' \) | sort)
"$node" "$root/tests/node/asl_validate.js" --known-defects "$root/tests/asl_known_defects.txt" \
  "${files[@]}"
