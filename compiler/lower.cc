// Lowering: checked Spec -> StackIR (resources with stable logical IDs, workflow graphs).
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "error_names.h"
#include "failure_notice.h"
#include "integrations.h"
#include "integrations/integration.h"
#include "ir.h"
#include "lower_util.h"
#include "overlap.h"
#include "spec.h"
#include "step_kinds.h"
#include "task_outcomes.h"
#include "triggers.h"
#include "yaml_tree.h"

namespace orchc {

std::vector<IamStatement> MergeStatements(std::vector<IamStatement> in) {
  // Statements with the same resources and condition become one; linear in the statements.
  std::vector<IamStatement> out;
  std::unordered_map<std::string, size_t> by_scope;
  for (IamStatement& st : in) {
    std::string key = Json(st.resources).dump() + "\n" + st.condition.dump();
    auto [it, fresh] = by_scope.emplace(std::move(key), out.size());
    if (fresh) {
      out.push_back(std::move(st));
    } else {
      IamStatement& into = out[it->second];
      into.actions.insert(into.actions.end(), st.actions.begin(), st.actions.end());
      into.because.insert(into.because.end(), st.because.begin(), st.because.end());
      if (into.reason.empty()) {
        into.reason = std::move(st.reason);
      } else if (!st.reason.empty() && into.reason.find(st.reason) == std::string::npos) {
        into.reason += " " + st.reason;
      }
    }
  }
  for (IamStatement& st : out) {
    std::sort(st.actions.begin(), st.actions.end());
    st.actions.erase(std::unique(st.actions.begin(), st.actions.end()), st.actions.end());
  }
  return out;
}

Json PolicyDocument(const std::vector<IamStatement>& statements) {
  Json doc = Json::object();
  doc["Version"] = "2012-10-17";
  auto& stmts = (doc["Statement"] = Json::array()).get_ref<Json::array_t&>();
  stmts.reserve(statements.size());
  for (const IamStatement& st : statements) {
    Json& s = stmts.emplace_back(Json::object());
    s["Effect"] = "Allow";
    if (!st.principal.is_null()) s["Principal"] = st.principal;
    s["Action"] = st.actions.size() == 1 ? Json(st.actions[0]) : Json(st.actions);
    if (!st.resources.empty()) {
      s["Resource"] = st.resources.size() == 1 ? st.resources[0] : Json(st.resources);
    }
    if (!st.condition.is_null()) s["Condition"] = st.condition;
  }
  return doc;
}

void AttributeStatements(std::vector<IamStatement>& iam, size_t from, const std::string& what,
                         SourceLoc where) {
  for (size_t i = from; i < iam.size(); ++i) {
    if (iam[i].because.empty()) iam[i].because.push_back({what, where});
  }
}

IamStatement TrustStatement(const char* service, Json condition) {
  IamStatement st{{"sts:AssumeRole"}, {}, std::move(condition)};
  st.principal = {{"Service", service}};
  return st;
}

std::string TaskDefinitionFamily(const Spec& spec, const WorkflowSpec& w) {
  return spec.env + "-" + w.name;
}

std::string PascalCase(const std::string& name) {
  std::string out;
  bool up = true;
  for (char c : name) {
    if (c == '-' || c == '_') {
      up = true;
      continue;
    }
    out += up && c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
    up = false;
  }
  return out;
}

Json Tags(const Spec& spec) {
  Json tags = Json::array();
  for (const auto& [k, v] : spec.tags) tags.push_back({{"Key", k.value}, {"Value", v.value}});
  return tags;
}

Resource MakeResource(std::string logical_id, std::string type) {
  Resource r;
  r.logical_id = std::move(logical_id);
  r.type = std::move(type);
  return r;
}

Json GetAtt(const std::string& id, const char* attr) {
  return Json{{"Fn::GetAtt", Json::array({id, attr})}};
}

// Recursive: the depth is bounded by the loader's max_depth (64 levels of maps and lists, aliases
// included: yaml_tree.h).
Json ValueJson(const YNode* n, Substitutions* subs) {
  auto text = [&](const std::string& t) { return subs ? subs->Text(t) : t; };
  if (!n) return nullptr;
  switch (n->kind) {
    case YNode::Kind::kNull:
      return nullptr;
    case YNode::Kind::kScalar: {
      bool b = false;
      int64_t i = 0;
      double d = 0;
      switch (Resolve(*n)) {
        case ScalarType::kNull:
          return nullptr;
        case ScalarType::kBool:
          AsBool(*n, &b);
          return b;
        case ScalarType::kInt:
          if (AsInt(*n, &i)) return i;
          break;
        case ScalarType::kFloat:
          if (AsNumber(*n, &d)) return d;
          break;
        case ScalarType::kString:
          break;
      }
      return text(n->value);
    }
    case YNode::Kind::kSeq: {
      Json a = Json::array();
      for (const YNode* item : n->items) a.push_back(ValueJson(item, subs));
      return a;
    }
    case YNode::Kind::kMap: {
      Json o = Json::object();
      for (const YNode::Entry& e : n->entries) {
        o[subs ? subs->Key(e.key) : e.key] = ValueJson(e.value, subs);
      }
      return o;
    }
  }
  return nullptr;
}

namespace {

const char* ChoiceOperator(const std::string& op) {
  static const std::pair<const char*, const char*> kOps[] = {
      {"stringEquals", "StringEquals"},
      {"stringMatches", "StringMatches"},
      {"numericEquals", "NumericEquals"},
      {"numericLessThan", "NumericLessThan"},
      {"numericGreaterThan", "NumericGreaterThan"},
      {"numericLessThanEquals", "NumericLessThanEquals"},
      {"numericGreaterThanEquals", "NumericGreaterThanEquals"},
      {"booleanEquals", "BooleanEquals"},
      {"isPresent", "IsPresent"}};
  for (const auto& [k, v] : kOps) {
    if (op == k) return v;
  }
  return "StringEquals";
}

// The names of the states a graph reaches from its StartAt, following Next, Default, every
// choice rule's Next and every catcher's Next. A name the graph does not define (a state added
// after this runs) is included when a transition names it. Branches are graphs of their own.
std::set<std::string> ReachableNames(const Graph& g) {
  std::map<std::string, const State*> by_name;
  for (const State& st : g.states) by_name.emplace(st.name, &st);
  std::set<std::string> seen;
  std::vector<std::string> todo = {g.start_at};
  auto go = [&](const std::string& name) {
    if (!name.empty() && seen.insert(name).second) todo.push_back(name);
  };
  seen.insert(g.start_at);
  while (!todo.empty()) {
    std::string name = std::move(todo.back());
    todo.pop_back();
    auto it = by_name.find(name);
    if (it == by_name.end()) continue;
    const State& st = *it->second;
    if (st.next) go(*st.next);
    for (const Catcher& c : st.catches) go(c.next);
    if (const auto d = st.fields.find("Default"); d != st.fields.end() && d->is_string()) {
      go(d->get<std::string>());
    }
    if (const auto cs = st.fields.find("Choices"); cs != st.fields.end() && cs->is_array()) {
      for (const Json& rule : *cs) {
        if (const auto n = rule.find("Next"); n != rule.end() && n->is_string()) {
          go(n->get<std::string>());
        }
      }
    }
  }
  return seen;
}

class WorkflowLowering {
 public:
  WorkflowLowering(const Spec& spec, const WorkflowSpec& w, WorkflowIR& wf)
      : spec_(spec), w_(w), wf_(wf), subs_(wf) {
    subs_.spec = &spec;
  }

