#!/usr/bin/env bash
# The Debian package: cpack builds orchc_<version>_amd64.deb from the build tree; its control
# data names the right dependencies; extracted into an empty directory (dpkg-deb -x) its
# binaries run; lintian, when installed, reports nothing beyond the findings accepted in
# tests/packaging/lintian-accepted.txt (each with its reason).
#   check_deb.sh BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail
build="$1"; root="$2"; version="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "check_deb: $*" >&2; exit 1; }

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1 \
  || { cat "$tmp/cpack.log"; fail "cpack failed"; }
deb="$tmp/pkg/orchc_${version}_amd64.deb"
[ -f "$deb" ] || { ls "$tmp/pkg"; fail "no $(basename "$deb")"; }

# Control data.
dpkg-deb --info "$deb" >"$tmp/info"
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = orchc ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version)"
[ "$(field Architecture)" = amd64 ] || fail "Architecture: $(field Architecture)"
depends=$(field Depends)
grep -q 'libpq5' <<<"$depends" || fail "Depends lacks libpq5: $depends"

# Contents, extracted into an empty root.
dpkg-deb -x "$deb" "$tmp/root"
r="$tmp/root/usr"
for f in bin/orchc bin/sample-batch share/orchc/orchestration.schema.json \
         share/man/man1/orchc.1.gz share/man/man1/sample-batch.1.gz; do
  [ -f "$r/$f" ] || fail "the package lacks /usr/$f"
done
# orchc is fully static: no shared library, so nothing in Depends is for it.
readelf -d "$r/bin/orchc" >"$tmp/orchc.dynamic"
if grep -q NEEDED "$tmp/orchc.dynamic"; then fail "orchc needs shared libraries"; fi
# Every shared library sample-batch names comes from a package in Depends.
dep_names=$(sed 's/([^)]*)//g; s/|/,/g' <<<"$depends" | tr ',' '\n' | tr -d ' ')
for lib in $(readelf -d "$r/bin/sample-batch" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  # Every reader here reads its input to the end: a reader that stops early (awk's exit,
  # head -1) can kill the writer with SIGPIPE, which pipefail and set -e turn into a silent exit.
  path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ && !found {print $NF; found = 1}')
  [ -n "$path" ] || fail "cannot resolve $lib"
  pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | awk -F: 'NR == 1 {print $1}') \
    || pkg=$(dpkg -S "$path" | awk -F: 'NR == 1 {print $1}')
  # The package, or a virtual package it provides (libspdlog1.10 provides libspdlog1.10-fmt9,
  # which its shlibs file names).
  ok=""
  for name in "$pkg" $(dpkg-query -W -f='${Provides}' "$pkg" | sed 's/([^)]*)//g; s/,/ /g; s/:any//g'); do
    if grep -qxF "$name" <<<"$dep_names"; then ok=1; fi
  done
  [ -n "$ok" ] || fail "$lib ($pkg) is not in Depends: $depends"
done

# The extracted binaries run.
version_text=$("$r/bin/orchc" --version)
grep -Eq "^orchc ${version//./\\.}( |$)" <<<"$version_text" || fail "orchc --version: $version_text"
"$r/bin/orchc" compile "$root/specs/prod.yaml" -o "$tmp/out" >/dev/null 2>"$tmp/compile.log" \
  || { cat "$tmp/compile.log"; fail "the packaged orchc did not compile specs/prod.yaml"; }
for f in "$tmp"/out/*; do cmp "$f" "$root/templates/$(basename "$f")"; done
"$r/bin/orchc" schema | cmp - "$r/share/orchc/orchestration.schema.json"
"$r/bin/sample-batch" --help >/dev/null || fail "the packaged sample-batch --help failed"

lint="not installed"
if command -v lintian >/dev/null; then
  # Tags accepted, one per line with its reason after '#'; anything else fails the test.
  grep -o '^[a-z0-9-]*' "$root/tests/packaging/lintian-accepted.txt" >"$tmp/accepted"
  lintian --no-cfg --display-level '>=pedantic' --suppress-tags-from-file "$tmp/accepted" "$deb" \
    >"$tmp/lintian" 2>&1 || true
  if grep -Eq '^[EWIP]: ' "$tmp/lintian"; then cat "$tmp/lintian"; fail "lintian findings"; fi
  lint="clean apart from $(wc -l <"$tmp/accepted") accepted tags"
fi
echo "check_deb: $(basename "$deb") ($(stat -c %s "$deb") bytes), Depends: $depends; lintian: $lint"
