// The embedded IANA time-zone database. See tzdb.h.
#include "tzdb.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>

#include "diag.h"
#include "tzdb_data.h"

namespace orchc {

namespace {

bool Digits(std::string_view s, size_t at, size_t n, int* out) {
  if (at + n > s.size()) return false;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::string Lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = FloorDiv(y, 400);
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = FloorDiv(z, 146097);
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

int WeekDay(int64_t days) { return static_cast<int>(((days % 7) + 11) % 7); }

int DaysInMonth(int64_t y, unsigned m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

std::string FormatDateTime(int64_t t) {
  int64_t days = FloorDiv(t, 86400), secs = t - days * 86400, y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d", static_cast<long long>(y), m, d,
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60));
  return buf;
}

bool ParseLocalDateTime(std::string_view s, int64_t* out) {
  int y, mo, d, h, mi, se;
  if (s.size() != 19 || !Digits(s, 0, 4, &y) || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d) || s[10] != 'T' || !Digits(s, 11, 2, &h) ||
      s[13] != ':' || !Digits(s, 14, 2, &mi) || s[16] != ':' || !Digits(s, 17, 2, &se)) {
    return false;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo) || h > 23 || mi > 59 || se > 59) {
    return false;
  }
  *out = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
  return true;
}

bool ParseRfc3339(std::string_view s, int64_t* out) {
  if (s.size() < 20 || !ParseLocalDateTime(s.substr(0, 19), out)) return false;
  size_t at = 19;
  if (s[at] == '.') {
    ++at;
    size_t digits = at;
    while (at < s.size() && std::isdigit(static_cast<unsigned char>(s[at]))) ++at;
    if (at == digits) return false;
  }
  std::string_view zone = s.substr(at);
  if (zone == "Z") return true;
  int h, m;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !Digits(zone, 1, 2, &h) ||
      zone[3] != ':' || !Digits(zone, 4, 2, &m) || h > 23 || m > 59) {
    return false;
  }
  int64_t off = h * 3600 + m * 60;
  *out -= zone[0] == '+' ? off : -off;
  return true;
}

// ---- POSIX TZ rules ----

namespace {

// Parses [+-]hh[:mm[:ss]] (hours up to 167 for the version 3 extension); returns false if
// there is no number at `at`.
bool ParseHms(std::string_view s, size_t& at, int32_t* out) {
  int sign = 1;
  if (at < s.size() && (s[at] == '+' || s[at] == '-')) sign = s[at++] == '-' ? -1 : 1;
  int32_t parts[3] = {0, 0, 0};
  for (int i = 0; i < 3; ++i) {
    if (i > 0) {
      if (at >= s.size() || s[at] != ':') break;
      ++at;
    }
    size_t begin = at;
    while (at < s.size() && std::isdigit(static_cast<unsigned char>(s[at])) && at - begin < 3) {
      parts[i] = parts[i] * 10 + (s[at++] - '0');
    }
    if (at == begin) return false;
  }
  *out = sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
  return true;
}

bool ParseAbbrev(std::string_view s, size_t& at) {
  if (at < s.size() && s[at] == '<') {
    size_t close = s.find('>', at);
    if (close == std::string_view::npos) return false;
    at = close + 1;
    return true;
  }
  size_t begin = at;
  while (at < s.size() && std::isalpha(static_cast<unsigned char>(s[at]))) ++at;
  return at - begin >= 3;
}

}  // namespace

