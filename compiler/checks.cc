// Semantic checks on the desugared spec (checks.h): everything AWS would reject at deploy or run
// time that can be known from the spec alone. This file checks the stack, the workflows, their
// triggers, task definitions and alarms; the steps are step_checks.cc's (the graph they form,
// step_graph.cc's), the ECS tasks' outcomes task_outcome_checks.cc's, the shared helpers
// check_util.cc's.
#include "checks.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "aws_limits.h"
#include "check_util.h"
#include "schedule.h"
#include "schedule_warnings.h"
#include "spec.h"
#include "step_kinds.h"
#include "task_outcomes.h"
#include "triggers.h"
#include "tzdb.h"

namespace orchc {

namespace {

using check::Err;

// CloudWatch Logs' allowed retention periods (PutRetentionPolicy).
constexpr int64_t kRetentionDays[] = {1,   3,   5,   7,   14,   30,   60,   90,   120,  150,  180,
                                      365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};

// Fargate's CPU (units) -> allowed memory (MiB): min, max, step.
struct FargateSize {
  int64_t cpu, min, max, step;
};
constexpr FargateSize kFargateSizes[] = {{256, 512, 2048, 512},       {512, 1024, 4096, 1024},
                                         {1024, 2048, 8192, 1024},    {2048, 4096, 16384, 1024},
                                         {4096, 8192, 30720, 1024},   {8192, 16384, 61440, 4096},
                                         {16384, 32768, 122880, 8192}};

class Checker {
 public:
  Checker(const Spec& spec, DiagSink& sink) : spec_(spec), sink_(sink), imports_(spec) {}

  bool Run() {
    size_t before = sink_.error_count();
    check::Name(sink_, spec_.stack_name, "stack name", 128, "A-Za-z0-9-");
    const std::string& stack = spec_.stack_name.value;
    if (!stack.empty() &&
        !((stack[0] >= 'a' && stack[0] <= 'z') || (stack[0] >= 'A' && stack[0] <= 'Z'))) {
      Err(sink_, spec_.stack_name, "stack name '" + stack + "' must start with a letter");
    }
    if (spec_.description.value.size() > 1024) {
      Err(sink_, spec_.description,
          "stack description is longer than 1024 bytes (CloudFormation's limit)");
    }
    check::Tags(sink_, spec_.tags);
    for (const auto& [name, imp] : spec_.imports) {
      if (imp.ssm) {
        if (imp.ssm->name.size() > 2048)
          sink_.Error(imp.loc,
                      "SSM parameter name of import '" + name + "' is longer than 2048 characters");
        continue;
      }
      if (imp.export_name.size() > 255) {
        sink_.Error(imp.loc, "export name of import '" + name + "' is longer than 255 characters");
      }
      if (imp.export_name.find_first_of(" \t\r\n") != std::string::npos) {
        sink_.Error(imp.loc, "export name of import '" + name + "' contains white space");
      }
    }
    if (spec_.workflows.empty()) {
      sink_.Warning(WarningClass::kNoWorkflows, SourceLoc{&spec_.source->path, 1, 1},
                    "the spec defines no workflows (add orchestration: or workflows:)");
    }
    for (const WorkflowSpec& w : spec_.workflows) {
      if (sink_.saturated()) break;  // errors are no longer shown; stop the walk
      CheckWorkflow(w);
    }
    CheckUnique();
    CheckAwsLimits(spec_, sink_);  // properties built from several values (aws_limits.h)
    WarnRevisionedTaskDefinition();
    if (sink_.error_count() == before) WarnSchedules(spec_, sink_, ScheduleWarningClock());
    return sink_.error_count() == before;
  }

 private:
  void CheckStateMachineName(const LocatedString& s) {
    const std::string& v = s.value;
    if (v.empty() || v.size() > 80) {
      Err(sink_, s,
          "state machine name '" + v + "' must be 1 to 80 characters (it is " +
              std::to_string(v.size()) + ")" +
              (!s.written() ? "; shorten the workflow or env name, or set names.stateMachine"
                            : ""));
    }
    // Step Functions forbids white space, brackets, wildcards, these punctuation marks and
    // control characters (U+0000-001F, U+007F-009F; C1 controls are C2 80-9F in UTF-8).
    static const std::string kBad = " <>{}[]?*\"#%\\^|~`$&,;:/";
    for (size_t i = 0; i < v.size(); ++i) {
      const auto u = static_cast<unsigned char>(v[i]);
      const bool control =
          u < 0x20 || u == 0x7f ||
          (u == 0xC2 && i + 1 < v.size() && static_cast<unsigned char>(v[i + 1]) <= 0x9F);
      if (control || kBad.find(v[i]) != std::string::npos) {
        Err(sink_, s,
            "state machine name '" + v + "' contains a character Step Functions forbids (" +
                (control ? std::string("a control character") : "'" + std::string(1, v[i]) + "'") +
                ")");
        break;
      }
    }
  }

