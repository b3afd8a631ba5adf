#!/usr/bin/env bash
# The pre-commit hook orchc-validate-build (.pre-commit-hooks.yaml): `orchc validate FILE...`
# with an orchc built from this repository, so no orchc has to be on PATH.
#
# pre-commit checks the hook repository out at the rev a user's .pre-commit-config.yaml names and
# runs this script from it. The first run builds orchc (Release, tools only, no tests) from that
# checkout into $ORCHC_HOOK_CACHE (default ~/.cache/orchc-pre-commit)/<commit>/orchc and every
# later run, in any repository, uses that binary. Everything is offline: the build needs only
# the Debian packages of scripts/install-deps.sh --tools (this script installs nothing); it
# compiles through ccache when that is installed (scripts/compiler-cache.sh), so the build for a
# new rev reuses what did not change.
# A lock serialises concurrent first runs; a failed build leaves no binary behind.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)

# The key: the checkout's commit, or a hash of the sources when it is not a clean checkout.
if key=$(git -C "$src" rev-parse HEAD 2>/dev/null) &&
   [ "$(git -C "$src" rev-parse --show-toplevel)" = "$src" ] &&
   [ -z "$(git -C "$src" status --porcelain --untracked-files=no)" ]; then
  :
else
  key=src-$(cd "$src" && find CMakeLists.txt cmake compiler schemas -type f -print0 | sort -z |
            xargs -0 sha256sum | sha256sum | cut -c1-40)
fi
cache="${ORCHC_HOOK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/orchc-pre-commit}"
bin="$cache/$key/orchc"

if [ ! -x "$bin" ]; then
  mkdir -p "$cache"
  exec 9>"$cache/lock"
  flock 9
  if [ ! -x "$bin" ]; then
    for tool in cmake c++; do
      command -v "$tool" >/dev/null || {
        echo "orchc-validate-build: $tool is missing; install the build's packages once:" \
             "$src/scripts/install-deps.sh --tools" >&2
        exit 2
      }
    done
    echo "orchc-validate-build: building orchc ${key:0:12} once into $cache/${key} ..." >&2
    build="$cache/$key.build" log="$cache/$key.log"
    rm -rf "$build" "$cache/$key.tmp"
    . "$src/scripts/compiler-cache.sh" "$src"
    if ! { cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DORCHC_BUILD_TESTS=OFF \
             -DORCHC_MAN_PAGES=OFF "${ccache_args[@]}" &&
           cmake --build "$build" -j"$(nproc)" --target orchc; } >"$log" 2>&1; then
      tail -n 30 "$log" >&2
      echo "orchc-validate-build: the build failed (log: $log; packages:" \
           "$src/scripts/install-deps.sh --tools)" >&2
      exit 2
    fi
    mkdir -p "$cache/$key.tmp"
    cp "$build/compiler/orchc" "$cache/$key.tmp/orchc"
    mv -T "$cache/$key.tmp" "$cache/$key"
    rm -rf "$build" "$log"
  fi
  exec 9>&-
fi
exec "$bin" validate "$@"