bool PosixRule::Parse(std::string_view s) {
  size_t at = 0;
  int32_t v;
  if (!ParseAbbrev(s, at) || !ParseHms(s, at, &v)) return false;
  std_offset_ = -v;  // POSIX counts west of Greenwich as positive
  has_dst_ = false;
  if (at == s.size()) return true;
  if (!ParseAbbrev(s, at)) return false;
  has_dst_ = true;
  dst_offset_ = std_offset_ + 3600;
  if (at < s.size() && s[at] != ',') {
    if (!ParseHms(s, at, &v)) return false;
    dst_offset_ = -v;
  }
  for (Transition* tr : {&start_, &end_}) {
    if (at >= s.size() || s[at] != ',') return false;
    ++at;
    *tr = Transition{};
    int n = 0;
    auto number = [&](int* out) {
      size_t begin = at;
      *out = 0;
      while (at < s.size() && std::isdigit(static_cast<unsigned char>(s[at]))) {
        *out = *out * 10 + (s[at++] - '0');
      }
      return at > begin;
    };
    if (at < s.size() && s[at] == 'M') {
      ++at;
      if (!number(&tr->month) || at >= s.size() || s[at++] != '.' || !number(&tr->week) ||
          at >= s.size() || s[at++] != '.' || !number(&tr->day)) {
        return false;
      }
      if (tr->month < 1 || tr->month > 12 || tr->week < 1 || tr->week > 5 || tr->day > 6) {
        return false;
      }
    } else if (at < s.size() && s[at] == 'J') {
      ++at;
      tr->kind = 'J';
      if (!number(&n) || n < 1 || n > 365) return false;
      tr->day = n;
    } else {
      tr->kind = 'N';
      if (!number(&n) || n > 365) return false;
      tr->day = n;
    }
    if (at < s.size() && s[at] == '/') {
      ++at;
      if (!ParseHms(s, at, &tr->time)) return false;
    }
  }
  return at == s.size();
}

int64_t PosixRule::TransitionLocal(const Transition& tr, int64_t year) const {
  int64_t days;
  if (tr.kind == 'M') {
    int64_t first = DaysFromCivil(year, tr.month, 1);
    int day = 1 + (tr.day - WeekDay(first) + 7) % 7 + (tr.week - 1) * 7;
    while (day > DaysInMonth(year, tr.month)) day -= 7;
    days = first + day - 1;
  } else if (tr.kind == 'J') {
    int n = tr.day;
    if (DaysInMonth(year, 2) == 29 && n >= 60) ++n;
    days = DaysFromCivil(year, 1, 1) + n - 1;
  } else {
    days = DaysFromCivil(year, 1, 1) + tr.day;
  }
  return days * 86400 + tr.time;
}

int32_t PosixRule::OffsetAt(int64_t t) const {
  if (!has_dst_) return std_offset_;
  int64_t y;
  unsigned m, d;
  CivilFromDays(FloorDiv(t + std_offset_, 86400), &y, &m, &d);
  const int64_t start = TransitionLocal(start_, y) - std_offset_;
  const int64_t end = TransitionLocal(end_, y) - dst_offset_;
  bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
  return dst ? dst_offset_ : std_offset_;
}

// ---- zones ----

namespace {

// The parsed footer of each zone; nullopt when it has none or it does not parse (every footer
// of the built-in tables parses: a unit test checks), in which case the last offset stays.
const std::vector<std::optional<PosixRule>>& Footers() {
  static const std::vector<std::optional<PosixRule>> rules = [] {
    std::vector<std::optional<PosixRule>> r(tzdata::kZoneCount);
    for (size_t i = 0; i < tzdata::kZoneCount; ++i) {
      PosixRule rule;
      if (*tzdata::kZones[i].footer && rule.Parse(tzdata::kZones[i].footer)) r[i] = rule;
    }
    return r;
  }();
  return rules;
}

}  // namespace

int32_t TimeZone::OffsetAt(int64_t t) const {
  if (utc_) return 0;
  const tzdata::ZoneRecord& z = tzdata::kZones[zone_];
  const int64_t* begin = tzdata::kTimes + z.first;
  const int64_t* end = begin + z.count;
  const int64_t* it = std::upper_bound(begin, end, t);
  if (it == end && Footers()[zone_]) return Footers()[zone_]->OffsetAt(t);
  if (it == begin) return z.initial_offset;
  return tzdata::kOffsets[z.first + (it - begin) - 1];
}

