// All or nothing: SIGKILL at any point leaves the old or the new summary; SIGTERM cancels the
// running statement, rolls back and exits 143; a statement timeout rolls back and exits 74.
#include <signal.h>

#include <random>
#include <thread>

#include "batch_fixture.h"

namespace batch_test {
namespace {

constexpr char kDay[] = "2024-03-10";

class SignalsTest : public BatchTest {
 protected:
  std::string DaySummary() { return Summary(kTokyo, kDay, kDay); }
  std::string DayExpected() { return Expected(kTokyo, kDay, kDay); }

  // A committed summary for kDay, then more events, so that "old" and "new" differ.
  void CommitOldSummaryThenChangeEvents(double seed) {
    InsertRandomEvents(seed, "2024-03-10 00:00+09", "1 day", 400);
    ASSERT_EQ(Run({"--day", kDay}).exit_code, 0);
    InsertRandomEvents(-seed, "2024-03-10 00:00+09", "1 day", 50);
    ASSERT_NE(DaySummary(), DayExpected());
  }
};

TEST_F(SignalsTest, SigtermCancelsTheRunningQueryAndRollsBack) {
  CommitOldSummaryThenChangeEvents(Seed());
  const std::string old_summary = DaySummary();
  JobProcess job = Start({"--day", kDay}, {{"SAMPLE_BATCH_TEST_HOLD_SECONDS", "120"}});
  ASSERT_TRUE(WaitFor([&] { return ServerRunning("pg_sleep"); })) << job.StdoutSoFar();

  job.Signal(SIGTERM);
  JobRun run = job.Wait(std::chrono::seconds(30));
  EXPECT_EQ(run.exit_code, 143) << run.AllOutput();
  ASSERT_EQ(run.Events("terminated").size(), 1u) << run.AllOutput();
  EXPECT_NE(run.Events("terminated")[0].find(R"("signal":15,"day":"2024-03-10")"),
            std::string::npos);
  // The job waited for the cancellation before exiting: nothing is still sleeping.
  EXPECT_FALSE(ServerRunning("pg_sleep"));
  EXPECT_EQ(DaySummary(), old_summary);
  EXPECT_EQ(db().Scalar("SELECT status FROM batch_runs WHERE run_id = $1::uuid", {run.RunId()}),
            "cancelled");
}

TEST_F(SignalsTest, SigtermDuringRetryBackoffExitsTerminated) {
  server().Stop();
  JobProcess job = Start({"--day", kDay, "--retry-attempts", "50", "--retry-base-ms", "600000"});
  ASSERT_TRUE(WaitFor([&] { return job.StdoutSoFar().find("db_retry") != std::string::npos; }))
      << job.StdoutSoFar();
  job.Signal(SIGTERM);
  JobRun run = job.Wait(std::chrono::seconds(30));
  EXPECT_EQ(run.exit_code, 143) << run.AllOutput();
  EXPECT_EQ(run.Events("terminated").size(), 1u) << run.AllOutput();
}

TEST_F(SignalsTest, SigkillAtRandomPointsLeavesTheOldOrTheNewSummary) {
  const double seed = Seed();
  std::mt19937 rng(static_cast<uint32_t>(std::abs(seed) * 1e6));
  int kept_old = 0, got_new = 0;
  for (int i = 0; i < 24; ++i) {
    SCOPED_TRACE("iteration " + std::to_string(i));
    InsertRandomEvents(seed / (i + 2), "2024-03-10 00:00+09", "1 day", 200);
    const std::string old_summary = DaySummary();
    const std::string new_summary = DayExpected();
    ASSERT_NE(old_summary, new_summary);
    const int64_t runs_before = RunCount();

    // Every fourth iteration kills inside the open transaction for certain; the others at a
    // random instant of the whole run, from exec to exit, sometimes with a held transaction.
    const bool hold = i % 2 == 1;
    const char* hold_seconds = i % 4 == 3 ? "30" : hold ? "0.3" : "0";
    JobProcess job = Start({"--day", kDay}, {{"SAMPLE_BATCH_TEST_HOLD_SECONDS", hold_seconds}});
    if (i % 4 == 3) {
      ASSERT_TRUE(WaitFor([&] { return ServerRunning("pg_sleep"); }));
    } else {
      int max_ms = hold ? 400 : 60;
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::uniform_int_distribution<int>(0, max_ms)(rng)));
    }
    job.Signal(SIGKILL);
    JobRun run = job.Wait();
    // The server notices the dead client and ends its session (client_connection_check_interval).
    ASSERT_TRUE(WaitFor([&] { return !JobConnected(); }));

    const std::string now = DaySummary();
    const bool committed = RunCount() == runs_before + 1;
    if (now == old_summary) {
      ++kept_old;
      EXPECT_FALSE(committed);
    } else {
      EXPECT_EQ(now, new_summary) << "partial summary after SIGKILL";
      EXPECT_TRUE(committed);
      ++got_new;
    }
    if (i % 4 == 3) {
      EXPECT_EQ(now, old_summary) << "killed inside the transaction";
    }
    if (run.signal == 0) {
      EXPECT_EQ(run.exit_code, 0);  // finished before the kill
    }
  }
  std::cerr << "SIGKILL outcomes: old " << kept_old << ", new " << got_new << "\n";
  EXPECT_GE(kept_old, 6);
}

TEST_F(SignalsTest, StatementTimeoutRollsBackAndExits74) {
  CommitOldSummaryThenChangeEvents(Seed());
  const std::string old_summary = DaySummary();
  JobRun run = Run({"--day", kDay, "--statement-timeout-ms", "300"},
                   {{"SAMPLE_BATCH_TEST_HOLD_SECONDS", "120"}});
  EXPECT_EQ(run.exit_code, 74) << run.AllOutput();
  ASSERT_EQ(run.Events("statement_timeout").size(), 1u) << run.AllOutput();
  EXPECT_NE(run.Events("statement_timeout")[0].find(R"("sqlstate":"57014")"), std::string::npos);
  EXPECT_EQ(DaySummary(), old_summary);
  EXPECT_EQ(db().Scalar("SELECT status || ': ' || error FROM batch_runs WHERE run_id = $1::uuid",
                        {run.RunId()}),
            "failed: canceling statement due to statement timeout");
}

}  // namespace
}  // namespace batch_test
