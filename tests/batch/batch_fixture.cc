#include "batch_fixture.h"

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <random>

namespace batch_test {

std::unique_ptr<PgServer> BatchTest::server_;

void BatchTest::SetUpTestSuite() {
  if (!server_) server_ = std::make_unique<PgServer>();
}

void BatchTest::TearDownTestSuite() { server_.reset(); }

void BatchTest::SetUp() {
  ASSERT_TRUE(server_);
  server_->Start();  // a previous test may have stopped it
  {
    TestDb admin(server_->ConnInfo("postgres"));
    admin.Query(std::string("DROP DATABASE IF EXISTS ") + kDb + " WITH (FORCE)");
    admin.Query(std::string("CREATE DATABASE ") + kDb);
  }
  db_ = std::make_unique<TestDb>(server_->ConnInfo(kDb));
  JobRun init = Run({"--init-schema"});
  ASSERT_EQ(init.exit_code, 0) << init.AllOutput();
}

void BatchTest::TearDown() {
  db_.reset();
  if (HasFailure()) std::cerr << "---- server log ----\n" << server_->ServerLog() << "\n";
}

Env BatchTest::DbEnv() const {
  return {{"DB_HOST", "127.0.0.1"},
          {"DB_PORT", std::to_string(server_->port())},
          {"DB_NAME", kDb},
          {"DB_USER", PgServer::kUser},
          {"DB_PASSWORD", PgServer::kPassword}};
}

JobRun BatchTest::Run(const std::vector<std::string>& args, const Env& extra) {
  return Start(args, extra).Wait();
}

JobProcess BatchTest::Start(const std::vector<std::string>& args, const Env& extra) {
  Env env = DbEnv();
  for (const auto& [key, value] : extra) env[key] = value;
  return JobProcess(args, env);
}

void BatchTest::InsertRandomEvents(double seed, const std::string& start, const std::string& span,
                                   int count) {
  db_->Query("SELECT setseed($1::float8)", {std::to_string(seed)});
  db_->Query(
      "INSERT INTO events (occurred_at, category, amount) "
      "SELECT $1::timestamptz + random() * $2::interval, "
      "       (ARRAY['alpha','beta','gamma','delta','epsilon'])[1 + floor(random() * 5)::int], "
      "       CASE WHEN random() < 0.15 THEN NULL "
      "            ELSE round((random() * 2000 - 500)::numeric, 2) END "
      "FROM generate_series(1, $3::int)",
      {start, span, std::to_string(count)});
}

void BatchTest::InsertEvent(const std::string& occurred_at, const std::string& category,
                            const std::string& amount) {
  db_->Query(
      "INSERT INTO events (occurred_at, category, amount) "
      "VALUES ($1, $2, NULLIF($3, '')::numeric)",
      {occurred_at, category, amount});
}

std::string BatchTest::Summary(const std::string& zone, const std::string& from,
                               const std::string& to) {
  return Render(db_->Query(
      "SELECT day, category, event_count, amount_count, amount_sum, amount_min, amount_max "
      "FROM daily_category_summary WHERE time_zone = $1 AND day BETWEEN $2::date AND $3::date "
      "ORDER BY day, category",
      {zone, from, to}));
}

std::string BatchTest::Expected(const std::string& zone, const std::string& from,
                                const std::string& to) {
  return Render(db_->Query(
      "SELECT (occurred_at AT TIME ZONE $1)::date AS day, category, count(*), count(amount), "
      "       sum(amount), min(amount), max(amount) "
      "FROM events WHERE (occurred_at AT TIME ZONE $1)::date BETWEEN $2::date AND $3::date "
      "GROUP BY 1, 2 ORDER BY 1, 2",
      {zone, from, to}));
}

int64_t BatchTest::RunCount(const std::string& status) {
  return std::stoll(
      db_->Scalar("SELECT count(*) FROM batch_runs WHERE $1 = '' OR status = $1", {status}));
}

bool BatchTest::ServerRunning(const std::string& fragment) {
  return db_->Scalar(
             "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
             "AND state = 'active' AND strpos(query, $1) > 0",
             {fragment}) != "0";
}

bool BatchTest::JobConnected() {
  return db_->Scalar(
             "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sample-batch'") !=
         "0";
}

double BatchTest::Seed() {
  // Six decimals, so the printed seed is exactly the one used.
  int64_t micro;
  if (const char* fixed = std::getenv("BATCH_TEST_SEED")) {
    micro = std::llround(std::atof(fixed) * 1e6);
  } else {
    std::random_device device;
    micro = std::uniform_int_distribution<int64_t>(-1'000'000, 1'000'000)(device);
  }
  std::string text = std::to_string(static_cast<double>(micro) / 1e6);
  std::cerr << "random data seed (BATCH_TEST_SEED to replay): " << text << "\n";
  ::testing::Test::RecordProperty("seed", text);
  return static_cast<double>(micro) / 1e6;
}

}  // namespace batch_test
