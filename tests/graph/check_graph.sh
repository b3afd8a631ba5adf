#!/usr/bin/env bash
# orchc graph for every spec and golden: DOT rendered by Graphviz, Mermaid parsed by Mermaid's
# own parser, both compared with the ASL files (check_graph.py says how).
#   check_graph.sh ORCHC ROOT WORK_DIR
# Mermaid and jsdom come from npm at the versions of package-lock.json (`npm ci`, into
# WORK_DIR/graph-npm, once per lockfile); Graphviz's dot from Debian (scripts/install-deps.sh).
set -euo pipefail
orchc="$1"; root="$2"; work="$3"
here="$root/tests/graph"
command -v dot >/dev/null || { echo "check_graph: Graphviz's dot is not installed (scripts/install-deps.sh)" >&2; exit 1; }
command -v node >/dev/null || { echo "check_graph: node is not installed" >&2; exit 1; }
npm_dir="$work/graph-npm"
if ! cmp -s "$here/package-lock.json" "$npm_dir/installed.lock"; then
  rm -rf "$npm_dir"
  mkdir -p "$npm_dir"
  cp "$here/package.json" "$here/package-lock.json" "$npm_dir/"
  (cd "$npm_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$here/package-lock.json" "$npm_dir/installed.lock"  # written only after a full install
fi
cp "$here/mermaid_read.mjs" "$npm_dir/"
exec python3 "$here/check_graph.py" "$orchc" "$root" "$npm_dir"
