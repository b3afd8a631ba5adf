#ifndef BATCH_JOB_JOB_H_
#define BATCH_JOB_JOB_H_

#include "conn_config.h"
#include "exit_codes.h"
#include "job_hooks.h"
#include "json_log.h"
#include "options.h"
#include "stop_signal.h"

namespace batch {

// Runs sample-batch once: connects (retrying transient failures with backoff), then either
// creates the schema (--init-schema) or takes the job's advisory lock and recomputes each target
// day in its own transaction together with its batch_runs row. Returns the process exit code;
// every outcome is logged. `hooks` (null in the shipping binary) lets tests act inside a day's
// transaction.
ExitCode RunJob(const Options& options, const ConnConfig& config, Log& log, StopSignal& stop,
                JobHooks* hooks = nullptr);

}  // namespace batch

#endif  // BATCH_JOB_JOB_H_
