// Helpers shared by the semantic checks (check_util.h): names, tags, imports, placeholders,
// retry and catch rules, timestamps.
#include "check_util.h"

#include <cctype>
#include <cstdio>
#include <set>
#include <string_view>

#include "tzdb.h"

namespace orchc::check {

void Err(DiagSink& sink, const LocatedString& s, const std::string& msg) {
  sink.Error(s.loc, msg, s.written() ? s.length : 1);
}

namespace {

bool CharAllowed(char c, const std::string& allowed) {
  for (size_t i = 0; i < allowed.size(); ++i) {
    if (i + 2 < allowed.size() && allowed[i + 1] == '-') {
      if (c >= allowed[i] && c <= allowed[i + 2]) return true;
      i += 2;
      continue;
    }
    if (c == allowed[i]) return true;
  }
  return false;
}

std::string DescribeClass(const std::string& allowed) {
  std::string out;
  for (size_t i = 0; i < allowed.size(); ++i) {
    if (i + 2 < allowed.size() && allowed[i + 1] == '-') {
      out += std::string(out.empty() ? "" : ", ") + allowed[i] + "-" + allowed[i + 2];
      i += 2;
    } else {
      out += std::string(out.empty() ? "" : ", ") + "'" + allowed[i] + "'";
    }
  }
  return out;
}

}  // namespace

void Name(DiagSink& sink, const LocatedString& s, const std::string& what, size_t max,
          const std::string& allowed) {
  const std::string& v = s.value;
  if (v.empty()) Err(sink, s, what + " must not be empty");
  if (v.size() > max) {
    Err(sink, s,
        what + " '" + v + "' is " + std::to_string(v.size()) + " characters, over AWS's limit of " +
            std::to_string(max) +
            (!s.written() ? "; shorten the workflow or env name, or set it under names:" : ""));
  }
  for (char c : v) {
    if (!CharAllowed(c, allowed)) {
      unsigned char u = static_cast<unsigned char>(c);
      std::string shown =
          u < 0x20 || u >= 0x7f ? "a control or non-ASCII character" : std::string("'") + c + "'";
      Err(sink, s,
          what + " '" + v + "' contains " + shown + "; allowed: " + DescribeClass(allowed));
      break;
    }
  }
}

const std::vector<std::string>& ImportNames::Get() {
  if (!built_) {
    for (const auto& [n, _] : spec_.imports) names_.push_back(n);
    built_ = true;
  }
  return names_;
}

void ImportExists(DiagSink& sink, ImportNames& imports, const LocatedString& name,
                  const std::string& what) {
  if (imports.spec().imports.count(name.value)) return;
  std::string msg =
      what + " names the import '" + name.value + "', which is not defined under imports:";
  std::string guess = SpellCheck(name.value, imports.Get());
  if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
  Err(sink, name, msg);
}

namespace {

// Unicode characters (code points) of UTF-8 text: AWS counts tag lengths in characters.
size_t Characters(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The first ASCII character outside AWS's tag character set (letters, numbers and spaces
// representable in UTF-8, and _ . : / = + - @), or 0. Non-ASCII text is left to AWS: orchc has
// no Unicode character classes, and letters and numbers of every script are allowed.
char BadTagCharacter(const std::string& s) {
  for (unsigned char c : s) {
    if (c >= 0x80 || std::isalnum(c) || c == ' ') continue;
    if (std::string_view("_.:/=+-@").find(static_cast<char>(c)) == std::string_view::npos)
      return static_cast<char>(c);
  }
  return 0;
}

std::string Shown(char c) {
  if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02x", static_cast<unsigned char>(c));
    return buf;
  }
  return std::string("'") + c + "'";
}

}  // namespace

void Tags(DiagSink& sink, const TagList& tags) {
  constexpr const char* kCharset =
      " (AWS allows letters, numbers, spaces and _ . : / = + - @ in tags)";
  for (const auto& [k, v] : tags) {
    if (k.value.empty() || Characters(k.value) > 128)
      Err(sink, k, "tag key must be 1 to 128 characters");
    if (k.value.starts_with("aws:"))
      Err(sink, k, "tag keys starting with 'aws:' are reserved by AWS");
    if (char c = BadTagCharacter(k.value))
      Err(sink, k, "tag key '" + k.value + "' contains " + Shown(c) + kCharset);
    if (Characters(v.value) > 256) Err(sink, v, "tag value is longer than 256 characters");
    if (char c = BadTagCharacter(v.value))
      Err(sink, v, "tag value '" + v.value + "' contains " + Shown(c) + kCharset);
  }
}

void ContainerName(DiagSink& sink, const LocatedString& s) {
  if (s.value.size() > 255 ||
      s.value.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
          std::string::npos) {
    Err(sink, s, "container name '" + s.value + "' must be 1-255 letters, digits, '_' and '-'");
  }
}

void Subject(DiagSink& sink, const LocatedString& s) {
  const std::string& v = s.value;
  if (v.empty() || v.size() > 100) {
    Err(sink, s,
        "notification subject must be 1 to 100 characters (SNS's limit); it is " +
            std::to_string(v.size()));
  }
  for (unsigned char c : v) {
    if (c < 0x20 || c >= 0x7f) {
      Err(sink, s,
          "notification subject must be printable ASCII on one line (SNS rejects line "
          "breaks, control and non-ASCII characters)");
      break;
    }
  }
}

bool IsIsoTimestamp(const std::string& s) {
  // YYYY-MM-DDThh:mm:ss[.fff]Z
  auto digits = [&](size_t at, size_t n) {
    if (at + n > s.size()) return false;
    for (size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
    }
    return true;
  };
  if (s.size() < 20 || !digits(0, 4) || s[4] != '-' || !digits(5, 2) || s[7] != '-' ||
      !digits(8, 2) || s[10] != 'T' || !digits(11, 2) || s[13] != ':' || !digits(14, 2) ||
      s[16] != ':' || !digits(17, 2)) {
    return false;
  }
  size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  if (i + 1 != s.size() || s[i] != 'Z') return false;
  // A day the calendar has: 2027-04-31 and 2027-02-29 are refused.
  int year = std::stoi(s.substr(0, 4));
  int month = std::stoi(s.substr(5, 2)), day = std::stoi(s.substr(8, 2));
  int hour = std::stoi(s.substr(11, 2)), minute = std::stoi(s.substr(14, 2));
  int second = std::stoi(s.substr(17, 2));
  return month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, static_cast<unsigned>(month)) && hour <= 23 && minute <= 59 &&
         second <= 59;
}

