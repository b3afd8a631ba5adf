#!/usr/bin/env bash
# The run stage of batch-job/Dockerfile works, without Docker (no engine, no registry here):
# the binary is stripped as the build stage strips it, then placed at /app/bin/sample-batch in
# an empty root directory with only what the run stage adds to the base image for it: the shared
# libraries it loads (found with ldd), the CA bundle and the non-root user. Every one of those
# libraries must come from a package the run stage installs (or their dependencies) or from the
# base image's required packages, so the image cannot miss one. In that root, as the non-root
# user, under chroot in new mount/PID/IPC/UTS namespaces (unshare), sample-batch creates its
# schema and aggregates a day in a throwaway PostgreSQL on a free loopback port; the summary is
# read back. Without libpq in the root it must fail to start (the root is really what it runs in).
#   check_batch_image.sh SAMPLE_BATCH SOURCE_DIR
set -euo pipefail
binary="$1"; root="$2"
dockerfile="$root/batch-job/Dockerfile"
[ "$(id -u)" -eq 0 ] || { echo "check_batch_image: needs root (chroot)"; exit 77; }
tmp=$(mktemp -d /tmp/batch-image-XXXXXX); chmod 755 "$tmp"
pg_ctl_stop() { :; }
trap 'pg_ctl_stop; rm -rf "$tmp"' EXIT
fail() { echo "check_batch_image: $*" >&2; exit 1; }

