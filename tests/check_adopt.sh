#!/usr/bin/env bash
# `orchc compile --adopt` on the CDK reference templates (tests/e2e/cdk/) gives exactly the
# committed files in tests/adopt/<case>/: the adopted template, the sidecar, the report
# (stderr); a later compile that reads the sidecar gives the same template; cfn-lint reports
# nothing on the adopted templates (both embeddings). Two refusals are pinned too: a deployed
# state machine of another type, and CDK roles without names (matched by their role in the
# design, then refused because naming them replaces them). UPDATE_GOLDENS=1 rewrites.
set -euo pipefail
orchc="$1"; root="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
expected="$root/tests/adopt"
update="${UPDATE_GOLDENS:-0}"
fail=0

# check NAME FILE: FILE equals tests/adopt/NAME (or becomes it when updating).
check() {
  if [ "$update" = 1 ]; then
    mkdir -p "$(dirname "$expected/$1")"; cp "$2" "$expected/$1"; return
  fi
  if ! diff -u "$expected/$1" "$2"; then
    echo "tests/adopt/$1 differs (UPDATE_GOLDENS=1 to accept)" >&2
    fail=1
  fi
}

# adopt CASE ENV TEMPLATE [FLAGS...]: compile specs/ENV.yaml in tmp/CASE with --adopt TEMPLATE,
# relative paths so the diagnostics do not depend on the checkout. Sets $status.
adopt() {
  local case="$1" env="$2" template="$3"; shift 3
  mkdir -p "$tmp/$case"
  cp "$root/specs/$env.yaml" "$tmp/$case/$env.yaml"
  cp -r "$root/specs/shared" "$tmp/$case/"  # the base the spec extends
  cp "$template" "$tmp/$case/deployed.template.json"
  status=0
  (cd "$tmp/$case" && "$orchc" compile "$env.yaml" --adopt deployed.template.json "$@" -o out \
     >stdout.txt 2>stderr.txt) || status=$?
}

lint=()
for env in prod dev; do
  stack="OrchestrationStack-$env"
  adopt "$env" "$env" "$root/tests/e2e/cdk/$env.template.json"
  [ "$status" = 0 ] || { cat "$tmp/$env/stderr.txt" >&2; exit 1; }
  check "$env/$stack.template.json" "$tmp/$env/out/$stack.template.json"
  check "$env/$env.adopt.json" "$tmp/$env/$env.adopt.json"
  check "$env/report.txt" "$tmp/$env/stderr.txt"
  # The sidecar alone gives the same template (later compiles need no deployed template).
  (cd "$tmp/$env" && "$orchc" compile "$env.yaml" -o again >/dev/null 2>&1)
  cmp "$tmp/$env/out/$stack.template.json" "$tmp/$env/again/$stack.template.json"
  (cd "$tmp/$env" && "$orchc" compile "$env.yaml" --definition-string -o string >/dev/null 2>&1)
  lint+=("$tmp/$env/out/$stack.template.json" "$tmp/$env/string/$stack.template.json")
done

# Refusal 1: the deployed state machine is EXPRESS; the spec's is STANDARD.
python3 - "$root/tests/e2e/cdk/prod.template.json" "$tmp/express.json" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
t["Resources"]["SampleBatchWorkflowFEDCFDCB"]["Properties"]["StateMachineType"] = "EXPRESS"
json.dump(t, open(sys.argv[2], "w"), indent=1)
EOF
adopt express prod "$tmp/express.json"
[ "$status" = 1 ] || { echo "EXPRESS -> STANDARD was not refused (exit $status)" >&2; exit 1; }
[ ! -e "$tmp/express/out" ] && [ ! -e "$tmp/express/prod.adopt.json" ] \
  || { echo "a refused adoption wrote files" >&2; exit 1; }
check "refused-express.txt" "$tmp/express/stderr.txt"
adopt express-allowed prod "$tmp/express.json" --adopt-allow-replacement
[ "$status" = 0 ] || { cat "$tmp/express-allowed/stderr.txt" >&2; exit 1; }
grep -q "REPLACED: StateMachineType EXPRESS -> STANDARD" "$tmp/express-allowed/stderr.txt" \
  || { echo "allowed replacement not reported" >&2; exit 1; }

# Refusal 2: CDK roles without RoleName. They pair by role (the state machine's RoleArn, the
# rule target's RoleArn); giving them a name would replace them.
python3 - "$root/tests/e2e/cdk/prod.template.json" "$tmp/unnamed.json" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
for r in t["Resources"].values():
    if r["Type"] == "AWS::IAM::Role":
        del r["Properties"]["RoleName"]
json.dump(t, open(sys.argv[2], "w"), indent=1)
EOF
adopt unnamed prod "$tmp/unnamed.json"
[ "$status" = 1 ] || { echo "unnamed roles were not refused (exit $status)" >&2; exit 1; }
check "refused-unnamed-roles.txt" "$tmp/unnamed/stderr.txt"
adopt unnamed-allowed prod "$tmp/unnamed.json" --adopt-allow-replacement
grep -q "StateMachineRole78EC082E  AWS::IAM::Role  orchc SampleBatchStateMachineRole  by role" \
  "$tmp/unnamed-allowed/stderr.txt" || { cat "$tmp/unnamed-allowed/stderr.txt" >&2; exit 1; }

if ! cfn-lint --format parseable -- "${lint[@]}"; then
  echo "cfn-lint found problems in the adopted templates (above)" >&2
  exit 1
fi
[ "$fail" = 0 ] || exit 1
echo "adopted templates fresh and cfn-lint clean (${#lint[@]} templates)"
