// Tests for the EventBridge rule schedule expression checker (compiler/schedule.h).
#include "schedule.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace orchc {
namespace {

// Renders all issues as "offset+length: message" lines so a test states the exact diagnostics.
std::string Check(std::string_view expr) {
  std::string r;
  for (const ScheduleIssue& i : CheckScheduleExpression(expr)) {
    r += std::to_string(i.offset) + "+" + std::to_string(i.length) + ": " + i.message + "\n";
  }
  return r;
}

// --- valid expressions ----------------------------------------------------------------------

TEST(ScheduleTest, AcceptsDocumentedCronExamples) {
  for (const char* expr : {
           "cron(0 10 * * ? *)",
           "cron(15 12 * * ? *)",
           "cron(0 18 ? * MON-FRI *)",
           "cron(0 8 1 * ? *)",
           "cron(0/15 * * * ? *)",
           "cron(0/10 * ? * MON-FRI *)",
           "cron(0/5 8-17 ? * MON-FRI *)",
           "cron(0 9 ? * 2#1 *)",
           "cron(0 17 * * ? *)",
           "cron(0 0 L * ? *)",
           "cron(0 0 ? * 6L *)",
           "cron(0 0 15W * ? *)",
           "cron(1/10 * * * ? *)",
           "cron(0 10 * JAN,FEB,MAR ? *)",
           "cron(0 10 1-15 * ? *)",
           "cron(0 10 ? * 3#2 *)",
           "cron(0 12 * * ? 1970)",
           "cron(0 12 * * ? 2199)",
       }) {
    EXPECT_EQ(Check(expr), "") << expr;
  }
}

TEST(ScheduleTest, AcceptsOtherValidCronForms) {
  for (const char* expr : {
           "cron(59 23 31 12 ? *)",
           "cron(0 0 ? jan,Feb mon-fri 2024-2026/2)",
           "cron(0 0 ? * L *)",
           "cron(0 0 ? * SATL *)",
           "cron(0 0 15w * ? *)",
           "cron(0 0 ? * sun#5 *)",
           "cron(5-55/10 */2 1/2 */3 ? *)",
           "cron(00 07 * * ? *)",
           "cron(0,15,30,45 * * * ? *)",
           "cron(0 0 ? DEC 1-7 *)",
           "cron(0 0 * * ? */5)",
           "cron(0/60 0/24 1/31 1/12 ? 1970/230)",
           "cron(0 0 ? * 7 *)",
           "cron(0 0 31 1-12 ? *)",
       }) {
    EXPECT_EQ(Check(expr), "") << expr;
  }
}

TEST(ScheduleTest, AcceptsDocumentedRateExamples) {
  for (const char* expr : {"rate(1 minute)", "rate(5 minutes)", "rate(1 hour)", "rate(12 hours)",
                           "rate(1 day)", "rate(7 days)", "rate(2147483647 minutes)"}) {
    EXPECT_EQ(Check(expr), "") << expr;
  }
}

TEST(ScheduleTest, FillsScheduleForCron) {
  Schedule s;
  ASSERT_TRUE(CheckScheduleExpression("cron(0/5 8-17 ? * MON-FRI *)", &s).empty());
  EXPECT_EQ(s.kind, ScheduleKind::kCron);
  EXPECT_EQ(s.cron_fields, (std::vector<std::string>{"0/5", "8-17", "?", "*", "MON-FRI", "*"}));
}

TEST(ScheduleTest, FillsScheduleForRate) {
  Schedule s;
  ASSERT_TRUE(CheckScheduleExpression("rate(12 hours)", &s).empty());
  EXPECT_EQ(s.kind, ScheduleKind::kRate);
  EXPECT_EQ(s.rate_value, 12);
  EXPECT_EQ(s.rate_unit, "hours");
}

TEST(ScheduleTest, LeavesScheduleUntouchedWhenInvalid) {
  Schedule s;
  s.rate_value = 42;
  EXPECT_FALSE(CheckScheduleExpression("rate(1 minutes)", &s).empty());
  EXPECT_FALSE(CheckScheduleExpression("cron(0 10 * * * *)", &s).empty());
  EXPECT_FALSE(CheckScheduleExpression(" rate(5 minutes)", &s).empty());
  EXPECT_EQ(s.rate_value, 42);
  EXPECT_TRUE(s.cron_fields.empty());
}

// --- invalid expressions: exact diagnostics -------------------------------------------------

struct Case {
  const char* expr;
  std::string want;
};

void ExpectCases(const std::vector<Case>& cases) {
  for (const Case& c : cases) EXPECT_EQ(Check(c.expr), c.want) << c.expr;
}

TEST(ScheduleTest, WrapperErrors) {
  ExpectCases({
      {"", "0+0: schedule expression is empty; write 'cron(...)' or 'rate(...)'\n"},
      {"  ", "0+2: schedule expression is blank; write 'cron(...)' or 'rate(...)'\n"},
      {" cron(0 10 * * ? *)\t",
       "0+1: unexpected whitespace before the schedule expression; remove it\n"
       "19+1: unexpected whitespace after the schedule expression; remove it\n"},
      {"cron( 0 10 * * ? * )",
       "5+1: unexpected space after 'cron('; remove it\n"
       "18+1: unexpected space before ')'; remove it\n"},
      {"cron (0 10 * * ? *)", "4+1: unexpected space between 'cron' and '('; remove it\n"},
      {"CRON(0 10 * * ? *)", "0+4: 'CRON' must be lowercase: 'cron'\n"},
      {"cron(0 10 * * ? *", "17+0: missing ')' at the end of the cron expression\n"},
      {"cron(0 10 * * ? *) x", "19+1: unexpected text after ')'; remove it\n"},
      {"cron(0 10 * * ? *))", "17+1: unexpected character ')' in year\n"},
      {"cron()",
       "4+2: cron() is empty; it needs 6 fields (minutes hours day-of-month month day-of-week "
       "year), e.g. 'cron(0 10 * * ? *)'\n"},
      {"cron", "4+0: expected '(' after 'cron'; write 'cron(...)'\n"},
      {"rate()", "4+2: rate() is empty; it needs a value and a unit, e.g. 'rate(5 minutes)'\n"},
      {"at(2022-11-20T13:00:00)",
       "0+23: 'at()' one-time schedules exist only in EventBridge Scheduler, not in EventBridge "
       "rules; a rule schedule is 'cron(...)' or 'rate(...)'\n"},
      {"every 5 minutes",
       "0+5: 'every' is not a schedule type; a rule schedule must be 'cron(...)' or 'rate(...)'\n"},
      {"0 10 * * ? *",
       "0+12: a rule schedule must be 'cron(...)' or 'rate(...)'; wrap cron fields as "
       "'cron(0 10 * * ? *)'\n"},
  });
}

TEST(ScheduleTest, FieldCountAndSeparators) {
  ExpectCases({
      {"cron(0 10 * * ?)",
       "5+10: cron() needs 6 fields (minutes hours day-of-month month day-of-week year), got 5; "
       "EventBridge cron has a year field: add '*' at the end\n"},
      {"cron(0 0 10 * * ? *)",
       "5+14: cron() needs 6 fields (minutes hours day-of-month month day-of-week year), got 7; "
       "EventBridge cron has no seconds field: remove the first field if it is seconds\n"},
      {"cron(0 10)",
       "5+4: cron() needs 6 fields (minutes hours day-of-month month day-of-week year), got 2\n"},
      {"cron(0  10 * * ? *)", "6+2: cron fields must be separated by a single space\n"},
      {"cron(0\t10 * * ? *)", "6+1: cron fields must be separated by a single space\n"},
  });
}

TEST(ScheduleTest, DayOfMonthDayOfWeekExclusion) {
  ExpectCases({
      {"cron(0 10 * * * *)",
       "14+1: day-of-month and day-of-week can't both be '*'; replace the day-of-week '*' with "
       "'?' to run every day\n"},
      {"cron(0 10 ? * ? *)",
       "10+1: day-of-month and day-of-week can't both be '?'; replace one of them, e.g. '*' in "
       "day-of-month to run every day\n"},
      {"cron(0 10 1 * MON *)",
       "14+3: day-of-month and day-of-week can't both be set; replace the one you don't need "
       "with '?'\n"},
      {"cron(0 10 * * MON *)",
       "10+1: day-of-month must be '?' when day-of-week is set; replace '*' with '?'\n"},
      {"cron(0 10 1 * * *)",
       "14+1: day-of-week must be '?' when day-of-month is set; replace '*' with '?'\n"},
      // A misplaced '?' is reported once, without a follow-up exclusion error.
      {"cron(0 10 1-5,? * ? *)",
       "14+1: '?' must be the whole day-of-month field, not part of a list, range or step\n"},
  });
}

TEST(ScheduleTest, OutOfRangeValuesAreAllReported) {
  ExpectCases({
      {"cron(60 24 32 13 ? 2200)",
       "5+2: minute 60 is out of range 0-59\n"
       "8+2: hour 24 is out of range 0-23\n"
       "11+2: day-of-month 32 is out of range 1-31\n"
       "14+2: month 13 is out of range 1-12\n"
       "19+4: year 2200 is out of range 1970-2199\n"},
      {"cron(0 10 * * ? 1969)", "16+4: year 1969 is out of range 1970-2199\n"},
      {"cron(0 10 0 * ? *)", "10+1: day-of-month 0 is out of range 1-31\n"},
      {"cron(0 10 ? * 0 *)", "14+1: day-of-week 0 is out of range 1-7 (1 is SUN, 7 is SAT)\n"},
      {"cron(0 10 * * ? 99999999999999999999)",
       "16+20: year 99999999999999999999 is out of range 1970-2199\n"},
      {"cron(1,99 10 * * ? *)", "7+2: minute 99 is out of range 0-59\n"},
  });
}

TEST(ScheduleTest, NamesAndValues) {
  ExpectCases({
      {"cron(0 10 * MON ? *)",
       "12+3: 'MON' is a day of the week, not a month; month takes 1-12 or JAN-DEC\n"},
      {"cron(0 10 ? * JAN *)",
       "14+3: 'JAN' is a month, not a day of the week; day-of-week takes 1-7 or SUN-SAT\n"},
      {"cron(0 10 ? * MONDAY *)",
       "14+6: 'MONDAY' is not a valid day-of-week; use 1-7 or SUN-SAT\n"},
      {"cron(0 10 * APRIL ? *)", "12+5: 'APRIL' is not a valid month; use 1-12 or JAN-DEC\n"},
      {"cron(x 10 * * ? *)", "5+1: 'x' is not a valid minute; use 0-59\n"},
      {"cron(0 1\xc3\xa9 * * ? *)", "8+2: unexpected character '\\xc3\\xa9' in hours\n"},
      {"cron(0 1; * * ? *)", "8+1: unexpected character ';' in hours\n"},
  });
}

TEST(ScheduleTest, RangesListsAndSteps) {
  ExpectCases({
      {"cron(0 10 ? * FRI-MON *)",
       "14+7: range FRI-MON in day-of-week goes backwards and EventBridge ranges don't wrap "
       "around; write 'FRI-SAT,SUN-MON'\n"},
      {"cron(0 22-2 * * ? *)",
       "7+4: range 22-2 in hours goes backwards and EventBridge ranges don't wrap around; write "
       "'22-23,0-2'\n"},
      {"cron(0 10 * APR-JAN ? *)",
       "12+7: range APR-JAN in month goes backwards and EventBridge ranges don't wrap around; "
       "write 'APR-DEC,JAN'\n"},
      {"cron(0 10 * * ? 2025-2020)",
       "16+9: range 2025-2020 in year goes backwards and EventBridge ranges don't wrap around; "
       "write '2020-2025'\n"},
      {"cron(0 5- * * ? *)", "7+2: incomplete range '5-' in hours; write it as 'start-end'\n"},
      {"cron(0 *-5 * * ? *)",
       "7+1: '*' can't be part of a range in hours; use '*' alone or a range like 'start-end'\n"},
      {"cron(0/0 * * * ? *)", "7+1: step 0 in minutes must be between 1 and 60\n"},
      {"cron(0/61 * * * ? *)", "7+2: step 61 in minutes must be between 1 and 60\n"},
      {"cron(0 0 * */13 ? *)", "13+2: step 13 in month must be between 1 and 12\n"},
      {"cron(0/x * * * ? *)", "7+1: step 'x' in minutes must be a whole number\n"},
      {"cron(/5 * * * ? *)",
       "5+2: '/5' is missing a start value before '/'; write '*/5' or '0/5'\n"},
      {"cron(5/ * * * ? *)", "5+2: '5/' is missing a step after '/', e.g. '5/5'\n"},
      {"cron(1,,2 10 * * ? *)", "7+1: empty entry in the minutes list; remove the extra ','\n"},
      {"cron(1, 10 * * ? *)", "6+1: empty entry in the minutes list; remove the extra ','\n"},
      {"cron(*,5 10 * * ? *)",
       "5+1: '*' already matches every minute; remove the other values from the list\n"},
  });
}

TEST(ScheduleTest, WildcardsOnlyWhereDocumented) {
  ExpectCases({
      {"cron(? 10 * * ? *)",
       "5+1: '?' is only allowed in day-of-month and day-of-week, not in minutes\n"},
      {"cron(0 L * * ? *)",
       "7+1: 'L' is only allowed in day-of-month and day-of-week, not in hours\n"},
      {"cron(0 10L * * ? *)",
       "7+3: 'L' is only allowed in day-of-month and day-of-week, not in hours\n"},
      {"cron(0 5W * * ? *)", "7+2: 'W' is only allowed in day-of-month, not in hours\n"},
      {"cron(0 10 * * ? #)", "16+1: '#' is only allowed in day-of-week, not in year\n"},
      {"cron(0 10 ? * */2 *)",
       "15+1: '/' is not allowed in day-of-week; list the days instead, e.g. 'MON,WED,FRI'\n"},
  });
}

TEST(ScheduleTest, LastWeekdayAndNth) {
  ExpectCases({
      {"cron(0 10 LW * ? *)",
       "10+2: 'LW' (last weekday of the month) is not documented for EventBridge rules; use 'L' "
       "for the last day of the month or 'nW' for the weekday nearest day n\n"},
      {"cron(0 10 L-3 * ? *)",
       "10+3: 'L-3' (days before the last day of the month) is not documented for EventBridge "
       "rules; use 'L' for the last day of the month\n"},
      {"cron(0 10 1,L * ? *)",
       "12+1: 'L' must be used alone in day-of-month, not in a list, range or step\n"},
      {"cron(0 10 W * ? *)",
       "10+1: 'W' needs a day number before it, e.g. '15W' for the weekday nearest the 15th\n"},
      {"cron(0 10 32W * ? *)", "10+2: day-of-month 32 is out of range 1-31\n"},
      {"cron(0 10 1,15W * ? *)",
       "12+3: '15W' must be used alone in day-of-month, not in a list, range or step\n"},
      {"cron(0 10 ? * 5L,6 *)",
       "14+2: '5L' must be used alone in day-of-week, not in a list, range or step\n"},
      {"cron(0 10 ? * 1-5L *)",
       "16+2: '5L' must be used alone in day-of-week, not in a list, range or step\n"},
      {"cron(0 10 ? * 8L *)", "14+1: day-of-week 8 is out of range 1-7 (1 is SUN, 7 is SAT)\n"},
      {"cron(0 10 ? * 3#1,6#3 *)",
       "14+7: only one '#' expression is allowed in day-of-week and it can't be listed with other "
       "days; use a separate rule for each\n"},
      {"cron(0 10 ? * 3#6 *)", "16+1: week number 6 in '3#6' is out of range 1-5\n"},
      {"cron(0 10 ? * 3#0 *)", "16+1: week number 0 in '3#0' is out of range 1-5\n"},
      {"cron(0 10 ? * 3# *)",
       "15+1: '#' needs a week number 1-5 after it, e.g. '2#1' for the first Monday of the "
       "month\n"},
      {"cron(0 10 ? * #2 *)",
       "14+1: '#' needs a day before it, e.g. '2#1' for the first Monday of the month\n"},
      {"cron(0 10 ? * 9#2 *)", "14+1: day-of-week 9 is out of range 1-7 (1 is SUN, 7 is SAT)\n"},
  });
}

// A day-of-month/month/year combination with no day of the calendar can never fire: an error at
// the day field; one that exists in some month or year (31 in 1-12, 29 FEB) is accepted.
TEST(ScheduleTest, DayFieldsMustMatchSomeDayOfTheCalendar) {
  const std::string never = ": this schedule can never fire";
  const std::string use_l = "; use 'L' for the last day of the month\n";
  ExpectCases({
      {"cron(0 6 30 2 ? *)", "9+2: day-of-month '30' never exists in FEB" + never + use_l},
      {"cron(0 6 31 4,6 ? *)", "9+2: day-of-month '31' never exists in APR,JUN" + never + use_l},
      {"cron(0 6 30,31 FEB ? *)", "9+5: day-of-month '30,31' never exists in FEB" + never + use_l},
      {"cron(0 6 31 4-6/2 ? *)", "9+2: day-of-month '31' never exists in APR,JUN" + never + use_l},
      {"cron(0 6 31W 4 ? *)", "9+3: day-of-month '31W' never exists in APR" + never + use_l},
      {"cron(0 6 29 2 ? 2027)",
       "9+2: day-of-month '29' exists in FEB only in leap years, and the year field '2027' has "
       "none" +
           never + "\n"},
      {"cron(0 6 ? 2 1#5 2027,2029)",
       "13+3: no date matches day-of-week '1#5' in FEB of the years '2027,2029'" + never + "\n"},
  });
  for (const char* ok : {
           "cron(0 6 31 1-12 ? *)",       // fires in the seven months with 31 days
           "cron(0 6 31 * ? *)",          //
           "cron(0 6 30 2,3 ? *)",        // March
           "cron(0 6 29 2 ? *)",          // every fourth year
           "cron(0 6 29 2 ? 2027-2028)",  // 2028
           "cron(0 6 L 2 ? *)",           // the last day always exists
           "cron(0 6 30W 4 ? *)",         //
           "cron(0 6 ? 2 1#5 *)",         // a leap February starting on a Sunday
           "cron(0 6 ? 2 7L 2027)",       // the last Saturday always exists
           "cron(0 6 1-31 2 ? 2027)",     //
       }) {
    EXPECT_EQ(Check(ok), "") << ok;
  }
}

TEST(ScheduleTest, RateErrors) {
  ExpectCases({
      {"rate(0 minutes)", "5+1: rate value 0 must be at least 1\n"},
      {"rate(1 minutes)",
       "7+7: 'minutes' is plural but the value is 1; use 'minute' for a value of 1\n"},
      {"rate(5 minute)",
       "7+6: 'minute' is singular but the value is 5; use 'minutes' for values other than 1\n"},
      {"rate(1 days)", "7+4: 'days' is plural but the value is 1; use 'day' for a value of 1\n"},
      {"rate(05 minutes)", "5+2: rate value '05' has a leading zero; write '5'\n"},
      {"rate(-5 minutes)", "5+2: rate value -5 is negative; it must be a positive whole number\n"},
      {"rate(+5 minutes)", "5+2: rate value '+5' must not have a sign; write '5'\n"},
      {"rate(1.5 hours)",
       "5+3: rate value '1.5' must be a whole number; use a smaller unit, e.g. 'rate(90 minutes)' "
       "instead of 'rate(1.5 hours)'\n"},
      {"rate(five minutes)", "5+4: rate value 'five' must be a positive whole number\n"},
      {"rate(99999999999999999999 minutes)",
       "5+20: rate value 99999999999999999999 is too large; the maximum is 2147483647\n"},
      {"rate(2147483648 minutes)",
       "5+10: rate value 2147483648 is too large; the maximum is 2147483647\n"},
      {"rate(5 seconds)",
       "7+7: rate unit 'seconds' is not supported; EventBridge rules can't run more often than "
       "once a minute: use minutes\n"},
      {"rate(2 weeks)",
       "7+5: rate unit 'weeks' is not supported; use minute, minutes, hour, hours, day or days "
       "(e.g. 'rate(7 days)' for a week)\n"},
      {"rate(5 Minutes)", "7+7: rate unit 'Minutes' must be lowercase: 'minutes'\n"},
      {"rate(5minutes)", "5+8: put a space between the rate value and the unit: '5 minutes'\n"},
      {"rate(5)", "5+1: rate() needs a value and a unit, e.g. 'rate(5 minutes)'\n"},
      {"rate(5  minutes)", "6+2: rate() value and unit must be separated by a single space\n"},
      {"rate(5 minutes now)",
       "15+3: unexpected text after the rate unit; rate() takes only a value and a unit\n"},
      {"rate(0 weeks)",
       "5+1: rate value 0 must be at least 1\n"
       "7+5: rate unit 'weeks' is not supported; use minute, minutes, hour, hours, day or days "
       "(e.g. 'rate(7 days)' for a week)\n"},
  });
}

TEST(ScheduleTest, EmbeddedNulIsReportedAsByte) {
  const std::string expr("cron(0 1\0 * * ? *)", 18);
  EXPECT_EQ(Check(expr), "8+1: unexpected character '\\x00' in hours\n");
}

TEST(ScheduleTest, HugeInputsStayLinearAndBounded) {
  std::string list = "cron(";
  for (int i = 0; i < 200000; ++i) list += "1,";
  list += "1 10 * * ? *)";
  EXPECT_EQ(Check(list), "");

  const std::string digits = "rate(" + std::string(500000, '9') + " minutes)";
  const std::vector<ScheduleIssue> issues = CheckScheduleExpression(digits);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].offset, 5u);
  EXPECT_EQ(issues[0].length, 500000u);
  EXPECT_LT(issues[0].message.size(), 120u);  // quoted text is truncated

  std::string fields = "cron(";
  for (int i = 0; i < 100000; ++i) fields += "* ";
  fields += "*)";
  EXPECT_EQ(CheckScheduleExpression(fields).size(), 1u);
}