  void CheckRetention(int64_t d, SourceLoc loc, const std::string& what) {
    if (std::find(std::begin(kRetentionDays), std::end(kRetentionDays), d) !=
        std::end(kRetentionDays))
      return;
    int64_t below = 0, above = 0;
    for (int64_t r : kRetentionDays) {
      if (r < d) below = r;
      if (r > d && !above) above = r;
    }
    std::string msg = what + " of " + std::to_string(d) +
                      " days is not one CloudWatch Logs allows; allowed: 1, 3, 5, 7, 14, 30, 60, "
                      "90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, "
                      "3288, 3653";
    if (below && above)
      msg += " (nearest: " + std::to_string(below) + " or " + std::to_string(above) + ")";
    sink_.Error(loc, msg);
  }

  void CheckWorkflow(const WorkflowSpec& w) {
    std::string in = " of workflow '" + w.name + "'";
    CheckStateMachineName(w.state_machine_name);
    check::Name(sink_, w.state_machine_role_name, "role name" + in, 64, "A-Za-z0-9+=,.@_-");
    if (HasEngine(w, TriggerEngine::kRule))
      check::Name(sink_, w.rule_role_name, "role name" + in, 64, "A-Za-z0-9+=,.@_-");
    if (HasEngine(w, TriggerEngine::kScheduler))
      check::Name(sink_, w.scheduler_role_name, "role name" + in, 64, "A-Za-z0-9+=,.@_-");
    for (const ScheduleSpec& s : w.schedules) CheckSchedule(w, s);
    if (w.logs.level != "OFF") {
      check::Name(sink_, w.log_group_name, "log group name" + in, 512, "._/#A-Za-z0-9-");
      if (w.log_group_name.value.starts_with("aws/")) {
        Err(sink_, w.log_group_name, "log group names cannot start with 'aws/'");
      }
      CheckRetention(w.logs.retention_days,
                     w.logs.retention_loc.line ? w.logs.retention_loc : w.loc, "log retention");
    }
    if (w.timeout_s && (w.timeout_s->value < 1 || w.timeout_s->value > 99999999)) {
      sink_.Error(w.timeout_s->loc,
                  "workflow timeout must be between 1 second and 99999999 seconds");
    }
    if (w.catch_failure) {
      check::ImportExists(sink_, imports_, w.notify, "onFailure.notify");
      check::Subject(sink_, w.subject);
    }
    if (w.task_definition) CheckTaskDefinition(*w.task_definition);
    if (w.alarms) CheckAlarms(*w.alarms);
    check::WorkflowSteps(w, sink_, imports_);
    CheckTaskOutcomes(w, sink_);
  }

