#include "job.h"

#include <time.h>

#include <array>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "backoff.h"
#include "pg.h"
#include "sql_text.h"
#include "zone_name.h"

namespace batch {
namespace {

using Clock = StopSignal::Clock;

constexpr char kTryLock[] = "SELECT pg_try_advisory_lock(hashtextextended($1, 0))";
constexpr char kSchemaLock[] =
    "SELECT pg_advisory_xact_lock(hashtextextended('sample-batch --init-schema', 0))";
constexpr char kYesterday[] = "SELECT ((now() AT TIME ZONE $1::text)::date - 1)::text";
// The server's spelling of a zone name it accepts case-insensitively (asia/tokyo -> Asia/Tokyo).
constexpr char kZoneSpelling[] =
    "SELECT name FROM pg_timezone_names WHERE lower(name) = lower($1) "
    "ORDER BY name = $1 DESC, name LIMIT 1";
// Session settings that keep a lost client from holding the advisory lock: the server ends a
// session idle (in a transaction or not) for 30 s (the job never idles on its session), and
// probes an idle socket after 10 s (3 probes 5 s apart) or drops unacknowledged data after 20 s.
constexpr char kSessionLimits[] =
    "SELECT set_config('idle_in_transaction_session_timeout', '30000', false), "
    "set_config('tcp_keepalives_idle', '10', false), "
    "set_config('tcp_keepalives_interval', '5', false), "
    "set_config('tcp_keepalives_count', '3', false), "
    "set_config('tcp_user_timeout', '20000', false)";
constexpr char kInsertRun[] =
    "INSERT INTO batch_runs (run_id, target_day, job, time_zone, started_at, finished_at, "
    "status, rows_read, rows_written, rows_deleted, error) "
    "VALUES ($1::uuid, $2::date, $3, $4, $5::timestamptz, $6::timestamptz, $7, $8::bigint, "
    "$9::bigint, $10::bigint, $11) "
    // A retry after a COMMIT whose acknowledgement was lost redoes the day under the same run id.
    "ON CONFLICT (run_id, target_day) DO UPDATE SET started_at = EXCLUDED.started_at, "
    "finished_at = EXCLUDED.finished_at, status = EXCLUDED.status, "
    "rows_read = EXCLUDED.rows_read, rows_written = EXCLUDED.rows_written, "
    "rows_deleted = EXCLUDED.rows_deleted, error = EXCLUDED.error";
constexpr char kPreview[] =
    "SELECT category, event_count, amount_count, amount_sum, amount_min, amount_max "
    "FROM daily_category_summary WHERE time_zone = $1 AND day = $2::date ORDER BY category";

std::string UtcNow() {
  auto now = std::chrono::system_clock::now();
  time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch() %
                                                                      std::chrono::seconds(1))
                    .count();
  tm utc;
  gmtime_r(&seconds, &utc);
  std::array<char, 64> buf;
  std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<long long>(micros));
  return buf.data();
}

int64_t MillisSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// Counts returned by sql/aggregate_day.sql.
struct DayCounts {
  int64_t read = 0, written = 0, deleted = 0, shortened = 0;
};

// One invocation. Survives reconnects: the resolved days and the index of the next day to run
// are kept, so a retry after a lost connection redoes only the day that was in flight.
class Job {
 public:
  Job(const Options& options, const ConnConfig& config, Log& log, StopSignal& stop, JobHooks* hooks)
      : opts_(options),
        config_(config),
        log_(log),
        stop_(stop),
        hooks_(hooks),
        time_zone_(options.time_zone) {}

  ExitCode Run();

 private:
  ExitCode RunWithRetries();
  ExitCode RunSession(int attempt);
  void PrepareSession(Connection& conn);
  // Checks the time zone on the server, replaces it by its canonical name (time_zone_) and,
  // without --day/--from, sets days_ to yesterday in it. False (after logging) when the server
  // does not know the zone.
  bool ResolveDays(Connection& conn);
  void InitSchema(Connection& conn);
  void RunDay(Connection& conn, Day day);
  void RecordFailure(Connection& conn, const std::string& day, const std::string& started,
                     const DbError& error);
  // The parameters of kInsertRun; counts are NULL when absent (failed or cancelled days).
  Params RunRow(const std::string& day, const std::string& started, const char* status,
                const DayCounts* counts, std::optional<std::string> error) const;
  void LogPreview(Connection& conn, const std::string& day);
  ExitCode Failed(const DbError& error);
  ExitCode Terminated(std::string_view error = {});

