#ifndef BATCH_JOB_OPTIONS_H_
#define BATCH_JOB_OPTIONS_H_

#include <chrono>
#include <optional>
#include <string>

#include "day.h"

namespace batch {

// How connection failures are retried: attempt n (1-based) that fails waits a random time in
// [d/2, d] with d = min(cap, base * 2^(n-1)) before attempt n+1; after `attempts` failures the
// job gives up with ExitCode::kDbUnavailable.
struct RetryPolicy {
  int attempts = 6;
  std::chrono::milliseconds base{500};
  std::chrono::milliseconds cap{30000};
};

// Everything the command line (and its environment fallbacks) decides. Connection settings are
// not here: they come from the environment only (conn_config.h).
struct Options {
  std::string job = "sample-batch";
  std::string time_zone = "Asia/Tokyo";
  // Target days, inclusive. Unset means "yesterday in time_zone", resolved by the server.
  std::optional<Day> from;
  std::optional<Day> to;
  bool dry_run = false;
  bool init_schema = false;
  int statement_timeout_ms = 15 * 60 * 1000;
  int connect_timeout_s = 10;
  RetryPolicy retry;
};

// Outcome of parsing argv: options to run with, or a message and the exit code to stop with
// (0 after --help, ExitCode::kUsage after an error).
struct ParsedArgs {
  std::optional<Options> options;
  int exit_code = 0;
  std::string message;
};

// Parses the command line; options without a flag fall back to their environment variable
// (BATCH_TIME_ZONE, BATCH_RETRY_ATTEMPTS, ...; see --help).
ParsedArgs ParseArgs(int argc, const char* const* argv);

}  // namespace batch

#endif  // BATCH_JOB_OPTIONS_H_
