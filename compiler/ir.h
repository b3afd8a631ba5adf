// The IR: what the back ends consume. Built by Lower (lower.h) from a checked Spec; never sees
// YAML.
//
// A StackIR is a list of resources with stable logical IDs and the outputs; a WorkflowIR is a
// graph of ASL states plus the IAM statements its tasks need. Values that only CloudFormation
// knows (imports, the partition) appear in ASL strings as ${Placeholder}s whose expressions are
// listed in WorkflowIR::substitutions, in order of first use.
//
// Absent values follow spec.h's rules: an optional field is a std::optional (nullopt: not
// emitted, AWS's default applies), never a 0 or "" sentinel; ResultPath (result_path.h) is the
// one type for a state's and a catcher's ResultPath.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "diag.h"
#include "result_path.h"

namespace orchc {

using Json = nlohmann::ordered_json;

class Integration;

// A spec element that needs an IAM statement (`orchc explain`, explain.h).
struct IamBecause {
  std::string what;  // e.g. "workflow 'reports', step 'aggregate'"
  SourceLoc where;   // where the element is written
};

// One statement of a policy. The last three members say why it is there (`orchc explain`); they
// are not part of the emitted policy. `reason` is set where the statement is made (one line
// citing AWS's documentation); `because` is the spec elements needing it, set by the code that
// lowers them (AttributeStatements). A statement without them is a bug explain's tests catch.
struct IamStatement {
  std::vector<std::string> actions;  // sorted, unique
  std::vector<Json> resources;       // literal "*" or CloudFormation expressions; none in a trust
  Json condition;                    // null when unconditioned
  Json principal = nullptr;          // trust policies only: the Principal; null otherwise
  std::string reason = {};           // why AWS needs it; merged statements join theirs
  std::vector<IamBecause> because = {};
};

struct Retrier {
  std::vector<std::string> errors;
  int64_t interval_s = 1;
  int64_t max_attempts = 3;
  double backoff_rate = 2.0;
  std::optional<int64_t> max_delay_s;
  std::optional<std::string> jitter;  // FULL or NONE
};

struct Catcher {
  std::vector<std::string> errors;
  ResultPath result_path;
  std::string next;
};

struct State;

// A sequence of states: a state machine, a parallel branch, or a map's item processor.
struct Graph {
  std::string start_at;
  std::vector<State> states;  // StartAt first, then in the order they were written
};

// One ASL state. `fields` holds the type-specific members (Resource, Parameters, Choices, ...)
// in the order they are emitted; the common members are separate so the back end can order them.
struct State {
  std::string name;
  std::string type;  // Task, Succeed, Fail, Pass, Wait, Choice, Parallel, Map
  Json fields = Json::object();
  std::vector<Graph> branches;  // Parallel: its branches; Map: one, the item processor
  ResultPath result_path;
  std::optional<int64_t> timeout_s;
  std::vector<Retrier> retry;
  std::vector<Catcher> catches;
  std::optional<std::string> next;  // nullopt and !end: a terminal type (Succeed/Fail/Choice)
  bool end = false;
};

// A size AWS limits, measured by the lowering where it makes the thing; compared with its limit
// after the back ends (output_limits.h), and listed in `orchc explain`'s budget.
struct SizeUse {
  uint64_t used = 0;
  SourceLoc loc;                      // the spec text that makes it
  std::string step = {};              // a step's size: the step's name
  const Integration* unit = nullptr;  // a step's size: the unit that lowered it and checks it
};

struct WorkflowIR {
  std::string name;       // the spec's workflow name
  SourceLoc loc;          // the workflow's key in the spec
  std::string id_prefix;  // logical ID prefix, e.g. SampleBatch
  std::string comment;
  std::optional<int64_t> timeout_s;  // the state machine's TimeoutSeconds
  Graph graph;
  std::vector<IamStatement> iam;
  std::vector<std::pair<std::string, Json>> substitutions;
  // EXPRESS workflows only: the largest execution input a schedule sends, at the workflow's type.
  std::optional<SizeUse> express_input;
  // What its service steps send that their services limit (ECS: the container overrides), one
  // entry per step in the order the steps are written, nested steps after their parent.
  std::vector<SizeUse> step_sizes;
};

struct Resource {
  std::string logical_id;
  std::string type;
  Json properties = Json::object();
  std::vector<std::string> depends_on;
  std::optional<std::string> deletion_policy;  // nullopt: CloudFormation's default
  std::optional<std::string> update_replace_policy;
  const WorkflowIR* workflow = nullptr;  // the state machine's definition, for that resource type
  // AWS::IAM::Role: the statements of its trust policy and of its inline policy, in template
  // order, with why each is there (`orchc explain`). Emitted from `properties`, not from these.
  std::vector<IamStatement> trust;
  std::vector<IamStatement> policy;
  // Where the spec writes the resource's physical name (or the workflow key it is derived
  // from); unset (line 0) for resources AWS names. Read by the cross-spec checks (cross_spec.h).
  SourceLoc name_loc = {};
};

struct Output {
  std::string logical_id;
  std::string description;
  Json value;
  std::string export_name;
  SourceLoc where = {};  // the workflow the export is about (cross_spec.h)
};

// A template parameter; orchc uses them only for SSM parameter imports, always with a default,
// so deploying needs no parameter values.
struct Parameter {
  std::string logical_id;
  std::string type;
  std::string default_value;
  std::string description;
};

struct StackIR {
  std::string name;  // stack name; the template's file name
  SourceLoc loc;     // the spec file (line 0): where messages about the whole template point
  std::string description;
  std::vector<Parameter> parameters;
  std::vector<WorkflowIR> workflows;
  std::vector<Resource> resources;
  std::vector<Output> outputs;
};

}  // namespace orchc
