// rate() rule schedules: the value and the unit. See schedule_internal.h.
#include <algorithm>
#include <iterator>
#include <string>

#include "schedule_internal.h"

namespace orchc::schedule_detail {
namespace {

constexpr long kMaxRate = 2147483647;

}  // namespace

void Checker::CheckRate(size_t begin, size_t end, Schedule* out) {
  std::vector<Token> tokens = Split(begin, end, "rate() value and unit");
  const Token& v = tokens[0];
  if (tokens.size() == 1) {
    const std::string_view value = Raw(v.offset, v.size);
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
  const long n = CheckRateValue(v);
  const Token& u = tokens[1];
  const std::string lower = Lower(Raw(u.offset, u.size));
  if (!CheckRateUnit(u, lower)) return;
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

long Checker::CheckRateValue(Token v) {
  const std::string_view value = Raw(v.offset, v.size);
  if (AllOf(value, IsDigit)) {
    const size_t nz = value.find_first_not_of('0');
    if (nz == value.npos) {
      Add(v.offset, v.size, "rate value " + Show(value) + " must be at least 1");
      return 0;
    }
    if (nz > 0) {
      Add(v.offset, v.size,
          "rate value " + Quote(value) + " has a leading zero; write '" + Show(value.substr(nz)) +
              "'");
      return 0;
    }
    long long big = 0;  // at most 10 digits here, so no overflow
    if (value.size() <= 10) {
      for (char c : value) big = big * 10 + (c - '0');
    }
    if (value.size() > 10 || big > kMaxRate) {
      Add(v.offset, v.size,
          "rate value " + Show(value) + " is too large; the maximum is 2147483647");
      return 0;
    }
    return static_cast<long>(big);
  }
  if ((value[0] == '-' || value[0] == '+') && AllOf(value.substr(1), IsDigit)) {
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
  return 0;
}

bool Checker::CheckRateUnit(Token u, const std::string& lower) {
  const std::string_view unit = Raw(u.offset, u.size);
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
    return false;
  }
  if (unit != lower) {
    Add(u.offset, u.size, "rate unit " + Quote(unit) + " must be lowercase: '" + lower + "'");
    return false;
  }
  return true;
}

}  // namespace orchc::schedule_detail
