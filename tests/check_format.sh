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
bad=0
for f in "${files[@]}"; do
  if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "check_format: $f is not formatted (clang-format -i $f)"
    bad=$((bad + 1))
  fi
done
echo "check_format: ${#files[@]} files, $bad not formatted"
[ "$bad" -eq 0 ]