// Random expressions built from meaningful pieces and raw bytes: must never crash (run under
// ASan/UBSan), issues must lie inside the input, and messages must follow the diagnostic style.
TEST(ScheduleTest, RandomInputsAreHandled) {
  static const char* const kPieces[] = {"cron(",
                                        "rate(",
                                        ")",
                                        "(",
                                        " ",
                                        "  ",
                                        "\t",
                                        "*",
                                        "?",
                                        "/",
                                        "-",
                                        ",",
                                        "#",
                                        "L",
                                        "W",
                                        "LW",
                                        "0",
                                        "1",
                                        "7",
                                        "59",
                                        "60",
                                        "2199",
                                        "99999999999999999999",
                                        "MON",
                                        "jan",
                                        "minute",
                                        "minutes",
                                        "days",
                                        "at(",
                                        "\0",
                                        "\xff",
                                        "\xc3",
                                        "5L",
                                        "15W",
                                        "2#1"};
  std::mt19937 rng(12345);
  for (int iter = 0; iter < 30000; ++iter) {
    std::string expr;
    const int n = static_cast<int>(rng() % 16);
    for (int i = 0; i < n; ++i) {
      if (rng() % 8 == 0) {
        expr += static_cast<char>(rng() % 256);
      } else {
        const char* p = kPieces[rng() % std::size(kPieces)];
        expr += (*p == '\0') ? std::string(1, '\0') : std::string(p);
      }
    }
    Schedule out;
    const std::vector<ScheduleIssue> issues = CheckScheduleExpression(expr, &out);
    for (const ScheduleIssue& i : issues) {
      ASSERT_LE(i.offset, expr.size()) << expr;
      ASSERT_LE(i.length, expr.size() - i.offset) << expr;
      ASSERT_FALSE(i.message.empty());
      EXPECT_FALSE(std::isupper(static_cast<unsigned char>(i.message[0]))) << i.message;
      EXPECT_NE(i.message.back(), '.') << i.message;
    }
    if (issues.empty()) {
      // Anything accepted must be a well-formed cron or rate expression.
      EXPECT_TRUE(expr.rfind("cron(", 0) == 0 || expr.rfind("rate(", 0) == 0) << expr;
      EXPECT_EQ(expr.back(), ')') << expr;
      if (out.kind == ScheduleKind::kCron) {
        EXPECT_EQ(out.cron_fields.size(), 6u) << expr;
      } else {
        EXPECT_GE(out.rate_value, 1) << expr;
      }
    }
  }
}

