// Checker for Amazon EventBridge rule schedule expressions: "cron(...)" and "rate(...)".
//
// The accepted grammar is the one documented in the Amazon EventBridge User Guide ("Cron
// expressions reference", "Rate expressions reference"). Where the documentation is silent the
// checker is strict and says so in its message (see schedule.cc for the list of choices).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace orchc {

// One problem in a schedule expression. `offset`/`length` are byte offsets into the expression
// text as given (so the caller can point a caret at the exact field); `message` is a complete,
// human sentence fragment (lowercase first, no trailing period) that says what is wrong and what
// to do, e.g. "day-of-month 32 is out of range 1-31". `length` may be 0 for a position between
// characters (e.g. a missing ')' at the end).
struct ScheduleIssue {
  size_t offset = 0;
  size_t length = 0;
  std::string message;
};

// AWS cron's names of months (JAN is 1) and days of the week (SUN is 1), as the grammar spells
// them (matched case-insensitively).
inline constexpr const char* kCronMonthNames[12] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                    "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
inline constexpr const char* kCronDayNames[7] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

enum class ScheduleKind { kCron, kRate };

// A parsed, valid schedule expression.
struct Schedule {
  ScheduleKind kind = ScheduleKind::kCron;
  std::vector<std::string> cron_fields;  // the 6 raw fields, for kCron
  long rate_value = 0;                   // for kRate; 1..2147483647
  std::string rate_unit;                 // "minute(s)" / "hour(s)" / "day(s)" as written
};

// Checks an Amazon EventBridge *rule* schedule expression: "cron(...)" or "rate(...)".
// Returns every issue found (empty = valid), sorted by offset. If `out` is non-null and the
// expression is valid, fills it. Input is treated as raw bytes; the check is linear in the input
// size and never throws on malformed input.
std::vector<ScheduleIssue> CheckScheduleExpression(std::string_view expr, Schedule* out = nullptr);

}  // namespace orchc