  const Options& opts_;
  const ConnConfig& config_;
  Log& log_;
  StopSignal& stop_;
  JobHooks* hooks_;  // null in the shipping binary
  std::vector<Day> days_;
  size_t next_day_ = 0;
  std::string current_day_;  // the day in flight, for failure lines; empty between days
  // The canonical IANA name of --tz (ResolveDays): the key of the summary rows.
  std::string time_zone_;
};

ExitCode Job::Run() {
  const Clock::time_point start = Clock::now();
  Event started("run_started");
  started.Str("time_zone", opts_.time_zone)
      .Str("from", opts_.from ? FormatDay(*opts_.from) : "yesterday")
      .Str("to", opts_.to ? FormatDay(*opts_.to) : "yesterday")
      .Bool("dry_run", opts_.dry_run)
      .Bool("init_schema", opts_.init_schema)
      .Str("db", config_.Describe());
  log_.Info(started);
  if (!config_.ignored.empty()) {
    std::string names;
    for (const std::string& name : config_.ignored) names += (names.empty() ? "" : ",") + name;
    log_.Warn(
        Event("config_ignored").Str("variables", names).Fixed("reason", "DATABASE_URL is set"));
  }
  if (opts_.from) days_ = DaysBetween(*opts_.from, *opts_.to);

  ExitCode code = RunWithRetries();
  Event finished("run_finished");
  finished.Int("exit_code", static_cast<int>(code))
      .Int("days_done", static_cast<int64_t>(next_day_))
      .Int("days_total", static_cast<int64_t>(days_.size()))
      .Int("duration_ms", MillisSince(start));
  code == ExitCode::kOk ? log_.Info(finished) : log_.Error(finished);
  return code;
}

ExitCode Job::RunWithRetries() {
  std::mt19937_64 rng{std::random_device{}()};
  for (int attempt = 1;; ++attempt) {
    try {
      return RunSession(attempt);
    } catch (const DbError& e) {
      if (e.kind() != FailureKind::kTransient) return Failed(e);
      Event event(attempt >= opts_.retry.attempts ? "db_unavailable" : "db_retry");
      event.Int("attempt", attempt)
          .Int("max_attempts", opts_.retry.attempts)
          .Str("day", current_day_)
          .Str("sqlstate", e.sqlstate())
          .Str("error", e.what());
      if (attempt >= opts_.retry.attempts) {
        log_.Error(event);
        return ExitCode::kDbUnavailable;
      }
      std::chrono::milliseconds delay = BackoffDelay(opts_.retry, attempt, rng);
      log_.Warn(event.Int("delay_ms", delay.count()));
      current_day_.clear();
      if (stop_.Wait(-1, 0, Clock::now() + delay) == StopSignal::WaitResult::kStopped) {
        return Terminated();
      }
    }
  }
}

ExitCode Job::RunSession(int attempt) {
  Connection conn = Connection::Open(config_, stop_, std::chrono::seconds(opts_.connect_timeout_s));
  Event connected("connected");
  connected.Int("attempt", attempt)
      .Int("server_version", conn.server_version())
      .Bool("tls", conn.tls());
  if (!config_.sslmode_default.empty()) {
    connected.Fixed("sslmode_default", config_.sslmode_default);
  }
  if (conn.tls()) {
    log_.Info(connected);
  } else {
    log_.Warn(connected.Fixed("detail", "the connection is not encrypted (TLS is not in use)"));
  }
  PrepareSession(conn);
  if (opts_.init_schema) {
    InitSchema(conn);
    return ExitCode::kOk;
  }
  if (!ResolveDays(conn)) return ExitCode::kUsage;
  if (!conn.Exec(kTryLock, {opts_.job}).Get(0, 0).starts_with("t")) {
    log_.Error(Event("lock_held")
                   .Fixed("detail",
                          "another run of this job holds its advisory lock; "
                          "nothing was written"));
    return ExitCode::kLockHeld;
  }
  for (; next_day_ < days_.size(); ++next_day_) RunDay(conn, days_[next_day_]);
  return ExitCode::kOk;
}

