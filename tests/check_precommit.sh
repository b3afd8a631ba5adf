#!/usr/bin/env bash
# The repository's .pre-commit-hooks.yaml works with the pre-commit framework: a good spec
# passes, a bad one fails with orchc's located message.
set -euo pipefail
orchc="$1"; root="$2"
command -v pre-commit >/dev/null || { echo "pre-commit is not installed (scripts/install-deps.sh)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" && ln -s "$orchc" "$tmp/bin/orchc"
export PATH="$tmp/bin:$PATH" PRE_COMMIT_HOME="$tmp/cache" HOME="$tmp"
git config --global user.email ci@example.invalid; git config --global user.name ci
# A user's repository with one good and one bad spec.
mkdir -p "$tmp/user/specs" && cd "$tmp/user" && git init -q
cp -r "$root/specs/prod.yaml" "$root/specs/shared" specs/  # prod.yaml extends shared/
printf 'version: 1\nenv: prod\ntracng: true\n' > specs/bad.yaml
git add specs
# try-repo copies the hook repository; point it at a clean copy of ours (committed or not).
mkdir "$tmp/hooks" && cp "$root/.pre-commit-hooks.yaml" "$tmp/hooks/" && git -C "$tmp/hooks" init -q \
  && git -C "$tmp/hooks" add . && git -C "$tmp/hooks" commit -qm hooks
pre-commit try-repo "$tmp/hooks" orchc-validate --files specs/prod.yaml
if pre-commit try-repo "$tmp/hooks" orchc-validate --files specs/bad.yaml specs/prod.yaml >"$tmp/log" 2>&1; then
  cat "$tmp/log"; echo "the hook accepted a bad spec" >&2; exit 1
fi
grep -q "specs/bad.yaml:3:1: error: unknown key 'tracng' at the top level; did you mean 'tracing'?" "$tmp/log" \
  || { cat "$tmp/log"; echo "the hook did not show orchc's diagnostic" >&2; exit 1; }
echo "pre-commit: hook passes a good spec and rejects a bad one with its location"
