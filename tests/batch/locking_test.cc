// No overlap: the advisory lock keyed on the job name lets one run at a time, and a run that finds
// it held exits 75 without writing anything.
#include <signal.h>

#include <memory>
#include <set>

#include "batch_fixture.h"

namespace batch_test {
namespace {

class LockingTest : public BatchTest {
 protected:
  // A run of `job` for 2024-03-10 that holds its transaction open on the server for `hold`
  // seconds; returns once it is sleeping inside the transaction, i.e. holds the lock.
  JobProcess StartHolding(const std::string& job, const std::string& hold) {
    JobProcess holder =
        Start({"--day", "2024-03-10", "--job", job}, {{"SAMPLE_BATCH_TEST_HOLD_SECONDS", hold}});
    EXPECT_TRUE(WaitFor([&] { return ServerRunning("pg_sleep"); })) << holder.StdoutSoFar();
    return holder;
  }
};

TEST_F(LockingTest, SecondRunSeesTheLockHeldAndTouchesNothing) {
  InsertRandomEvents(Seed(), "2024-03-10 00:00+09", "1 day", 300);
  JobProcess first = StartHolding("sample-batch", "60");

  JobRun second = Run({"--day", "2024-03-10"});
  EXPECT_EQ(second.exit_code, 75) << second.AllOutput();
  EXPECT_EQ(second.Events("lock_held").size(), 1u) << second.AllOutput();
  EXPECT_TRUE(second.Events("day_succeeded").empty());
  EXPECT_EQ(
      db().Scalar("SELECT count(*) FROM batch_runs WHERE run_id = $1::uuid", {second.RunId()}),
      "0");

  // The lock is per job name: another job runs meanwhile.
  JobRun other = Run({"--day", "2024-03-11", "--job", "other-job"});
  EXPECT_EQ(other.exit_code, 0) << other.AllOutput();

  first.Signal(SIGTERM);
  EXPECT_EQ(first.Wait().exit_code, 143);
  // Released with the holder's session: the next run proceeds.
  JobRun third = Run({"--day", "2024-03-10"});
  EXPECT_EQ(third.exit_code, 0) << third.AllOutput();
  EXPECT_EQ(Summary(kTokyo, "2024-03-10", "2024-03-10"),
            Expected(kTokyo, "2024-03-10", "2024-03-10"));
  EXPECT_EQ(db().Scalar("SELECT string_agg(status, ',' ORDER BY started_at) FROM batch_runs "
                        "WHERE job = 'sample-batch'"),
            "cancelled,succeeded");
}

TEST_F(LockingTest, OfSimultaneousStartsExactlyOneRuns) {
  InsertRandomEvents(Seed(), "2024-03-10 00:00+09", "1 day", 300);
  // Whoever gets the lock keeps it (a 60s hold) until the others have given up, however slowly
  // the machine starts them; then it is stopped.
  std::vector<std::unique_ptr<JobProcess>> jobs;
  for (int i = 0; i < 4; ++i) {
    Env env = DbEnv();
    env["SAMPLE_BATCH_TEST_HOLD_SECONDS"] = "60";
    jobs.push_back(
        std::make_unique<JobProcess>(std::vector<std::string>{"--day", "2024-03-10"}, env));
  }
  auto lock_held_count = [&] {
    int n = 0;
    for (auto& job : jobs) n += job->StdoutSoFar().find("\"lock_held\"") != std::string::npos;
    return n;
  };
  EXPECT_TRUE(WaitFor([&] { return lock_held_count() == 3; }));
  EXPECT_TRUE(ServerRunning("pg_sleep"));
  for (auto& job : jobs) job->Signal(SIGTERM);
  std::multiset<int> codes;
  for (auto& job : jobs) codes.insert(job->Wait().exit_code);
  EXPECT_EQ(codes, (std::multiset<int>{75, 75, 75, 143}));
  EXPECT_EQ(db().Scalar("SELECT string_agg(status, ',') FROM batch_runs"), "cancelled");
}

}  // namespace
}  // namespace batch_test