  void Run() {
    wf_.comment =
        subs_.Text(!w_.description.written()
                       ? "Runs the " + w_.name + " batch task on ECS Fargate; notifies on failure"
                       : w_.description.value);
    if (w_.timeout_s) wf_.timeout_s = w_.timeout_s->value;
    wf_.graph = Sequence(w_.steps, /*top=*/true);
    if (w_.single_task) {
      State success;
      success.name = kSuccessState;
      success.type = "Succeed";
      wf_.graph.states.push_back(std::move(success));
    }
    // The failure notification is added only when a state of the emitted graph goes to it: when
    // every top-level step catches its own errors or cannot fail, nothing does, and Step
    // Functions refuses a definition with a state it cannot reach.
    if (w_.catch_failure && ReachableNames(wf_.graph).count(kNotifyState)) {
      const size_t iam_before = wf_.iam.size();
      AddFailureNotice(spec_, w_, subs_, wf_, user_names_);
      AttributeStatements(wf_.iam, iam_before, What() + ", its failure notification (notify)",
                          Where(w_.notify.loc));
    }
    size_t iam_before = wf_.iam.size();
    WrapWithOverlapLease(w_, subs_, wf_);  // the whole graph, notification included
    AttributeStatements(wf_.iam, iam_before, What() + ", its overlap control (overlap)",
                        Where(w_.overlap_loc));
    iam_before = wf_.iam.size();
    for (const Integration* unit : Integrations()) unit->WorkflowStatements(w_, wf_);
    AttributeStatements(wf_.iam, iam_before, What() + ", its logging and tracing (logs, tracing)",
                        w_.loc);
    wf_.iam = MergeStatements(std::move(wf_.iam));
  }

