#!/usr/bin/env bash
# Writes the man pages of orchc and sample-batch from the programs' own --help (help2man), so
# they cannot drift from the CLI: the build runs this on the binaries it just built.
#   scripts/gen-man.sh ORCHC SAMPLE_BATCH VERSION OUT_DIR
# OUT_DIR receives orchc.1.gz and sample-batch.1.gz (gzip -n: no time stamp, same bytes each run).
set -euo pipefail
orchc="$1"; batch="$2"; version="$3"; out="$4"
mkdir -p "$out"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# The page's date is the last commit's (help2man reads SOURCE_DATE_EPOCH), so the same source
# gives the same bytes on any day; outside a checkout it is today's.
if [ -z "${SOURCE_DATE_EPOCH:-}" ] && epoch=$(git -C "$(dirname "$0")/.." log -1 --format=%ct 2>/dev/null); then
  export SOURCE_DATE_EPOCH="$epoch"
fi

# orchc's subcommands, as its --help lists them, have their own --help; each becomes a
# subsection, kept preformatted.
commands=$("$orchc" --help | awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on = 0}')
[ -n "$commands" ] || { echo "gen-man: no subcommands in 'orchc --help'" >&2; exit 1; }
{
  echo "[COMMANDS]"
  for cmd in $commands; do
    echo ".SS \"orchc $cmd\""
    echo ".nf"
    # roff: a leading '.' or "'" would be a request; backslashes are escapes.
    "$orchc" "$cmd" --help | sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/" \
      -e "s|^Usage: .*/orchc |Usage: orchc |"
    echo ".fi"
  done
  echo "[SEE ALSO]"
  echo "docs/cli.md and docs/spec.md in the source; the schema is installed as"
  echo ".I share/orchc/orchestration.schema.json"
  echo "under the installation prefix (\\fBorchc schema\\fR prints it too)."
} >"$tmp/orchc.h2m"
# help2man takes the version line from --version ("orchc 0.1.0 (git ...)").
help2man --no-info --section=1 --source="orchc $version" \
  --name="compile scheduled batch workflow specs into CloudFormation and Amazon States Language" \
  --include="$tmp/orchc.h2m" --output="$tmp/orchc.1" "$orchc"

{
  echo "[SEE ALSO]"
  echo "docs/batch-job.md in the orchc source."
} >"$tmp/sample-batch.h2m"
# sample-batch has no --version; it is released with orchc and carries its version.
help2man --no-info --section=1 --source="orchc $version" --version-string="$version" \
  --name="aggregate one day of events per category in PostgreSQL" \
  --include="$tmp/sample-batch.h2m" --output="$tmp/sample-batch.1" "$batch"

for page in orchc sample-batch; do
  gzip -9n <"$tmp/$page.1" >"$out/$page.1.gz.tmp" && mv "$out/$page.1.gz.tmp" "$out/$page.1.gz"
done
