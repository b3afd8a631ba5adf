#include "options.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <vector>

#include "exit_codes.h"

namespace batch {
namespace {

ParsedArgs Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "sample-batch");
  return ParseArgs(static_cast<int>(args.size()), args.data());
}

void ExpectUsageError(std::vector<const char*> args, const std::string& fragment) {
  ParsedArgs parsed = Parse(args);
  EXPECT_FALSE(parsed.options);
  EXPECT_EQ(parsed.exit_code, static_cast<int>(ExitCode::kUsage));
  EXPECT_NE(parsed.message.find(fragment), std::string::npos) << parsed.message;
}

TEST(Options, DefaultsToYesterdayInTokyo) {
  ParsedArgs parsed = Parse({});
  ASSERT_TRUE(parsed.options);
  EXPECT_FALSE(parsed.options->from);
  EXPECT_EQ(parsed.options->time_zone, "Asia/Tokyo");
  EXPECT_EQ(parsed.options->job, "sample-batch");
  EXPECT_FALSE(parsed.options->dry_run);
  EXPECT_EQ(parsed.options->retry.attempts, 6);
}

TEST(Options, DaySetsASingleDayRange) {
  ParsedArgs parsed = Parse({"--day", "2024-03-10", "--dry-run", "--tz", "UTC"});
  ASSERT_TRUE(parsed.options);
  EXPECT_EQ(FormatDay(*parsed.options->from), "2024-03-10");
  EXPECT_EQ(FormatDay(*parsed.options->to), "2024-03-10");
  EXPECT_TRUE(parsed.options->dry_run);
  EXPECT_EQ(parsed.options->time_zone, "UTC");
}

TEST(Options, FromToSetsABackfillRange) {
  ParsedArgs parsed = Parse({"--from", "2024-02-27", "--to", "2024-03-02"});
  ASSERT_TRUE(parsed.options);
  EXPECT_EQ(FormatDay(*parsed.options->from), "2024-02-27");
  EXPECT_EQ(FormatDay(*parsed.options->to), "2024-03-02");
}

TEST(Options, RejectsBadRangesAndDates) {
  ExpectUsageError({"--day", "2024-02-30"}, "YYYY-MM-DD");
  ExpectUsageError({"--from", "2024-03-02"}, "--to");
  ExpectUsageError({"--to", "2024-03-02"}, "--from");
  ExpectUsageError({"--day", "2024-03-02", "--from", "2024-03-01", "--to", "2024-03-03"},
                   "excludes");
  ExpectUsageError({"--from", "2024-03-02", "--to", "2024-03-01"}, "after");
  ExpectUsageError({"--from", "2000-01-01", "--to", "2024-03-01"}, "spans more than");
  ExpectUsageError({"--retry-attempts", "0"}, "--retry-attempts");
  ExpectUsageError({"--bogus"}, "--bogus");
  ExpectUsageError({"--tz", ""}, "--tz");
}

TEST(Options, RetrySettingsFromFlagsAndCapNeverBelowBase) {
  ParsedArgs parsed = Parse({"--retry-attempts", "3", "--retry-base-ms", "200", "--retry-cap-ms",
                             "50", "--statement-timeout-ms", "0"});
  ASSERT_TRUE(parsed.options);
  EXPECT_EQ(parsed.options->retry.attempts, 3);
  EXPECT_EQ(parsed.options->retry.base.count(), 200);
  EXPECT_EQ(parsed.options->retry.cap.count(), 200);
  EXPECT_EQ(parsed.options->statement_timeout_ms, 0);
}

TEST(Options, EnvironmentFallbacksApplyWhenFlagsAreAbsent) {
  setenv("BATCH_TIME_ZONE", "Europe/Paris", 1);
  setenv("BATCH_RETRY_ATTEMPTS", "9", 1);
  ParsedArgs from_env = Parse({});
  ParsedArgs flag_wins = Parse({"--tz", "UTC"});
  unsetenv("BATCH_TIME_ZONE");
  unsetenv("BATCH_RETRY_ATTEMPTS");
  ASSERT_TRUE(from_env.options);
  EXPECT_EQ(from_env.options->time_zone, "Europe/Paris");
  EXPECT_EQ(from_env.options->retry.attempts, 9);
  ASSERT_TRUE(flag_wins.options);
  EXPECT_EQ(flag_wins.options->time_zone, "UTC");
}

TEST(Options, HelpExitsZero) {
  ParsedArgs parsed = Parse({"--help"});
  EXPECT_FALSE(parsed.options);
  EXPECT_EQ(parsed.exit_code, 0);
  EXPECT_NE(parsed.message.find("--dry-run"), std::string::npos);
  EXPECT_NE(parsed.message.find("BATCH_RETRY_ATTEMPTS"), std::string::npos);
}

TEST(Options, TheShippingCommandLineHasNoTestSwitch) {
  // Tests hold transactions open through JobHooks in their own binary (test_job_main.cc).
  ExpectUsageError({"--test-hold-seconds", "1"}, "test-hold-seconds");
}

TEST(Options, YearsOutsideOneToNineThousandNineHundredNinetyNineAreUsageErrors) {
  ExpectUsageError({"--day", "0000-01-01"}, "0001-9999");
  ExpectUsageError({"--from", "0000-12-31", "--to", "0001-01-01"}, "0001-9999");
}

TEST(Options, InvalidUtf8InTheZoneOrJobIsAUsageError) {
  ExpectUsageError({"--tz", "Asia/\xff"}, "--tz (or BATCH_TIME_ZONE) is not valid UTF-8");
  ExpectUsageError({"--job", "n\xc3"}, "--job (or BATCH_JOB_NAME) must be non-empty valid UTF-8");
  ParsedArgs ok = Parse({"--job",
                         "n\xc3\xa4"
                         "chtlich"});
  EXPECT_TRUE(ok.options);
}

}  // namespace
}  // namespace batch
