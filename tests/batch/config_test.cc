// Configuration from the environment, end to end against the server: each source connects, and
// each kind of bad configuration gets a clear message and its exit code without retries.
#include "batch_fixture.h"

namespace batch_test {
namespace {

class ConfigTest : public BatchTest {
 protected:
  // Runs with exactly `env` (no DB_* defaults) for 2024-03-10.
  JobRun RunWith(const Env& env, std::vector<std::string> args = {"--day", "2024-03-10"}) {
    return RunJob(args, env);
  }

  std::string SecretJson() const {
    return R"({"engine":"postgres","host":"127.0.0.1","port":)" + std::to_string(server().port()) +
           R"(,"dbname":"batch","username":"postgres",)" + R"("password":")" + PgServer::kPassword +
           R"("})";
  }

  // Runs with DbEnv() changed by `overrides`; expects exit 78 and a db_rejected line with
  // `fragment`, after a single connection attempt.
  void ExpectRejected(const Env& overrides, const std::string& fragment) {
    Env env = DbEnv();
    for (const auto& [key, value] : overrides) env[key] = value;
    JobRun run = RunWith(env);
    EXPECT_EQ(run.exit_code, 78) << run.AllOutput();
    ExpectEvent(run, "db_rejected", fragment);
  }

  void ExpectEvent(const JobRun& run, const std::string& event, const std::string& fragment) {
    ASSERT_EQ(run.Events(event).size(), 1u) << run.AllOutput();
    EXPECT_NE(run.Events(event)[0].find(fragment), std::string::npos) << run.Events(event)[0];
    EXPECT_TRUE(run.Events("db_retry").empty()) << "permanent failure retried";
  }
};

TEST_F(ConfigTest, SecretJsonAloneConnects) {
  JobRun run = RunWith({{"DB_SECRET", SecretJson()}});
  EXPECT_EQ(run.exit_code, 0) << run.AllOutput();
  EXPECT_NE(run.Events("run_started")[0].find("source=DB_SECRET"), std::string::npos);
}

TEST_F(ConfigTest, DatabaseUrlConnectsAndTakesPrecedence) {
  JobRun run =
      RunWith({{"DATABASE_URL", "postgresql://postgres:" + PercentEncode(PgServer::kPassword) +
                                    "@127.0.0.1:" + std::to_string(server().port()) +
                                    "/batch?sslmode=disable"},
               {"DB_HOST", "no-such-host.invalid"}});
  EXPECT_EQ(run.exit_code, 0) << run.AllOutput();
  ExpectEvent(run, "config_ignored", R"("variables":"DB_HOST")");
}

TEST_F(ConfigTest, NothingConfiguredExits78) {
  JobRun run = RunWith({});
  EXPECT_EQ(run.exit_code, 78) << run.AllOutput();
  ExpectEvent(run, "config_error", "no database configuration: set DATABASE_URL, DB_SECRET");
  EXPECT_TRUE(run.Events("connected").empty());
}

TEST_F(ConfigTest, MalformedSecretExits78) {
  JobRun run = RunWith({{"DB_SECRET", R"({"username": "postgres", "password": )"}});
  EXPECT_EQ(run.exit_code, 78) << run.AllOutput();
  ExpectEvent(run, "config_error", "DB_SECRET is not valid JSON");
}

TEST_F(ConfigTest, RejectedCredentialsOrDatabaseExit78WithoutRetrying) {
  ExpectRejected({{"DB_PASSWORD", "not-the-password"}}, "password authentication failed for user");
  ExpectRejected({{"DB_NAME", "nosuchdb"}}, R"(database \"nosuchdb\" does not exist)");
}

TEST_F(ConfigTest, PgsslmodeIsHonoured) {
  ExpectRejected({{"PGSSLMODE", "require"}}, "server does not support SSL");  // no TLS here
  ExpectRejected({{"PGSSLMODE", "bogus"}}, "sslmode");
  Env env = DbEnv();
  env["PGSSLMODE"] = "disable";
  EXPECT_EQ(RunWith(env).exit_code, 0);
}

TEST_F(ConfigTest, UsageErrorsExit64) {
  JobRun bad_day = RunWith(DbEnv(), {"--day", "2024-02-30"});
  EXPECT_EQ(bad_day.exit_code, 64);
  ExpectEvent(bad_day, "usage_error", "--day: expected a date YYYY-MM-DD");
  EXPECT_NE(bad_day.stderr_text.find("--day"), std::string::npos);

  JobRun bad_zone = RunWith(DbEnv(), {"--day", "2024-03-10", "--tz", "Mars/Olympus"});
  EXPECT_EQ(bad_zone.exit_code, 64) << bad_zone.AllOutput();
  ExpectEvent(bad_zone, "invalid_time_zone", R"(time zone \"Mars/Olympus\" not recognized)");
  EXPECT_EQ(RunCount(), 0);
}

}  // namespace
}  // namespace batch_test
