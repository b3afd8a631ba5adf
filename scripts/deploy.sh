#!/usr/bin/env bash
# Compile a spec, lint it, and deploy it with the AWS CLI.  See docs/deploy.md.
# Usage: scripts/deploy.sh SPEC [extra `aws cloudformation deploy` args, e.g. --endpoint-url URL]
# Env:   ORCHC (default build/compiler/orchc), OUT (default out/), DEFINITION_STRING=1 to embed
#        the definition as DefinitionString (needed for moto; optional on AWS).
set -euo pipefail
spec=${1:?usage: scripts/deploy.sh SPEC [aws deploy args...]}; shift
orchc=${ORCHC:-build/compiler/orchc}
out=${OUT:-out}
flags=()
[[ "${DEFINITION_STRING:-0}" == 1 ]] && flags+=(--definition-string)
"$orchc" validate "$spec"
"$orchc" compile "${flags[@]}" "$spec" -o "$out"
env=$(sed -n 's/^env:[[:space:]]*\([a-z0-9-]*\).*/\1/p' "$spec")
template=$(ls "$out"/*-"$env".template.json)
stack=$(basename "$template" .template.json)
if command -v cfn-lint >/dev/null; then cfn-lint "$template"; fi
aws cloudformation deploy --template-file "$template" --stack-name "$stack" \
  --capabilities CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset "$@"