  void CheckSchedule(const WorkflowSpec& w, const ScheduleSpec& s) {
    const bool scheduler = s.engine == TriggerEngine::kScheduler;
    std::string what = scheduler ? "schedule name" : "rule name";
    check::Name(sink_, s.name, what + " of workflow '" + w.name + "'", 64, "._A-Za-z0-9-");
    // EventBridge PutRule and Scheduler CreateSchedule: ScheduleExpression is 1-256 characters.
    const bool too_long = s.expression.value.size() > 256;
    if (too_long) {
      Err(sink_, s.expression,
          "schedule expression is " + std::to_string(s.expression.value.size()) +
              " characters, over the 256 AWS accepts");
    }
    if (scheduler) {
      if (!too_long) CheckSchedulerExpression(s.expression);
    } else {
      if (!too_long) CheckExpression(s.expression, s.expression.value);
      // Options that only EventBridge Scheduler has.
      for (const auto* opt : {&s.timezone, &s.group, &s.start_date, &s.end_date}) {
        if (*opt) {
          Err(sink_, **opt,
              "this option needs 'engine: scheduler' (EventBridge rules run in UTC "
              "and have no groups or start/end dates)");
        }
      }
      if (s.flexible_window_s) {
        sink_.Error(s.flexible_loc, "flexibleWindow needs 'engine: scheduler'");
      }
    }
    if (s.timezone) CheckTimezone(*s.timezone);
    if (s.group) check::Name(sink_, *s.group, "schedule group name", 64, "._A-Za-z0-9-");
    if (s.flexible_window_s && (s.flexible_window_s < 60 || s.flexible_window_s > 86400 ||
                                s.flexible_window_s % 60 != 0)) {
      sink_.Error(s.flexible_loc,
                  "flexibleWindow must be whole minutes from 1m to 24h (1440 minutes)");
    }
    for (const std::optional<LocatedString>* date : {&s.start_date, &s.end_date}) {
      const LocatedString* d = *date ? &**date : nullptr;
      if (d && !check::IsIsoTimestamp(d->value)) {
        std::string day = check::NotACalendarDay(d->value);
        Err(sink_, *d,
            !day.empty()
                ? day
                : "'" + d->value + "' is not a UTC timestamp such as 2026-01-01T00:00:00Z");
      }
    }
    if (s.start_date && s.end_date && check::IsIsoTimestamp(s.start_date->value) &&
        check::IsIsoTimestamp(s.end_date->value) && s.end_date->value <= s.start_date->value) {
      Err(sink_, *s.end_date, "endDate must be after startDate");
    }
    if (s.retry_attempts && (s.retry_attempts->value < 0 || s.retry_attempts->value > 185)) {
      sink_.Error(s.retry_attempts->loc, "retry attempts must be between 0 and 185");
    }
    if (s.max_event_age_s && (s.max_event_age_s->value < 60 || s.max_event_age_s->value > 86400)) {
      sink_.Error(s.max_event_age_s->loc, "maxEventAge must be between 60s and 24h");
    }
    if (s.dead_letter_queue && s.dead_letter_queue->value != "create") {
      check::ImportExists(sink_, imports_, *s.dead_letter_queue, "deadLetterQueue");
    }
    if (s.input) {
      for (const YNode::Entry& e : s.input->entries) {
        if (e.key == "triggerSource" || e.key == "timestamp") {
          sink_.Error(e.key_loc,
                      "'" + e.key +
                          "' is set by orchc in every execution input; use "
                          "another key",
                      static_cast<uint32_t>(e.key.size()));
        }
      }
    }
  }

  void CheckExpression(const LocatedString& s, const std::string& text, size_t shift = 0) {
    for (const ScheduleIssue& issue : CheckScheduleExpression(text)) {
      SourceLoc at = s.loc;
      if (s.value.find('\n') == std::string::npos && at.line > 0) {
        at.col += static_cast<uint32_t>(issue.offset + shift) + (s.quoted ? 1 : 0);
      }
      sink_.Error(at, issue.message, std::max<uint32_t>(1, static_cast<uint32_t>(issue.length)));
    }
  }

  // EventBridge Scheduler takes what rules take, plus one-time at(yyyy-mm-ddThh:mm:ss).
  void CheckSchedulerExpression(const LocatedString& s) {
    const std::string& v = s.value;
    if (!v.starts_with("at(")) return CheckExpression(s, v);
    std::string inner = v.size() >= 4 && v.back() == ')' ? v.substr(3, v.size() - 4) : "";
    if (std::string day = check::NotACalendarDay(inner + "Z"); !day.empty()) {
      Err(sink_, s, day);
    } else if (inner.empty() || !check::IsIsoTimestamp(inner + "Z") ||
               inner.find('.') != std::string::npos) {
      Err(sink_, s,
          "a one-time schedule is at(yyyy-mm-ddThh:mm:ss), e.g. at(2026-12-31T23:00:00), "
          "in the schedule's timezone");
    }
  }

  void CheckTimezone(const LocatedString& tz) {
    // The names AWS accepts: canonical IANA zones and links, from the embedded database.
    const std::string& v = tz.value;
    if (FindTimeZone(v)) return;
    std::string msg =
        "'" + v + "' is not a time zone of the IANA database (a zone or a link, as AWS accepts)";
    std::string guess = SuggestTimeZone(v);
    msg += guess.empty() ? "; for example Asia/Tokyo, Europe/Berlin, UTC"
                         : "; did you mean '" + guess + "'?";
    Err(sink_, tz, msg);
  }