TimeZone::Local TimeZone::FromLocal(int64_t wall) const {
  // Transitions are weeks apart: the offsets in force a day either side are the only
  // candidates.
  const int32_t before = OffsetAt(wall - 86400), after = OffsetAt(wall + 86400);
  Local r;
  std::vector<int64_t> valid;
  for (int32_t o : {before, after}) {
    if (OffsetAt(wall - o) == o && (valid.empty() || valid[0] != wall - o)) {
      valid.push_back(wall - o);
    }
  }
  std::sort(valid.begin(), valid.end());
  if (valid.empty()) {
    r.kind = Local::kGap;
    r.offset_before = before;
  } else if (valid.size() == 1) {
    r.first = valid[0];
  } else {
    r.kind = Local::kOverlap;
    r.first = valid[0];
    r.second = valid[1];
  }
  return r;
}

const TimeZone& UtcZone() {
  static const TimeZone utc;
  return utc;
}

const TimeZone* FindTimeZone(std::string_view name) {
  static const std::vector<TimeZone> zones = [] {
    std::vector<TimeZone> v(tzdata::kNameCount);
    for (size_t i = 0; i < tzdata::kNameCount; ++i) {
      v[i].name_ = tzdata::kNames[i].name;
      v[i].zone_ = tzdata::kNames[i].zone;
      v[i].utc_ = false;
    }
    return v;
  }();
  const tzdata::NameRecord* begin = tzdata::kNames;
  const tzdata::NameRecord* end = begin + tzdata::kNameCount;
  auto it = std::lower_bound(begin, end, name, [](const tzdata::NameRecord& r, std::string_view n) {
    return std::string_view(r.name) < n;
  });
  if (it == end || name != it->name) return nullptr;
  return &zones[it - begin];
}

std::string SuggestTimeZone(std::string_view name) {
  const std::string want = Lower(name);
  for (size_t i = 0; i < tzdata::kNameCount; ++i) {
    if (Lower(tzdata::kNames[i].name) == want) return tzdata::kNames[i].name;
  }
  // Same place, other region (or none): compare the last part, canonical zones first.
  const std::string last =
      want.substr(want.rfind('/') == std::string::npos ? 0 : want.rfind('/') + 1);
  std::string link_match;
  for (size_t i = 0; i < tzdata::kNameCount; ++i) {
    std::string n = Lower(tzdata::kNames[i].name);
    size_t slash = n.rfind('/');
    if (slash == std::string::npos || n.substr(slash + 1) != last) continue;
    if (!tzdata::kNames[i].is_link) return tzdata::kNames[i].name;
    if (link_match.empty()) link_match = tzdata::kNames[i].name;
  }
  if (!link_match.empty()) return link_match;
  // A spelling mistake: among the zones of the same region first (a few hundred at most, within
  // SpellCheck's candidate limit), then among the canonical zones.
  const size_t slash = want.find('/');
  const std::string region = slash == std::string::npos ? "" : want.substr(0, slash + 1);
  std::vector<std::string> names;
  if (!region.empty()) {
    for (size_t i = 0; i < tzdata::kNameCount; ++i) {
      if (Lower(tzdata::kNames[i].name).starts_with(region)) {
        names.emplace_back(tzdata::kNames[i].name);
      }
    }
    if (std::string guess = SpellCheck(name, names); !guess.empty()) return guess;
    names.clear();
  }
  for (size_t i = 0; i < tzdata::kNameCount; ++i) {
    if (!tzdata::kNames[i].is_link) names.emplace_back(tzdata::kNames[i].name);
  }
  return SpellCheck(name, names);
}

const char* TzdataVersion() { return tzdata::kVersion; }

std::vector<std::string_view> TimeZoneNames() {
  std::vector<std::string_view> v;
  for (size_t i = 0; i < tzdata::kNameCount; ++i) v.emplace_back(tzdata::kNames[i].name);
  return v;
}

}  // namespace orchc
