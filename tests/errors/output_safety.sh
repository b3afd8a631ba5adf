#!/usr/bin/env bash
# Output safety through the real binary. Usage: output_safety.sh ORCHC ROOT [tmpfs]
#   default: an injected ENOSPC (ORCHC_TEST_FAIL_WRITE), SIGTERM while writing
#            (ORCHC_TEST_SIGNAL_WRITE), an output path under a regular file, a symlink at an
#            output path;
#   tmpfs:   a real full disk and a read-only file system on small tmpfs mounts (needs root and
#            mount; exits 77, "skipped", when mounting is not permitted).
# Each failure must exit 2 with a clear message, leave no temporary file, and leave the
# previous outputs exactly as they were.
set -uo pipefail
orchc="$1"; root="$2"; mode="${3:-default}"
spec="$root/specs/prod.yaml"
tmp=$(mktemp -d); mnt=""
cleanup() { [ -n "$mnt" ] && umount "$mnt" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# Previous outputs, with content a new run would change.
seed_outputs() {
  mkdir -p "$1"
  "$orchc" compile "$spec" -o "$1" >/dev/null || fail "seed compile"
  for f in "$1"/*.json; do echo "previous" >"$f"; done
}
# The directory holds the previous outputs only: no temporary file, nothing new.
check_intact() {
  local dir="$1" what="$2"
  [ -z "$(find "$dir" -name '.orchc-*' -print -quit)" ] || fail "$what: a temporary file was left: $(ls -A "$dir")"
  for f in "$dir"/*.json; do
    [ "$(cat "$f")" = "previous" ] || fail "$what: $f was changed"
  done
  [ "$(ls -A "$dir" | wc -l)" -eq 2 ] || fail "$what: unexpected files: $(ls -A "$dir")"
}
expect() {  # expect STATUS PATTERN WHAT -- command...
  local want="$1" pattern="$2" what="$3"; shift 4
  local err status
  err=$("$@" 2>&1 >/dev/null); status=$?
  [ "$status" -eq "$want" ] || fail "$what: exit $status, expected $want ($err)"
  [[ "$err" == *"$pattern"* ]] || fail "$what: message '$err' lacks '$pattern'"
  [[ "$err" != *"terminate called"* && "$err" != *"Assertion"* ]] || fail "$what: crashed: $err"
}

if [ "$mode" = default ]; then
  out="$tmp/out"; seed_outputs "$out"
  for n in 1 2; do
    ORCHC_TEST_FAIL_WRITE=$n expect 2 "No space left on device; nothing was written" "ENOSPC on file $n" -- \
      "$orchc" compile "$spec" -o "$out"
    check_intact "$out" "ENOSPC on file $n"
  done
  for n in 1 2; do
    ORCHC_TEST_SIGNAL_WRITE=$n "$orchc" compile "$spec" -o "$out" >/dev/null 2>&1; status=$?
    [ "$status" -eq 143 ] || fail "SIGTERM before file $n: exit $status, expected 143 (killed by SIGTERM)"
    check_intact "$out" "SIGTERM before file $n"
  done
  touch "$tmp/a-file"
  expect 2 "cannot create output directory '$tmp/a-file/out'" "output under a file" -- \
    "$orchc" compile "$spec" -o "$tmp/a-file/out"
  [ -d "$tmp/a-file" ] && fail "a directory replaced the file"
  expect 2 "cannot open" "missing spec" -- "$orchc" compile "$tmp/none.yaml" -o "$out"
  check_intact "$out" "missing spec"
  # A symlink at an output path is replaced, never followed.
  out2="$tmp/out2"; mkdir -p "$out2"; echo "victim" >"$tmp/victim"
  ln -s "$tmp/victim" "$out2/OrchestrationStack-prod.template.json"
  "$orchc" compile "$spec" -o "$out2" >/dev/null || fail "compile over a symlink"
  [ "$(cat "$tmp/victim")" = "victim" ] || fail "the symlink was followed"
  [ -L "$out2/OrchestrationStack-prod.template.json" ] && fail "the symlink is still there"
else
  mnt="$tmp/mnt"; mkdir -p "$mnt"
  if ! mount -t tmpfs -o size=12k tmpfs "$mnt" 2>/dev/null; then
    echo "cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN): skipped"; mnt=""; exit 77
  fi
  out="$mnt/out"; mkdir -p "$out"
  # Previous outputs, small, then fill the disk so that the new ones cannot fit.
  for f in OrchestrationStack-prod.template.json OrchestrationStack-prod.sample-batch.asl.json; do
    echo "previous" >"$out/$f"
  done
  dd if=/dev/zero of="$mnt/filler" bs=1k count=64 2>/dev/null
  expect 2 "No space left on device; nothing was written" "full tmpfs" -- "$orchc" compile "$spec" -o "$out"
  check_intact "$out" "full tmpfs"
  rm -f "$mnt/filler"
  mount -o remount,ro "$mnt" || fail "remount read-only"
  expect 2 "Read-only file system; nothing was written" "read-only tmpfs" -- "$orchc" compile "$spec" -o "$out"
  check_intact "$out" "read-only tmpfs"
fi
[ "$fails" -eq 0 ] || exit 1
echo "output safety ($mode): all checks passed"
