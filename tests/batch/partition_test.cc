// A silent network partition (the peer stops answering, sockets stay open), made by a TCP proxy
// on 127.0.0.1 that stops relaying: the job never hangs, SIGTERM still ends it with 143, and the
// server ends the orphaned session so the advisory lock comes free.
#include <signal.h>

#include <iostream>

#include "batch_fixture.h"
#include "tcp_proxy.h"

namespace batch_test {
namespace {

constexpr char kDay[] = "2024-03-10";
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

class PartitionTest : public BatchTest {
 protected:
  // Starts a job through `proxy` that holds its day's transaction open on the server, and waits
  // until the hold runs.
  JobProcess StartThrough(const TcpProxy& proxy, std::vector<std::string> args) {
    args.insert(args.begin(), {"--day", kDay});
    JobProcess job = Start(args, {{"DB_PORT", std::to_string(proxy.port())},
                                  {"SAMPLE_BATCH_TEST_HOLD_SECONDS", "120"}});
    EXPECT_TRUE(WaitFor([&] { return ServerRunning("pg_sleep"); })) << job.StdoutSoFar();
    return job;
  }

  bool AdvisoryLockHeld() {
    return db().Scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") != "0";
  }
};

TEST_F(PartitionTest, APartitionMidStatementEndsTheRunAndTheServerFreesTheLock) {
  InsertEvent("2024-03-10 12:00+09", "a", "1");
  TcpProxy proxy(server().port());
  JobProcess job = StartThrough(proxy, {"--statement-timeout-ms", "2000", "--retry-attempts", "1",
                                        "--connect-timeout-s", "2"});
  proxy.Partition();
  const Clock::time_point partitioned = Clock::now();

  // Without a client-side deadline the job would wait forever for the statement_timeout error
  // that the partition swallows.
  JobRun run = job.Wait(std::chrono::seconds(120));
  const double job_seconds = SecondsSince(partitioned);
  EXPECT_EQ(run.exit_code, 69) << run.AllOutput();
  ASSERT_EQ(run.Events("db_unavailable").size(), 1u) << run.AllOutput();
  EXPECT_NE(run.Events("db_unavailable")[0].find("connection presumed lost"), std::string::npos)
      << run.Events("db_unavailable")[0];

  // The orphaned session is idle in its aborted transaction: idle_in_transaction_session_timeout
  // ends it and the lock is free for the next run.
  EXPECT_TRUE(WaitFor([&] { return !AdvisoryLockHeld(); }, std::chrono::seconds(120)));
  const double lock_seconds = SecondsSince(partitioned);
  std::cerr << "partition: job ended after " << job_seconds << " s, lock free after "
            << lock_seconds << " s\n";
  RecordProperty("job_seconds", std::to_string(job_seconds));
  RecordProperty("lock_seconds", std::to_string(lock_seconds));
  JobRun next = Run({"--day", kDay});
  EXPECT_EQ(next.exit_code, 0) << next.AllOutput();
  EXPECT_EQ(Summary(kTokyo, kDay, kDay), Expected(kTokyo, kDay, kDay));
}

TEST_F(PartitionTest, SigtermDuringAPartitionEndsTheJobWithItsCode) {
  TcpProxy proxy(server().port());
  JobProcess job = StartThrough(proxy, {});
  proxy.Partition();
  const Clock::time_point signalled = Clock::now();
  job.Signal(SIGTERM);
  // The cancel request cannot reach the server either; the job bounds its wait. Hang guard: ECS
  // sends SIGKILL 30 s after SIGTERM.
  JobRun run = job.Wait(std::chrono::seconds(30));
  const double seconds = SecondsSince(signalled);
  std::cerr << "partition: SIGTERM to exit " << seconds << " s\n";
  RecordProperty("sigterm_seconds", std::to_string(seconds));
  EXPECT_EQ(run.exit_code, 143) << run.AllOutput();
  ASSERT_EQ(run.Events("terminated").size(), 1u) << run.AllOutput();
  EXPECT_NE(run.Events("terminated")[0].find(R"("day":"2024-03-10")"), std::string::npos);
}

}  // namespace
}  // namespace batch_test
