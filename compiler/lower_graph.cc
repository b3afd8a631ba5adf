// Lowering of a workflow's steps to its graph of states (Parallel branches and Map item
// processors are graphs of their own), and of what surrounds them: the failure notification,
// the overlap lease and the IAM statements the whole state machine needs.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "error_names.h"
#include "failure_notice.h"
#include "iam_statements.h"
#include "integrations.h"
#include "integrations/integration.h"
#include "lower.h"
#include "lower_util.h"
#include "overlap.h"
#include "step_kinds.h"
#include "task_outcomes.h"
#include "triggers.h"
#include "yaml_tree.h"

namespace orchc {

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

}  // namespace

WorkflowIR LowerWorkflow(const Spec& spec, const WorkflowSpec& w) {
  WorkflowIR wf;
  wf.name = w.name;
  wf.loc = w.loc;
  wf.id_prefix = PascalCase(w.name);
  wf.express_input = ExpressExecutionInput(w);
  WorkflowLowering(spec, w, wf).Run();
  return wf;
}

}  // namespace orchc
