// The spec after desugaring: every default filled in, every value located.
//
// Invariants after BuildSpec succeeds: the `orchestration:` block has become an ordinary entry
// of `workflows` (from_orchestration = true); `task:` has become a one-step `steps` list and
// `schedule:` a one-entry `schedules` list; every ${env}/${workflow} is expanded; every duration
// is in seconds; workflows are sorted by name. YNode pointers (free-form JSON values such as a
// message or an input) point into the YamlDoc, which must outlive the Spec. Values are not yet
// semantically checked (cron grammar, AWS limits): that is CheckSpec's job.
//
// Absent values (docs/architecture.md, "Absent values"); ir.h follows the same rules:
//  1. A value the user may leave out and that has no default is a std::optional: of a
//     LocatedString, of a Located<T> where checks point at it, of a struct for a block
//     (`alarms:`, `logs:`), or of a plain value. nullopt is "not written", and nothing else is:
//     no has_x/given/enabled flag beside a value, no -1, 0 or "" standing for "absent".
//  2. A value that has a default is plain: BuildSpec fills the default in. Where a check or a
//     message must still know whether the user wrote it, the value carries an Origin
//     (LocatedString::origin, ImportSpec::origin, ExitCodesSpec::origin); its loc is then where
//     it was written, or where its default comes from.
//  3. A choice of more than two ways is an enum or a std::variant, not a combination of
//     optionals and flags (ResultPath's kDefault / kDiscard / kPath, WaitSpec::what).
//  4. A free-form YAML value (a message, an input, a literal list) is a `const YNode*`, nullptr
//     when not written: the pointer is the optional.
// A value that could not be read (an integer too large) is stored as an out-of-range number
// (-1) that CheckSpec's range check reports; it never stands for "absent".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "diag.h"
#include "result_path.h"
#include "yaml_tree.h"

namespace orchc {

// Where a value that has a default comes from (rule 2 of "Absent values" above).
enum class Origin {
  kDefault,  // not written: BuildSpec filled in the default
  kWritten,  // written in the spec
};

// A value and where it is written (a number, a duration in seconds).
template <typename T>
struct Located {
  T value;
  SourceLoc loc;
};

struct LocatedString {
  std::string value;
  SourceLoc loc;        // where it was written, or where its default comes from
  uint32_t length = 1;  // caret length
  bool quoted = false;  // written quoted (offsets into the text shift by one)
  Origin origin = Origin::kDefault;