 private:
  // The state a jump to `step` lands on: a map over literal items starts with the Pass state
  // that puts the items into the state.
  static std::string Entry(const StepSpec& s) {
    return LiteralItems(s) ? ItemsStateName(s) : s.name.value;
  }
  // A map step's literal list of items, or null.
  static const YNode* LiteralItems(const StepSpec& s) {
    const auto* m = std::get_if<MapSpec>(&s.body);
    return m ? m->items : nullptr;
  }
  static std::string ItemsStateName(const StepSpec& s) { return s.name.value + "Items"; }
  // How `orchc explain` names the workflow, and where a possibly defaulted value stands.
  std::string What() const { return "workflow '" + w_.name + "'"; }
  SourceLoc Where(SourceLoc loc) const { return loc.line ? loc : w_.loc; }

  // Recursive (through StepState) over parallel branches and map steps only, whose nesting is
  // bounded by the loader's max_depth (64 levels of maps and lists, aliases included: yaml_tree.h);
  // the steps of one list are lowered in a loop.
  Graph Sequence(const std::vector<StepSpec>& steps, bool top) {
    std::map<std::string, std::string> entry;
    for (const StepSpec& s : steps) entry[s.name.value] = Entry(s);
    auto target = [&](const std::string& name) {
      auto it = entry.find(name);
      return it == entry.end() ? name : it->second;
    };
    Graph g;
    for (size_t i = 0; i < steps.size(); ++i) {
      const StepSpec& s = steps[i];
      State st = StepState(s, top, target);
      if (!KindOf(s).ends) {
        if (s.next) {
          st.next = target(s.next->value);
        } else if (s.end) {
          st.end = true;
        } else if (i + 1 < steps.size()) {
          st.next = Entry(steps[i + 1]);
        } else if (top && w_.single_task) {
          st.next = kSuccessState;
        } else {
          st.end = true;
        }
      }
      if (const YNode* literal = LiteralItems(s)) {
        State items;
        items.name = ItemsStateName(s);
        user_names_.insert(items.name);
        items.type = "Pass";
        items.fields["Result"] = ValueJson(literal, &subs_);
        items.result_path = ResultPath::At("$.mapItems");
        items.next = s.name.value;
        st.fields["ItemsPath"] = "$.mapItems";
        g.states.push_back(std::move(items));
      }
      // exitCodes/capacity: the Task becomes a classifying Parallel (task_outcomes.h).
      std::optional<State> after;
      if (const auto* t = std::get_if<EcsTaskSpec>(&s.body); t && ClassifiesOutcomes(*t)) {
        after = LowerTaskOutcomes(s, *t, st);
      }
      g.states.push_back(std::move(st));
      if (after) g.states.push_back(std::move(*after));
    }
    if (!steps.empty()) g.start_at = Entry(steps[0]);
    return g;
  }

