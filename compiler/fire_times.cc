// AWS schedule evaluator. See fire_times.h.
#include "fire_times.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "schedule.h"

namespace orchc {

namespace {

std::string Upper(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return r;
}

// A value: digits, or a name when `names` is set (names[i] is min + i).
bool Value(std::string_view s, int min, const char* const* names, int count, int* out) {
  if (s.empty()) return false;
  if (std::isdigit(static_cast<unsigned char>(s[0]))) {
    int v = 0;
    for (char c : s) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
      v = v * 10 + (c - '0');
      if (v > 10000) return false;
    }
    *out = v;
    return true;
  }
  if (!names) return false;
  for (int i = 0; i < count; ++i) {
    if (s == names[i]) {
      *out = min + i;
      return true;
    }
  }
  return false;
}

// A general list field: item[,item...], item := (* | v | v-w)[/step]. Sets bits value - base.
template <size_t N>
bool ListField(std::string_view up, int min, int max, const char* const* names, int base,
               std::bitset<N>* bits) {
  size_t start = 0;
  while (start <= up.size()) {
    size_t comma = up.find(',', start);
    std::string_view item = up.substr(start, comma == up.npos ? up.npos : comma - start);
    int step = 1, lo = min, hi = max;
    size_t slash = item.find('/');
    if (slash != item.npos) {
      if (!Value(item.substr(slash + 1), 0, nullptr, 0, &step) || step < 1) return false;
      item = item.substr(0, slash);
    }
    if (item != "*") {
      size_t dash = item.find('-');
      const int count = max - min + 1;
      if (dash == item.npos) {
        if (!Value(item, min, names, count, &lo)) return false;
        hi = slash != std::string_view::npos ? max : lo;
      } else if (!Value(item.substr(0, dash), min, names, count, &lo) ||
                 !Value(item.substr(dash + 1), min, names, count, &hi)) {
        return false;
      }
    }
    if (lo < min || hi > max || lo > hi) return false;
    for (int v = lo; v <= hi; v += step) bits->set(v - base);
    if (comma == up.npos) break;
    start = comma + 1;
  }
  return true;
}

// The firing at wall-clock time `wall` of `zone`: skipped in a spring-forward gap (at the instant
// the clock jumped over it), the earlier instant in an autumn overlap (fire_times.h).
Firing AtWall(const TimeZone& zone, int64_t wall) {
  const TimeZone::Local l = zone.FromLocal(wall);
  Firing f;
  f.local = wall;
  if (l.kind == TimeZone::Local::kGap) {
    f.skipped = true;
    f.utc = wall - l.offset_before;
    f.note = DstNote::kSkipped;
  } else {
    f.utc = l.first;
    f.offset = zone.OffsetAt(f.utc);
    if (l.kind == TimeZone::Local::kOverlap) f.note = DstNote::kRepeated;
  }
  return f;
}

std::string Offset(int32_t offset) {
  char buf[16];
  int32_t a = offset < 0 ? -offset : offset;
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset < 0 ? '-' : '+', a / 3600, a / 60 % 60);
  return buf;
}

}  // namespace

const char* DstNoteName(DstNote note) {
  switch (note) {
    case DstNote::kSkipped:
      return "dst-skipped";
    case DstNote::kRepeated:
      return "dst-repeated";
    case DstNote::kShifted:
      return "dst-shifted";
    case DstNote::kNone:
      break;
  }
  return "";
}

std::string FormatLocal(int64_t wall, int32_t offset) {
  return FormatDateTime(wall) + Offset(offset);
}
std::string FormatUtc(int64_t utc) { return FormatDateTime(utc) + "Z"; }

bool CronSpec::Parse(const std::vector<std::string>& f, std::string* error) {
  *this = CronSpec{};
  if (f.size() != 6) return *error = "cron() needs 6 fields", false;
  const std::string mi = Upper(f[0]), h = Upper(f[1]), dm = Upper(f[2]), mo = Upper(f[3]),
                    dw = Upper(f[4]), y = Upper(f[5]);
  bool ok = ListField(mi, 0, 59, nullptr, 0, &minutes) && ListField(h, 0, 23, nullptr, 0, &hours) &&
            ListField(mo, 1, 12, kCronMonthNames, 0, &months) &&
            ListField(y, 1970, 2199, nullptr, 1970, &years);
  if (dm == "?") {
    dom_kind = kDomAny;
  } else if (dm == "L") {
    dom_kind = kDomLast;
  } else if (dm.size() > 1 && dm.back() == 'W') {
    dom_kind = kDomWeekday;
    ok = ok && Value(std::string_view(dm).substr(0, dm.size() - 1), 1, nullptr, 0, &dom_n);
  } else {
    dom_kind = kDomSet;
    ok = ok && ListField(dm, 1, 31, nullptr, 0, &dom);
  }
  if (dw == "?") {
    dow_kind = kDowAny;
  } else if (dw == "L") {  // the last day of the week: Saturday
    dow_kind = kDowSet;
    dow.set(7);
  } else if (dw.find('#') != std::string::npos) {
    dow_kind = kDowNth;
    size_t hash = dw.find('#');
    ok = ok && Value(std::string_view(dw).substr(0, hash), 1, kCronDayNames, 7, &dow_day) &&
         Value(std::string_view(dw).substr(hash + 1), 0, nullptr, 0, &dow_n);
  } else if (dw.size() > 1 && dw.back() == 'L') {
    dow_kind = kDowLast;
    ok = ok && Value(std::string_view(dw).substr(0, dw.size() - 1), 1, kCronDayNames, 7, &dow_day);
  } else {
    dow_kind = kDowSet;
    ok = ok && ListField(dw, 1, 7, kCronDayNames, 0, &dow);
  }
  if (!ok) *error = "cron() fields are not valid";
  return ok;
}

