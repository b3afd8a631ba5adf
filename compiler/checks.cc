// Semantic checks on the desugared spec: everything AWS would reject at deploy or run time that
// can be known from the spec alone.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "schedule.h"
#include "spec.h"

namespace orchc {

namespace {

// CloudWatch Logs' allowed retention periods (PutRetentionPolicy).
constexpr int64_t kRetentionDays[] = {1,   3,   5,   7,   14,  30,   60,   90,   120,  150,  180,
                                      365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};

// The error names Step Functions defines; any other "States." name is a typo.
const std::vector<std::string>& StatesErrors() {
  static const std::vector<std::string> kErrors = {
      "States.ALL",          "States.DataLimitExceeded", "States.ExceedToleratedFailureThreshold",
      "States.HeartbeatTimeout", "States.IntrinsicFailure", "States.ItemReaderFailed",
      "States.NoChoiceMatched", "States.ParameterPathFailure", "States.Permissions",
      "States.ResultPathMatchFailure", "States.ResultWriterFailed", "States.Runtime",
      "States.TaskFailed", "States.Timeout"};
  return kErrors;
}

class Checker {
 public:
  Checker(const Spec& spec, DiagSink& sink) : spec_(spec), sink_(sink) {}

  bool Run() {
    size_t before = sink_.error_count();
    CheckName(spec_.stack_name, "stack name", 128, "A-Za-z0-9-", true);
    if (!spec_.stack_name.value.empty() && !IsAlpha(spec_.stack_name.value[0])) {
      Err(spec_.stack_name, "stack name '" + spec_.stack_name.value + "' must start with a letter");
    }
    if (spec_.description.value.size() > 1024) {
      Err(spec_.description, "stack description is longer than 1024 bytes (CloudFormation's limit)");
    }
    for (const auto& [k, v] : spec_.tags) {
      if (k.value.size() > 128) Err(k, "tag key is longer than 128 characters");
      if (k.value.starts_with("aws:")) Err(k, "tag keys starting with 'aws:' are reserved by AWS");
      if (v.value.size() > 256) Err(v, "tag value is longer than 256 characters");
    }
    for (const auto& [name, imp] : spec_.imports) {
      if (imp.export_name.size() > 255) {
        sink_.Error(imp.loc, "export name of import '" + name + "' is longer than 255 characters");
      }
      if (imp.export_name.find_first_of(" \t\r\n") != std::string::npos) {
        sink_.Error(imp.loc, "export name of import '" + name + "' contains white space");
      }
    }
    if (spec_.workflows.empty()) {
      sink_.Warning(SourceLoc{&spec_.source->path, 1, 1},
                    "the spec defines no workflows (add orchestration: or workflows:)");
    }
    for (const WorkflowSpec& w : spec_.workflows) CheckWorkflow(w);
    CheckUnique();
    return sink_.error_count() == before;
  }

 private:
  static bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

  void Err(const LocatedString& s, const std::string& msg) {
    sink_.Error(s.loc, msg, s.defaulted ? 1 : s.length);
  }

  // Checks length and character set. `allowed` lists the characters as in a regex class.
  void CheckName(const LocatedString& s, const std::string& what, size_t max,
                 const std::string& allowed, bool nonempty) {
    const std::string& v = s.value;
    if (nonempty && v.empty()) Err(s, what + " must not be empty");
    if (v.size() > max) {
      Err(s, what + " '" + v + "' is " + std::to_string(v.size()) + " characters, over AWS's limit of " +
                 std::to_string(max) + (s.defaulted ? "; shorten the workflow or env name, or set it under names:" : ""));
    }
    for (size_t i = 0; i < v.size(); ++i) {
      if (!CharAllowed(v[i], allowed)) {
        std::string c = static_cast<unsigned char>(v[i]) < 0x20 || static_cast<unsigned char>(v[i]) >= 0x7f
                            ? "a control or non-ASCII character"
                            : std::string("'") + v[i] + "'";
        Err(s, what + " '" + v + "' contains " + c + "; allowed: " + Describe(allowed));
        break;
      }
    }
  }

