#!/usr/bin/env bash
# The C++ sources follow .clang-format (Google style, 100 columns): clang-format --dry-run -Werror
# over compiler/, batch-job/, tests/ and bench/. Fix with: clang-format -i <file>.
set -euo pipefail
root="${1:?usage: check_format.sh SOURCE_DIR}"
cd "$root"
command -v clang-format >/dev/null || { echo "check_format: clang-format is not installed" >&2; exit 1; }
mapfile -t files < <(git ls-files 'compiler/*.cc' 'compiler/*.h' 'batch-job/*.cc' 'batch-job/*.h' \
  'tests/*.cc' 'tests/*.h' 'bench/*.cc' 'bench/*.h' 2>/dev/null ||
  find compiler batch-job tests bench -name '*.cc' -o -name '*.h')
[ "${#files[@]}" -gt 0 ] || { echo "check_format: no sources found" >&2; exit 1; }
status=0
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  clang-format --dry-run -Werror "$f" 2>&1 | head -5 || true
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || { echo "check_format: $f is not formatted"; status=1; }
done
echo "check_format: ${#files[@]} files checked"
exit "$status"
