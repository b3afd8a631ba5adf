#!/usr/bin/env bash
# `cmake --install` gives a working tree: bin/orchc and bin/sample-batch run from it, the schema
# in share/orchc/ is the one orchc compiles in, and the man pages are the ones the installed
# programs' --help generate today (scripts/gen-man.sh), rendered by man without warnings.
#   check_install.sh BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail
build="$1"; root="$2"; version="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "check_install: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log"
p="$tmp/prefix"
for f in bin/orchc bin/sample-batch share/orchc/orchestration.schema.json \
         share/man/man1/orchc.1.gz share/man/man1/sample-batch.1.gz \
         share/doc/orchc/CHANGELOG.md; do
  [ -f "$p/$f" ] || fail "$f is not installed"
done

# The version line: the CMake project version, then the commit when built from a checkout.
"$p/bin/orchc" --version >"$tmp/version"
grep -Eqx "orchc ${version//./\\.}( \(git [0-9a-f]{12}(-dirty)?\))?" "$tmp/version" \
  || fail "unexpected --version: $(cat "$tmp/version")"

# The installed schema is the source's and the one orchc compiles in.
cmp "$p/share/orchc/orchestration.schema.json" "$root/schemas/orchestration.schema.json"
"$p/bin/orchc" schema | cmp - "$root/schemas/orchestration.schema.json"

# The installed orchc compiles the prod spec to the committed templates.
"$p/bin/orchc" compile "$root/specs/prod.yaml" -o "$tmp/out" >/dev/null 2>"$tmp/compile.log"
for f in "$tmp"/out/*; do cmp "$f" "$root/templates/$(basename "$f")"; done
"$p/bin/sample-batch" --help >/dev/null

# Man pages: fresh (regenerated from the installed binaries' --help, byte for byte), every
# subcommand and option present, and man renders them without a warning.
"$root/scripts/gen-man.sh" "$p/bin/orchc" "$p/bin/sample-batch" "$version" "$tmp/man"
for page in orchc sample-batch; do
  cmp "$tmp/man/$page.1.gz" "$p/share/man/man1/$page.1.gz" \
    || fail "share/man/man1/$page.1.gz is stale: it differs from what --help gives now"
  MANWIDTH=80 man --warnings -l "$p/share/man/man1/$page.1.gz" 2>"$tmp/warn" >"$tmp/$page.txt"
  [ ! -s "$tmp/warn" ] || { cat "$tmp/warn"; fail "man warns about $page.1"; }
done
for word in compile validate schema --definition-string --max-input-bytes --stdout --version; do
  grep -q -- "$word" "$tmp/orchc.txt" || fail "orchc.1 does not mention $word"
done
grep -q -- "--init-schema" "$tmp/sample-batch.txt" || fail "sample-batch.1 lacks --init-schema"
echo "check_install: $(find "$p" -type f | wc -l) files installed; binaries run; schema and man pages fresh"
