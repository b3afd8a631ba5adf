#!/usr/bin/env bash
# The same specs give byte-identical output in separate processes, whatever the environment
# (locale, time zone, working directory).
set -euo pipefail
orchc="$1"; root="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$root"
"$orchc" compile specs/*.yaml -o "$tmp/a" >/dev/null
LC_ALL=C.UTF-8 TZ=Asia/Tokyo "$orchc" compile specs/*.yaml -o "$tmp/b" >/dev/null
(cd /tmp && LANG=C TZ=UTC "$orchc" compile "$root"/specs/*.yaml -o "$tmp/c" >/dev/null)
diff -r "$tmp/a" "$tmp/b"
diff -r "$tmp/a" "$tmp/c"
echo "deterministic: $(ls "$tmp/a" | wc -l) files identical across 3 runs"
