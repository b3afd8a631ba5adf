// Transient failures: refused connections and a server restart are retried with capped
// exponential backoff; when the attempts run out the job exits 69.
#include <regex>

#include "batch_fixture.h"

namespace batch_test {
namespace {

class RetryTest : public BatchTest {};

int64_t Field(const std::string& line, const std::string& key) {
  std::smatch match;
  if (!std::regex_search(line, match, std::regex("\"" + key + "\":(\\d+)"))) return -1;
  return std::stoll(match[1]);
}

TEST_F(RetryTest, ServerDownExhaustsTheAttemptsThenExits69) {
  server().Stop();
  JobRun run = Run({"--day", "2024-03-10", "--retry-attempts", "4", "--retry-base-ms", "40",
                    "--retry-cap-ms", "100"});
  EXPECT_EQ(run.exit_code, 69) << run.AllOutput();
  std::vector<std::string> retries = run.Events("db_retry");
  ASSERT_EQ(retries.size(), 3u) << run.AllOutput();
  const int64_t ceilings[] = {40, 80, 100};  // base * 2^(n-1), capped
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Field(retries[i], "attempt"), i + 1);
    EXPECT_GE(Field(retries[i], "delay_ms"), ceilings[i] / 2) << retries[i];
    EXPECT_LE(Field(retries[i], "delay_ms"), ceilings[i]) << retries[i];
    EXPECT_NE(retries[i].find("Connection refused"), std::string::npos) << retries[i];
  }
  ASSERT_EQ(run.Events("db_unavailable").size(), 1u);
  EXPECT_EQ(Field(run.Events("db_unavailable")[0], "attempt"), 4);
}

TEST_F(RetryTest, ServerComingUpDuringTheRetriesLetsTheRunSucceed) {
  InsertRandomEvents(Seed(), "2024-03-10 00:00+09", "1 day", 300);
  server().Stop();
  JobProcess job = Start({"--day", "2024-03-10", "--retry-attempts", "200", "--retry-base-ms", "50",
                          "--retry-cap-ms", "200"});
  ASSERT_TRUE(WaitFor([&] { return job.StdoutSoFar().find("db_retry") != std::string::npos; }))
      << job.StdoutSoFar();
  server().Start();
  JobRun run = job.Wait();
  ASSERT_EQ(run.exit_code, 0) << run.AllOutput();
  ASSERT_EQ(run.Events("connected").size(), 1u);
  EXPECT_GT(Field(run.Events("connected")[0], "attempt"), 1);
  Reconnect();
  EXPECT_EQ(RunCount("succeeded"), 1);
  EXPECT_EQ(Summary(kTokyo, "2024-03-10", "2024-03-10"),
            Expected(kTokyo, "2024-03-10", "2024-03-10"));
}

TEST_F(RetryTest, ServerRestartInTheMiddleOfARunIsRetried) {
  InsertRandomEvents(Seed(), "2024-03-10 00:00+09", "1 day", 300);
  JobProcess job = Start({"--day", "2024-03-10", "--retry-attempts", "200", "--retry-base-ms", "50",
                          "--retry-cap-ms", "200"},
                         {{"SAMPLE_BATCH_TEST_HOLD_SECONDS", "3"}});
  ASSERT_TRUE(WaitFor([&] { return ServerRunning("pg_sleep"); })) << job.StdoutSoFar();
  server().Stop();  // the job's session is terminated in its open transaction
  server().Start();
  JobRun run = job.Wait();
  ASSERT_EQ(run.exit_code, 0) << run.AllOutput();
  ASSERT_GE(run.Events("db_retry").size(), 1u);
  EXPECT_NE(run.Events("db_retry")[0].find(R"("day":"2024-03-10")"), std::string::npos)
      << run.AllOutput();
  Reconnect();
  EXPECT_EQ(RunCount(), 1);
  EXPECT_EQ(Summary(kTokyo, "2024-03-10", "2024-03-10"),
            Expected(kTokyo, "2024-03-10", "2024-03-10"));
}

}  // namespace
}  // namespace batch_test
