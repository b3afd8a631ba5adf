#include "options.h"

#include <CLI/CLI.hpp>

#include "exit_codes.h"

namespace batch {
namespace {

// CLI11 validator accepting exactly what ParseDay accepts.
const CLI::Validator kDayValidator(
    [](std::string& text) -> std::string {
      return ParseDay(text) ? "" : "expected a date YYYY-MM-DD of the years 0001-9999";
    },
    "YYYY-MM-DD");

// Whether `text` is well-formed UTF-8 (the server rejects anything else in a text parameter).
bool ValidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    unsigned char lead = static_cast<unsigned char>(text[i]);
    size_t length = lead < 0x80                    ? 1
                    : lead >= 0xC2 && lead <= 0xDF ? 2
                    : lead >= 0xE0 && lead <= 0xEF ? 3
                    : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                   : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    unsigned char second = length > 1 ? static_cast<unsigned char>(text[i + 1]) : 0;
    if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) ||
        (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F)) {
      return false;
    }
    i += length;
  }
  return true;
}

constexpr int kMaxDaysPerRun = 3660;

}  // namespace

ParsedArgs ParseArgs(int argc, const char* const* argv) {
  Options opts;
  std::string day, from, to;
  int64_t retry_base_ms = opts.retry.base.count();
  int64_t retry_cap_ms = opts.retry.cap.count();

  CLI::App app{
      "sample-batch: aggregates the events of one calendar day per category into "
      "daily_category_summary (see docs/batch-job.md). Connection settings come from the "
      "environment: DATABASE_URL, or DB_HOST/DB_PORT/DB_NAME/DB_USER/DB_PASSWORD, or the JSON "
      "secret DB_SECRET."};
  app.name("sample-batch");
  auto* day_opt =
      app.add_option("--day", day, "Target day (default: yesterday in --tz)")->check(kDayValidator);
  auto* from_opt = app.add_option("--from", from, "First day of a backfill (with --to)")
                       ->check(kDayValidator)
                       ->excludes(day_opt);
  auto* to_opt = app.add_option("--to", to, "Last day of a backfill, inclusive (with --from)")
                     ->check(kDayValidator)
                     ->excludes(day_opt);
  from_opt->needs(to_opt);
  to_opt->needs(from_opt);
  app.add_option("--tz", opts.time_zone, "IANA time zone whose calendar days are aggregated")
      ->envname("BATCH_TIME_ZONE")
      ->capture_default_str();
  app.add_option("--job", opts.job, "Job name: the advisory-lock key and batch_runs.job")
      ->envname("BATCH_JOB_NAME")
      ->capture_default_str();
  app.add_flag("--dry-run", opts.dry_run, "Compute and log what would be written, then roll back");
  app.add_flag("--init-schema", opts.init_schema,
               "Create the tables and indexes if missing (idempotent), then exit");
  app.add_option("--statement-timeout-ms", opts.statement_timeout_ms,
                 "Server-side statement_timeout; 0 disables it")
      ->envname("BATCH_STATEMENT_TIMEOUT_MS")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--connect-timeout-s", opts.connect_timeout_s, "Limit for one connection attempt")
      ->envname("BATCH_CONNECT_TIMEOUT_S")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_option("--retry-attempts", opts.retry.attempts,
                 "Connection attempts before giving up (exit 69)")
      ->envname("BATCH_RETRY_ATTEMPTS")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--retry-base-ms", retry_base_ms, "First backoff delay")
      ->envname("BATCH_RETRY_BASE_MS")
      ->check(CLI::Range(int64_t{1}, int64_t{3600000}))
      ->capture_default_str();
  app.add_option("--retry-cap-ms", retry_cap_ms, "Largest backoff delay")
      ->envname("BATCH_RETRY_CAP_MS")
      ->check(CLI::Range(int64_t{1}, int64_t{3600000}))
      ->capture_default_str();

  ParsedArgs result;
  auto usage = [&result](std::string message) {
    result.exit_code = static_cast<int>(ExitCode::kUsage);
    result.message = std::move(message);
    return result;
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    result.message = app.help();
    return result;
  } catch (const CLI::ParseError& e) {
    return usage(e.what());
  }

  if (!day.empty()) opts.from = opts.to = ParseDay(day);
  if (!from.empty()) {
    opts.from = ParseDay(from);
    opts.to = ParseDay(to);
    if (*opts.from > *opts.to) return usage("--from " + from + " is after --to " + to);
    if ((*opts.to - *opts.from).count() >= kMaxDaysPerRun) {
      return usage("--from/--to spans more than " + std::to_string(kMaxDaysPerRun) + " days");
    }
  }
  if (opts.time_zone.empty()) return usage("--tz must not be empty");
  if (!ValidUtf8(opts.time_zone) || opts.time_zone.find('\0') != std::string::npos) {
    return usage("--tz (or BATCH_TIME_ZONE) is not valid UTF-8");
  }
  if (opts.job.empty() || !ValidUtf8(opts.job)) {
    return usage("--job (or BATCH_JOB_NAME) must be non-empty valid UTF-8");
  }
  opts.retry.base = std::chrono::milliseconds(retry_base_ms);
  opts.retry.cap = std::chrono::milliseconds(std::max(retry_cap_ms, retry_base_ms));
  result.options = std::move(opts);
  return result;
}

}  // namespace batch
