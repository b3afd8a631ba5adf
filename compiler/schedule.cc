// EventBridge rule schedule expression checker. See schedule.h.
//
// Choices where the EventBridge documentation is silent or ambiguous (all strict):
//  - keywords are lowercase ("cron(", "rate("); names (JAN, mon) and L/W/# are case-insensitive;
//  - '/' is rejected in day-of-week (the documented wildcard set there is ", - * ? L #");
//  - 'L', 'nL', 'nW' and 'd#n' must be the whole field (no lists, ranges or steps); 'LW' and
//    'L-n' are not documented and are rejected;
//  - ranges must go from low to high (no wrap-around such as FRI-MON); '*' can't be listed
//    with other values; steps are 1..(number of values in the field);
//  - rate values are decimal without sign or leading zeros, 1..2147483647.
#include "schedule.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>

#include "fire_times.h"
#include "tzdb.h"

namespace orchc {
namespace {

// Static description of one cron field. Invariant: names, if set, has max - min + 1 entries and
// names[i] spells the value min + i.
struct FieldSpec {
  const char* name;  // field name as documented, e.g. "day-of-month"
  const char* noun;  // what a single value is called in messages, e.g. "minute"
  int min;
  int max;
  const char* const* names;  // uppercase three-letter names, or nullptr
};

constexpr const char* kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr const char* kDayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

enum FieldIndex { kMinutes, kHours, kDayOfMonth, kMonth, kDayOfWeek, kYear, kFieldCount };

constexpr FieldSpec kFields[kFieldCount] = {
    {"minutes", "minute", 0, 59, nullptr},
    {"hours", "hour", 0, 23, nullptr},
    {"day-of-month", "day-of-month", 1, 31, nullptr},
    {"month", "month", 1, 12, kMonthNames},
    {"day-of-week", "day-of-week", 1, 7, kDayNames},
    {"year", "year", 1970, 2199, nullptr},
};

constexpr char kFieldList[] = "(minutes hours day-of-month month day-of-week year)";
constexpr long kMaxRate = 2147483647;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
char ToUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool AllOf(std::string_view s, bool (*pred)(char)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), pred);
}

std::string Lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = ToLower(c);
  return r;
}

// Renders user text for a message: non-printable bytes become \xHH, long text is truncated.
std::string Show(std::string_view s) {
  constexpr size_t kMax = 40;
  std::string r;
  for (size_t i = 0; i < s.size() && i < kMax; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      r += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      r += "\\x";
      r += kHex[c >> 4];
      r += kHex[c & 15];
    }
  }
  if (s.size() > kMax) r += "...";
  return r;
}
std::string Quote(std::string_view s) { return "'" + Show(s) + "'"; }