void Job::PrepareSession(Connection& conn) {
  // Every reply must come within statement_timeout plus a grace, else the connection is
  // presumed lost; without a statement_timeout, TCP keepalives and tcp_user_timeout bound it.
  if (opts_.statement_timeout_ms > 0) {
    conn.set_reply_limit(std::chrono::milliseconds(opts_.statement_timeout_ms) +
                         Connection::kReplyGrace);
  } else {
    conn.set_reply_limit(std::nullopt);
  }
  conn.Exec("SELECT set_config('statement_timeout', $1, false)",
            {std::to_string(opts_.statement_timeout_ms)});
  conn.Exec(kSessionLimits);
  // Notices (e.g. "relation already exists, skipping") would go to stderr as plain text.
  conn.Exec("SELECT set_config('client_min_messages', 'warning', false)");
  // PostgreSQL 14+: a backend notices within 1s that this process died mid-statement, aborts the
  // statement and releases the advisory lock instead of running to completion first.
  if (conn.server_version() >= 140000) {
    conn.Exec(
        "SELECT set_config('client_connection_check_interval', '1000', false), "
        "set_config('idle_session_timeout', '30000', false)");
  }
}

bool Job::ResolveDays(Connection& conn) {
  std::string yesterday;
  try {
    // Also validates the zone, so a bad --tz fails before anything is written.
    yesterday = conn.Exec(kYesterday, {opts_.time_zone}).Get(0, 0);
  } catch (const DbError& e) {
    if (e.kind() != FailureKind::kStatement) throw;
    log_.Error(Event("invalid_time_zone").Str("time_zone", opts_.time_zone).Str("error", e.what()));
    return false;
  }
  // One zone, one name: the server's spelling, then a link (Japan) to its zone (Asia/Tokyo), so
  // that every spelling of a zone writes the same summary rows.
  Result spelling = conn.Exec(kZoneSpelling, {opts_.time_zone});
  if (spelling.rows() == 0) {
    log_.Error(Event("invalid_time_zone")
                   .Str("time_zone", opts_.time_zone)
                   .Fixed("error",
                          "not an IANA time zone name (abbreviations and POSIX-style "
                          "specifications are not accepted); use a name such as Asia/Tokyo"));
    return false;
  }
  time_zone_ = std::string(CanonicalZoneName(spelling.Get(0, 0)));
  if (time_zone_ != opts_.time_zone) {
    log_.Warn(Event("time_zone_canonicalized")
                  .Str("given", opts_.time_zone)
                  .Str("time_zone", time_zone_));
  }
  if (days_.empty()) days_ = {*ParseDay(yesterday)};
  return true;
}

void Job::InitSchema(Connection& conn) {
  const Clock::time_point start = Clock::now();
  conn.Exec("BEGIN");
  conn.Exec(kSchemaLock);
  conn.Exec(sql::kSchema);
  conn.Exec("COMMIT");
  log_.Info(Event("schema_ready").Int("duration_ms", MillisSince(start)));
}

