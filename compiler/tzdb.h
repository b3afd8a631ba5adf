// The IANA time-zone database, built into orchc (no run-time use of /usr/share/zoneinfo).
//
// The tables come from Debian's tzdata at build time (tzdb_gen.cc). A zone answers two
// questions: the UTC offset in force at an instant, and which instants a local wall-clock time
// names (none in a spring-forward gap, two in an autumn overlap). Times are seconds since
// 1970-01-01T00:00:00 (UTC for instants; for local wall-clock times the same count as if the
// wall clock were UTC).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace orchc {

// Civil calendar helpers (proleptic Gregorian).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
void CivilFromDays(int64_t days, int64_t* y, unsigned* m, unsigned* d);
int DaysInMonth(int64_t y, unsigned m);
// Day of the week of a day count (DaysFromCivil), 0 = Sunday.
int WeekDay(int64_t days);
// "YYYY-MM-DDTHH:MM:SS" for a seconds count (UTC or wall clock).
std::string FormatDateTime(int64_t t);
// Parses RFC 3339 ("2026-03-29T01:00:00Z", "...+02:00", fractional seconds dropped) into UTC
// seconds; false when malformed.
bool ParseRfc3339(std::string_view s, int64_t* out);
// Parses "YYYY-MM-DDTHH:MM:SS" (no zone) as a wall-clock time; false when malformed.
bool ParseLocalDateTime(std::string_view s, int64_t* out);

class TimeZone {
 public:
  // What a local wall-clock time names.
  struct Local {
    enum Kind { kUnique, kGap, kOverlap } kind = kUnique;
    int64_t first = 0;   // kUnique: the instant; kOverlap: the earlier instant
    int64_t second = 0;  // kOverlap: the later instant
    // kGap: the offset in force just before the gap (the wall time read with it is the instant
    // the clock jumped over it).
    int32_t offset_before = 0;
  };

  const char* name() const { return name_; }
  // UTC offset in seconds in force at UTC instant `t` (east positive).
  int32_t OffsetAt(int64_t t) const;
  Local FromLocal(int64_t wall) const;

 private:
  friend const TimeZone* FindTimeZone(std::string_view name);
  friend const TimeZone& UtcZone();
  const char* name_ = "UTC";
  uint32_t zone_ = 0;
  bool utc_ = true;
};

// The zone AWS knows by `name` (a canonical IANA zone or a link), or nullptr.
const TimeZone* FindTimeZone(std::string_view name);
const TimeZone& UtcZone();
// "did you mean": a name that differs only in case, the zone whose last part is `name`
// (Berlin -> Europe/Berlin), or the closest name by spelling; "" when none is plausible.
std::string SuggestTimeZone(std::string_view name);
// The tzdata release the tables were built from, e.g. "2025b".
const char* TzdataVersion();
// Every accepted name, sorted.
std::vector<std::string_view> TimeZoneNames();

// A POSIX TZ rule string such as "CET-1CEST,M3.5.0,M10.5.0/3" (RFC 8536 section 3.3, with
// the version 3 extensions). Exposed for unit tests.
class PosixRule {
 public:
  bool Parse(std::string_view text);
  int32_t OffsetAt(int64_t t) const;

 private:
  struct Transition {
    char kind = 'M';  // 'M' month/week/day, 'J' Julian 1-365 without Feb 29, 'N' 0-365
    int month = 0, week = 0, day = 0;
    int32_t time = 7200;  // seconds after local midnight
  };
  int64_t TransitionLocal(const Transition& tr, int64_t year) const;
  int32_t std_offset_ = 0, dst_offset_ = 0;
  bool has_dst_ = false;
  Transition start_, end_;
};

}  // namespace orchc
