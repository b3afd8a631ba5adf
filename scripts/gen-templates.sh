#!/usr/bin/env bash
# Rebuilds orchc and regenerates templates/ from specs/ (commit the result).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh --target orchc >/dev/null
rm -rf templates && "${ORCHC_BUILD_DIR:-build}/compiler/orchc" compile specs/*.yaml -o templates