void Job::RunDay(Connection& conn, Day target) {
  const Clock::time_point start = Clock::now();
  const std::string started = UtcNow();
  const std::string day = FormatDay(target);
  conn.Exec("BEGIN");
  current_day_ = day;
  try {
    Result result = conn.Exec(sql::kAggregateDay, {day, time_zone_, log_.run_id()});
    DayCounts counts{std::stoll(result.Get(0, 0)), std::stoll(result.Get(0, 1)),
                     std::stoll(result.Get(0, 2)), std::stoll(result.Get(0, 3))};
    if (hooks_) hooks_->BeforeCommit(conn);
    if (opts_.dry_run) {
      LogPreview(conn, day);
      conn.Exec("ROLLBACK");
    } else {
      conn.Exec(kInsertRun, RunRow(day, started, "succeeded", &counts, std::nullopt));
      conn.Exec("COMMIT");
    }
    log_.Info(Event(opts_.dry_run ? "day_dry_run" : "day_succeeded")
                  .Str("day", day)
                  .Int("rows_read", counts.read)
                  .Int("rows_written", counts.written)
                  .Int("rows_deleted", counts.deleted)
                  .Int("rows_shortened", counts.shortened)
                  .Int("duration_ms", MillisSince(start)));
    if (counts.shortened > 0) {
      log_.Warn(Event("categories_shortened")
                    .Str("day", day)
                    .Int("rows_shortened", counts.shortened)
                    .Fixed("detail",
                           "categories longer than 256 bytes were summarised under "
                           "'<first 64 characters>… [md5:<hex>]'"));
    }
  } catch (const DbError& e) {
    // A transient failure means the connection is gone (or the transaction must be redone on a
    // new one): the server rolls back, and the retry loop redoes this day.
    if (e.kind() != FailureKind::kTransient && conn.ok()) RecordFailure(conn, day, started, e);
    throw;
  }
  current_day_.clear();
}

void Job::RecordFailure(Connection& conn, const std::string& day, const std::string& started,
                        const DbError& error) {
  try {
    conn.ExecUncancellable("ROLLBACK");
    if (opts_.dry_run) return;
    const char* status = error.kind() == FailureKind::kCancelled ? "cancelled" : "failed";
    conn.ExecUncancellable(
        kInsertRun, RunRow(day, started, status, nullptr, log_.redactor().Scrub(error.what())));
  } catch (const DbError& e) {
    log_.Warn(Event("run_record_failed").Str("day", day).Str("error", e.what()));
  }
}

Params Job::RunRow(const std::string& day, const std::string& started, const char* status,
                   const DayCounts* counts, std::optional<std::string> error) const {
  Params row = {log_.run_id(), day,          opts_.job,    time_zone_,   started,         UtcNow(),
                status,        std::nullopt, std::nullopt, std::nullopt, std::move(error)};
  if (counts) {
    row[7] = std::to_string(counts->read);
    row[8] = std::to_string(counts->written);
    row[9] = std::to_string(counts->deleted);
  }
  return row;
}

void Job::LogPreview(Connection& conn, const std::string& day) {
  Result rows = conn.Exec(kPreview, {time_zone_, day});
  for (int row = 0; row < rows.rows(); ++row) {
    Event event("dry_run_row");
    event.Str("day", day);
    for (int column = 0; column < rows.columns(); ++column) {
      if (!rows.IsNull(row, column)) event.Str(rows.ColumnName(column), rows.Get(row, column));
    }
    log_.Info(event);
  }
}

ExitCode Job::Failed(const DbError& error) {
  if (error.kind() == FailureKind::kCancelled) return Terminated(error.what());
  ExitCode code = ExitCode::kDataError;
  const char* name = "statement_failed";
  if (error.kind() == FailureKind::kRejected) {
    code = ExitCode::kConfig;
    name = "db_rejected";
  } else if (error.kind() == FailureKind::kTimeout) {
    code = ExitCode::kStatementTimeout;
    name = "statement_timeout";
  }
  log_.Error(Event(name)
                 .Str("day", current_day_)
                 .Str("sqlstate", error.sqlstate())
                 .Str("error", error.what()));
  return code;
}

ExitCode Job::Terminated(std::string_view error) {
  Event event("terminated");
  event.Int("signal", stop_.signal_number())
      .Str("day", current_day_)
      .Fixed("detail", current_day_.empty() ? "stopped before starting a day"
                                            : "statement cancelled, rolled back");
  // Set when the server did not answer in time: the connection was abandoned, and the server
  // rolls the transaction back when it ends the session.
  if (!error.empty() && error != kStopMessage) event.Str("error", error);
  log_.Error(event);
  return ExitCode::kTerminated;
}

}  // namespace

ExitCode RunJob(const Options& options, const ConnConfig& config, Log& log, StopSignal& stop,
                JobHooks* hooks) {
  return Job(options, config, log, stop, hooks).Run();
}

}  // namespace batch