  void CheckTaskDefinition(const TaskDefinitionSpec& d) {
    const FargateSize* size = nullptr;
    for (const FargateSize& f : kFargateSizes) {
      if (f.cpu == d.cpu) size = &f;
    }
    if (!size) {
      sink_.Error(d.cpu_loc, "Fargate cpu must be 256, 512, 1024, 2048, 4096, 8192 or 16384");
    } else if (d.memory < size->min || d.memory > size->max ||
               (d.memory - size->min) % size->step) {
      sink_.Error(d.memory_loc, "with cpu " + std::to_string(d.cpu) + ", Fargate memory must be " +
                                    std::to_string(size->min) + " to " + std::to_string(size->max) +
                                    " MiB in steps of " + std::to_string(size->step));
    }
    check::ContainerName(sink_, d.container);
    CheckRetention(d.log_retention_days, d.log_retention_loc, "container log retention");
  }

  void CheckAlarms(const AlarmsSpec& a) {
    check::ImportExists(sink_, imports_, a.notify, "alarms.notify");
    if (a.period_s < 60 || a.period_s % 60 != 0 || a.period_s > 86400) {
      sink_.Error(a.period_loc, "alarm period must be whole minutes from 1m to 24h");
    }
    for (auto [v, loc] : {std::pair{a.failed, a.failed_loc},
                          {a.timed_out, a.timed_out_loc},
                          {a.aborted, a.aborted_loc}}) {
      if (v < 0) sink_.Error(loc, "alarm threshold must be 0 (off) or more");
    }
    if (a.failed == 0 && a.timed_out == 0 && a.aborted == 0) {
      sink_.Error(a.loc, "every alarm threshold is 0: remove alarms: instead");
    }
  }

  // Names AWS requires to be unique within an account/region, across the workflows of a spec.
  void CheckUnique() {
    std::unordered_map<std::string, const LocatedString*> seen;
    seen.reserve(spec_.workflows.size() * 4);
    auto claim = [&](const LocatedString& s, const std::string& kind) {
      auto [it, fresh] = seen.emplace(kind + "\n" + s.value, &s);
      if (!fresh) {
        Err(sink_, s,
            kind + " '" + s.value + "' is used twice in this spec; AWS requires it to be unique");
      }
    };
    for (const WorkflowSpec& w : spec_.workflows) {
      claim(w.state_machine_name, "state machine name");
      claim(w.state_machine_role_name, "role name");
      for (const ScheduleSpec& s : w.schedules) {
        claim(s.name, s.engine == TriggerEngine::kScheduler
                          ? "schedule name (group " +
                                (s.group ? s.group->value : std::string("default")) + ")"
                          : std::string("rule name"));
      }
      if (HasEngine(w, TriggerEngine::kRule)) claim(w.rule_role_name, "role name");
      if (HasEngine(w, TriggerEngine::kScheduler)) claim(w.scheduler_role_name, "role name");
      if (w.logs.level != "OFF") claim(w.log_group_name, "log group name");
    }
  }

  // A task definition ARN names a revision: the exporting stack changes its export on every
  // new revision, and CloudFormation refuses to change an export another stack imports.
  void WarnRevisionedTaskDefinition() {
    const ImportSpec& imp = spec_.imports.at("taskDefinition");
    if (imp.ssm) return;
    for (const WorkflowSpec& w : spec_.workflows) {
      if (w.task_definition || !UsesEcs(w.steps)) continue;
      sink_.Warning(WarningClass::kExportLockIn, imp.origin == Origin::kDefault ? w.loc : imp.loc,
                    "the task definition comes from the export '" + imp.export_name +
                        "'; its ARN carries a revision, so the exporting stack cannot register a "
                        "new revision while this stack imports the export (CloudFormation refuses "
                        "to change an export in use); publish the ARN in an SSM parameter and "
                        "write 'taskDefinition: {ssm: /...}' under imports:, or give the workflow "
                        "its own taskDefinition:");
      return;
    }
  }

  static bool UsesEcs(const std::vector<StepSpec>& steps) {
    for (const StepSpec& s : steps) {
      if (std::holds_alternative<EcsTaskSpec>(s.body)) return true;
      for (const StepList* nested : NestedLists(s)) {
        if (UsesEcs(*nested)) return true;
      }
    }
    return false;
  }

  const Spec& spec_;
  DiagSink& sink_;
  check::ImportNames imports_;
};

}  // namespace

bool CheckSpec(const Spec& spec, DiagSink& sink) { return Checker(spec, sink).Run(); }

}  // namespace orchc
