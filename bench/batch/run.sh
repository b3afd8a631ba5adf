#!/usr/bin/env bash
# Batch benchmark: sample-batch against the same SQL run by psql, on N source rows in one day.
#
#   bench/batch/run.sh [path/to/sample-batch]      (default: build/batch-job/sample-batch)
#   ROWS="1000000 10000000" RUNS=5 bench/batch/run.sh
#
# Starts a throwaway PostgreSQL (initdb in a temp dir, as the postgres user when run as root,
# on a free loopback port) and removes it on exit. For each N it loads N events into 2024-03-10
# (JST), then alternates RUNS timed runs of
#   sample-batch --day 2024-03-10           (connect, lock, aggregate, run record, commit)
#   psql -f <BEGIN; PREPARE agg AS sql/aggregate_day.sql; EXECUTE agg(...); COMMIT>
# after one untimed warm-up of each, and prints the medians, the job's overhead over psql and
# the job's peak RSS (/usr/bin/time). Docs: docs/performance.md, section "Batch job".
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
job="$(realpath "${1:-$repo/build/batch-job/sample-batch}")"
rows_list="${ROWS:-1000000 10000000}"
runs="${RUNS:-5}"
day="2024-03-10"
[ -x "$job" ] || { echo "bench: $job is not built (cmake --build ... --target sample-batch)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (scripts/install-deps.sh)" >&2; exit 2; }

bin_dir="$(dirname "$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb | tail -n 1)")"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  as_pg=(runuser -u postgres --)
fi

tmp="$(mktemp -d /tmp/batch-bench-XXXXXX)"
chmod 755 "$tmp"
[ ${#as_pg[@]} -eq 0 ] || chown postgres "$tmp"
cleanup() {
  "${as_pg[@]}" "$bin_dir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

password="bench-password"
echo "$password" >"$tmp/pwfile"
[ ${#as_pg[@]} -eq 0 ] || chown postgres "$tmp/pwfile"
"${as_pg[@]}" "$bin_dir/initdb" -D "$tmp/data" -U postgres -A scram-sha-256 \
  --pwfile="$tmp/pwfile" -E UTF8 --locale=C >"$tmp/initdb.log"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"${as_pg[@]}" "$bin_dir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
  -o "-p $port -k $tmp -c listen_addresses=127.0.0.1" start >/dev/null

export DB_HOST=127.0.0.1 DB_PORT="$port" DB_NAME=postgres DB_USER=postgres DB_PASSWORD="$password"
export PGHOST=127.0.0.1 PGPORT="$port" PGDATABASE=postgres PGUSER=postgres PGPASSWORD="$password"
psql_cmd=(psql -X -q -v ON_ERROR_STOP=1)
psql_q() { "${psql_cmd[@]}" "$@"; }

# The same statement the job runs, through psql, in a transaction like the job's.
{
  echo "BEGIN;"
  echo "PREPARE agg(date, text, uuid) AS"
  sed '$ s/;[[:space:]]*$//' "$repo/batch-job/sql/aggregate_day.sql"
  echo ";"
  echo "EXECUTE agg('$day', 'Asia/Tokyo', gen_random_uuid());"
  echo "COMMIT;"
} >"$tmp/psql.sql"

# Runs "$@" once; appends "<wall ms> <peak RSS KiB>" to the file named by $out.
timed() {
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$tmp/rss" "$@" >"$tmp/last.log" 2>&1 || {
    cat "$tmp/last.log" >&2
    exit 1
  }
  end=$(date +%s%N)
  echo "$(((end - start) / 1000000)) $(tail -n 1 "$tmp/rss")" >>"$out"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(psql_q -tAc 'SHOW server_version')"
raw=""
printf '| rows | sample-batch median ms | psql median ms | overhead | sample-batch peak RSS KiB | psql peak RSS KiB |\n'
printf '|---:|---:|---:|---:|---:|---:|\n'
for rows in $rows_list; do
  "$job" --init-schema >/dev/null
  psql_q -c "TRUNCATE events, daily_category_summary, batch_runs"
  # N events spread evenly over the JST day, 20 categories, every 10th amount NULL.
  psql_q -c "INSERT INTO events (occurred_at, category, amount)
             SELECT timestamptz '$day 00:00+09' + (i * (86400.0 / $rows)) * interval '1 second',
                    'category-' || (i % 20),
                    CASE WHEN i % 10 = 0 THEN NULL ELSE (i % 100000) / 100.0 END
             FROM generate_series(0, $rows - 1) AS i"
  psql_q -c "VACUUM ANALYZE events"
  out="$tmp/warmup"; timed "$job" --day "$day"; timed "${psql_cmd[@]}" -f "$tmp/psql.sql"
  : >"$tmp/job.times"; : >"$tmp/psql.times"
  for ((r = 1; r <= runs; r++)); do
    if ((r % 2)); then
      out="$tmp/job.times"; timed "$job" --day "$day"
      out="$tmp/psql.times"; timed "${psql_cmd[@]}" -f "$tmp/psql.sql"
    else
      out="$tmp/psql.times"; timed "${psql_cmd[@]}" -f "$tmp/psql.sql"
      out="$tmp/job.times"; timed "$job" --day "$day"
    fi
  done
  job_ms=$(cut -d' ' -f1 "$tmp/job.times" | median)
  psql_ms=$(cut -d' ' -f1 "$tmp/psql.times" | median)
  job_rss=$(cut -d' ' -f2 "$tmp/job.times" | sort -n | tail -n 1)
  psql_rss=$(cut -d' ' -f2 "$tmp/psql.times" | sort -n | tail -n 1)
  overhead=$(awk -v j="$job_ms" -v p="$psql_ms" 'BEGIN {printf "%+.1f%%", (j - p) * 100 / p}')
  rows_read=$(psql_q -tAc "SELECT rows_read FROM batch_runs ORDER BY finished_at DESC LIMIT 1")
  [ "$rows_read" = "$rows" ] || { echo "bench: job read $rows_read rows, expected $rows" >&2; exit 1; }
  printf '| %s | %s | %s | %s | %s | %s |\n' "$rows" "$job_ms" "$psql_ms" "$overhead" "$job_rss" "$psql_rss"
  raw+="$rows rows, each run in ms: sample-batch $(cut -d' ' -f1 "$tmp/job.times" | tr '\n' ' ')/ psql $(cut -d' ' -f1 "$tmp/psql.times" | tr '\n' ' ')"$'\n'
done
printf '\n%s' "$raw"