  bool written() const { return origin == Origin::kWritten; }
};

struct RetrySpec {
  SourceLoc loc;
  std::vector<LocatedString> errors;
  int64_t interval_s = 30;
  int64_t max_attempts = 3;
  double backoff_rate = 2.0;
  std::optional<Located<int64_t>> max_delay_s;
  std::optional<std::string> jitter;  // "FULL" or "NONE"
  SourceLoc interval_loc, max_attempts_loc, backoff_loc;
};

struct LogsSpec {
  int64_t retention_days = 30;
  SourceLoc retention_loc;
  bool retain = true;
  std::string level = "ALL";
  bool include_execution_data = true;
};

using TagList = std::vector<std::pair<LocatedString, LocatedString>>;  // sorted by key

struct CapacityProviderSpec {
  std::string provider;
  int64_t weight = 1;
  int64_t base = 0;
  SourceLoc loc;
};

// The base of the bodies of service integrations: a kind of step that is read, checked, lowered
// and limited by its unit (integrations/integration.h), not by the passes.
struct ServiceStep {};

// What the essential container's exit codes mean (`exitCodes:`, docs/spec.md "Task outcomes").
// Invariant after CheckSpec: codes are 0..255, retry and succeed are disjoint, names are valid
// error names outside the States.* and Task.* namespaces.
struct ExitCodesSpec {
  Origin origin = Origin::kDefault;  // kWritten (even as {}): the task's outcomes are classified
  SourceLoc loc;
  std::vector<std::pair<int64_t, SourceLoc>> retry;
  std::vector<std::pair<int64_t, SourceLoc>> succeed = {{0, {}}};
  std::map<int64_t, LocatedString> names;                          // by code
  std::vector<std::pair<LocatedString, LocatedString>> bad_names;  // keys that are not codes
};

// ECS RunTask (.sync) on Fargate with container overrides.
struct EcsTaskSpec : ServiceStep {
  LocatedString container;
  std::vector<LocatedString> command;
  std::vector<bool> command_is_path;  // per argument: a JSONPath into the state
  SourceLoc command_loc;
  TagList environment;
  std::string platform_version = "LATEST";
  bool assign_public_ip = false;
  std::vector<CapacityProviderSpec> capacity_providers;  // empty: LaunchType FARGATE
  SourceLoc capacity_loc;
  bool spot_then_on_demand = false;  // capacity: spot-then-on-demand
  SourceLoc spot_loc;
  ExitCodesSpec exit_codes;
  bool propagate_tags = false;
  TagList tags;
  // `logs: {group, streamPrefix}`: where an imported task definition's container logs
  // (awslogs), for the failure notification's log link.
  struct Logs {
    LocatedString group;
    LocatedString stream_prefix;
    SourceLoc loc;
  };
  std::optional<Logs> logs;
};

struct PublishSpec : ServiceStep {
  LocatedString topic;  // an import name
  std::optional<LocatedString> subject;
  const YNode* message = nullptr;  // string or mapping; nullptr: the failure message
};

// workflow: starts a state machine, a workflow of this spec or an imported one, and waits for
// its execution to end (states:startExecution.sync:2). Exactly one of `workflow` and `import` is
// set (checked, not enforced by the schema).
struct NestedWorkflowSpec : ServiceStep {
  std::optional<LocatedString> workflow;  // a workflow of this spec
  std::optional<LocatedString> import;    // an import holding a state machine's ARN
  const YNode* input = nullptr;           // a mapping (keys ending in ".$" take JSONPaths), or null
  SourceLoc loc;
};

struct CatchSpec {
  SourceLoc loc;
  std::vector<LocatedString> errors;
  LocatedString next;
  ResultPath result_path = ResultPath::At("$.error");  // never kDefault
};

struct ChoiceRuleSpec {
  SourceLoc loc;
  std::string variable;
  std::string op;  // the spec's key, e.g. numericEquals
  const YNode* value = nullptr;
  LocatedString next;
};

struct StepSpec;
using StepList = std::vector<StepSpec>;

// parallel: branches run at the same time.
struct ParallelSpec {
  std::vector<StepList> branches;
};

// choice: the first rule that holds picks the next step, else `default_step`.
struct ChoiceSpec {
  std::vector<ChoiceRuleSpec> rules;
  std::optional<LocatedString> default_step;  // nullopt: an error (checked)
};

// map: `steps` run for each item of a list in the state (`items_path`) or a literal one.
// Exactly one of `items_path` and `items` is set (checked).
struct MapSpec {
  StepList steps;
  std::optional<std::string> items_path;
  const YNode* items = nullptr;  // the literal list
  int64_t max_concurrency = 0;   // 0: no limit (ASL's own meaning, and the default)
  SourceLoc max_concurrency_loc;
};

// wait: exactly one of a duration, a timestamp, or a path to either (the ASL field it becomes).
struct WaitSeconds {
  int64_t seconds = 0;
};
struct WaitUntil {
  std::string timestamp;
};
struct WaitTimestampPath {
  std::string path;
};
struct WaitSecondsPath {
  std::string path;
};
struct WaitSpec {
  std::variant<WaitSeconds, WaitUntil, WaitTimestampPath, WaitSecondsPath> what;
  SourceLoc loc;
};

// pass: passes its input on, or `result` when given.
struct PassSpec {
  const YNode* result = nullptr;
};

// succeed: ends the branch or execution successfully.
struct SucceedSpec {};

// fail: ends the execution with an error and a cause.
struct FailSpec {
  std::optional<std::string> error, cause;
};

// What a step does: one alternative per kind of step. Passes dispatch on it with std::visit
// (Overloaded, step_kinds.h), so a kind some pass forgets does not compile; the facts about each
// kind that are data (its YAML key, whether it can fail, ...) are kStepKinds in step_kinds.h, in
// the same order.
using StepBody = std::variant<EcsTaskSpec, PublishSpec, NestedWorkflowSpec, ParallelSpec,
                              ChoiceSpec, MapSpec, WaitSpec, PassSpec, SucceedSpec, FailSpec>;

// One state of a workflow. Steps of a sequence go to the next step of the list unless they say
// otherwise (next, end, or a kind that ends: choice, succeed, fail).
struct StepSpec {
  LocatedString name;
  SourceLoc loc;
  StepBody body;
  std::string comment;
  // nullopt: not written, and the kind fills in none (an ECS task has a default retry).
  std::optional<std::vector<RetrySpec>> retry;
  std::vector<CatchSpec> catches;
  std::optional<Located<int64_t>> timeout_s;
  ResultPath result_path;  // kDefault: not written, and the kind fills in none
  std::optional<LocatedString> next;
  bool end = false;
};

// What starts a workflow on a schedule (`engine:`); each engine has its own IAM role.
enum class TriggerEngine {
  kRule,       // an EventBridge rule (the default)
  kScheduler,  // an EventBridge Scheduler schedule
};

struct ScheduleSpec {
  SourceLoc loc;
  LocatedString name;
  LocatedString expression;
  bool enabled = true;
  TriggerEngine engine = TriggerEngine::kRule;
  SourceLoc engine_loc;
  std::optional<LocatedString> timezone;  // nullopt: UTC
  const YNode* input = nullptr;
  std::optional<LocatedString> group;  // nullopt: the default group
  int64_t flexible_window_s = 0;       // 0: off (as when not written)
  SourceLoc flexible_loc;
  std::optional<LocatedString> start_date, end_date;
  std::optional<Located<int64_t>> retry_attempts, max_event_age_s;
  std::optional<LocatedString> dead_letter_queue;  // "create", or an import name
};

// `taskDefinition:`: the workflow's own task definition instead of the imported one.
struct TaskDefinitionSpec {
  SourceLoc loc;
  LocatedString image;
  int64_t cpu = 256, memory = 512;
  SourceLoc cpu_loc, memory_loc;
  LocatedString container;
  int64_t log_retention_days = 30;
  SourceLoc log_retention_loc;
};

// `alarms:`: CloudWatch alarms on the state machine's metrics.
struct AlarmsSpec {
  SourceLoc loc;
  LocatedString notify;
  int64_t period_s = 300;
  SourceLoc period_loc;
  int64_t failed = 1, timed_out = 1, aborted = 1;
  SourceLoc failed_loc, timed_out_loc, aborted_loc;
};

// What a workflow does when it is started while a previous execution still runs (overlap.h).
enum class Overlap { kAllow, kSkip, kQueue };

struct WorkflowSpec {
  std::string name;
  SourceLoc loc;  // the workflow's key (or the orchestration: key)
  bool from_orchestration = false;
  LocatedString description;