  template <typename Target>
  State StepState(const StepSpec& s, bool top, const Target& target) {
    State st;
    st.name = s.name.value;
    user_names_.insert(st.name);
    if (!s.comment.empty()) st.fields["Comment"] = subs_.Text(s.comment);
    const size_t iam_before = wf_.iam.size();
    std::visit(Overloaded{[&]<ServiceBody B>(const B&) {
                            LowerContext ctx{spec_, w_, subs_, wf_};
                            IntegrationFor<B>().Lower(s, ctx, st);
                          },
                          [&](const ParallelSpec& p) {
                            st.type = "Parallel";
                            for (const StepList& branch : p.branches)
                              st.branches.push_back(Sequence(branch, /*top=*/false));
                          },
                          [&](const MapSpec& m) {
                            st.type = "Map";
                            if (m.items_path) st.fields["ItemsPath"] = *m.items_path;
                            if (m.max_concurrency > 0)
                              st.fields["MaxConcurrency"] = m.max_concurrency;
                            st.branches.push_back(Sequence(m.steps, /*top=*/false));
                          },
                          [&](const ChoiceSpec& c) { Choice(c, st, target); },
                          [&](const WaitSpec& w) {
                            st.type = "Wait";
                            WaitField(w, st);
                          },
                          [&](const PassSpec& p) {
                            st.type = "Pass";
                            if (p.result) st.fields["Result"] = ValueJson(p.result, &subs_);
                          },
                          [&](const SucceedSpec&) { st.type = "Succeed"; },
                          [&](const FailSpec& f) {
                            st.type = "Fail";
                            if (f.error) st.fields["Error"] = subs_.Text(*f.error);
                            if (f.cause) st.fields["Cause"] = subs_.Text(*f.cause);
                          }},
               s.body);
    AttributeStatements(wf_.iam, iam_before, What() + ", step '" + s.name.value + "'",
                        s.name.loc.line ? s.name.loc : Where(s.loc));
    st.result_path = s.result_path;
    if (s.timeout_s) st.timeout_s = s.timeout_s->value;
    for (const RetrySpec& r : s.retry.value_or(std::vector<RetrySpec>{})) {
      Retrier out;
      for (const LocatedString& e : r.errors)
        out.errors.push_back(subs_.Text(AslErrorName(e.value)));
      out.interval_s = r.interval_s;
      out.max_attempts = r.max_attempts;
      out.backoff_rate = r.backoff_rate;
      if (r.max_delay_s) out.max_delay_s = r.max_delay_s->value;
      out.jitter = r.jitter;
      st.retry.push_back(std::move(out));
    }
    bool catches_all = false;
    for (const CatchSpec& c : s.catches) {
      Catcher out;
      for (const LocatedString& e : c.errors) {
        out.errors.push_back(subs_.Text(AslErrorName(e.value)));
        catches_all = catches_all || e.value == "States.ALL";
      }
      out.result_path = c.result_path;
      out.next = target(c.next.value);
      st.catches.push_back(std::move(out));
    }
    // Failures of top-level steps that nothing else catches go to the notification.
    if (top && w_.catch_failure && KindOf(s).can_fail && !catches_all) {
      st.catches.push_back({{"States.ALL"}, ResultPath::At("$.error"), kNotifyState});
    }
    return st;
  }

  // The one field of a Wait state: Seconds, Timestamp, TimestampPath or SecondsPath.
  static void WaitField(const WaitSpec& w, State& st) {
    std::visit(Overloaded{[&](const WaitSeconds& v) { st.fields["Seconds"] = v.seconds; },
                          [&](const WaitUntil& v) {
                            // Written empty, it is left out (CheckSpec does not report it).
                            if (!v.timestamp.empty()) st.fields["Timestamp"] = v.timestamp;
                          },
                          [&](const WaitTimestampPath& v) { st.fields["TimestampPath"] = v.path; },
                          [&](const WaitSecondsPath& v) { st.fields["SecondsPath"] = v.path; }},
               w.what);
  }

  template <typename Target>
  void Choice(const ChoiceSpec& c, State& st, const Target& target) {
    st.type = "Choice";
    Json choices = Json::array();
    for (const ChoiceRuleSpec& r : c.rules) {
      choices.push_back({{"Variable", r.variable},
                         {ChoiceOperator(r.op), ValueJson(r.value, &subs_)},
                         {"Next", target(r.next.value)}});
    }
    st.fields["Choices"] = std::move(choices);
    if (c.default_step) st.fields["Default"] = target(c.default_step->value);
  }

