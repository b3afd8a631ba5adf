// The parts of the EventBridge rule schedule checker (schedule.h) its files share: the byte-level
// text helpers, the static description of the cron fields, and the Checker that walks one
// expression. The checker's work is split by what it checks:
//  - schedule.cc: the expression's frame (keyword, parentheses, spacing) and the entry point;
//  - schedule_cron.cc: the six cron fields, their lists, ranges, steps and values;
//  - schedule_days.cc: the day fields' own forms (L, nW, d#n), the rule that one of them is
//    '?', and dates the calendar never has (30 February);
//  - schedule_rate.cc: rate() value and unit.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schedule.h"

namespace orchc::schedule_detail {

// ------------------------------------------------------------------ text (schedule.cc)

inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// True when `s` is not empty and every byte satisfies `pred`.
inline bool AllOf(std::string_view s, bool (*pred)(char)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), pred);
}

// ASCII-lowercased copy of `s`.
std::string Lower(std::string_view s);

// Renders user text for a message: non-printable bytes become \xHH, long text is truncated.
std::string Show(std::string_view s);
// Show(s) in single quotes.
std::string Quote(std::string_view s);

// Parses up to 9 decimal digits; longer digit strings yield `too_big` (never overflows).
long ParseDigits(std::string_view s, long too_big);

// ------------------------------------------------------------------ cron fields

// Static description of one cron field. Invariant: names, if set, has max - min + 1 entries and
// names[i] spells the value min + i.
struct FieldSpec {
  const char* name;  // field name as documented, e.g. "day-of-month"
  const char* noun;  // what a single value is called in messages, e.g. "minute"
  int min;
  int max;
  const char* const* names;  // uppercase three-letter names, or nullptr
};

enum FieldIndex { kMinutes, kHours, kDayOfMonth, kMonth, kDayOfWeek, kYear, kFieldCount };

// One object per field (inline: the checker compares addresses, &f == &kFields[kYear]).
inline constexpr FieldSpec kFields[kFieldCount] = {
    {"minutes", "minute", 0, 59, nullptr},
    {"hours", "hour", 0, 23, nullptr},
    {"day-of-month", "day-of-month", 1, 31, nullptr},
    {"month", "month", 1, 12, kCronMonthNames},
    {"day-of-week", "day-of-week", 1, 7, kCronDayNames},
    {"year", "year", 1970, 2199, nullptr},
};

inline constexpr char kFieldList[] = "(minutes hours day-of-month month day-of-week year)";

// ------------------------------------------------------------------ the checker

// A run of non-space text in the expression: [offset, offset + size).
struct Token {
  size_t offset;
  size_t size;
};

// Checks one expression. `text_` is the input, `upper_` an ASCII-uppercased copy with the same
// byte offsets (used for case-insensitive matching; messages always quote `text_`). Each check
// appends to `issues_`; CheckScheduleExpression sorts them by offset.
class Checker {
 public:
  explicit Checker(std::string_view text);

  std::vector<ScheduleIssue> Run(Schedule* out);  // schedule.cc

 private:
  void Add(size_t offset, size_t length, std::string message) {
    issues_.push_back({offset, length, std::move(message)});
  }
  std::string_view Raw(size_t off, size_t len) const { return text_.substr(off, len); }
  std::string_view Up(size_t off, size_t len) const {
    return std::string_view(upper_).substr(off, len);
  }

  // schedule.cc: the frame around the content.
  // Splits [begin, end) at whitespace; reports the first separator that is not one space.
  std::vector<Token> Split(size_t begin, size_t end, const char* what);
  // Checks the keyword of the trimmed expression [b, e) and what stands between it and '(';
  // returns it lowercased ("cron" or "rate") with `*open` at the '(', or "" when the expression
  // can't be read further (already reported).
  std::string CheckKeyword(size_t b, size_t e, size_t* open);
  // Checks the parentheses of "kind(...)" (the '(' at `open`, the expression ending at `e`)
  // and the spacing inside them, then the content.
  void CheckContent(const std::string& kind, size_t open, size_t e, Schedule* out);

  // schedule_cron.cc
  void CheckCron(size_t begin, size_t end, Schedule* out);
  bool CheckField(int field, Token t);
  bool CheckItem(const FieldSpec& f, size_t off, size_t len);
  bool ParseValue(const FieldSpec& f, size_t off, size_t len, int* value);
  std::string ValueError(const FieldSpec& f, std::string_view raw, std::string_view up) const;

  // schedule_days.cc
  bool CheckDayOfMonthSpecial(Token t, bool* handled);
  bool CheckDayOfWeekSpecial(Token t, bool* handled);
  void CheckDayFieldsExclusive(Token dom, Token dow);
  void CheckCalendar(const std::vector<Token>& fields);

  // schedule_rate.cc
  void CheckRate(size_t begin, size_t end, Schedule* out);
  // The value token: returns it, or 0 when it is not a valid value (reported).
  long CheckRateValue(Token v);
  // The unit token, `lower` its lowercased text: false when it was reported.
  bool CheckRateUnit(Token u, const std::string& lower);

  std::string_view text_;
  std::string upper_;
  std::vector<ScheduleIssue> issues_;
};

}  // namespace orchc::schedule_detail
