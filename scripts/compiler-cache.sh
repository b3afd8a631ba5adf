# Sourced by the build scripts (build.sh, test.sh, precommit-orchc.sh): when ccache is installed
# (scripts/install-deps.sh installs it with the test tools) and ORCHC_CCACHE is not 0, sets
# `ccache_args` to the CMake arguments that compile through it, and makes its cache independent
# of where the checkout is (paths under SOURCE_DIR are hashed relative to it), so a second
# checkout, a CI clone or the pre-commit hook's copy of the same sources compiles from the
# cache. Callers put these arguments before the user's own, so an explicit
# -DCMAKE_CXX_COMPILER_LAUNCHER=... given to build.sh wins (CMake keeps the last -D).
#   . scripts/compiler-cache.sh SOURCE_DIR
# Objects taken from the cache keep the debug information's build directory of the checkout
# that compiled them first; nothing else in them depends on the path.
ccache_args=()
if [ "${ORCHC_CCACHE:-1}" != 0 ] && command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$1}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
  ccache_args=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
