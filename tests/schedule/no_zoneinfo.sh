#!/usr/bin/env bash
# orchc needs no time-zone files at run time: with /usr/share/zoneinfo hidden (an empty tmpfs
# over it, in a private mount namespace), a spec in Europe/Berlin validates, a misspelt zone
# still gets its "did you mean", and `orchc schedule` still knows Berlin's daylight saving.
# Exit 77 (skipped) where mount namespaces are not available (not root, no unshare).
set -euo pipefail
orchc="$1"
if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null || ! unshare -m true 2>/dev/null; then
  echo "skipped: needs root and unshare -m"; exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/spec.yaml" <<'YAML'
version: 1
env: dev
imports:
  taskDefinition: {ssm: /dev/ecs/task-definition-arn}
workflows:
  nightly:
    schedule: {expression: "cron(30 2 * * ? *)", engine: scheduler, timezone: Europe/Berlin}
    task: {container: app, command: [run]}
YAML
sed 's|Europe/Berlin|Europe/berlin|' "$tmp/spec.yaml" > "$tmp/bad.yaml"
unshare -m bash -euo pipefail -c '
  mount -t tmpfs none /usr/share/zoneinfo
  test -z "$(ls -A /usr/share/zoneinfo)"
  "$1" validate "$2/spec.yaml" 2> "$2/ok.err"
  if "$1" validate "$2/bad.yaml" 2> "$2/bad.err"; then echo "bad.yaml validated"; exit 1; fi
  grep -q "did you mean .Europe/Berlin.?" "$2/bad.err"
  "$1" schedule "$2/spec.yaml" --from 2027-03-27T00:00:00Z --count 3 --format json \
    > "$2/out.json" 2> /dev/null
  grep -q "\"local\":\"2027-03-28T02:30:00\",\"note\":\"dst-skipped\"" "$2/out.json"
  grep -q "\"utc\":\"2027-03-29T00:30:00Z\"" "$2/out.json"
' _ "$orchc" "$tmp"
echo "orchc works without /usr/share/zoneinfo"