  std::vector<ScheduleSpec> schedules;
  std::vector<StepSpec> steps;
  bool single_task = false;  // written as task: (ends in a Succeed state named Success)
  bool express = false;
  SourceLoc type_loc;
  std::optional<Located<int64_t>> timeout_s;
  // overlap: written, or the default (skip with a schedule, allow without).
  Overlap overlap = Overlap::kAllow;
  SourceLoc overlap_loc;

  bool catch_failure = true;
  LocatedString notify;  // import name of the topic
  LocatedString subject;
  bool end_failed = true;

  LocatedString state_machine_name, rule_name, state_machine_role_name, rule_role_name,
      scheduler_role_name, log_group_name;
  LogsSpec logs;
  bool tracing = true;
  std::optional<TaskDefinitionSpec> task_definition;
  std::optional<AlarmsSpec> alarms;
};

struct ImportSpec {
  // An SSM parameter the stack reads when it is deployed.
  struct Ssm {
    std::string name;
    bool string_list = false;  // a StringList parameter
  };
  std::string export_name;  // Fn::ImportValue of this, unless ssm is set
  std::optional<Ssm> ssm;
  SourceLoc loc;                     // where it is written, or the spec's start
  Origin origin = Origin::kDefault;  // kDefault: a standard import nobody redefined
};

struct Spec {
  const SourceFile* source = nullptr;
  std::string env;
  SourceLoc env_loc;
  LocatedString stack_name;
  LocatedString description;
  TagList tags;
  std::map<std::string, ImportSpec> imports;
  std::vector<WorkflowSpec> workflows;
};

}  // namespace orchc
