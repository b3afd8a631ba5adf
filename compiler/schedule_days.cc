// The day fields of a cron() rule schedule: day-of-month's and day-of-week's own forms, the
// rule that one of them is '?', and dates the calendar never has. See schedule_internal.h.
#include <cstdint>
#include <string>

#include "fire_times.h"
#include "schedule_internal.h"
#include "tzdb.h"

namespace orchc::schedule_detail {

// Exactly one of day-of-month and day-of-week must be '?'. Skipped when a field misuses '?'
// (that field already has its own issue).
void Checker::CheckDayFieldsExclusive(Token dom, Token dow) {
  const std::string_view d = Raw(dom.offset, dom.size), w = Raw(dow.offset, dow.size);
  const bool dq = d == "?", wq = w == "?";
  if (dq && wq) {
    Add(dom.offset, dom.size,
        "day-of-month and day-of-week can't both be '?'; replace one of them, e.g. '*' in "
        "day-of-month to run every day");
  } else if (!dq && !wq && d.find('?') == d.npos && w.find('?') == w.npos) {
    if (d == "*" && w == "*") {
      Add(dow.offset, dow.size,
          "day-of-month and day-of-week can't both be '*'; replace the day-of-week '*' with '?' "
          "to run every day");
    } else if (w == "*") {
      Add(dow.offset, dow.size,
          "day-of-week must be '?' when day-of-month is set; replace '*' with '?'");
    } else if (d == "*") {
      Add(dom.offset, dom.size,
          "day-of-month must be '?' when day-of-week is set; replace '*' with '?'");
    } else {
      Add(dow.offset, dow.size,
          "day-of-month and day-of-week can't both be set; replace the one you don't need with "
          "'?'");
    }
  }
}

// A cron whose day fields name no date of the calendar in its months and years (30 February,
// 31 April, the fifth Sunday of a non-leap February, 29 February in years that are not leap
// years) can never fire: an error at the day field that names the date. Fields that are each
// valid are assumed (CheckField passed). L always exists; nW counts as day n (the evaluator in
// fire_times.cc does not fire nW in a month shorter than n days).
void Checker::CheckCalendar(const std::vector<Token>& fields) {
  std::vector<std::string> raw;
  for (const Token& t : fields) raw.emplace_back(Raw(t.offset, t.size));
  CronSpec c;
  std::string error;
  if (!c.Parse(raw, &error)) return;
  for (int64_t y = 1970; y <= 2199; ++y) {
    if (!c.years.test(y - 1970)) continue;
    for (unsigned m = 1; m <= 12; ++m) {
      if (!c.months.test(m)) continue;
      for (unsigned d = 1, last = DaysInMonth(y, m); d <= last; ++d) {
        if (c.MatchesDate(y, m, d)) return;
      }
    }
  }
  std::string months;
  for (unsigned m = 1; m <= 12; ++m) {
    if (c.months.test(m))
      months += (months.empty() ? "" : ",") + std::string(kCronMonthNames[m - 1]);
  }
  const Token dom = fields[kDayOfMonth], dow = fields[kDayOfWeek], year = fields[kYear];
  const std::string never = ": this schedule can never fire";
  if (c.dom_kind == CronSpec::kDomSet || c.dom_kind == CronSpec::kDomWeekday) {
    int first = c.dom_n;
    for (int d = 31; d >= 1 && c.dom_kind == CronSpec::kDomSet; --d) {
      if (c.dom.test(d)) first = d;
    }
    bool in_leap_years = false;  // the day exists in some month, but only in a leap year
    for (unsigned m = 1; m <= 12; ++m) {
      if (c.months.test(m) && first <= DaysInMonth(2028, m)) in_leap_years = true;
    }
    Add(dom.offset, dom.size,
        in_leap_years ? "day-of-month " + Quote(raw[kDayOfMonth]) +
                            " exists in FEB only in leap years, and the year field " +
                            Quote(raw[kYear]) + " has none" + never
                      : "day-of-month " + Quote(raw[kDayOfMonth]) + " never exists in " + months +
                            never + "; use 'L' for the last day of the month");
  } else {
    Add(c.dow_kind == CronSpec::kDowAny ? year.offset : dow.offset,
        c.dow_kind == CronSpec::kDowAny ? year.size : dow.size,
        "no date matches day-of-week " + Quote(raw[kDayOfWeek]) + " in " + months +
            " of the years " + Quote(raw[kYear]) + never);
  }
}

// Day-of-month forms that must be the whole field: L, nW (and the undocumented LW, L-n, W).
bool Checker::CheckDayOfMonthSpecial(Token t, bool* handled) {
  const std::string_view up = Up(t.offset, t.size);
  *handled = true;
  if (up == "L") return true;
  if (up == "LW") {
    Add(t.offset, t.size,
        "'LW' (last weekday of the month) is not documented for EventBridge rules; use 'L' for "
        "the last day of the month or 'nW' for the weekday nearest day n");
    return false;
  }
  if (up.size() > 2 && up.substr(0, 2) == "L-" && AllOf(up.substr(2), IsDigit)) {
    Add(t.offset, t.size,
        "'" + Show(Raw(t.offset, t.size)) +
            "' (days before the last day of the month) is not "
            "documented for EventBridge rules; use 'L' for the last day of the month");
    return false;
  }
  if (up == "W") {
    Add(t.offset, t.size,
        "'W' needs a day number before it, e.g. '15W' for the weekday nearest the 15th");
    return false;
  }
  if (up.size() > 1 && up.back() == 'W' && AllOf(up.substr(0, up.size() - 1), IsDigit)) {
    int v;
    return ParseValue(kFields[kDayOfMonth], t.offset, t.size - 1, &v);
  }
  *handled = false;
  return true;
}

// Day-of-week forms that must be the whole field: L, nL, d#n.
bool Checker::CheckDayOfWeekSpecial(Token t, bool* handled) {
  const FieldSpec& f = kFields[kDayOfWeek];
  const std::string_view up = Up(t.offset, t.size);
  *handled = true;
  if (up == "L") return true;
  const size_t hash = up.find('#');
  if (hash != up.npos) {
    const char* example = ", e.g. '2#1' for the first Monday of the month";
    if (up.find(',') != up.npos) {
      Add(t.offset, t.size,
          "only one '#' expression is allowed in day-of-week and it can't be listed with other "
          "days; use a separate rule for each");
      return false;
    }
    if (hash == 0) {
      Add(t.offset, 1, std::string("'#' needs a day before it") + example);
      return false;
    }
    int day;
    if (!ParseValue(f, t.offset, hash, &day)) return false;
    const std::string_view nth = up.substr(hash + 1);
    if (!AllOf(nth, IsDigit)) {
      Add(t.offset + hash, t.size - hash,
          std::string("'#' needs a week number 1-5 after it") + example);
      return false;
    }
    const long n = ParseDigits(nth, 99);
    if (n < 1 || n > 5) {
      Add(t.offset + hash + 1, nth.size(),
          "week number " + Show(Raw(t.offset + hash + 1, nth.size())) + " in '" +
              Show(Raw(t.offset, t.size)) + "' is out of range 1-5");
      return false;
    }
    return true;
  }
  if (up.size() > 1 && up.back() == 'L') {
    const std::string_view day = up.substr(0, up.size() - 1);
    if (AllOf(day, IsDigit) || AllOf(day, IsAlpha)) {
      int v;
      return ParseValue(f, t.offset, day.size(), &v);
    }
  }
  *handled = false;
  return true;
}

}  // namespace orchc::schedule_detail