  const Spec& spec_;
  const WorkflowSpec& w_;
  WorkflowIR& wf_;
  Substitutions subs_;
  std::set<std::string> user_names_;  // every step's state name, branches included
};

WorkflowIR LowerWorkflow(const Spec& spec, const WorkflowSpec& w) {
  WorkflowIR wf;
  wf.name = w.name;
  wf.id_prefix = PascalCase(w.name);
  WorkflowLowering(spec, w, wf).Run();
  return wf;
}

// AWS: "Prevent cross-service confused deputy" in Step Functions' IAM role documentation.
constexpr const char* kStatesTrustReason =
    "Step Functions assumes this role to run the state machine; the aws:SourceAccount condition "
    "lets only this account's state machines do so (AWS's cross-service confused-deputy "
    "prevention).";

class ResourceBuilder {
 public:
  // Appends the workflow's resources and outputs to `stack`. `groups`: the logical IDs of the
  // schedule groups made so far.
  ResourceBuilder(const Spec& spec, const WorkflowSpec& w, const WorkflowIR& wf, StackIR& stack,
                  std::unordered_set<std::string>& groups)
      : spec_(spec),
        w_(w),
        wf_(wf),
        stack_(stack),
        groups_(groups),
        p_(wf.id_prefix),
        subs_(scratch_) {
    subs_.spec = &spec;
  }

  void Run() {
    const bool logging = w_.logs.level != "OFF";
    if (logging) {
      LogGroup(p_ + "LogGroup", w_.log_group_name.value, w_.logs.retention_days,
               NameLoc(w_.log_group_name.written() ? w_.log_group_name : w_.state_machine_name));
    }
    if (w_.task_definition) TaskDefinition();
    OverlapResources(spec_, w_, p_, stack_);
    StateMachineRoleAndMachine(logging);
    TriggerContext triggers{spec_, w_, p_, subs_, stack_, groups_};
    LowerTriggers(triggers);
    if (w_.alarms) Alarms();
    stack_.outputs.push_back({p_ + "StateMachineArn", "ARN of the " + w_.name + " state machine",
                              Json{{"Ref", sm_id()}},
                              spec_.env + "-" + w_.name + "-StateMachineArn", w_.loc});
    stack_.outputs.push_back({p_ + "StateMachineName", "Name of the " + w_.name + " state machine",
                              GetAtt(sm_id(), "Name"),
                              spec_.env + "-" + w_.name + "-StateMachineName", w_.loc});
  }

 private:
  std::string sm_id() const { return p_ + "StateMachine"; }

  void Tag(Resource& r) {
    if (!spec_.tags.empty()) r.properties["Tags"] = Tags(spec_);
  }

  // Where a physical name is written, or the workflow's key when it is derived (the default
  // log group name is derived from the state machine's).
  SourceLoc NameLoc(const LocatedString& s) const { return s.loc.line ? s.loc : w_.loc; }

  void LogGroup(const std::string& id, const std::string& name, int64_t retention,
                SourceLoc name_loc) {
    Resource lg = MakeResource(id, "AWS::Logs::LogGroup");
    lg.properties["LogGroupName"] = name;
    lg.name_loc = name_loc;
    lg.properties["RetentionInDays"] = retention;
    Tag(lg);
    lg.deletion_policy = lg.update_replace_policy = w_.logs.retain ? "Retain" : "Delete";
    stack_.resources.push_back(std::move(lg));
  }