// Parses up to 9 decimal digits; longer digit strings yield `too_big` (never overflows).
long ParseDigits(std::string_view s, long too_big) {
  if (s.size() > 9) return too_big;
  long v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// A run of non-space text in the expression: [offset, offset + size).
struct Token {
  size_t offset;
  size_t size;
};

// Checks one expression. `text_` is the input, `upper_` an ASCII-uppercased copy with the same
// byte offsets (used for case-insensitive matching; messages always quote `text_`).
class Checker {
 public:
  explicit Checker(std::string_view text) : text_(text), upper_(text) {
    for (char& c : upper_) c = ToUpper(c);
  }

  std::vector<ScheduleIssue> Run(Schedule* out);

 private:
  void Add(size_t offset, size_t length, std::string message) {
    issues_.push_back({offset, length, std::move(message)});
  }
  std::string_view Raw(size_t off, size_t len) const { return text_.substr(off, len); }
  std::string_view Up(size_t off, size_t len) const {
    return std::string_view(upper_).substr(off, len);
  }

  // Splits [begin, end) at whitespace; reports the first separator that is not one space.
  std::vector<Token> Split(size_t begin, size_t end, const char* what);
  void CheckCron(size_t begin, size_t end, Schedule* out);
  void CheckRate(size_t begin, size_t end, Schedule* out);
  bool CheckField(int field, Token t);
  bool CheckDayOfMonthSpecial(Token t, bool* handled);
  bool CheckDayOfWeekSpecial(Token t, bool* handled);
  bool CheckItem(const FieldSpec& f, size_t off, size_t len);
  bool ParseValue(const FieldSpec& f, size_t off, size_t len, int* value);
  std::string ValueError(const FieldSpec& f, std::string_view raw, std::string_view up) const;
  void CheckDayFieldsExclusive(Token dom, Token dow);
  void CheckCalendar(const std::vector<Token>& fields);

  std::string_view text_;
  std::string upper_;
  std::vector<ScheduleIssue> issues_;
};

std::vector<Token> Checker::Split(size_t begin, size_t end, const char* what) {
  std::vector<Token> tokens;
  bool reported = false;
  size_t i = begin;
  while (i < end) {
    size_t j = i;
    while (j < end && !IsSpace(text_[j])) ++j;
    tokens.push_back({i, j - i});
    size_t k = j;
    while (k < end && IsSpace(text_[k])) ++k;
    if (k < end && !reported && (k - j != 1 || text_[j] != ' ')) {
      Add(j, k - j, std::string(what) + " must be separated by a single space");
      reported = true;
    }
    i = k;
  }
  return tokens;
}

std::vector<ScheduleIssue> Checker::Run(Schedule* out) {
  const size_t n = text_.size();
  size_t b = 0, e = n;
  while (b < e && IsSpace(text_[b])) ++b;
  if (b == e) {
    Add(0, n,
        std::string(n == 0 ? "schedule expression is empty" : "schedule expression is blank") +
            "; write 'cron(...)' or 'rate(...)'");
    return std::move(issues_);
  }
  if (b > 0) Add(0, b, "unexpected whitespace before the schedule expression; remove it");
  while (IsSpace(text_[e - 1])) --e;
  if (e < n) Add(e, n - e, "unexpected whitespace after the schedule expression; remove it");

  size_t p = b;
  while (p < e && IsAlpha(text_[p])) ++p;
  const std::string_view keyword = Raw(b, p - b);
  const std::string lower = Lower(keyword);
  size_t open = p;
  while (open < e && IsSpace(text_[open])) ++open;
  const bool has_paren = open < e && text_[open] == '(';
  if (lower == "at") {
    Add(b, e - b,
        "'at()' one-time schedules exist only in EventBridge Scheduler, not in EventBridge "
        "rules; a rule schedule is 'cron(...)' or 'rate(...)'");
    return std::move(issues_);
  }
  if (lower != "cron" && lower != "rate") {
    if (keyword.empty()) {
      std::string msg = "a rule schedule must be 'cron(...)' or 'rate(...)'";
      if (IsDigit(text_[b]) || text_[b] == '*') {
        msg += "; wrap cron fields as 'cron(" + Show(Raw(b, e - b)) + ")'";
      }
      Add(b, e - b, msg);
    } else {
      Add(b, p - b,
          Quote(keyword) +
              " is not a schedule type; a rule schedule must be 'cron(...)' or 'rate(...)'");
    }
    return std::move(issues_);
  }
  if (keyword != lower) {
    Add(b, p - b, Quote(keyword) + " must be lowercase: '" + lower + "'");
  }
  if (!has_paren) {
    Add(p, p < e ? 1 : 0, "expected '(' after '" + lower + "'; write '" + lower + "(...)'");
    return std::move(issues_);
  }
  if (open > p) Add(p, open - p, "unexpected space between '" + lower + "' and '('; remove it");

  // The content ends at the final ')' if the expression ends with one, else at the first ')'.
  size_t close = text_[e - 1] == ')' && e - 1 > open ? e - 1 : text_.find(')', open + 1);
  size_t cb = open + 1, ce;
  if (close == std::string_view::npos || close >= e) {
    ce = e;
    Add(e, 0, "missing ')' at the end of the " + lower + " expression");
  } else {
    ce = close;
    size_t t = close + 1;
    while (t < e && IsSpace(text_[t])) ++t;
    if (t < e) Add(t, e - t, "unexpected text after ')'; remove it");
  }
  size_t tb = cb, te = ce;
  while (tb < te && IsSpace(text_[tb])) ++tb;
  while (te > tb && IsSpace(text_[te - 1])) --te;
  if (tb == te) {
    Add(open, ce - open + (ce < e ? 1 : 0),
        lower == "cron"
            ? std::string("cron() is empty; it needs 6 fields ") + kFieldList +
                  ", e.g. 'cron(0 10 * * ? *)'"
            : std::string("rate() is empty; it needs a value and a unit, e.g. 'rate(5 minutes)'"));
  } else {
    if (tb > cb) Add(cb, tb - cb, "unexpected space after '" + lower + "('; remove it");
    if (te < ce) Add(te, ce - te, "unexpected space before ')'; remove it");
    if (lower == "cron") {
      CheckCron(tb, te, out);
    } else {
      CheckRate(tb, te, out);
    }
  }
  std::stable_sort(
      issues_.begin(), issues_.end(),
      [](const ScheduleIssue& x, const ScheduleIssue& y) { return x.offset < y.offset; });
  return std::move(issues_);
}

void Checker::CheckCron(size_t begin, size_t end, Schedule* out) {
  std::vector<Token> fields = Split(begin, end, "cron fields");
  if (fields.size() != kFieldCount) {
    std::string msg = "cron() needs 6 fields " + std::string(kFieldList) + ", got " +
                      std::to_string(fields.size());
    if (fields.size() == 5) {
      msg += "; EventBridge cron has a year field: add '*' at the end";
    } else if (fields.size() == 7) {
      msg += "; EventBridge cron has no seconds field: remove the first field if it is seconds";
    }
    Add(begin, end - begin, msg);
    return;
  }
  bool ok = true;
  for (int i = 0; i < kFieldCount; ++i) ok = CheckField(i, fields[i]) && ok;
  CheckDayFieldsExclusive(fields[kDayOfMonth], fields[kDayOfWeek]);
  if (ok && issues_.empty()) CheckCalendar(fields);
  if (ok && issues_.empty() && out != nullptr) {
    out->kind = ScheduleKind::kCron;
    out->cron_fields.clear();
    for (const Token& t : fields) out->cron_fields.emplace_back(Raw(t.offset, t.size));
  }
}

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
    if (c.months.test(m)) months += (months.empty() ? "" : ",") + std::string(kMonthNames[m - 1]);
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

bool Checker::CheckField(int field, Token t) {
  const FieldSpec& f = kFields[field];
  const std::string_view up = Up(t.offset, t.size);
  for (size_t i = 0; i < up.size(); ++i) {
    const char c = up[i];
    if (!IsDigit(c) && !IsAlpha(c) &&
        std::string_view(",-*/?#").find(c) == std::string_view::npos) {
      // Span a whole UTF-8 sequence (lead byte plus continuation bytes) so the caret covers it.
      size_t len = 1;
      if (static_cast<unsigned char>(c) >= 0xc0) {
        while (len < 4 && i + len < up.size() &&
               (static_cast<unsigned char>(up[i + len]) & 0xc0) == 0x80) {
          ++len;
        }
      }
      Add(t.offset + i, len,
          "unexpected character '" + Show(Raw(t.offset + i, len)) + "' in " + f.name);
      return false;
    }
  }
  if (field == kDayOfWeek && up.find('/') != up.npos) {
    Add(t.offset + up.find('/'), 1,
        "'/' is not allowed in day-of-week; list the days instead, e.g. 'MON,WED,FRI'");
    return false;
  }
  if ((field == kDayOfMonth || field == kDayOfWeek) && up == "?") return true;
  bool handled = false;
  if (field == kDayOfMonth) {
    const bool ok = CheckDayOfMonthSpecial(t, &handled);
    if (handled) return ok;
  } else if (field == kDayOfWeek) {
    const bool ok = CheckDayOfWeekSpecial(t, &handled);
    if (handled) return ok;
  }
  // General form: a comma-separated list of items.
  size_t start = 0;
  while (true) {
    const size_t comma = up.find(',', start);
    const size_t stop = comma == up.npos ? up.size() : comma;
    if (stop == start) {
      Add(t.offset + (comma == up.npos ? start - 1 : comma), 1,
          std::string("empty entry in the ") + f.name + " list; remove the extra ','");
      return false;
    }
    if (up.substr(start, stop - start) == "*" && (start > 0 || comma != up.npos)) {
      Add(t.offset + start, 1,
          std::string("'*' already matches every ") + f.noun +
              "; remove the other values from the list");
      return false;
    }
    if (!CheckItem(f, t.offset + start, stop - start)) return false;
    if (comma == up.npos) return true;
    start = comma + 1;
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

// item := base ['/' step]; base := '*' | value | value '-' value.
bool Checker::CheckItem(const FieldSpec& f, size_t off, size_t len) {
  const std::string_view raw = Raw(off, len), up = Up(off, len);
  const size_t slash = up.find('/');
  const std::string_view base = up.substr(0, slash);
  if (slash != up.npos) {
    const std::string_view step = up.substr(slash + 1);
    const std::string_view raw_step = raw.substr(slash + 1);
    if (base.empty()) {
      Add(off, len,
          Quote(raw) + " is missing a start value before '/'; write '*" + Show(raw) + "' or '" +
              std::to_string(f.min) + Show(raw) + "'");
      return false;
    }
    if (step.empty()) {
      Add(off, len, Quote(raw) + " is missing a step after '/', e.g. '" + Show(raw) + "5'");
      return false;
    }
    if (!AllOf(step, IsDigit)) {
      Add(off + slash + 1, step.size(),
          "step " + Quote(raw_step) + " in " + f.name + " must be a whole number");
      return false;
    }
    const long span = f.max - f.min + 1;
    const long n = ParseDigits(step, span + 1);
    if (n < 1 || n > span) {
      Add(off + slash + 1, step.size(),
          "step " + Show(raw_step) + " in " + f.name + " must be between 1 and " +
              std::to_string(span));
      return false;
    }
  }
  if (base == "*") return true;
  const size_t dash = base.find('-');
  if (dash == base.npos) {
    int v;
    return ParseValue(f, off, base.size(), &v);
  }
  const std::string_view raw_base = raw.substr(0, base.size());
  if (dash == 0 || dash + 1 == base.size()) {
    Add(off, base.size(),
        "incomplete range " + Quote(raw_base) + " in " + f.name + "; write it as 'start-end'");
    return false;
  }
  int lo, hi;
  if (!ParseValue(f, off, dash, &lo) ||
      !ParseValue(f, off + dash + 1, base.size() - dash - 1, &hi)) {
    return false;
  }
  if (lo > hi) {
    const std::string_view a = raw_base.substr(0, dash), b = raw_base.substr(dash + 1);
    std::string fix;
    if (&f == &kFields[kYear]) {  // years don't wrap around
      fix = Show(b) + "-" + Show(a);
    } else {
      auto bound = [&](int v, bool named) {
        return named && f.names ? std::string(f.names[v - f.min]) : std::to_string(v);
      };
      const std::string last = bound(f.max, IsAlpha(a[0])), first = bound(f.min, IsAlpha(b[0]));
      fix = (lo == f.max ? Show(a) : Show(a) + "-" + last) + "," +
            (hi == f.min ? Show(b) : first + "-" + Show(b));
    }
    Add(off, base.size(),
        "range " + Show(raw_base) + " in " + f.name +
            " goes backwards and EventBridge ranges "
            "don't wrap around; write '" +
            fix + "'");
    return false;
  }
  return true;
}

// value := digits | name. Reports and returns false if [off, off + len) is not a valid value.
bool Checker::ParseValue(const FieldSpec& f, size_t off, size_t len, int* value) {
  const std::string_view raw = Raw(off, len), up = Up(off, len);
  if (AllOf(up, IsDigit)) {
    const long v = ParseDigits(up, f.max + 1L);
    if (v < f.min || v > f.max) {
      Add(off, len,
          std::string(f.noun) + " " + Show(raw) + " is out of range " + std::to_string(f.min) +
              "-" + std::to_string(f.max) +
              (&f == &kFields[kDayOfWeek] ? " (1 is SUN, 7 is SAT)" : ""));
      return false;
    }
    *value = static_cast<int>(v);
    return true;
  }
  if (f.names != nullptr) {
    for (int i = 0; i <= f.max - f.min; ++i) {
      if (up == f.names[i]) {
        *value = f.min + i;
        return true;
      }
    }
  }
  Add(off, len, ValueError(f, raw, up));
  return false;
}

// Explains why `up` (uppercased `raw`) is not a plain value of field `f`.
std::string Checker::ValueError(const FieldSpec& f, std::string_view raw,
                                std::string_view up) const {
  const std::string name = f.name;
  if (up.empty()) return std::string("missing ") + f.noun + " value";
  const bool dom = &f == &kFields[kDayOfMonth], dow = &f == &kFields[kDayOfWeek];
  const std::string alone =
      Quote(raw) + " must be used alone in " + name + ", not in a list, range or step";
  const bool ends_digit_plus = up.size() > 1 && AllOf(up.substr(0, up.size() - 1), IsDigit);
  if (up == "L" || (up.back() == 'L' && (ends_digit_plus || dow))) {
    return dom || dow ? alone
                      : "'L' is only allowed in day-of-month and day-of-week, not in " + name;
  }
  if (up == "W" || up == "LW" || (up.back() == 'W' && ends_digit_plus)) {
    return dom ? alone : "'W' is only allowed in day-of-month, not in " + name;
  }
  if (up.find('#') != up.npos) {
    return dow ? alone : "'#' is only allowed in day-of-week, not in " + name;
  }
  if (up.find('?') != up.npos) {
    return dom || dow
               ? "'?' must be the whole " + name + " field, not part of a list, range or step"
               : "'?' is only allowed in day-of-month and day-of-week, not in " + name;
  }
  if (up.find('*') != up.npos) {
    return "'*' can't be part of a range in " + name +
           "; use '*' alone or a range like 'start-end'";
  }
  const auto is_one_of = [&](const char* const* names, int count) {
    return std::any_of(names, names + count, [&](const char* n) { return up == n; });
  };
  if (&f == &kFields[kMonth] && is_one_of(kDayNames, 7)) {
    return Quote(raw) + " is a day of the week, not a month; month takes 1-12 or JAN-DEC";
  }
  if (dow && is_one_of(kMonthNames, 12)) {
    return Quote(raw) + " is a month, not a day of the week; day-of-week takes 1-7 or SUN-SAT";
  }
  std::string msg = Quote(raw) + " is not a valid " + f.noun + "; use " + std::to_string(f.min) +
                    "-" + std::to_string(f.max);
  if (f.names != nullptr) msg += std::string(" or ") + f.names[0] + "-" + f.names[f.max - f.min];
  return msg;
}

void Checker::CheckRate(size_t begin, size_t end, Schedule* out) {
  std::vector<Token> tokens = Split(begin, end, "rate() value and unit");
  const Token& v = tokens[0];
  const std::string_view value = Raw(v.offset, v.size);
  if (tokens.size() == 1) {
    size_t digits = 0;
    while (digits < value.size() && IsDigit(value[digits])) ++digits;
    if (digits > 0 && digits < value.size() && AllOf(value.substr(digits), IsAlpha)) {
      Add(v.offset, v.size,
          "put a space between the rate value and the unit: '" + Show(value.substr(0, digits)) +
              " " + Show(value.substr(digits)) + "'");
    } else {
      Add(v.offset, v.size, "rate() needs a value and a unit, e.g. 'rate(5 minutes)'");
    }
    return;
  }
  if (tokens.size() > 2) {
    Add(tokens[2].offset, end - tokens[2].offset,
        "unexpected text after the rate unit; rate() takes only a value and a unit");
  }
  long n = 0;
  if (AllOf(value, IsDigit)) {
    const size_t nz = value.find_first_not_of('0');
    if (nz == value.npos) {
      Add(v.offset, v.size, "rate value " + Show(value) + " must be at least 1");
    } else if (nz > 0) {
      Add(v.offset, v.size,
          "rate value " + Quote(value) + " has a leading zero; write '" + Show(value.substr(nz)) +
              "'");
    } else {
      long long big = 0;  // at most 10 digits here, so no overflow
      if (value.size() <= 10) {
        for (char c : value) big = big * 10 + (c - '0');
      }
      if (value.size() > 10 || big > kMaxRate) {
        Add(v.offset, v.size,
            "rate value " + Show(value) + " is too large; the maximum is 2147483647");
      } else {
        n = static_cast<long>(big);
      }
    }
  } else if ((value[0] == '-' || value[0] == '+') && AllOf(value.substr(1), IsDigit)) {
    Add(v.offset, v.size,
        value[0] == '-'
            ? "rate value " + Show(value) + " is negative; it must be a positive whole number"
            : "rate value " + Quote(value) + " must not have a sign; write '" +
                  Show(value.substr(1)) + "'");
  } else if (value.find('.') != value.npos) {
    Add(v.offset, v.size,
        "rate value " + Quote(value) +
            " must be a whole number; use a smaller unit, e.g. 'rate(90 minutes)' "
            "instead of 'rate(1.5 hours)'");
  } else {
    Add(v.offset, v.size, "rate value " + Quote(value) + " must be a positive whole number");
  }

  const Token& u = tokens[1];
  const std::string_view unit = Raw(u.offset, u.size);
  const std::string lower = Lower(unit);
  static constexpr const char* kUnits[] = {"minute", "minutes", "hour", "hours", "day", "days"};
  const bool known =
      std::any_of(std::begin(kUnits), std::end(kUnits), [&](const char* k) { return lower == k; });
  if (!known) {
    std::string msg = "rate unit " + Quote(unit) + " is not supported";
    if (lower == "second" || lower == "seconds" || lower == "sec" || lower == "secs" ||
        lower == "s") {
      msg += "; EventBridge rules can't run more often than once a minute: use minutes";
    } else {
      msg += "; use minute, minutes, hour, hours, day or days";
      if (lower == "week" || lower == "weeks") msg += " (e.g. 'rate(7 days)' for a week)";
    }
    Add(u.offset, u.size, msg);
    return;
  }
  if (unit != lower) {
    Add(u.offset, u.size, "rate unit " + Quote(unit) + " must be lowercase: '" + lower + "'");
    return;
  }
  if (n == 0) return;  // value already reported
  const bool plural = lower.back() == 's';
  if (n == 1 && plural) {
    Add(u.offset, u.size,
        "'" + lower + "' is plural but the value is 1; use '" + lower.substr(0, lower.size() - 1) +
            "' for a value of 1");
  } else if (n != 1 && !plural) {
    Add(u.offset, u.size,
        "'" + lower + "' is singular but the value is " + std::to_string(n) + "; use '" + lower +
            "s' for values other than 1");
  }
  if (issues_.empty() && out != nullptr) {
    out->kind = ScheduleKind::kRate;
    out->rate_value = n;
    out->rate_unit = lower;
  }
}

}  // namespace

std::vector<ScheduleIssue> CheckScheduleExpression(std::string_view expr, Schedule* out) {
  std::vector<ScheduleIssue> issues = Checker(expr).Run(out);
  // Sorted on every path, early returns included, as the header promises.
  std::stable_sort(
      issues.begin(), issues.end(),
      [](const ScheduleIssue& a, const ScheduleIssue& b) { return a.offset < b.offset; });
  return issues;
}

}  // namespace orchc
