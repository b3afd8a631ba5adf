#ifndef BATCH_JOB_JOB_HOOKS_H_
#define BATCH_JOB_JOB_HOOKS_H_

namespace batch {

class Connection;

// The points where a test build of the job may act (tests/batch/test_job_main.cc links one that
// holds the day's transaction open). The shipping binary passes none: it reads no test switch
// from its command line or environment.
class JobHooks {
 public:
  virtual ~JobHooks() = default;
  // Inside each day's transaction, after the summary statement and before COMMIT (or the
  // dry-run ROLLBACK). May run statements on `conn`; a DbError it throws fails the day as usual.
  virtual void BeforeCommit(Connection& conn) = 0;
};

}  // namespace batch

#endif  // BATCH_JOB_JOB_HOOKS_H_