# What the Dockerfile's run stage says (the last stage).
run_stage=$(awk '/^FROM /{stage=""} {stage = stage $0 "\n"} END {printf "%s", stage}' "$dockerfile")
grep -q '^FROM debian:bookworm-slim$' <<<"$run_stage" || fail "the run stage is not debian:bookworm-slim"
grep -q '^FROM debian:bookworm AS build$' "$dockerfile" || fail "no bookworm build stage"
grep -q '^RUN ./scripts/build.sh --target sample-batch' "$dockerfile" || fail "the build stage does not use scripts/build.sh"
grep -q '^COPY --from=build /sample-batch /app/bin/sample-batch$' <<<"$run_stage" || fail "no /app/bin/sample-batch"
grep -q '^CMD \["/app/bin/sample-batch"\]$' <<<"$run_stage" || fail "CMD is not /app/bin/sample-batch"
if grep -Eq '^(ENTRYPOINT|HEALTHCHECK)' <<<"$run_stage"; then fail "ENTRYPOINT/HEALTHCHECK in the run stage"; fi
if grep -Eiq '^(ARG|ENV).*(PASSWORD|SECRET|TOKEN|KEY)' "$dockerfile"; then fail "a secret-like ARG/ENV"; fi
user=$(sed -n 's/^USER \([0-9]*\):\([0-9]*\)$/\1/p' <<<"$run_stage")
[ -n "$user" ] && [ "$user" -ne 0 ] || fail "the run stage's USER is not a non-root uid"
read -r -a runtime_pkgs <<<"$(sed -n 's/.*apt-get install -y --no-install-recommends \([^&\\]*\).*/\1/p' <<<"$run_stage")"
[ ${#runtime_pkgs[@]} -gt 0 ] || fail "no apt-get install in the run stage"

# The packages the image has: the run stage's, their dependencies, and bookworm-slim's own
# (Debian's required packages and apt, with their dependencies).
mapfile -t required < <(dpkg-query -W -f='${Package} ${Priority}\n' | awk '$2 == "required" {print $1}')
apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances "${runtime_pkgs[@]}" apt "${required[@]}" 2>/dev/null |
  sed -n 's/^\([a-z0-9][a-z0-9.+-]*\)$/\1/p; s/^ *\(Pre\)\{0,1\}Depends: \([a-z0-9][a-z0-9.+-]*\)$/\2/p' |
  sed 's/:.*//' | sort -u >"$tmp/image-packages"

# The root: the binary as the build stage leaves it, its libraries, the CA bundle, the user.
r="$tmp/root"
mkdir -p "$r/app/bin" "$r/etc/ssl/certs" "$r/tmp" && chmod 1777 "$r/tmp"
strip -o "$r/app/bin/sample-batch" "$binary"
libs=$(ldd "$r/app/bin/sample-batch" | awk '/=> \// {print $3} /^\t\/[^ ]*ld-linux/ {print $1}')
for lib in $libs; do
  pkg=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | awk -F: 'NR == 1 {print $1}') \
    || pkg=$(dpkg -S "$lib" | awk -F: 'NR == 1 {print $1}')
  grep -qx "$pkg" "$tmp/image-packages" \
    || fail "$lib comes from $pkg, which the run stage does not install (${runtime_pkgs[*]})"
  mkdir -p "$r$(dirname "$lib")"
  cp -L "$lib" "$r$lib"
done
[ -f /etc/ssl/certs/ca-certificates.crt ] && cp /etc/ssl/certs/ca-certificates.crt "$r/etc/ssl/certs/"
echo "root:x:0:0:root:/root:/usr/sbin/nologin" >"$r/etc/passwd"
echo "batch:x:$user:$user::/nonexistent:/usr/sbin/nologin" >>"$r/etc/passwd"
printf 'root:x:0:\nbatch:x:%s:\n' "$user" >"$r/etc/group"
echo "check_batch_image: root holds $(find "$r" -type f | wc -l) files ($(du -sh "$r" | cut -f1)):" \
     "the binary, $(wc -w <<<"$libs") libraries, the CA bundle, passwd/group"

# A throwaway PostgreSQL as the postgres OS user (as tests/batch/pg_server.cc starts it).
pgbin=$(dirname "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb | tail -1)")
id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
mkdir "$tmp/pg" && chown postgres: "$tmp/pg"
password=image-test-$RANDOM$RANDOM
echo "$password" >"$tmp/pg/pwfile" && chown postgres: "$tmp/pg/pwfile"
runuser -u postgres -- "$pgbin/initdb" -D "$tmp/pg/data" -U postgres -A scram-sha-256 \
  --pwfile="$tmp/pg/pwfile" --no-sync -E UTF8 --locale=C >"$tmp/pg/initdb.log" 2>&1 \
  || { cat "$tmp/pg/initdb.log"; fail "initdb failed"; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
runuser -u postgres -- "$pgbin/pg_ctl" -D "$tmp/pg/data" -l "$tmp/pg/server.log" -w -t 120 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp/pg -c fsync=off" start >/dev/null \
  || { cat "$tmp/pg/server.log"; fail "PostgreSQL did not start"; }
pg_ctl_stop() { runuser -u postgres -- "$pgbin/pg_ctl" -D "$tmp/pg/data" -m immediate stop >/dev/null 2>&1 || true; }
psql_() { PGPASSWORD="$password" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres "$@"; }

# sample-batch inside the root: only the environment ECS would give it.
chroot=$(command -v chroot)
in_image() {
  env -i DB_HOST=127.0.0.1 DB_PORT="$port" DB_NAME=postgres DB_USER=postgres \
    DB_PASSWORD="$password" BATCH_RETRY_ATTEMPTS=1 \
    "$(command -v unshare)" --mount --pid --ipc --uts --fork \
    "$chroot" --userspec="$user:$user" "$r" /app/bin/sample-batch "$@"
}
in_image --init-schema >"$tmp/init.log" 2>&1 || { cat "$tmp/init.log"; fail "--init-schema failed in the image root"; }
psql_ -c "INSERT INTO events (occurred_at, category, amount) VALUES
  ('2024-03-09 15:00:00+00', 'a', 1.50), ('2024-03-10 14:59:59+00', 'a', 2.50),
  ('2024-03-10 03:00:00+00', 'b', NULL), ('2024-03-10 15:00:00+00', 'a', 100)"
in_image --day 2024-03-10 >"$tmp/run.log" 2>&1 || { cat "$tmp/run.log"; fail "the aggregation failed in the image root"; }
summary=$(psql_ -At -F' ' -c "SELECT category, event_count, amount_count, amount_sum
  FROM daily_category_summary WHERE day = '2024-03-10' ORDER BY category")
[ "$summary" = "$(printf 'a 2 2 4.00\nb 1 0 ')" ] || fail "unexpected summary: $summary"
[ "$(psql_ -At -c "SELECT status FROM batch_runs WHERE target_day = '2024-03-10'")" = succeeded ] \
  || fail "no succeeded run record"
grep -q '"level":"info"' "$tmp/run.log" || fail "no JSON log line on stdout"
if grep -q "$password" "$tmp/run.log" "$tmp/init.log"; then fail "the password was logged"; fi

# Control: the same root without libpq cannot run it.
rm "$r$(ldd "$r/app/bin/sample-batch" | awk '/libpq/ {print $3}')"
if in_image --day 2024-03-10 >"$tmp/nolib.log" 2>&1; then fail "ran without libpq: the root is not what runs"; fi
grep -q "libpq.so.5" "$tmp/nolib.log" || { cat "$tmp/nolib.log"; fail "unexpected failure without libpq"; }
echo "check_batch_image: sample-batch ran as uid $user in the run stage's root" \
     "(${runtime_pkgs[*]} + bookworm-slim) against PostgreSQL: schema, aggregation, run record"
