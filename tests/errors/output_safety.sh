#!/usr/bin/env bash
# Output safety through the real binary. Usage: output_safety.sh ORCHC ROOT [tmpfs]
#   default: a directory at an output path, stale temporary files named after orchc's PID,
#            SIGTERM at random moments of a compile (all or nothing, and the exit status true),
#            standard output on a full device (/dev/full), an output path under a regular file,
#            a directory given as a spec, a symlink at an output path;
#   tmpfs:   a real full disk and a read-only file system on small tmpfs mounts (needs root and
#            mount; exits 77, "skipped", when mounting is not permitted).
# Failures injected at every file-system call (ENOSPC, EIO, a signal inside the commit) are
# tested through the Disk seam in tests/unit/output_test.cc.
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
  "$orchc" compile "$spec" -o "$1" >/dev/null 2>&1 || fail "seed compile"
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
  # A directory at the second output path: found before anything is renamed.
  asl="$out/OrchestrationStack-prod.sample-batch.asl.json"
  rm "$asl"; mkdir "$asl"
  expect 2 "sample-batch.asl.json': a directory stands there; nothing was written" \
    "a directory at an output path" -- "$orchc" compile "$spec" -o "$out"
  [ "$(cat "$out/OrchestrationStack-prod.template.json")" = "previous" ] || fail "the template was replaced"
  [ -d "$asl" ] || fail "the directory at the output path was removed"
  rmdir "$asl"; echo "previous" >"$asl"
  check_intact "$out" "a directory at an output path"

  # Temporary files a killed run left under names derived from the PID (the PID of a container's
  # first process is always 1) do not block a compile: orchc's temporary names are random.
  "$orchc" compile "$spec" -o "$tmp/ref" >/dev/null 2>&1 || fail "compile into a fresh directory"
  (
    for n in 0 1 2; do echo stale >"$out/.orchc-$BASHPID-$n.tmp"; done
    exec "$orchc" compile "$spec" -o "$out" >/dev/null 2>"$tmp/stale.err"
  ) || fail "stale temporary files named after orchc's PID blocked the compile: $(cat "$tmp/stale.err")"
  rm -f "$out"/.orchc-*-*.tmp
  seed_outputs "$out"

  # SIGTERM at random moments: either everything is new and the exit status is 0, or nothing
  # changed and orchc died of the signal (143). Never a mix, never a false report.
  for i in $(seq 1 20); do
    "$orchc" compile "$spec" -o "$out" >/dev/null 2>&1 &
    pid=$!
    sleep "0.0$((RANDOM % 6))$((RANDOM % 10))"  # 0 to 59 ms: before, during and after the writes
    kill -TERM "$pid" 2>/dev/null
    wait "$pid"; status=$?
    [ -z "$(find "$out" -name '.orchc-*' -print -quit)" ] || fail "SIGTERM $i: a temporary file was left: $(ls -A "$out")"
    if [ "$status" -eq 0 ]; then
      for f in "$tmp/ref"/*.json; do
        cmp -s "$f" "$out/$(basename "$f")" || fail "SIGTERM $i: exit 0 but $(basename "$f") is not the new output"
      done
      seed_outputs "$out"
    elif [ "$status" -eq 143 ]; then
      check_intact "$out" "SIGTERM $i (exit 143)"
    else
      fail "SIGTERM $i: exit $status"
    fi
  done

  # Every write to standard output is checked: a full device is an I/O error, one line.
  for args in "compile $spec --stdout" "schema" "--help" "validate --help"; do
    # shellcheck disable=SC2086
    err=$("$orchc" $args 2>&1 >/dev/full); status=$?
    [ "$status" -eq 2 ] || fail "'$args > /dev/full': exit $status, expected 2"
    # One line says so (after the spec's warnings, if any), and nothing else is an error.
    [ "$(printf '%s\n' "$err" | tail -n 1)" = "orchc: error: cannot write to standard output: No space left on device" ] &&
      [ "$(printf '%s\n' "$err" | grep -c 'error')" -eq 1 ] ||
      fail "'$args > /dev/full': message '$err'"
  done

  mkdir -p "$tmp/specs.yaml"
  expect 2 "cannot read '$tmp/specs.yaml': it is a directory" "a directory as a spec" -- \
    "$orchc" validate "$tmp/specs.yaml"
  touch "$tmp/a-file"
  expect 2 "cannot create output directory '$tmp/a-file/out'" "output under a file" -- \
    "$orchc" compile "$spec" -o "$tmp/a-file/out"
  [ -d "$tmp/a-file" ] && fail "a directory replaced the file"
  expect 2 "cannot open" "missing spec" -- "$orchc" compile "$tmp/none.yaml" -o "$out"
  check_intact "$out" "missing spec"
  # A symlink at an output path is replaced, never followed.
  out2="$tmp/out2"; mkdir -p "$out2"; echo "victim" >"$tmp/victim"
  ln -s "$tmp/victim" "$out2/OrchestrationStack-prod.template.json"
  "$orchc" compile "$spec" -o "$out2" >/dev/null 2>&1 || fail "compile over a symlink"
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
