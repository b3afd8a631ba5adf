#!/usr/bin/env bash
# Installs, from Debian's packages, whatever the build and the tests need and the machine lacks.
# Safe to run again: it installs nothing when everything is present.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev libvalijson-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libpq-dev postgresql-client-15 time
  pre-commit tzdata hyperfine
  clang libclang-rt-14-dev
)
# PostgreSQL's server binaries: the machine normally has them on PATH already.
command -v initdb >/dev/null 2>&1 || [ -x /usr/lib/postgresql/15/bin/initdb ] || packages+=(postgresql-15)

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
for tool in cfn-lint aws; do
  command -v "$tool" >/dev/null 2>&1 || echo "install-deps: warning: $tool is not on PATH; tests that need it will fail" >&2
done
