#!/usr/bin/env bash
# Installs, from Debian's packages, whatever the build and the tests need and the machine lacks.
# Safe to run again: it installs nothing when everything is present.
# --tools: only what building orchc and sample-batch needs (scripts/build.sh without --all).
set -euo pipefail

# The tools: compiler, CMake and the libraries orchc and sample-batch link.
packages=(
  build-essential cmake pkg-config git
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev libvalijson-dev
  libpq-dev tzdata
)
if [ "${1:-}" != --tools ]; then
  # The tests, benchmarks, fuzzing, man pages and the Debian package's checks.
  packages+=(
    libgtest-dev libgmock-dev libbenchmark-dev
    postgresql-client-15 time
    pre-commit
    clang libclang-rt-14-dev
    help2man lintian
    graphviz hyperfine clang-format
    ccache
  )
  # node and npm for the npm-based test tools (tests/node, tests/graph): Debian's when the
  # machine has none of its own.
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
  # PostgreSQL's server binaries: the machine normally has them on PATH already.
  command -v initdb >/dev/null 2>&1 || [ -x /usr/lib/postgresql/15/bin/initdb ] || packages+=(postgresql-15)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The AWS-side tools come for python3 on every machine of this kind; say so plainly when they do not.
[ "${1:-}" = --tools ] && exit 0
for tool in cfn-lint aws; do
  command -v "$tool" >/dev/null 2>&1 || echo "install-deps: warning: $tool is not on PATH; tests that need it will fail" >&2
done
