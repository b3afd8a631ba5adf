#ifndef TESTS_BATCH_BATCH_FIXTURE_H_
#define TESTS_BATCH_BATCH_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "job_process.h"
#include "pg_server.h"

namespace batch_test {

// Base of the server tests. One PgServer per test process (CTest runs each test in its own
// process, so parallel tests never share a server, port or directory); each test gets a fresh
// database "batch" whose schema `sample-batch --init-schema` created.
class BatchTest : public ::testing::Test {
 protected:
  static constexpr char kTokyo[] = "Asia/Tokyo";
  static constexpr char kDb[] = "batch";

  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;
  void TearDown() override;

  PgServer& server() const { return *server_; }
  TestDb& db() { return *db_; }
  // A new verification connection, after the server was restarted.
  void Reconnect() { db_ = std::make_unique<TestDb>(server_->ConnInfo(kDb)); }
  // DB_HOST/DB_PORT/DB_NAME/DB_USER/DB_PASSWORD of database "batch".
  Env DbEnv() const;
  // Runs sample-batch with DbEnv() plus `extra`.
  JobRun Run(const std::vector<std::string>& args, const Env& extra = {});
  JobProcess Start(const std::vector<std::string>& args, const Env& extra = {});

  // Inserts `count` events at random instants of [start, start + span), in five categories,
  // with ~15% NULL amounts; the server's generator is seeded with `seed` (in [-1, 1]).
  void InsertRandomEvents(double seed, const std::string& start, const std::string& span,
                          int count);
  // An empty `amount` inserts NULL.
  void InsertEvent(const std::string& occurred_at, const std::string& category,
                   const std::string& amount);
  // The figures in daily_category_summary for [from, to] in `zone`, one line per row:
  // day|category|event_count|amount_count|amount_sum|amount_min|amount_max
  std::string Summary(const std::string& zone, const std::string& from, const std::string& to);
  // The same figures computed independently from events, by converting each instant to the
  // zone's local date (not the range predicate the job uses).
  std::string Expected(const std::string& zone, const std::string& from, const std::string& to);
  // Rows of batch_runs with `status` (any status when empty).
  int64_t RunCount(const std::string& status = "");
  // Whether some connection other than ours is running a statement containing `fragment`.
  bool ServerRunning(const std::string& fragment);
  // Whether a sample-batch session is still connected.
  bool JobConnected();
  // A seed for InsertRandomEvents: BATCH_TEST_SEED if set, else random; printed for replay.
  static double Seed();

 private:
  static std::unique_ptr<PgServer> server_;
  std::unique_ptr<TestDb> db_;
};

}  // namespace batch_test

#endif  // TESTS_BATCH_BATCH_FIXTURE_H_
