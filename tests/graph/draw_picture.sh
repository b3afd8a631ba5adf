#!/usr/bin/env bash
# The SVG of a spec's workflows: orchc graph, rendered by Graphviz's dot. The same input gives
# the same bytes with the same Graphviz (its version is in the SVG's first comment).
#   draw_picture.sh ORCHC SPEC > picture.svg
set -euo pipefail
"$1" graph "$2" 2>/dev/null | dot -Tsvg
