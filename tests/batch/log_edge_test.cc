// Log lines at their edges: short secrets mask values, never keys or the program's own texts;
// invalid UTF-8 anywhere still gives valid JSON.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "json_log.h"

namespace batch {
namespace {

class LogEdgeTest : public ::testing::Test {
 protected:
  LogEdgeTest()
      : log_("run-1", "job-a", &redactor_, std::make_shared<spdlog::sinks::ostream_sink_st>(out_)) {
  }

  std::string Line() {
    std::string line;
    std::getline(out_, line);
    return line;
  }

  std::stringstream out_;
  Redactor redactor_;
  Log log_;
};

TEST_F(LogEdgeTest, AShortSecretMasksWholeValuesButNeverKeysOrFixedTexts) {
  redactor_.Add("day");
  log_.Info(Event("days_done")
                .Str("day", "2024-03-10")
                .Str("error", "cannot compute yesterday")
                .Fixed("detail", "stopped before starting a day")
                .Int("days_done", 1));
  nlohmann::json line = nlohmann::json::parse(Line());
  EXPECT_EQ(line["event"], "days_done");
  EXPECT_EQ(line["day"], "2024-03-10");
  EXPECT_EQ(line["error"], "***");  // masked whole: where "day" was is not shown
  EXPECT_EQ(line["detail"], "stopped before starting a day");
  EXPECT_EQ(line["days_done"], 1);
}

TEST_F(LogEdgeTest, LongSecretsAreMaskedInsideValuesOnly) {
  redactor_.Add("rows_read");  // a password that happens to be a key
  log_.Info(Event("e").Int("rows_read", 3).Str("error", "bad rows_read here"));
  nlohmann::json line = nlohmann::json::parse(Line());
  EXPECT_EQ(line["rows_read"], 3);
  EXPECT_EQ(line["error"], "bad *** here");
}

TEST_F(LogEdgeTest, InvalidUtf8BecomesReplacementCharacters) {
  const std::string bad[] = {"\xff",           "a\x80z",           "\xc0\xaf",
                             "\xed\xa0\x80",   "\xf4\x90\x80\x80", "\xe3\x81",
                             "ok \xe3\x81\x82"};
  for (const std::string& value : bad) {
    log_.set_job(value);
    log_.Warn(Event("e").Str("time_zone", value).Fixed("f", value));
    std::string text = Line();
    nlohmann::json line;
    ASSERT_NO_THROW(line = nlohmann::json::parse(text)) << text;
    EXPECT_EQ(line["time_zone"], line["job"]);
  }
  std::string out;
  AppendJsonString(out, "a\x80z \xe3\x81\x82");
  EXPECT_EQ(out, "\"a\xef\xbf\xbdz \xe3\x81\x82\"");  // U+FFFD, then the valid character
}

}  // namespace
}  // namespace batch
