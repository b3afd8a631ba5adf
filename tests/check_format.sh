#!/usr/bin/env bash
# The C++ sources follow .clang-format (Google style, 100 columns): clang-format --dry-run -Werror
# over every tracked .cc/.h file of compiler/, batch-job/, tests/ and bench/.
# Fix a file with: clang-format -i FILE
set -euo pipefail
root="${1:?usage: check_format.sh SOURCE_DIR}"
cd "$root"
command -v clang-format >/dev/null || { echo "check_format: clang-format is not installed" >&2; exit 1; }
mapfile -t files < <(git ls-files 'compiler/*.cc' 'compiler/*.h' 'batch-job/*.cc' 'batch-job/*.h' \
  'tests/*.cc' 'tests/*.h' 'bench/*.cc' 'bench/*.h')
[ "${#files[@]}" -gt 0 ] || { echo "check_format: no sources found under $root" >&2; exit 1; }
# One clang-format process for every file (one per file cost a process start each): it reports
# each violation as FILE:LINE:COL: error: ... and exits non-zero when any file has one.
log=$(mktemp); trap 'rm -f "$log"' EXIT
status=0
clang-format --dry-run -Werror "${files[@]}" 2>"$log" >/dev/null || status=$?
mapfile -t bad < <(grep -oE '^[^:]+:[0-9]+:[0-9]+: error: code should be clang-formatted' "$log" |
  cut -d: -f1 | sort -u)
for f in "${bad[@]}"; do echo "check_format: $f is not formatted (clang-format -i $f)"; done
echo "check_format: ${#files[@]} files, ${#bad[@]} not formatted"
if [ "$status" -ne 0 ] && [ "${#bad[@]}" -eq 0 ]; then
  cat "$log" >&2; echo "check_format: clang-format failed (exit $status)" >&2; exit 1
fi
[ "${#bad[@]}" -eq 0 ]
