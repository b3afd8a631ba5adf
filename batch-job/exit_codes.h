#ifndef BATCH_JOB_EXIT_CODES_H_
#define BATCH_JOB_EXIT_CODES_H_

namespace batch {

// The process exit status of sample-batch. docs/batch-job.md has the same table; Step Functions
// treats every non-zero status as a failed task.
enum class ExitCode : int {
  kOk = 0,                 // every target day committed (or, with --dry-run, was computed)
  kUsage = 64,             // bad command line or an unknown time zone
  kDataError = 65,         // a statement failed (missing schema, constraint, ...); rolled back
  kDbUnavailable = 69,     // connection failures outlasted every retry
  kInternal = 70,          // a bug: an unexpected exception
  kStatementTimeout = 74,  // a statement exceeded --statement-timeout-ms; rolled back
  kLockHeld = 75,          // another run of the same job holds the advisory lock; nothing touched
  kConfig = 78,            // missing or invalid connection configuration, or rejected credentials
  kTerminated = 143,       // SIGTERM/SIGINT: the in-flight query was cancelled and rolled back
};

}  // namespace batch

#endif  // BATCH_JOB_EXIT_CODES_H_
