// sample-batch: the aggregation job the orchc workflows run (docs/batch-job.md).
#include <cstdio>
#include <exception>

#include "conn_config.h"
#include "exit_codes.h"
#include "job.h"
#include "json_log.h"
#include "options.h"
#include "stop_signal.h"

int main(int argc, char** argv) {
  using batch::Event;
  using batch::ExitCode;
  // First, before anything could start a thread: SIGTERM/SIGINT become a pollable descriptor.
  batch::StopSignal stop;
  batch::Redactor redactor;
  batch::Log log(batch::NewRunId(), "sample-batch", &redactor);

  batch::ParsedArgs args = batch::ParseArgs(argc, argv);
  if (!args.options) {
    if (args.exit_code == 0) {
      std::fputs(args.message.c_str(), stdout);
    } else {
      std::fprintf(stderr, "sample-batch: %s\n", args.message.c_str());
      log.Error(Event("usage_error").Str("error", args.message));
    }
    return args.exit_code;
  }
  log.set_job(args.options->job);

  try {
    batch::ConnConfig config;
    try {
      config = batch::LoadConnConfig(batch::ProcessEnv(), redactor);
    } catch (const batch::ConfigError& e) {
      log.Error(Event("config_error").Str("error", e.what()));
      return static_cast<int>(ExitCode::kConfig);
    }
    return static_cast<int>(batch::RunJob(*args.options, config, log, stop));
  } catch (const std::exception& e) {
    log.Error(Event("internal_error").Str("error", e.what()));
    return static_cast<int>(ExitCode::kInternal);
  }
}