// Single-byte mutations of valid expressions: same invariants, and the checker must not
// accept a mutation that puts a byte outside the cron/rate alphabet into the expression.
TEST(ScheduleTest, MutatedValidExpressionsAreHandled) {
  static const char* const kValid[] = {"cron(0/5 8-17 ? * MON-FRI *)", "cron(0 9 ? * 2#1 *)",
                                       "cron(0 0 15W * ? 2024-2030/2)", "rate(12 hours)"};
  std::mt19937 rng(777);
  for (int iter = 0; iter < 30000; ++iter) {
    std::string expr = kValid[rng() % std::size(kValid)];
    const size_t pos = rng() % expr.size();
    const char byte = static_cast<char>(rng() % 256);
    switch (rng() % 3) {
      case 0:
        expr[pos] = byte;
        break;
      case 1:
        expr.insert(expr.begin() + static_cast<std::ptrdiff_t>(pos), byte);
        break;
      default:
        expr.erase(pos, 1);
        break;
    }
    const std::vector<ScheduleIssue> issues = CheckScheduleExpression(expr);
    for (const ScheduleIssue& i : issues) {
      ASSERT_LE(i.offset, expr.size()) << expr;
      ASSERT_LE(i.length, expr.size() - i.offset) << expr;
    }
    const bool alphabet = std::all_of(expr.begin(), expr.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) ||
             std::string_view(" ()*?/,-#").find(c) != std::string_view::npos;
    });
    if (!alphabet) {
      EXPECT_FALSE(issues.empty()) << expr;
    }
  }
}

}  // namespace
}  // namespace orchc
