// Logs: one JSON object per line with run id, job, day, rows and duration; no secret ever
// appears, whichever way the configuration is given and whatever fails.
#include <nlohmann/json.hpp>
#include <set>

#include "batch_fixture.h"

namespace batch_test {
namespace {

class LogsTest : public BatchTest {};

TEST_F(LogsTest, EveryLineIsOneJsonObjectWithRunIdAndJob) {
  InsertEvent("2024-03-10 12:00+09", "a", "1.50");
  JobRun run = Run({"--from", "2024-03-09", "--to", "2024-03-10", "--job", "nightly"});
  ASSERT_EQ(run.exit_code, 0) << run.AllOutput();
  EXPECT_EQ(run.stderr_text, "");
  ASSERT_GE(run.lines.size(), 5u);
  std::set<std::string> events;
  for (const std::string& line : run.lines) {
    nlohmann::json event = nlohmann::json::parse(line);  // throws (fails) on a non-JSON line
    ASSERT_TRUE(event.is_object()) << line;
    for (const char* key : {"ts", "level", "event", "run_id", "job"}) {
      EXPECT_TRUE(event.contains(key)) << key << " missing: " << line;
    }
    EXPECT_EQ(event["run_id"], run.RunId());
    EXPECT_EQ(event["job"], "nightly");
    events.insert(event["event"].get<std::string>());
    if (event["event"] == "day_succeeded") {
      for (const char* key : {"day", "rows_read", "rows_written", "rows_deleted", "duration_ms"}) {
        EXPECT_TRUE(event.contains(key)) << key << " missing: " << line;
      }
    }
  }
  EXPECT_EQ(events,
            (std::set<std::string>{"run_started", "connected", "day_succeeded", "run_finished"}));
  EXPECT_EQ(nlohmann::json::parse(run.Events("day_succeeded")[1])["rows_read"], 1);
}

TEST_F(LogsTest, NoSecretAppearsInAnyLineWhateverHappens) {
  const std::string wrong = "Wr0ng-Distinct!pw";
  const std::string port = std::to_string(server().port());
  const std::string url = "postgresql://postgres:" + PercentEncode(PgServer::kPassword) +
                          "@127.0.0.1:" + port + "/batch";
  const std::string secret = R"({"host":"127.0.0.1","port":)" + port +
                             R"(,"dbname":"batch","username":"postgres","password":")" +
                             PgServer::kPassword + R"("})";
  const std::string wrong_url =
      "postgresql://postgres:" + PercentEncode(wrong) + "@127.0.0.1:" + port + "/batch";
  Env wrong_password = DbEnv();
  wrong_password["DB_PASSWORD"] = wrong;
  Env wrong_secret = {{"DB_SECRET", R"({"host":"127.0.0.1","port":)" + port +
                                        R"(,"dbname":"batch","username":"postgres",)"
                                        R"("password":")" +
                                        wrong + R"("})"}};
  // Values swapped in a task definition put the password where messages quote values.
  Env swapped_user = DbEnv();
  swapped_user["DB_USER"] = wrong;
  swapped_user["DB_PASSWORD"] = wrong;
  Env swapped_port = DbEnv();
  swapped_port["DB_PORT"] = wrong;
  swapped_port["DB_PASSWORD"] = wrong;
  const std::vector<std::string> day = {"--day", "2024-03-10"};
  const std::vector<std::string> quick_retries = {"--day", "2024-03-10",      "--retry-attempts",
                                                  "2",     "--retry-base-ms", "10"};
  struct Case {
    std::string name;
    Env env;
    std::vector<std::string> args;
    int exit_code;
  };
  std::vector<Case> cases = {
      {"DB_* ok", DbEnv(), day, 0},
      {"DB_SECRET ok", {{"DB_SECRET", secret}}, day, 0},
      {"DATABASE_URL ok", {{"DATABASE_URL", url}}, day, 0},
      {"DB_* wrong password", wrong_password, day, 78},
      {"DB_SECRET wrong password", wrong_secret, day, 78},
      {"DB_USER = DB_PASSWORD", swapped_user, day, 78},
      {"DB_PORT = DB_PASSWORD", swapped_port, day, 78},
      {"DATABASE_URL wrong password", {{"DATABASE_URL", wrong_url}}, day, 78},
      {"DATABASE_URL malformed",
       {{"DATABASE_URL", "postgresql://postgres:" + wrong + "%zz@127.0.0.1:" + port + "/b"}},
       day,
       78},
      {"DATABASE_URL bad option", {{"DATABASE_URL", wrong_url + "?" + wrong + "=1"}}, day, 78},
      {"DB_SECRET malformed", {{"DB_SECRET", R"({"password":")" + wrong + R"(",)"}}, day, 78},
      {"DB_SECRET password wrong type",
       {{"DB_SECRET",
         R"({"host":"h","dbname":"d","username":"u","password":[")" + wrong + R"("]})"}},
       day,
       78},
      {"server down, DATABASE_URL",
       {{"DATABASE_URL", "postgresql://postgres:" + PercentEncode(wrong) + "@127.0.0.1:1/batch"}},
       quick_retries,
       69},
  };
  const std::vector<std::string> secrets = {PgServer::kPassword, PercentEncode(PgServer::kPassword),
                                            wrong, PercentEncode(wrong)};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    JobRun run = RunJob(c.args, c.env);
    EXPECT_EQ(run.exit_code, c.exit_code) << run.AllOutput();
    EXPECT_FALSE(run.lines.empty());
    for (const std::string& secret : secrets) {
      EXPECT_EQ(run.AllOutput().find(secret), std::string::npos)
          << "secret '" << secret << "' in:\n"
          << run.AllOutput();
    }
  }
  const std::string stored = Render(db().Query("SELECT * FROM batch_runs"));
  for (const std::string& secret : secrets) EXPECT_EQ(stored.find(secret), std::string::npos);
}

}  // namespace
}  // namespace batch_test
