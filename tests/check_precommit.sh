#!/usr/bin/env bash
# The repository's .pre-commit-hooks.yaml works with the pre-commit framework, through
# `pre-commit try-repo`, in a scratch repository laid out as the design card recommends: the
# specs at its root as orchestration.<env>.yaml. For both hook ids: the good spec passes; a
# broken one is refused (non-zero) with orchc's located message; a YAML file that is not a spec
# is not given to orchc.
#   orchc-validate        with orchc on PATH (the binary under test)
#   orchc-validate-build  with no orchc on PATH: the hook builds orchc from the hook repository
#                         into its cache on the first run (timed), and reuses it on the second
#   check_precommit.sh ORCHC SOURCE_DIR
set -euo pipefail
orchc="$1"; root="$2"
command -v pre-commit >/dev/null || { echo "pre-commit is not installed (scripts/install-deps.sh)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# The scratch HOME isolates git's and pre-commit's settings; the compiler cache stays the user's
# own (the hook compiles through ccache when it is installed, as on a user's machine).
if command -v ccache >/dev/null; then export CCACHE_DIR="${CCACHE_DIR:-$(ccache --get-config cache_dir)}"; fi
export PRE_COMMIT_HOME="$tmp/pre-commit" HOME="$tmp" ORCHC_HOOK_CACHE="$tmp/hook-cache"
git config --global user.email ci@example.invalid; git config --global user.name ci
git config --global init.defaultBranch main
fail() { cat "$tmp/log" 2>/dev/null; echo "check_precommit: $*" >&2; exit 1; }

# The hook repository: a clean copy of this source tree (tracked and new files, committed or not).
mkdir "$tmp/hooks"
git -C "$root" ls-files -z -co --exclude-standard |
  tar -C "$root" --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -C "$tmp/hooks" -xf -
git -C "$tmp/hooks" init -q && git -C "$tmp/hooks" add -A && git -C "$tmp/hooks" commit -qm hooks

# A user's repository: the prod spec at the root, a broken dev spec beside it, a spec in a
# nested directory, and a YAML file that is not a spec (broken, but not orchc's business).
mkdir -p "$tmp/user/deploy/eu" "$tmp/user/config" && cd "$tmp/user" && git init -q
cp "$root/specs/prod.yaml" orchestration.prod.yaml
cp "$root/specs/dev.yaml" deploy/eu/orchestration.dev.yaml
# Both extend shared/orchestration.base.yaml, a base file the hooks must leave alone (alone it
# is no spec: it has no env).
for d in . deploy/eu; do mkdir -p "$d/shared" && cp "$root/specs/shared/orchestration.base.yaml" "$d/shared/"; done
printf 'version: 1\nenv: prod\ntracng: true\n' >orchestration.dev.yaml
printf 'tracng: [\n' >config/app.yaml
git add -A
bad_msg="orchestration.dev.yaml:3:1: error: unknown key 'tracng' at the top level; did you mean 'tracing'?"

# Runs one hook id on the repository (all files, as on `pre-commit run --all-files`, so the
# files: pattern decides) with the broken spec present, then without it.
check_hook() {
  local id="$1"
  if pre-commit try-repo "$tmp/hooks" "$id" --all-files >"$tmp/log" 2>&1; then
    fail "$id accepted a broken spec"
  fi
  cat "$tmp/log" >>"$tmp/runs.log"
  grep -qF "$bad_msg" "$tmp/log" || fail "$id did not show orchc's located diagnostic"
  if grep -q "config/app.yaml" "$tmp/log"; then fail "$id gave a non-spec YAML file to orchc"; fi
  git rm -q --cached orchestration.dev.yaml && mv orchestration.dev.yaml "$tmp/bad.yaml"
  pre-commit try-repo "$tmp/hooks" "$id" --all-files --verbose >"$tmp/log" 2>&1 \
    || fail "$id refused the good specs"
  cat "$tmp/log" >>"$tmp/runs.log"
  mv "$tmp/bad.yaml" orchestration.dev.yaml && git add orchestration.dev.yaml
}

# 1. orchc-validate: orchc on PATH.
mkdir -p "$tmp/bin" && ln -s "$orchc" "$tmp/bin/orchc"
PATH="$tmp/bin:$PATH" check_hook orchc-validate

# 2. orchc-validate-build: orchc is not on PATH (the symlink above is gone from it); the first
# run builds it into ORCHC_HOOK_CACHE, the second uses the cached binary.
rm "$tmp/bin/orchc"
if command -v orchc >/dev/null; then echo "note: an orchc on PATH ($(command -v orchc)) is not used by the build hook"; fi
start=$(date +%s)
: >"$tmp/runs.log"
check_hook orchc-validate-build
built=$(( $(date +%s) - start ))
grep -q "building orchc" "$tmp/runs.log" || fail "the first run of orchc-validate-build did not build orchc"
commit=$(git -C "$tmp/hooks" rev-parse HEAD)
[ -x "$ORCHC_HOOK_CACHE/$commit/orchc" ] || fail "no cached orchc for the hook's commit $commit"
"$ORCHC_HOOK_CACHE/$commit/orchc" --version | grep -q "(git ${commit:0:12})" \
  || fail "the cached orchc does not report the hook's commit"
start=$(date +%s)
: >"$tmp/runs.log"
check_hook orchc-validate-build
if grep -q "building orchc" "$tmp/runs.log"; then fail "the second run built orchc again"; fi
echo "check_precommit: both hook ids pass good specs and refuse a broken one with its location;" \
     "orchc-validate-build: first run with the build ${built}s, second $(( $(date +%s) - start ))s"