  void TaskDefinition() {
    const TaskDefinitionSpec& d = *w_.task_definition;
    std::string family = TaskDefinitionFamily(spec_, w_);
    LogGroup(p_ + "TaskLogGroup", "/ecs/" + family, d.log_retention_days, w_.loc);
    Resource td = MakeResource(p_ + "TaskDefinition", "AWS::ECS::TaskDefinition");
    td.properties["Family"] = family;
    td.properties["Cpu"] = std::to_string(d.cpu);
    td.properties["Memory"] = std::to_string(d.memory);
    td.properties["NetworkMode"] = "awsvpc";
    td.properties["RequiresCompatibilities"] = Json::array({"FARGATE"});
    td.properties["ExecutionRoleArn"] = subs_.Import("executionRole");
    td.properties["TaskRoleArn"] = subs_.Import("taskRole");
    td.properties["ContainerDefinitions"] =
        Json::array({{{"Name", d.container.value},
                      {"Image", d.image.value},
                      {"Essential", true},
                      {"LogConfiguration",
                       {{"LogDriver", "awslogs"},
                        {"Options",
                         {{"awslogs-group", {{"Ref", p_ + "TaskLogGroup"}}},
                          {"awslogs-region", {{"Ref", "AWS::Region"}}},
                          {"awslogs-stream-prefix", w_.name}}}}}}});
    Tag(td);
    stack_.resources.push_back(std::move(td));
  }

  void StateMachineRoleAndMachine(bool logging) {
    const std::string role_id = p_ + "StateMachineRole";
    Resource role = MakeResource(role_id, "AWS::IAM::Role");
    role.properties["RoleName"] = w_.state_machine_role_name.value;
    role.name_loc = NameLoc(w_.state_machine_role_name);
    role.trust = {
        TrustStatement("states.amazonaws.com",
                       {{"StringEquals", {{"aws:SourceAccount", {{"Ref", "AWS::AccountId"}}}}}})};
    role.trust[0].reason = kStatesTrustReason;
    AttributeStatements(role.trust, 0, "workflow '" + w_.name + "', its state machine", w_.loc);
    role.properties["AssumeRolePolicyDocument"] = PolicyDocument(role.trust);
    role.properties["Policies"] = Json::array(
        {{{"PolicyName", "StateMachinePolicy"}, {"PolicyDocument", PolicyDocument(wf_.iam)}}});
    role.policy = wf_.iam;
    Tag(role);
    stack_.resources.push_back(std::move(role));

    Resource sm = MakeResource(sm_id(), "AWS::StepFunctions::StateMachine");
    sm.workflow = &wf_;
    sm.properties["StateMachineName"] = w_.state_machine_name.value;
    sm.name_loc = NameLoc(w_.state_machine_name);
    sm.properties["StateMachineType"] = w_.express ? "EXPRESS" : "STANDARD";
    sm.properties["RoleArn"] = GetAtt(role_id, "Arn");
    // Definition/DefinitionString and DefinitionSubstitutions are added by the back end.
    if (logging) {
      sm.properties["LoggingConfiguration"] = {
          {"Level", w_.logs.level},
          {"IncludeExecutionData", w_.logs.include_execution_data},
          {"Destinations", Json::array({{{"CloudWatchLogsLogGroup",
                                          {{"LogGroupArn", GetAtt(p_ + "LogGroup", "Arn")}}}}})}};
    }
    sm.properties["TracingConfiguration"] = {{"Enabled", w_.tracing}};
    Tag(sm);
    stack_.resources.push_back(std::move(sm));
  }

  void Alarms() {
    const AlarmsSpec& a = *w_.alarms;
    struct Metric {
      const char* name;
      const char* suffix;
      int64_t threshold;
    };
    for (const Metric& m : {Metric{"ExecutionsFailed", "executions-failed", a.failed},
                            Metric{"ExecutionsTimedOut", "executions-timed-out", a.timed_out},
                            Metric{"ExecutionsAborted", "executions-aborted", a.aborted}}) {
      if (m.threshold <= 0) continue;
      Resource al = MakeResource(p_ + m.name + "Alarm", "AWS::CloudWatch::Alarm");
      al.properties["AlarmName"] = w_.state_machine_name.value + "-" + m.suffix;
      al.name_loc = NameLoc(w_.state_machine_name);
      al.properties["AlarmDescription"] = std::string(m.name) + " of the " + w_.name +
                                          " workflow reached " + std::to_string(m.threshold) +
                                          " in " + std::to_string(a.period_s / 60) + " min";
      al.properties["Namespace"] = "AWS/States";
      al.properties["MetricName"] = m.name;
      al.properties["Dimensions"] =
          Json::array({{{"Name", "StateMachineArn"}, {"Value", {{"Ref", sm_id()}}}}});
      al.properties["Statistic"] = "Sum";
      al.properties["Period"] = a.period_s;
      al.properties["EvaluationPeriods"] = 1;
      al.properties["Threshold"] = m.threshold;
      al.properties["ComparisonOperator"] = "GreaterThanOrEqualToThreshold";
      al.properties["TreatMissingData"] = "notBreaching";
      al.properties["AlarmActions"] = Json::array({subs_.Import(a.notify.value)});
      stack_.resources.push_back(std::move(al));
    }
  }

