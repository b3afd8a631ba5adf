// The six fields of a cron() rule schedule: lists, ranges, steps and values. See
// schedule_internal.h.
#include <string>

#include "schedule_internal.h"

namespace orchc::schedule_detail {

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
  if (&f == &kFields[kMonth] && is_one_of(kCronDayNames, 7)) {
    return Quote(raw) + " is a day of the week, not a month; month takes 1-12 or JAN-DEC";
  }
  if (dow && is_one_of(kCronMonthNames, 12)) {
    return Quote(raw) + " is a month, not a day of the week; day-of-week takes 1-7 or SUN-SAT";
  }
  std::string msg = Quote(raw) + " is not a valid " + f.noun + "; use " + std::to_string(f.min) +
                    "-" + std::to_string(f.max);
  if (f.names != nullptr) msg += std::string(" or ") + f.names[0] + "-" + f.names[f.max - f.min];
  return msg;
}

}  // namespace orchc::schedule_detail