  static bool CharAllowed(char c, const std::string& allowed) {
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

  static std::string Describe(const std::string& allowed) {
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

  void CheckStateMachineName(const LocatedString& s) {
    const std::string& v = s.value;
    if (v.empty() || v.size() > 80) {
      Err(s, "state machine name '" + v + "' must be 1 to 80 characters (it is " +
                 std::to_string(v.size()) + ")" +
                 (s.defaulted ? "; shorten the workflow or env name, or set names.stateMachine" : ""));
    }
    // Step Functions forbids white space, brackets, wildcards and these punctuation marks.
    static const std::string kBad = " <>{}[]?*\"#%\\^|~`$&,;:/";
    for (char c : v) {
      if (kBad.find(c) != std::string::npos || static_cast<unsigned char>(c) < 0x20 ||
          static_cast<unsigned char>(c) == 0x7f) {
        Err(s, "state machine name '" + v + "' contains a character Step Functions forbids ('" +
                   std::string(1, c) + "')");
        break;
      }
    }
  }

  void CheckWorkflow(const WorkflowSpec& w) {
    std::string in = " of workflow '" + w.name + "'";
    if (w.has_schedule) CheckSchedule(w.schedule);
    if (w.description.value.size() > 512) Err(w.description, "rule description is longer than 512 characters");
    CheckStateMachineName(w.state_machine_name);
    if (w.has_schedule) CheckName(w.rule_name, "rule name" + in, 64, "._A-Za-z0-9-", true);
    CheckName(w.state_machine_role_name, "role name" + in, 64, "A-Za-z0-9+=,.@_-", true);
    if (w.has_schedule) CheckName(w.rule_role_name, "role name" + in, 64, "A-Za-z0-9+=,.@_-", true);
    if (w.logs.level != "OFF") {
      CheckName(w.log_group_name, "log group name" + in, 512, "._/#A-Za-z0-9-", true);
      if (w.log_group_name.value.starts_with("aws/")) {
        Err(w.log_group_name, "log group names cannot start with 'aws/'");
      }
      if (std::find(std::begin(kRetentionDays), std::end(kRetentionDays), w.logs.retention_days) ==
          std::end(kRetentionDays)) {
        int64_t d = w.logs.retention_days;
        int64_t below = 0, above = 0;
        for (int64_t r : kRetentionDays) {
          if (r < d) below = r;
          if (r > d && !above) above = r;
        }
        std::string msg = "log retention of " + std::to_string(d) +
                          " days is not one CloudWatch Logs allows; allowed: 1, 3, 5, 7, 14, 30, 60, "
                          "90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, "
                          "3288, 3653";
        if (below && above) {
          msg += " (nearest: " + std::to_string(below) + " or " + std::to_string(above) + ")";
        }
        sink_.Error(w.logs.retention_loc.line ? w.logs.retention_loc : SourceLoc{w.loc}, msg);
      }
    }
    if (w.container.value.size() > 255 ||
        w.container.value.find_first_not_of(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != std::string::npos) {
      Err(w.container, "container name '" + w.container.value +
                           "' must be 1-255 letters, digits, '_' and '-'");
    }
    if (w.timeout_s && (*w.timeout_s < 1 || *w.timeout_s > 99999999)) {
      sink_.Error(w.timeout_loc, "task timeout must be between 1 second and 99999999 seconds");
    }
    CheckRetry(w);
    if (w.catch_failure) {
      auto it = spec_.imports.find(w.notify.value);
      if (it == spec_.imports.end()) {
        std::vector<std::string> names;
        for (const auto& [n, _] : spec_.imports) names.push_back(n);
        std::string msg = "onFailure.notify names the import '" + w.notify.value +
                          "', which is not defined under imports:";
        std::string guess = SpellCheck(w.notify.value, names);
        if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
        Err(w.notify, msg);
      }
      CheckSubject(w.subject);
    }
  }

  void CheckSubject(const LocatedString& s) {
    const std::string& v = s.value;
    if (v.empty() || v.size() > 100) {
      Err(s, "notification subject must be 1 to 100 characters (SNS's limit); it is " +
                 std::to_string(v.size()));
    }
    for (unsigned char c : v) {
      if (c < 0x20 || c >= 0x7f) {
        Err(s, "notification subject must be printable ASCII on one line (SNS rejects line "
               "breaks, control and non-ASCII characters)");
        break;
      }
    }
  }

  void CheckRetry(const WorkflowSpec& w) {
    std::set<std::string> seen;
    for (size_t i = 0; i < w.retry.size(); ++i) {
      const RetrySpec& r = w.retry[i];
      for (const LocatedString& e : r.errors) {
        if (e.value.starts_with("States.") &&
            std::find(StatesErrors().begin(), StatesErrors().end(), e.value) ==
                StatesErrors().end()) {
          std::string guess = SpellCheck(e.value, StatesErrors());
          Err(e, "'" + e.value + "' is not an error Step Functions defines" +
                     (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
        }
        if (e.value == "States.ALL" && (r.errors.size() > 1 || i + 1 != w.retry.size())) {
          Err(e, "States.ALL must be the only error of the last retry rule");
        }
        if (e.value == "States.Runtime") {
          Err(e, "States.Runtime errors cannot be retried (they are not transient)");
        }
        if (!seen.insert(e.value).second) {
          Err(e, "'" + e.value + "' is retried by an earlier rule already; this rule never applies to it");
        }
      }
      if (r.interval_s < 1 || r.interval_s > 99999999) {
        sink_.Error(r.interval_loc, "retry interval must be between 1 and 99999999 seconds");
      }
      if (r.max_attempts < 0 || r.max_attempts > 99999999) {
        sink_.Error(r.max_attempts_loc, "retry maxAttempts must be between 0 and 99999999");
      }
      if (!(r.backoff_rate >= 1.0) || r.backoff_rate > 1e6 || !std::isfinite(r.backoff_rate)) {
        sink_.Error(r.backoff_loc, "retry backoffRate must be at least 1.0");
      }
      if (r.max_delay_s && (*r.max_delay_s < 1 || *r.max_delay_s > 31622400)) {
        sink_.Error(r.max_delay_loc, "retry maxDelay must be between 1 second and 31622400 seconds (366 days)");
      }
    }
  }

  void CheckSchedule(const LocatedString& s) {
    for (const ScheduleIssue& issue : CheckScheduleExpression(s.value)) {
      SourceLoc at = s.loc;
      bool plain_one_line = s.value.find('\n') == std::string::npos;
      if (plain_one_line && at.line > 0) at.col += static_cast<uint32_t>(issue.offset) + (s.quoted ? 1 : 0);
      sink_.Error(at, issue.message, std::max<uint32_t>(1, static_cast<uint32_t>(issue.length)));
    }
  }

  // Names AWS requires to be unique within an account/region, across the workflows of a spec.
  void CheckUnique() {
    std::map<std::string, const LocatedString*> seen;
    auto claim = [&](const LocatedString& s, const std::string& kind) {
      auto [it, fresh] = seen.emplace(kind + "\n" + s.value, &s);
      if (!fresh) {
        Err(s, kind + " '" + s.value + "' is used by two workflows; AWS requires it to be unique");
      }
    };
    for (const WorkflowSpec& w : spec_.workflows) {
      claim(w.state_machine_name, "state machine name");
      claim(w.state_machine_role_name, "role name");
      if (w.has_schedule) {
        claim(w.rule_name, "rule name");
        claim(w.rule_role_name, "role name");
      }
      if (w.logs.level != "OFF") claim(w.log_group_name, "log group name");
    }
  }

  const Spec& spec_;
  DiagSink& sink_;
};

}  // namespace

bool CheckSpec(const Spec& spec, DiagSink& sink) { return Checker(spec, sink).Run(); }

}  // namespace orchc
