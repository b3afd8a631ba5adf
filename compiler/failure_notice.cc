// The failure notification's states (failure_notice.h). Layout of the message: docs/spec.md,
// "Failure notification".
#include "failure_notice.h"

#include <algorithm>
#include <map>
#include <variant>

#include "lower.h"
#include "lower_util.h"

namespace orchc {

namespace {

// Where the notification keeps what it learns, beside the caught error at $.error.
constexpr char kFailurePath[] = "$.failure";          // {step, task, defaults}
constexpr char kCausePath[] = "$.failureCause";       // the parsed stopped task, then its parts
constexpr char kNotifyErrorPath[] = "$.notifyError";  // why SNS refused the full message

// The region of the execution, from its ARN (arn:aws:states:<region>:<account>:execution:...).
constexpr char kRegion[] = "States.ArrayGetItem(States.StringSplit($$.Execution.Id, ':'), 3)";

// When a Choice rule goes to its Next: when its test holds, or when it does not (a "Not" rule).
enum class When { kHolds, kFails };

Json Rule(const std::string& variable, const char* test, Json value, const std::string& next,
          When when) {
  Json rule = {{"Variable", variable}, {test, std::move(value)}};
  if (when == When::kFails) return Json{{"Not", std::move(rule)}, {"Next", next}};
  rule["Next"] = next;
  return rule;
}

State Pass(const std::string& name, Json parameters, const std::string& result_path,
           const std::string& next) {
  State s;
  s.name = name;
  s.type = "Pass";
  s.fields["Parameters"] = std::move(parameters);
  s.result_path = ResultPath::At(result_path);
  s.next = next;
  return s;
}

// A Choice going to `next` when every one of `present_strings` is a string and, for `matches`,
// matches its pattern; to NotifyFailure otherwise. The rules are tried in order, so a later rule
// never reads a field an earlier one found missing (Step Functions fails a comparison on a
// missing field).
State Guard(const std::string& name, const std::vector<std::string>& present_strings,
            const std::string& matches_var, const std::string& pattern, const std::string& next) {
  State s;
  s.name = name;
  s.type = "Choice";
  Json rules = Json::array();
  for (const std::string& v : present_strings) {
    rules.push_back(Rule(v, "IsPresent", true, kNotifyState, When::kFails));
    rules.push_back(Rule(v, "IsString", true, kNotifyState, When::kFails));
  }
  if (!matches_var.empty())
    rules.push_back(Rule(matches_var, "StringMatches", pattern, next, When::kHolds));
  s.fields["Choices"] = std::move(rules);
  s.fields["Default"] = matches_var.empty() ? next : kNotifyState;
  return s;
}

// The console link of a task's log stream as far as compile time knows it: the encoded log
// group, "/log-events/" and the encoded stream name up to the task id ("<prefix>/<container>/"),
// when the task's log configuration is known: the workflow's own task definition (the awslogs
// options lowering writes: group /ecs/<env>-<workflow>, stream prefix the workflow's name) or an
// imported one with `logs:`; null otherwise (and for parallel and map steps).
Json LogsBase(const Spec& spec, const WorkflowSpec& w, const StepSpec* step) {
  const auto* task = step ? std::get_if<EcsTaskSpec>(&step->body) : nullptr;
  if (!task) return nullptr;
  std::string group, prefix, container = task->container.value;
  if (w.task_definition) {
    group = "/ecs/" + TaskDefinitionFamily(spec, w);
    prefix = w.name;
    if (!task->container.written()) container = w.task_definition->container.value;
  } else if (task->logs) {
    group = task->logs->group.value;
    prefix = task->logs->stream_prefix.value;
  } else {
    return nullptr;
  }
  return ConsoleLogsPart(group) + "/log-events/" + ConsoleLogsPart(prefix + "/" + container + "/");
}

// Whether the task summary has a log link (built from $.failure.logs) or null.
enum class LogLink { kNull, kFromFailureLogs };

// The summary of the stopped task.
Json TaskSummary(LogLink link) {
  const std::string t = "$.failureCause";
  Json task = {{"exitCode.$", t + ".container.ExitCode"},
               {"containerReason.$", t + ".container.Reason"},
               {"stopCode.$", t + ".task.StopCode"},
               {"stoppedReason.$", t + ".task.StoppedReason"},
               {"taskArn.$", t + ".task.TaskArn"}};
  if (link == LogLink::kFromFailureLogs) {
    task["logs.$"] =
        "States.Format('https://{}.console.aws.amazon.com/cloudwatch/home?region={}"
        "#logsV2:log-groups/log-group/{}{}', $.failureCause.region, $.failureCause.region, "
        "$.failure.logs, States.ArrayGetItem($.failureCause.taskArnParts, "
        "States.MathAdd(States.ArrayLength($.failureCause.taskArnParts), -1)))";
  } else {
    task["logs"] = nullptr;
  }
  return {{"step.$", std::string(kFailurePath) + ".step"}, {"task", std::move(task)}};
}

// The full message, or the brief one: without the cause and the task's details.
enum class MessageForm { kFull, kBrief };

Json Message(const std::string& workflow, Substitutions& subs, MessageForm form) {
  Json m = Json::object();
  m["workflow"] = subs.Text(workflow);
  m["executionName.$"] = "$$.Execution.Name";
  m["executionArn.$"] = "$$.Execution.Id";
  m["console.$"] = std::string(
                       "States.Format('https://{}.console.aws.amazon.com/states/home?region={}"
                       "#/v2/executions/details/{}', ") +
                   kRegion + ", " + kRegion + ", $$.Execution.Id)";
  m["step.$"] = std::string(kFailurePath) + ".step";
  m["error.$"] = "$.error.Error";
  if (form == MessageForm::kBrief) {
    m["cause"] = nullptr;
    m["task"] = nullptr;
    m["notice"] = "SNS refused the full failure message; the cause is in the execution's history";
    m["noticeError.$"] = std::string(kNotifyErrorPath) + ".Error";
  } else {
    m["cause.$"] = "$.error.Cause";
    m["task.$"] = std::string(kFailurePath) + ".task";
  }
  m["timestamp.$"] = "$$.State.EnteredTime";
  return m;
}

std::string Unique(const std::string& base, const std::set<std::string>& taken) {
  std::string name = base;
  while (taken.count(name)) name += "_";
  return name;
}

// The marks of the failed steps, each catcher that goes to the notification redirected to its
// own; `any_logs_out` says whether some step's logs are known (then every mark carries a base).
std::vector<State> FailedStepMarks(const Spec& spec, const WorkflowSpec& w, Substitutions& subs,
                                   WorkflowIR& wf, const std::set<std::string>& user_names,
                                   const std::string& cause_guard, bool* any_logs_out) {
  std::vector<State> added;
  // One Pass per top-level step that goes to the notification: it records the step's name, no
  // task yet, and the defaults the task's fields are merged onto (so every field read later
  // exists, null when the cause lacks it).
  const Json defaults = {{"task", {{"StopCode", nullptr}, {"StoppedReason", nullptr}}},
                         {"container", {{"ExitCode", nullptr}, {"Reason", nullptr}}}};
  std::set<std::string> taken = user_names;
  std::map<std::string, const StepSpec*> top;
  for (const StepSpec& step : w.steps) top.emplace(step.name.value, &step);
  std::vector<Json> logs_bases;
  for (State& st : wf.graph.states) {
    auto it = top.find(st.name);
    logs_bases.push_back(LogsBase(spec, w, it == top.end() ? nullptr : it->second));
  }
  const bool any_logs =
      std::any_of(logs_bases.begin(), logs_bases.end(), [](const Json& j) { return !j.is_null(); });
  int n = 0;
  for (size_t i = 0; i < wf.graph.states.size(); ++i) {
    State& st = wf.graph.states[i];
    for (Catcher& c : st.catches) {
      if (c.next != kNotifyState) continue;
      State mark;
      mark.name = Unique("FailedStep" + std::to_string(++n), taken);
      taken.insert(mark.name);
      mark.type = "Pass";
      mark.fields["Result"] = {
          {"step", subs.Text(st.name)}, {"task", nullptr}, {"defaults", defaults}};
      if (any_logs) mark.fields["Result"]["logs"] = logs_bases[i];
      mark.result_path = ResultPath::At(kFailurePath);
      mark.next = cause_guard;
      c.next = mark.name;
      added.push_back(std::move(mark));
    }
  }
  *any_logs_out = any_logs;
  return added;
}

// The states that read the caught error's cause and summarize the failed task.
void ReadCauseStates(const std::string& cause_guard, bool any_logs, std::vector<State>& added) {
  const std::string cause = "$.error.Cause";
  const std::string parsed = std::string(kCausePath) + ".parsed";
  // Only a Cause that looks like a JSON object is parsed: States.StringToJson fails a text Cause
  // with States.Runtime, which no catcher can catch.
  added.push_back(Guard(cause_guard, {cause}, cause, "{\"*}", "ReadFailureCause"));
  added.push_back(Pass("ReadFailureCause", {{"parsed.$", "States.StringToJson(" + cause + ")"}},
                       kCausePath, "FailureTask"));
  // An ECS stopped task has a TaskArn and a first container with a Name.
  added.push_back(Guard("FailureTask", {parsed + ".TaskArn", parsed + ".Containers[0].Name"}, "",
                        "", "DescribeFailedTask"));
  const std::string d = std::string(kFailurePath) + ".defaults";
  added.push_back(Pass("DescribeFailedTask",
                       {{"task.$", "States.JsonMerge(" + d + ".task, " + parsed + ", false)"},
                        {"container.$", "States.JsonMerge(" + d + ".container, " + parsed +
                                            ".Containers[0], false)"},
                        {"taskArnParts.$", "States.StringSplit(" + parsed + ".TaskArn, '/')"},
                        {"region.$", kRegion}},
                       kCausePath, "SummarizeFailedTask"));
  if (any_logs) {
    // The link is made only for a step whose log configuration is known.
    State logs;
    logs.name = "FailureLogs";
    logs.type = "Choice";
    logs.fields["Choices"] = Json::array({{{"Variable", std::string(kFailurePath) + ".logs"},
                                           {"IsNull", true},
                                           {"Next", "SummarizeFailedTask"}}});
    logs.fields["Default"] = "SummarizeFailedTaskLogs";
    added.back().next = logs.name;
    added.push_back(std::move(logs));
    added.push_back(Pass("SummarizeFailedTaskLogs", TaskSummary(LogLink::kFromFailureLogs),
                         kFailurePath, kNotifyState));
  }
  added.push_back(
      Pass("SummarizeFailedTask", TaskSummary(LogLink::kNull), kFailurePath, kNotifyState));
}

// The two publish states (the full message, then the brief one if SNS refuses it), and the Fail
// state after them when the workflow ends failed.
void NotifyStates(const WorkflowSpec& w, Substitutions& subs, WorkflowIR& wf,
                  std::vector<State>& added) {
  State notify;
  notify.name = kNotifyState;
  SnsPublish(w.notify.value, w.subject.value, Message(w.name, subs, MessageForm::kFull), subs, wf,
             notify);
  notify.result_path = ResultPath::At("$.notification");
  notify.catches.push_back(
      {{"States.ALL"}, ResultPath::At(kNotifyErrorPath), "NotifyFailureBrief"});
  State brief;
  brief.name = "NotifyFailureBrief";
  SnsPublish(w.notify.value, w.subject.value, Message(w.name, subs, MessageForm::kBrief), subs, wf,
             brief);
  brief.result_path = ResultPath::At("$.notification");
  if (w.end_failed) {
    notify.next = brief.next = kFailedState;
  } else {
    notify.end = brief.end = true;
  }
  added.push_back(std::move(notify));
  added.push_back(std::move(brief));
  if (w.end_failed) {
    State failed;
    failed.name = kFailedState;
    failed.type = "Fail";
    // The caught error and cause become the execution's: alarms and the console show them.
    failed.fields["ErrorPath"] = "$.error.Error";
    failed.fields["CausePath"] = "$.error.Cause";
    added.push_back(std::move(failed));
  }
}

}  // namespace

std::string ConsoleLogsPart(const std::string& name) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : name) {
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += "$25";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

void AddFailureNotice(const Spec& spec, const WorkflowSpec& w, Substitutions& subs, WorkflowIR& wf,
                      const std::set<std::string>& user_names) {
  const std::string cause_guard = "FailureCause";
  bool any_logs = false;
  std::vector<State> added = FailedStepMarks(spec, w, subs, wf, user_names, cause_guard, &any_logs);
  ReadCauseStates(cause_guard, any_logs, added);
  NotifyStates(w, subs, wf, added);
  for (State& s : added) wf.graph.states.push_back(std::move(s));
}

}  // namespace orchc
