#include "task_outcomes.h"

#include <algorithm>

#include "integrations/integration.h"
#include "step_kinds.h"
#include "task_errors.h"
#include "yaml_tree.h"

namespace orchc {

namespace {

// The states added for step `step` are named "<step>: <suffix>". Every suffix below contains a
// space and an exit code's error name cannot, so they never clash with each other.
constexpr const char* kInput = "input";
constexpr const char* kRun = "run";
constexpr const char* kRunOnDemand = "run on demand";
constexpr const char* kFailed = "failed";
constexpr const char* kParse = "parse cause";
constexpr const char* kStopCode = "stop code";
constexpr const char* kFindContainer = "find container";
constexpr const char* kExitCode = "exit code";
constexpr const char* kNameExitCode = "name exit code";
constexpr const char* kSucceeded = "succeeded";
constexpr const char* kOtherError = "other error";
constexpr const char* kResult = "result";

bool IsSucceed(const EcsTaskSpec& task, int64_t code) {
  for (const auto& [c, loc] : task.exit_codes.succeed) {
    if (c == code) return true;
  }
  return false;
}

Json Rule(const std::string& variable, const char* op, const Json& value) {
  return Json{{"Variable", variable}, {op, value}};
}
Json Present(const std::string& variable) { return Rule(variable, "IsPresent", true); }
// The comparison only when the value is there: Step Functions fails a Choice state whose
// rule compares a path that does not exist.
Json PresentAnd(const std::string& variable, const char* op, const Json& value) {
  return Json{{"And", Json::array({Present(variable), Rule(variable, op, value)})}};
}

State FailState(const std::string& name, const std::string& error) {
  State f;
  f.name = name;
  f.type = "Fail";
  f.fields["Error"] = error;
  f.fields["CausePath"] = "$.error.Cause";  // the Cause AWS gave, unchanged
  return f;
}

// The run Task state: the step's RunTask inside the branch, reading the step's input at $.input.
State RunState(const std::string& name, const State& task, bool spot, const std::string& on_error) {
  State run;
  run.name = name;
  run.type = "Task";
  run.fields["Resource"] = task.fields.at("Resource");
  run.fields["InputPath"] = "$.input";
  Json params = Json::object();
  for (const auto& [k, v] : task.fields.at("Parameters").items()) {
    if (k == "LaunchType" && spot) {
      params["CapacityProviderStrategy"] =
          Json::array({{{"CapacityProvider", "FARGATE_SPOT"}, {"Weight", 1}}});
    } else {
      params[k] = v;
    }
  }
  run.fields["Parameters"] = std::move(params);
  run.result_path = ResultPath::At("$.result");
  run.timeout_s = task.timeout_s;
  run.catches.push_back({{"States.ALL"}, ResultPath::At("$.error"), on_error});
  run.end = true;
  return run;
}

// Names the added states: "<step>: <suffix>".
struct Namer {
  const std::string& step;
  std::string operator()(const std::string& suffix) const { return OutcomeStateName(step, suffix); }
};

// The branch's first states: the step's input put at $.input, where every state below keeps it
// (a Pass state: cfn-lint's ASL schema does not accept a Parallel's Parameters), then the run.
void RunStates(const EcsTaskSpec& task, const State& st, const Namer& N, Graph& branch) {
  State wrap;
  wrap.name = N(kInput);
  wrap.type = "Pass";
  wrap.fields["Parameters"] = {{"input.$", "$"}};
  wrap.next = N(kRun);
  branch.start_at = wrap.name;
  branch.states.push_back(std::move(wrap));
  branch.states.push_back(RunState(N(kRun), st, task.spot_then_on_demand, N(kFailed)));
  if (task.spot_then_on_demand) {
    branch.states.push_back(RunState(N(kRunOnDemand), st, /*spot=*/false, N(kFailed)));
  }
}

void FailedStates(const EcsTaskSpec& task, const Namer& N, Graph& branch) {
  // How the task failed: RunTask refused (ECS.* API errors) or answered with Failures
  // (AmazonECS.Unknown); the task stopped (States.TaskFailed, the stopped task as a JSON object
  // in Cause); anything else (States.Timeout, States.Permissions, ...) is raised unchanged.
  State failed;
  failed.name = N(kFailed);
  failed.type = "Choice";
  failed.fields["Choices"] =
      Json::array({{{"Or", Json::array({Rule("$.error.Error", "StringEquals", "AmazonECS.Unknown"),
                                        Rule("$.error.Error", "StringMatches", "ECS.*")})},
                    {"Next", N(kTaskLaunchFailed)}},
                   {{"And", Json::array({Rule("$.error.Error", "StringEquals", "States.TaskFailed"),
                                         Rule("$.error.Cause", "StringMatches", "{*")})},
                    {"Next", N(kParse)}}});
  failed.fields["Default"] = N(kOtherError);
  branch.states.push_back(std::move(failed));

  State parse;
  parse.name = N(kParse);
  parse.type = "Pass";
  parse.fields["Parameters"] = {{"Task.$", "States.StringToJson($.error.Cause)"}};
  parse.result_path = ResultPath::At("$.stopped");
  parse.next = N(kStopCode);
  branch.states.push_back(std::move(parse));

  const std::string stop_code = "$.stopped.Task.StopCode";
  State by_stop;
  by_stop.name = N(kStopCode);
  by_stop.type = "Choice";
  Json stop_rules = Json::array();
  stop_rules.push_back(
      {{"And", PresentAnd(stop_code, "StringEquals", "SpotInterruption")["And"]},
       {"Next", task.spot_then_on_demand ? N(kRunOnDemand) : N(kTaskSpotInterrupted)}});
  stop_rules.push_back({{"And", PresentAnd(stop_code, "StringEquals", "TaskFailedToStart")["And"]},
                        {"Next", N(kTaskLaunchFailed)}});
  stop_rules.push_back({{"Variable", "$.stopped.Task.Containers"},
                        {"IsPresent", true},
                        {"Next", N(kFindContainer)}});
  by_stop.fields["Choices"] = std::move(stop_rules);
  by_stop.fields["Default"] = N(kTaskStopped);
  branch.states.push_back(std::move(by_stop));
}

// The container's exit classified: success codes, named codes, else Task.ExitCode.<N>. The
// error names of named codes, each once, go to `named`.
void ExitCodeStates(const EcsTaskSpec& task, const std::string& container, const Namer& N,
                    Graph& branch, std::vector<std::string>* named_out) {
  // The container whose command the step overrides is the one whose exit the spec describes.
  State find;
  find.name = N(kFindContainer);
  find.type = "Pass";
  find.fields["Parameters"] = {
      {"Found.$", "$.stopped.Task.Containers[?(@.Name == '" + container + "')]"}};
  find.result_path = ResultPath::At("$.container");
  find.next = N(kExitCode);
  branch.states.push_back(std::move(find));

  const std::string exit_code = "$.container.Found[0].ExitCode";
  const std::string reason = "$.container.Found[0].Reason";
  State by_exit;
  by_exit.name = N(kExitCode);
  by_exit.type = "Choice";
  Json exit_rules = Json::array();
  exit_rules.push_back({{"And", PresentAnd(reason, "StringMatches", "OutOfMemoryError*")["And"]},
                        {"Next", N(kTaskOutOfMemory)}});
  exit_rules.push_back({{"Not", Present(exit_code)}, {"Next", N(kTaskStopped)}});
  // An exit 0 in a failed task: the task failed for another reason (another essential container).
  exit_rules.push_back({{"Variable", exit_code}, {"NumericEquals", 0}, {"Next", N(kTaskStopped)}});
  bool any_succeed = false;
  for (const auto& [code, loc] : task.exit_codes.succeed) {
    if (code == 0) continue;
    exit_rules.push_back(
        {{"Variable", exit_code}, {"NumericEquals", code}, {"Next", N(kSucceeded)}});
    any_succeed = true;
  }
  std::vector<std::string> named;
  for (const auto& [code, name] : task.exit_codes.names) {
    if (IsSucceed(task, code) || code == 0) continue;
    exit_rules.push_back(
        {{"Variable", exit_code}, {"NumericEquals", code}, {"Next", N(name.value)}});
    if (std::find(named.begin(), named.end(), name.value) == named.end()) {
      named.push_back(name.value);
    }
  }
  by_exit.fields["Choices"] = std::move(exit_rules);
  by_exit.fields["Default"] = N(kNameExitCode);
  branch.states.push_back(std::move(by_exit));

  State name_code;
  name_code.name = N(kNameExitCode);
  name_code.type = "Pass";
  name_code.fields["Parameters"] = {
      {"Error.$",
       "States.Format('" + std::string(kExitCodeErrorPrefix) + "{}', " + exit_code + ")"}};
  name_code.result_path = ResultPath::At("$.classified");
  name_code.next = N("Task.ExitCode");
  branch.states.push_back(std::move(name_code));

  if (any_succeed) {
    // A success code other than 0: the step's result is the stopped task, as for exit 0.
    State ok;
    ok.name = N(kSucceeded);
    ok.type = "Pass";
    ok.fields["InputPath"] = "$.stopped.Task";
    ok.result_path = ResultPath::At("$.result");
    ok.end = true;
    branch.states.push_back(std::move(ok));
  }

  *named_out = std::move(named);
}

// The Fail states every classification ends in.
void FailStates(const EcsTaskSpec& task, const std::vector<std::string>& named, const Namer& N,
                Graph& branch) {
  State by_code;
  by_code.name = N("Task.ExitCode");
  by_code.type = "Fail";
  by_code.fields["ErrorPath"] = "$.classified.Error";
  by_code.fields["CausePath"] = "$.error.Cause";
  branch.states.push_back(std::move(by_code));
  for (const std::string& n : named) branch.states.push_back(FailState(N(n), n));
  branch.states.push_back(FailState(N(kTaskLaunchFailed), kTaskLaunchFailed));
  if (!task.spot_then_on_demand) {
    branch.states.push_back(FailState(N(kTaskSpotInterrupted), kTaskSpotInterrupted));
  }
  branch.states.push_back(FailState(N(kTaskOutOfMemory), kTaskOutOfMemory));
  branch.states.push_back(FailState(N(kTaskStopped), kTaskStopped));
  State other;
  other.name = N(kOtherError);
  other.type = "Fail";
  other.fields["ErrorPath"] = "$.error.Error";
  other.fields["CausePath"] = "$.error.Cause";
  branch.states.push_back(std::move(other));
}

// The error name a non-zero exit code raises: its exitCodes.names entry, else Task.ExitCode.<N>.
std::string ExitCodeError(const EcsTaskSpec& task, int64_t code) {
  auto it = task.exit_codes.names.find(code);
  return it == task.exit_codes.names.end() ? ExitCodeErrorName(code) : it->second.value;
}

// The error names a classified task's default retry rule (a rule without `on:`) retries: the
// names of the exitCodes.retry codes, Task.LaunchFailed and Task.SpotInterrupted.
std::vector<std::string> RetryableOutcomes(const EcsTaskSpec& task) {
  std::vector<std::string> out;
  for (const auto& [code, loc] : task.exit_codes.retry) {
    std::string name = ExitCodeError(task, code);
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  out.push_back(kTaskLaunchFailed);
  out.push_back(kTaskSpotInterrupted);
  return out;
}

// The Parallel in the step's place: the step's name (the target of jumps), its Retry and Catch.
State ParallelState(const StepSpec& s, const EcsTaskSpec& task, State& st, Graph branch) {
  State par;
  par.name = st.name;
  par.type = "Parallel";
  if (st.fields.contains("Comment")) par.fields["Comment"] = st.fields.at("Comment");
  par.branches.push_back(std::move(branch));
  par.retry = std::move(st.retry);
  // A retry rule without `on:` is the task's retry policy: it retries the retryable outcomes.
  for (size_t i = 0; s.retry && i < s.retry->size() && i < par.retry.size(); ++i) {
    const RetrySpec& r = (*s.retry)[i];
    if (r.errors.size() == 1 && !r.errors[0].written())
      par.retry[i].errors = RetryableOutcomes(task);
  }
  par.catches = std::move(st.catches);

  return par;
}

}  // namespace

void ReadTaskOutcomes(const YNode* t, EcsTaskSpec& task, SpecReader& r) {
  if (const YNode* c = t->Get("capacity")) {
    task.spot_then_on_demand = c->value == "spot-then-on-demand";
    task.spot_loc = c->loc;
  }
  const YNode* ec = t->Get("exitCodes");
  if (!ec) return;
  ExitCodesSpec& out = task.exit_codes;
  out.origin = Origin::kWritten;
  out.loc = ec->loc;
  auto codes = [](const YNode* list, std::vector<std::pair<int64_t, SourceLoc>>& v) {
    v.clear();
    for (const YNode* item : list->items) {
      int64_t code = -1;
      if (!AsInt(*item, &code)) code = -1;
      v.emplace_back(code, item->loc);
    }
  };
  if (const YNode* l = ec->Get("retry")) codes(l, out.retry);
  if (const YNode* l = ec->Get("succeed")) codes(l, out.succeed);
  if (const YNode* names = ec->Get("names")) {
    for (const YNode::Entry& e : names->entries) {
      LocatedString key{e.key, e.key_loc, static_cast<uint32_t>(e.key.size()), false,
                        Origin::kWritten};
      LocatedString name = r.Literal(e.value);
      const bool digits = !e.key.empty() && e.key.size() <= 3 &&
                          e.key.find_first_not_of("0123456789") == std::string::npos;
      const int64_t code = digits ? std::stoll(e.key) : -1;
      if (digits && code <= 255) {
        out.names[code] = name;
      } else {
        out.bad_names.emplace_back(key, name);
      }
    }
  }
}

std::string OutcomeStateName(const std::string& step, const std::string& suffix) {
  return step + ": " + suffix;
}

std::vector<std::string> OutcomeStateSuffixes(const EcsTaskSpec& task) {
  std::vector<std::string> out = {kInput,        kRun,       kRunOnDemand,   kFailed,
                                  kParse,        kStopCode,  kFindContainer, kExitCode,
                                  kNameExitCode, kSucceeded, kOtherError,    kResult};
  for (const char* e : kTaskErrorNames) out.push_back(e);
  out.push_back("Task.ExitCode");
  for (const auto& [code, name] : task.exit_codes.names) out.push_back(name.value);
  return out;
}

bool ClassifiesOutcomes(const EcsTaskSpec& task) {
  return task.exit_codes.origin == Origin::kWritten || task.spot_then_on_demand;
}

std::optional<State> LowerTaskOutcomes(const StepSpec& s, const EcsTaskSpec& task, State& st) {
  const std::string& step = st.name;
  const Namer N{step};
  const Json& params = st.fields["Parameters"];
  const std::string container =
      params["Overrides"]["ContainerOverrides"][0]["Name"].get<std::string>();
  Graph branch;
  RunStates(task, st, N, branch);
  FailedStates(task, N, branch);
  std::vector<std::string> named;
  ExitCodeStates(task, container, N, branch, &named);
  FailStates(task, named, N, branch);
  State par = ParallelState(s, task, st, std::move(branch));
  std::optional<State> fixup;
  if (st.result_path.mode == ResultPathMode::kDiscard) {
    par.result_path = st.result_path;
    par.next = st.next;
    par.end = st.end;
  } else {
    // The Parallel's result is [branch output]; the branch output holds the task's at .result.
    const std::string path = st.result_path.IsPath() ? st.result_path.path : "$";
    par.result_path = st.result_path;
    State r;
    r.name = N(kResult);
    r.type = "Pass";
    r.fields["InputPath"] = path + "[0].result";
    r.result_path = st.result_path;
    r.next = st.next;
    r.end = st.end;
    par.next = r.name;
    fixup = std::move(r);
  }
  st = std::move(par);
  return fixup;
}

}  // namespace orchc
