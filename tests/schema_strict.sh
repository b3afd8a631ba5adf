#!/usr/bin/env bash
# `orchc schema` passes a strict draft-07 validator (ajv-cli, pinned in tests/node: every strict
# option on; union types, which draft-07 defines, allowed), every valid spec of the repository
# validates against it, and the limits orchc checks after the schema (the "editor limits" allOf
# entries, which orchc's own validation drops) are enforced by the editor-side validator too.
set -euo pipefail
orchc="$1"; root="$2"
node=$("$root"/scripts/install-node-tools.sh | tail -n1)
ajv=("$node" "$root/tests/node/node_modules/ajv-cli/dist/index.js")
strict=(--spec=draft7 --strict=true --allow-union-types)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$orchc" schema >"$tmp/schema.json"
"${ajv[@]}" compile "${strict[@]}" -s "$tmp/schema.json"

valid=()
for spec in "$root"/specs/*.yaml "$root"/tests/golden/*/spec.yaml; do
  case "$spec" in */error-*) continue ;; esac
  # A spec that extends a base is completed by it (docs/spec.md, "Sharing settings: extends"):
  # alone it may lack required keys such as version, so only complete specs are validated here.
  grep -q '^extends:' "$spec" && continue
  valid+=(-d "$spec")
done
"${ajv[@]}" validate "${strict[@]}" -s "$tmp/schema.json" "${valid[@]}"

# Specs orchc rejects for a limit the schema states: the editor must reject them at the same
# place. <spec> <instancePath> <schema keyword>
fail=0
# ajv and orchc run once per spec file of the cases (their results are kept by file).
declare -A ajv_out checked
while read -r spec path keyword; do
  if [ -z "${checked[$spec]:-}" ]; then
    checked[$spec]=1
    ajv_out[$spec]=$("${ajv[@]}" validate "${strict[@]}" --all-errors --errors=json \
      -s "$tmp/schema.json" -d "$root/$spec" 2>&1 | tr -d ' \n' || true)
    if "$orchc" validate "$root/$spec" >/dev/null 2>&1; then
      echo "schema_strict: orchc accepts $spec, which the schema case says it refuses" >&2
      fail=1
    fi
  fi
  out=${ajv_out[$spec]}
  if ! grep -q "\"instancePath\":\"$path\",\"schemaPath\":\"[^\"]*/$keyword\"" <<<"$out"; then
    echo "schema_strict: $spec: expected a '$keyword' error at $path from the schema; got:" >&2
    echo "$out" >&2
    fail=1
  fi
done <<'CASES'
tests/errors/retry-out-of-range/spec.yaml /workflows/report/task/retry/0/maxAttempts minimum
tests/errors/retry-out-of-range/spec.yaml /workflows/report/task/retry/0/backoffRate minimum
tests/errors/names-too-long/spec.yaml /workflows/report/task/container pattern
tests/schema/limits.yaml /logs/retentionDays enum
tests/schema/limits.yaml /workflows/nightly/taskDefinition/logRetentionDays enum
tests/schema/limits.yaml /stack/tags propertyNames
tests/schema/limits.yaml /workflows/nightly/steps/0/name maxLength
tests/schema/limits.yaml /stack/name pattern
tests/schema/limits.yaml /workflows/nightly/onFailure/subject maxLength
tests/schema/limits.yaml /stack/description maxLength
tests/schema/limits.yaml /imports/cluster pattern
tests/schema/limits.yaml /workflows/nightly/taskDefinition/image pattern
tests/schema/limits.yaml /workflows/nightly/names/rule pattern
tests/schema/limits.yaml /workflows/nightly/names/stateMachine pattern
tests/schema/limits.yaml /workflows/nightly/names/logGroup not
tests/schema/limits.yaml /workflows/nightly/schedule/expression maxLength
tests/schema/limits.yaml /workflows/nightly/schedule/retry/attempts maximum
tests/schema/limits.yaml /workflows/nightly/taskDefinition/cpu enum
tests/schema/limits.yaml /workflows/nightly/alarms/failed minimum
CASES
exit "$fail"