bool CronSpec::MatchesDate(int64_t y, unsigned m, unsigned d) const {
  if (y < 1970 || y > 2199 || !years.test(y - 1970) || !months.test(m)) return false;
  const int last = DaysInMonth(y, m);
  bool dom_ok = true, dow_ok = true;
  switch (dom_kind) {
    case kDomAny:
      break;
    case kDomSet:
      dom_ok = dom.test(d);
      break;
    case kDomLast:
      dom_ok = static_cast<int>(d) == last;
      break;
    case kDomWeekday: {
      // The weekday (Mon-Fri) nearest day n, in the same month.
      if (dom_n > last) return false;
      int target = dom_n;
      int wd = WeekDay(DaysFromCivil(y, m, dom_n));
      if (wd == 6) target = dom_n == 1 ? 3 : dom_n - 1;             // Saturday
      if (wd == 0) target = dom_n == last ? dom_n - 2 : dom_n + 1;  // Sunday
      dom_ok = static_cast<int>(d) == target;
      break;
    }
  }
  const int wd = WeekDay(DaysFromCivil(y, m, d)) + 1;  // 1 = SUN
  switch (dow_kind) {
    case kDowAny:
      break;
    case kDowSet:
      dow_ok = dow.test(wd);
      break;
    case kDowLast:
      dow_ok = wd == dow_day && static_cast<int>(d) + 7 > last;
      break;
    case kDowNth:
      dow_ok = wd == dow_day && (static_cast<int>(d) - 1) / 7 + 1 == dow_n;
      break;
  }
  return dom_ok && dow_ok;
}

bool FireTimes::Init(const FireSchedule& schedule, std::string* error) {
  s_ = schedule;
  if (!s_.zone) s_.zone = &UtcZone();
  const std::string& e = s_.expression;
  if (e.starts_with("at(")) {
    kind_ = kAt;
    if (e.size() < 4 || e.back() != ')' || !ParseLocalDateTime(e.substr(3, e.size() - 4), &at_)) {
      *error = "not an at(yyyy-mm-ddThh:mm:ss) expression";
      return false;
    }
    return true;
  }
  Schedule parsed;
  std::vector<ScheduleIssue> issues = CheckScheduleExpression(e, &parsed);
  if (!issues.empty()) {
    *error = issues[0].message;
    return false;
  }
  if (parsed.kind == ScheduleKind::kRate) {
    kind_ = kRate;
    int64_t unit = parsed.rate_unit.starts_with("minute") ? 60
                   : parsed.rate_unit.starts_with("hour") ? 3600
                                                          : 86400;
    interval_ = parsed.rate_value * unit;
    return true;
  }
  kind_ = kCron;
  return cron_.Parse(parsed.cron_fields, error);
}

std::vector<Firing> FireTimes::Next(int64_t from, size_t count) const {
  std::vector<Firing> out;
  const TimeZone& zone = *s_.zone;
  auto in_range = [&](int64_t t) { return !s_.end || t < *s_.end; };
  if (count == 0) return out;
  if (kind_ == kAt) {
    const Firing f = AtWall(zone, at_);
    if (f.utc >= from) out.push_back(f);
    return out;
  }
  const int64_t begin = s_.start ? std::max(from, *s_.start) : from;
  if (kind_ == kRate) {
    const int64_t anchor = s_.start ? *s_.start : from;
    int64_t t =
        anchor + (begin > anchor ? (begin - anchor + interval_ - 1) / interval_ : 0) * interval_;
    for (; out.size() < count && in_range(t); t += interval_) {
      if (t >= DaysFromCivil(2200, 1, 1) * 86400) break;
      Firing f;
      f.utc = t;
      f.offset = zone.OffsetAt(t);
      f.local = t + f.offset;
      if (f.offset != zone.OffsetAt(t - interval_)) f.note = DstNote::kShifted;
      out.push_back(f);
    }
    return out;
  }
  // cron: walk local dates from the day before `begin` (an offset is at most a day).
  int64_t day = (begin + zone.OffsetAt(begin)) / 86400 - 1;
  const int64_t last_day = DaysFromCivil(2200, 1, 1);
  while (day < last_day && out.size() < count) {
    int64_t y;
    unsigned m, d;
    CivilFromDays(day, &y, &m, &d);
    if (y < 1970 || !cron_.years.test(y - 1970)) {
      day = DaysFromCivil(y + 1, 1, 1);
      continue;
    }
    if (!cron_.months.test(m)) {
      day = m == 12 ? DaysFromCivil(y + 1, 1, 1) : DaysFromCivil(y, m + 1, 1);
      continue;
    }
    if (cron_.MatchesDate(y, m, d)) {
      for (int h = 0; h < 24 && out.size() < count; ++h) {
        if (!cron_.hours.test(h)) continue;
        for (int mi = 0; mi < 60 && out.size() < count; ++mi) {
          if (!cron_.minutes.test(mi)) continue;
          const Firing f = AtWall(zone, day * 86400 + h * 3600 + mi * 60);
          if (f.utc < begin) continue;
          if (!in_range(f.utc)) return out;
          out.push_back(f);
        }
      }
    }
    ++day;
  }
  return out;
}

}  // namespace orchc
