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
//
// The checker's parts are listed in schedule_internal.h.
#include "schedule.h"

#include <algorithm>
#include <string>

#include "schedule_internal.h"

namespace orchc {
namespace schedule_detail {
namespace {

char ToUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string Lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = ToLower(c);
  return r;
}

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

long ParseDigits(std::string_view s, long too_big) {
  if (s.size() > 9) return too_big;
  long v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

Checker::Checker(std::string_view text) : text_(text), upper_(text) {
  for (char& c : upper_) c = ToUpper(c);
}

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
  size_t open = b;
  const std::string kind = CheckKeyword(b, e, &open);
  if (!kind.empty()) CheckContent(kind, open, e, out);
  return std::move(issues_);  // CheckScheduleExpression sorts them
}

std::string Checker::CheckKeyword(size_t b, size_t e, size_t* open_out) {
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
    return "";
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
    return "";
  }
  if (keyword != lower) {
    Add(b, p - b, Quote(keyword) + " must be lowercase: '" + lower + "'");
  }
  if (!has_paren) {
    Add(p, p < e ? 1 : 0, "expected '(' after '" + lower + "'; write '" + lower + "(...)'");
    return "";
  }
  if (open > p) Add(p, open - p, "unexpected space between '" + lower + "' and '('; remove it");
  *open_out = open;
  return lower;
}

void Checker::CheckContent(const std::string& lower, size_t open, size_t e, Schedule* out) {
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
    return;
  }
  if (tb > cb) Add(cb, tb - cb, "unexpected space after '" + lower + "('; remove it");
  if (te < ce) Add(te, ce - te, "unexpected space before ')'; remove it");
  if (lower == "cron") {
    CheckCron(tb, te, out);
  } else {
    CheckRate(tb, te, out);
  }
}

}  // namespace schedule_detail

std::vector<ScheduleIssue> CheckScheduleExpression(std::string_view expr, Schedule* out) {
  std::vector<ScheduleIssue> issues = schedule_detail::Checker(expr).Run(out);
  // Sorted on every path, early returns included, as the header promises.
  std::stable_sort(
      issues.begin(), issues.end(),
      [](const ScheduleIssue& a, const ScheduleIssue& b) { return a.offset < b.offset; });
  return issues;
}

}  // namespace orchc
