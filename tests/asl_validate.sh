#!/usr/bin/env bash
# Every state machine definition orchc emits passes asl-validator (tests/node, pinned): the
# committed templates/ and tests/golden/ outputs, and specs/ plus every golden spec compiled in
# both embeddings (the .asl.json files and the definitions inside the templates).
# tests/asl_defects/*.yaml reproduce compiler defects known today; tests/asl_known_defects.txt
# lists the definitions they give, with the reason. Each listed definition must still be refused
# (and each defect spec must still compile): once a defect is fixed this test fails until the
# list and the spec are updated, so the list stays true.
set -euo pipefail
shopt -s nullglob  # tests/asl_defects/ may hold no reproducer
orchc="$1"; root="$2"
node=$("$root"/scripts/install-node-tools.sh | tail -n1)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for spec in "$root"/specs/*.yaml "$root"/tests/golden/*/spec.yaml "$root"/tests/asl_defects/*.yaml; do
  name=$(basename "$(dirname "$spec")")-$(basename "$spec" .yaml)
  for mode in object string; do
    flags=(); [ "$mode" = string ] && flags=(--definition-string)
    mkdir -p "$tmp/$name/$mode"
    # Warnings are not this test's business; an error shows its diagnostics.
    if ! "$orchc" compile "$spec" "${flags[@]}" -o "$tmp/$name/$mode" >/dev/null 2>"$tmp/log"; then
      cat "$tmp/log"
      case "$spec" in */asl_defects/*)
        echo "$spec no longer compiles: if orchc now refuses it on purpose, the defect is fixed;" \
             "remove the spec and its lines in tests/asl_known_defects.txt" >&2 ;;
      esac
      exit 1
    fi
  done
done
mapfile -t files < <(find "$tmp" "$root/templates" "$root/tests/golden" \
  \( -name '*.asl.json' -o -name '*.template.json' \) | sort)
"$node" "$root/tests/node/asl_validate.js" --known-defects "$root/tests/asl_known_defects.txt" \
  "${files[@]}"
