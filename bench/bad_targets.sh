#!/usr/bin/env bash
# Growth of `orchc validate` with the number of mistakes of one kind (docs/performance.md,
# "Many errors"): a spec with N steps whose `next` names no step, and one with N publish steps
# whose topic names no import (beside N imports), for N = 1000 2000 4000 8000. Each time is the
# best of 3 runs. Not part of the tests.
#   bench/bad_targets.sh ORCHC [N...]      e.g. bench/bad_targets.sh build/compiler/orchc
set -euo pipefail
orchc="$1"; shift
sizes=("${@:-1000 2000 4000 8000}")
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

gen() {  # gen KIND N > spec
  python3 - "$1" "$2" <<'PY'
import sys
kind, n = sys.argv[1], int(sys.argv[2])
print("version: 1\nenv: prod")
if kind == "imports":
    print("imports:")
    for i in range(n):
        print(f"  topic{i}: prod-Topic{i}Arn")
print("workflows:\n  w:\n    steps:")
for i in range(n):
    if kind == "next":
        print(f"      - {{name: Step{i}, pass: {{}}, next: Stpe{i}}}")
    else:
        print(f"      - {{name: Step{i}, publish: {{topic: tpoic{i}, message: hi}}}}")
PY
}

best() {  # best CMD...: the least of 3 wall-clock times, in seconds
  local b=""
  for _ in 1 2 3; do
    local s e
    s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
    b=$(python3 -c "t=$e-$s; b='$b'; print(f'{min(t, float(b)) if b else t:.3f}')")
  done
  echo "$b"
}

printf '%-8s %6s %10s %9s\n' kind N bytes seconds
for kind in next imports; do
  for n in ${sizes[@]}; do
    gen "$kind" "$n" > "$tmp/spec.yaml"
    printf '%-8s %6s %10s %9s\n' "$kind" "$n" "$(wc -c < "$tmp/spec.yaml")" \
      "$(best "$orchc" validate "$tmp/spec.yaml")"
  done
done