std::string NotACalendarDay(const std::string& s) {
  if (IsIsoTimestamp(s) || s.size() < 10) return "";
  std::string first = s.substr(0, 8) + "01" + s.substr(10);
  if (!IsIsoTimestamp(first)) return "";
  const int days = DaysInMonth(std::stoi(s.substr(0, 4)), std::stoi(s.substr(5, 2)));
  return "'" + s.substr(0, 10) + "' is not a day of the calendar: " + s.substr(0, 7) + " has " +
         std::to_string(days) + " days";
}

const std::vector<std::string>& StatesErrors() {
  // ASL's Appendix A (https://states-language.net/spec.html#appendix-a) and the Step Functions
  // additions (concepts-error-handling: States.DataLimitExceeded, States.Runtime).
  static const std::vector<std::string> kErrors = {"States.ALL",
                                                   "States.BranchFailed",
                                                   "States.DataLimitExceeded",
                                                   "States.ExceedToleratedFailureThreshold",
                                                   "States.HeartbeatTimeout",
                                                   "States.IntrinsicFailure",
                                                   "States.ItemReaderFailed",
                                                   "States.NoChoiceMatched",
                                                   "States.ParameterPathFailure",
                                                   "States.QueryEvaluationError",
                                                   "States.Permissions",
                                                   "States.ResultPathMatchFailure",
                                                   "States.ResultWriterFailed",
                                                   "States.Runtime",
                                                   "States.TaskFailed",
                                                   "States.Timeout"};
  return kErrors;
}

namespace {

void ErrorName(DiagSink& sink, const ErrorNameCatalog& names, const LocatedString& e) {
  std::string msg = names.Check(e.value);
  if (!msg.empty()) Err(sink, e, msg);
}

}  // namespace

void NoPlaceholder(DiagSink& sink, const std::string& value, SourceLoc loc,
                   const std::string& what) {
  if (value.find("${") == std::string::npos) return;
  sink.Error(loc, what + " '" + value +
                      "' contains '${', which CloudFormation could take for "
                      "a substitution; remove it");
}

void CatchErrors(DiagSink& sink, const ErrorNameCatalog& names,
                 const std::vector<LocatedString>& errors, bool last) {
  for (size_t i = 0; i < errors.size(); ++i) {
    ErrorName(sink, names, errors[i]);
    // Step Functions refuses States.ALL anywhere else (a catch rule without `on:` catches it).
    if (errors[i].value == "States.ALL" && (errors.size() > 1 || !last)) {
      Err(sink, errors[i],
          "States.ALL (what a catch rule without on: catches) must be the only error of the last "
          "catch rule");
    }
  }
}

void Retries(DiagSink& sink, const ErrorNameCatalog& names, const std::vector<RetrySpec>& retry) {
  std::set<std::string> seen;
  for (size_t i = 0; i < retry.size(); ++i) {
    const RetrySpec& r = retry[i];
    for (const LocatedString& e : r.errors) {
      ErrorName(sink, names, e);
      if (e.value == "States.ALL" && (r.errors.size() > 1 || i + 1 != retry.size())) {
        Err(sink, e, "States.ALL must be the only error of the last retry rule");
      }
      if (e.value == "States.Runtime") {
        Err(sink, e, "States.Runtime errors cannot be retried (they are not transient)");
      }
      if (!seen.insert(e.value).second) {
        Err(sink, e,
            "'" + e.value +
                "' is retried by an earlier rule already; this rule never applies to it");
      }
    }
    if (r.interval_s < 1 || r.interval_s > 99999999) {
      sink.Error(r.interval_loc, "retry interval must be between 1 and 99999999 seconds");
    }
    if (r.max_attempts < 0 || r.max_attempts > 99999999) {
      sink.Error(r.max_attempts_loc, "retry maxAttempts must be between 0 and 99999999");
    }
    if (!(r.backoff_rate >= 1.0) || r.backoff_rate > 1e6) {
      sink.Error(r.backoff_loc, "retry backoffRate must be at least 1.0");
    }
    if (r.max_delay_s && (r.max_delay_s->value < 1 || r.max_delay_s->value > 31622400)) {
      sink.Error(r.max_delay_s->loc,
                 "retry maxDelay must be between 1 second and 31622400 seconds (366 days)");
    }
  }
}

}  // namespace orchc::check
