// When a schedule fires: an evaluator of AWS schedule expressions (cron(), rate(), at()) in a
// time zone, with EventBridge Scheduler's documented daylight-saving behaviour.
//
// AWS documents (EventBridge Scheduler User Guide, "Schedule types", daylight saving time):
//  - a cron time that does not exist when clocks go forward is skipped;
//  - a cron time that occurs twice when clocks go back runs only once. AWS does not say which
//    occurrence: this evaluator lists the first one (the earlier instant, still on daylight
//    time), since a wall clock moving forward reaches it first and a run is not repeated;
//  - rate() counts elapsed time (a day is 24 hours), so its local time shifts across a change;
//  - StartDate is the first occurrence of a rate schedule (without it, the schedule starts at
//    once: here at `from`); StartDate and EndDate (exclusive) bound recurring schedules and are
//    ignored for one-time at() schedules.
// EventBridge rules have no time zone: evaluate them with UtcZone().
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tzdb.h"

namespace orchc {

enum class DstNote { kNone, kSkipped, kRepeated, kShifted };

// "dst-skipped", "dst-repeated", "dst-shifted", or "" for kNone.
const char* DstNoteName(DstNote note);

struct Firing {
  bool skipped = false;  // a nonexistent local time: `utc` is the instant the clock jumped over it
  int64_t utc = 0;
  int64_t local = 0;   // the wall-clock time in the schedule's zone
  int32_t offset = 0;  // UTC offset in force at `utc` (meaningless when skipped)
  DstNote note = DstNote::kNone;
};

// A parsed AWS cron expression. Fields are bit sets of the values they match. Invariant: the
// day-of-month or the day-of-week field is "any" ('?'), as CheckScheduleExpression requires.
struct CronSpec {
  std::bitset<60> minutes;
  std::bitset<24> hours;
  std::bitset<13> months;  // 1-12
  std::bitset<230> years;  // 1970-2199, bit y - 1970
  enum DomKind { kDomAny, kDomSet, kDomLast, kDomWeekday } dom_kind = kDomAny;
  std::bitset<32> dom;  // 1-31, for kDomSet
  int dom_n = 0;        // kDomWeekday: nW
  enum DowKind { kDowAny, kDowSet, kDowLast, kDowNth } dow_kind = kDowAny;
  std::bitset<8> dow;          // 1 = SUN ... 7 = SAT, for kDowSet
  int dow_day = 0, dow_n = 0;  // kDowLast: last dow_day of the month; kDowNth: dow_day#dow_n

  // Parses the 6 raw fields of a valid expression (from CheckScheduleExpression).
  bool Parse(const std::vector<std::string>& fields, std::string* error);
  bool MatchesDate(int64_t y, unsigned m, unsigned d) const;
};

// One schedule to evaluate.
struct FireSchedule {
  std::string expression;             // cron(...), rate(...) or at(...)
  const TimeZone* zone = nullptr;     // UtcZone() for rules
  std::optional<int64_t> start, end;  // startDate, endDate (UTC), Scheduler only
};

class FireTimes {
 public:
  // False with a message when the expression is not valid.
  bool Init(const FireSchedule& schedule, std::string* error);
  // The first `count` firings at or after `from` (a skipped run counts as one, at the instant
  // the clock jumped over it). Fewer when the schedule ends (year range, endDate, at() passed).
  std::vector<Firing> Next(int64_t from, size_t count) const;

  bool is_cron() const { return kind_ == kCron; }
  const CronSpec& cron() const { return cron_; }

 private:
  enum Kind { kCron, kRate, kAt } kind_ = kCron;
  FireSchedule s_;
  CronSpec cron_;
  int64_t interval_ = 0;  // rate, seconds
  int64_t at_ = 0;        // at(), wall clock
};

// RFC 3339 with the numeric offset: "2026-03-29T03:00:00+02:00" ("Z" is never used here, so a
// UTC zone prints "+00:00").
std::string FormatLocal(int64_t wall, int32_t offset);
// "2026-03-29T01:00:00Z".
std::string FormatUtc(int64_t utc);

}  // namespace orchc
