#include "json_log.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <regex>
#include <sstream>

namespace batch {
namespace {

class JsonLogTest : public ::testing::Test {
 protected:
  JsonLogTest()
      : log_("run-1", "job-a", &redactor_, std::make_shared<spdlog::sinks::ostream_sink_st>(out_)) {
  }

  std::stringstream out_;
  Redactor redactor_;
  Log log_;
};

TEST_F(JsonLogTest, WritesOneJsonObjectPerLineWithTimestampLevelRunAndJob) {
  log_.Info(Event("day_succeeded").Str("day", "2024-03-10").Int("rows_read", 42).Bool("x", true));
  log_.Error(Event("lock_held"));
  std::string first, second, rest;
  std::getline(out_, first);
  std::getline(out_, second);
  EXPECT_FALSE(std::getline(out_, rest));
  EXPECT_TRUE(std::regex_match(
      first,
      std::regex(R"(\{"ts":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z","level":"info",)"
                 R"("event":"day_succeeded","run_id":"run-1","job":"job-a","day":"2024-03-10",)"
                 R"("rows_read":42,"x":true\})")))
      << first;
  EXPECT_NE(second.find(R"("level":"error","event":"lock_held")"), std::string::npos) << second;
}

TEST_F(JsonLogTest, EscapesStringsSoEveryEventStaysOnOneLine) {
  log_.Warn(Event("e").Str("error", "line1\nline2 \"quoted\" back\\slash \t\x01"));
  std::string line;
  std::getline(out_, line);
  EXPECT_NE(line.find(R"("error":"line1\nline2 \"quoted\" back\\slash \t\u0001")"),
            std::string::npos)
      << line;
  EXPECT_NE(line.find(R"("level":"warning")"), std::string::npos) << line;
}

TEST_F(JsonLogTest, ScrubsSecretsFromEveryStringField) {
  redactor_.Add("s3cr3t");
  log_.set_job("job-s3cr3t");
  log_.Error(Event("config_error").Str("error", "password s3cr3t rejected").Str("user", "s3cr3t"));
  EXPECT_EQ(out_.str().find("s3cr3t"), std::string::npos) << out_.str();
}

TEST(NewRunId, IsARandomVersion4Uuid) {
  std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::string a = NewRunId(), b = NewRunId();
  EXPECT_TRUE(std::regex_match(a, uuid)) << a;
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace batch
