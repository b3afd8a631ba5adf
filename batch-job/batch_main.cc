#include "batch_main.h"

#include <cstdio>
#include <exception>

#include "conn_config.h"
#include "exit_codes.h"
#include "job.h"
#include "json_log.h"
#include "options.h"
#include "stop_signal.h"

namespace batch {

int Main(int argc, char** argv, JobHooks* hooks) {
  // SIGTERM/SIGINT are already blocked (stop_signal.cc, before main); from here they are read
  // from a descriptor.
  StopSignal stop;
  Redactor redactor;
  Log log(NewRunId(), "sample-batch", &redactor);

  ParsedArgs args = ParseArgs(argc, argv);
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
    ConnConfig config;
    try {
      config = LoadConnConfig(ProcessEnv(), redactor);
    } catch (const ConfigError& e) {
      log.Error(Event("config_error").Str("error", e.what()));
      return static_cast<int>(ExitCode::kConfig);
    }
    return static_cast<int>(RunJob(*args.options, config, log, stop, hooks));
  } catch (const std::exception& e) {
    log.Error(Event("internal_error").Str("error", e.what()));
    return static_cast<int>(ExitCode::kInternal);
  }
}

}  // namespace batch