  const Spec& spec_;
  const WorkflowSpec& w_;
  const WorkflowIR& wf_;
  StackIR& stack_;
  std::unordered_set<std::string>& groups_;
  std::string p_;
  WorkflowIR scratch_;  // Substitutions needs one; only its Import/Text are used here
  Substitutions subs_;
};

// CloudFormation needs every logical ID of Parameters and Resources, and of Outputs, to be
// unique. Prefixes are unique, but a prefix plus a suffix can still spell another workflow's
// ID (workflow 'x' with its own task definition and workflow 'x-task' both give
// XTaskLogGroup), and schedule groups have IDs of their own.
bool CheckLogicalIds(const Spec& spec, const StackIR& stack, DiagSink& sink) {
  const SourceLoc file_loc{spec.source ? &spec.source->path : nullptr, 0, 0};
  bool ok = true;
  auto report = [&](const std::string& id) {
    sink.Error(file_loc, "two parts of the template get the CloudFormation logical ID '" + id +
                             "' (IDs are made from workflow, import and schedule group names); "
                             "rename one of the workflows or groups");
    ok = false;
  };
  std::unordered_set<std::string_view> ids;
  ids.reserve(stack.parameters.size() + stack.resources.size());
  for (const Parameter& p : stack.parameters) {
    if (!ids.insert(p.logical_id).second) report(p.logical_id);
  }
  for (const Resource& r : stack.resources) {
    if (!ids.insert(r.logical_id).second) report(r.logical_id);
  }
  ids.clear();
  for (const Output& o : stack.outputs) {
    if (!ids.insert(o.logical_id).second) report(o.logical_id);
  }
  return ok;
}

}  // namespace

bool Lower(const Spec& spec, StackIR& out, DiagSink& sink) {
  out.name = spec.stack_name.value;
  out.description = spec.description.value;
  for (const auto& [name, imp] : spec.imports) {
    if (!imp.ssm) continue;
    out.parameters.push_back({ImportParameterId(name),
                              imp.ssm->string_list ? "AWS::SSM::Parameter::Value<List<String>>"
                                                   : "AWS::SSM::Parameter::Value<String>",
                              imp.ssm->name,
                              "Import '" + name + "': read from SSM at deploy time"});
  }
  const size_t n = spec.workflows.size();
  out.workflows.resize(n);       // resources point into it: never resized after this
  out.resources.reserve(n * 5);  // 3 to 9 per workflow: spares most growth
  out.outputs.reserve(n * 2);
  std::unordered_set<std::string> groups;
  for (size_t i = 0; i < n; ++i) {
    out.workflows[i] = LowerWorkflow(spec, spec.workflows[i]);
    ResourceBuilder(spec, spec.workflows[i], out.workflows[i], out, groups).Run();
  }

  std::map<std::string, const WorkflowSpec*> prefixes;
  bool ok = true;
  for (size_t i = 0; i < n; ++i) {
    const WorkflowSpec& w = spec.workflows[i];
    auto [it, fresh] = prefixes.emplace(out.workflows[i].id_prefix, &w);
    if (!fresh) {
      sink.Error(w.loc,
                 "workflows '" + it->second->name + "' and '" + w.name +
                     "' give the same CloudFormation logical IDs (" + it->first +
                     "...); rename one of them",
                 static_cast<uint32_t>(w.name.size()));
      ok = false;
    }
  }
  return CheckLogicalIds(spec, out, sink) && ok;
}

}  // namespace orchc
