// End to end at the edges of the input: URLs libpq would split inside the password, bytes that
// are not UTF-8, impossible years, and whether the connection is encrypted.
#include <nlohmann/json.hpp>

#include "batch_fixture.h"

namespace batch_test {
namespace {

class EdgesTest : public BatchTest {
 protected:
  // Every stdout line parses as one JSON object.
  static void ExpectJsonLines(const JobRun& run) {
    EXPECT_FALSE(run.lines.empty());
    for (const std::string& line : run.lines) {
      EXPECT_NO_THROW(nlohmann::json::parse(line)) << line;
    }
  }
};

TEST_F(EdgesTest, AnUnencodedDelimiterInTheUrlPasswordIsRefusedQuotingNothing) {
  const std::string port = std::to_string(server().port());
  for (const std::string password : {"Qx@Zj/9k", "Qx/Zj@9k", "Qx:Zj#9k", "Qx?Zj:9k"}) {
    SCOPED_TRACE(password);
    JobRun run = RunJob(
        {"--day", "2024-03-10"},
        {{"DATABASE_URL", "postgresql://postgres:" + password + "@127.0.0.1:" + port + "/batch"}});
    EXPECT_EQ(run.exit_code, 78) << run.AllOutput();
    ASSERT_EQ(run.Events("config_error").size(), 1u) << run.AllOutput();
    EXPECT_NE(run.Events("config_error")[0].find("percent-encode"), std::string::npos);
    for (const char* fragment : {"Qx", "Zj", "9k"}) {
      EXPECT_EQ(run.AllOutput().find(fragment), std::string::npos) << fragment << " in\n"
                                                                   << run.AllOutput();
    }
    EXPECT_TRUE(run.Events("run_started").empty());
  }
}

TEST_F(EdgesTest, LogsStayValidJsonWhateverBytesTheInputsHold) {
  JobRun bad_job = Run({"--day", "2024-03-10", "--job", "nightly\xff"});
  EXPECT_EQ(bad_job.exit_code, 64) << bad_job.AllOutput();
  ExpectJsonLines(bad_job);
  JobRun bad_zone = Run({"--day", "2024-03-10"}, {{"BATCH_TIME_ZONE", "Asia/\xe3\x81"}});
  EXPECT_EQ(bad_zone.exit_code, 64) << bad_zone.AllOutput();
  ExpectJsonLines(bad_zone);
  // The server quotes the user name in its refusal.
  JobRun bad_user = Run({"--day", "2024-03-10"}, {{"DB_USER", "us\xc0\xafr"}});
  EXPECT_EQ(bad_user.exit_code, 78) << bad_user.AllOutput();
  ExpectJsonLines(bad_user);
  JobRun bad_secret =
      RunJob({"--day", "2024-03-10"}, {{"DB_SECRET", "{\"host\":\"h\xff\",\"dbname\":\"d\"}"}});
  EXPECT_EQ(bad_secret.exit_code, 78) << bad_secret.AllOutput();
  ExpectJsonLines(bad_secret);
}

TEST_F(EdgesTest, YearsOutsideTheCalendarAreUsageErrorsBeforeConnecting) {
  for (const char* day : {"0000-01-01", "0000-12-31"}) {
    JobRun run = Run({"--day", day});
    EXPECT_EQ(run.exit_code, 64) << run.AllOutput();
    EXPECT_TRUE(run.Events("connected").empty());
    ExpectJsonLines(run);
  }
  JobRun first_year = Run({"--day", "0001-01-01", "--tz", "UTC"});
  EXPECT_EQ(first_year.exit_code, 0) << first_year.AllOutput();
}

TEST_F(EdgesTest, NulInTheSecretIsAConfigurationError) {
  const std::string port = std::to_string(server().port());
  JobRun run = RunJob({"--day", "2024-03-10"},
                      {{"DB_SECRET", R"({"host":"127.0.0.1","port":)" + port +
                                         R"(,"dbname":"batch\u0000x","username":"postgres",)"
                                         R"("password":")" +
                                         PgServer::kPassword + R"("})"}});
  EXPECT_EQ(run.exit_code, 78) << run.AllOutput();
  ASSERT_EQ(run.Events("config_error").size(), 1u) << run.AllOutput();
  EXPECT_NE(run.Events("config_error")[0].find("contains a NUL character"), std::string::npos);
  EXPECT_TRUE(run.Events("connected").empty());
}

TEST_F(EdgesTest, TheConnectedEventSaysWhetherTlsIsInUse) {
  JobRun run = Run({"--day", "2024-03-10"});
  ASSERT_EQ(run.exit_code, 0) << run.AllOutput();
  ASSERT_EQ(run.Events("connected").size(), 1u);
  nlohmann::json connected = nlohmann::json::parse(run.Events("connected")[0]);
  EXPECT_EQ(connected["tls"], false);  // the test server has no certificate
  EXPECT_EQ(connected["level"], "warning");
  EXPECT_EQ(connected["sslmode_default"], "prefer");  // 127.0.0.1 is local
}

}  // namespace
}  // namespace batch_test
