// Checks of a workflow's steps: each step's own rules, its kind's members, the names and
// targets; the graph each list forms is step_graph.cc's.
#include <set>
#include <string>
#include <vector>

#include "check_util.h"
#include "error_names.h"
#include "failure_notice.h"
#include "integrations.h"
#include "integrations/integration.h"
#include "jsonpath.h"
#include "lower.h"
#include "overlap.h"
#include "spec.h"
#include "step_graph.h"
#include "step_kinds.h"

namespace orchc {

namespace {

using check::Err;
using check::ListIndex;

constexpr int kMaxNesting = 3;  // parallel/map inside parallel/map, levels deep

class StepChecker {
 public:
  StepChecker(const WorkflowSpec& w, DiagSink& sink, check::ImportNames& imports)
      : imports_(imports), w_(w), sink_(sink), error_names_(w) {
    if (w.single_task) reserved_.insert(kSuccessState);
    if (w.catch_failure) {
      reserved_.insert(kNotifyState);
      for (const char* n : kFailureNoticeStates) reserved_.insert(n);
      if (w.end_failed) reserved_.insert(kFailedState);
    }
    if (w.overlap != Overlap::kAllow) {
      for (const std::string& name : OverlapStateNames()) reserved_.insert(name);
    }
  }

  void Run() {
    CollectNames(w_.steps);
    Sequence(w_.steps, 0);
  }

 private:
  // Every step name of the workflow, branches included, before any check looks at one.
  void CollectNames(const std::vector<StepSpec>& steps) {
    for (const StepSpec& s : steps) {
      user_names_.insert(s.name.value);
      for (const StepList* list : NestedLists(s)) CollectNames(*list);
    }
  }

  // Recursive (through Step) over parallel branches and map steps only, whose nesting is bounded
  // by the loader's max_depth (64 levels of maps and lists, aliases included: yaml_tree.h); the
  // steps of one list are checked in loops and their graph walked iteratively.
  void Sequence(const std::vector<StepSpec>& steps, int depth) {
    ListIndex index;
    for (size_t i = 0; i < steps.size(); ++i) index.pos.emplace(steps[i].name.value, i);
    for (const StepSpec& s : steps) {
      if (sink_.saturated()) return;  // errors are no longer shown; stop the walk
      Step(s, index, depth);
    }
    check::StepGraph(steps, index, sink_);
  }

  void Target(const LocatedString& t, const ListIndex& index, const std::string& what) {
    if (index.pos.count(t.value)) return;
    std::string msg = what + " '" + t.value + "' is not a step of this list";
    auto known = index.unknown_targets.find(t.value);
    const std::string guess =
        known != index.unknown_targets.end() ? known->second : SpellCheck(t.value, index.Names());
    index.unknown_targets.emplace(t.value, guess);
    if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
    if (all_names_.count(t.value)) msg += " (steps can only go to steps of their own list)";
    Err(sink_, t, msg);
  }

  void NoPlaceholder(const std::string& value, SourceLoc loc, const std::string& what) {
    check::NoPlaceholder(sink_, value, loc, what);
  }

  // A path against the grammar Step Functions accepts for the field (jsonpath.h). A path with
  // "${" or without a leading '$' is reported by NoPlaceholder or the field's own check.
  void Path(const std::string& value, SourceLoc loc, const std::string& what, PathKind kind,
            ContextObject context) {
    if (value.empty() || !value.starts_with("$") || value.find("${") != std::string::npos) return;
    std::string why = JsonPathError(value, kind, context);
    if (why.empty()) return;
    sink_.Error(loc,
                what + " '" + value + "' is not a JSONPath Step Functions accepts here: " + why);
  }

  // The JSONPaths and names of a kind's own fields that go into the definition as they are
  // (a service integration's unit checks its own).
  void KindPlaceholders(const StepSpec& s) {
    std::visit(Overloaded{[]<ServiceBody B>(const B&) {},
                          [&](const ChoiceSpec& c) {
                            for (const ChoiceRuleSpec& r : c.rules) {
                              NoPlaceholder(r.variable, r.loc, "choice variable");
                              Path(r.variable, r.loc, "choice variable", PathKind::kPath,
                                   ContextObject::kAllowed);
                            }
                          },
                          [&](const MapSpec& m) {
                            if (!m.items_path) return;
                            NoPlaceholder(*m.items_path, s.loc, "map itemsPath");
                            Path(*m.items_path, s.loc, "map itemsPath", PathKind::kReference,
                                 ContextObject::kAllowed);
                          },
                          [&](const WaitSpec& w) {
                            if (const auto* t = std::get_if<WaitTimestampPath>(&w.what)) {
                              NoPlaceholder(t->path, w.loc, "wait timestampPath");
                              Path(t->path, w.loc, "wait timestampPath", PathKind::kReference,
                                   ContextObject::kAllowed);
                            } else if (const auto* p = std::get_if<WaitSecondsPath>(&w.what)) {
                              NoPlaceholder(p->path, w.loc, "wait secondsPath");
                              Path(p->path, w.loc, "wait secondsPath", PathKind::kReference,
                                   ContextObject::kAllowed);
                            }
                          },
                          [](const ParallelSpec&) {}, [](const PassSpec&) {},
                          [](const SucceedSpec&) {}, [](const FailSpec&) {}},
               s.body);
  }

  void Step(const StepSpec& s, const ListIndex& index, int depth) {
    const std::string& name = s.name.value;
    NoPlaceholder(name, s.name.loc, "step name");
    if (IsIntrinsicFunctionKey(name)) {
      // A state name is a key of States: CloudFormation would evaluate a Definition whose
      // States held only this key, and the two embeddings would deploy different text.
      Err(sink_, s.name,
          "step name '" + name +
              "' is a CloudFormation intrinsic function name (Ref, Condition, Fn::...), which "
              "CloudFormation would evaluate as a key of the definition's States; choose another");
    }
    KindPlaceholders(s);
    if (s.result_path.IsPath()) {
      NoPlaceholder(s.result_path.path, s.loc, "resultPath");
      Path(s.result_path.path, s.loc, "resultPath", PathKind::kReference, ContextObject::kRefused);
    }
    for (const CatchSpec& c : s.catches) {
      if (!c.result_path.IsPath()) continue;
      NoPlaceholder(c.result_path.path, c.loc, "catch resultPath");
      Path(c.result_path.path, c.loc, "catch resultPath", PathKind::kReference,
           ContextObject::kRefused);
    }
    if (name.empty() || name.size() > 80) {
      Err(sink_, s.name,
          "step name must be 1 to 80 characters (it is " + std::to_string(name.size()) + ")");
    }
    for (unsigned char c : name) {
      if (c < 0x20 || c == 0x7f) {
        Err(sink_, s.name, "step name contains a control character");
        break;
      }
    }
    if (reserved_.count(name)) {
      Err(sink_, s.name,
          "step name '" + name +
              "' is the name of a state orchc adds to this "
              "workflow; choose another");
    } else if (!all_names_.insert(name).second) {
      Err(sink_, s.name,
          "step name '" + name +
              "' is used twice; state names are unique across "
              "the whole workflow, branches included");
    }
    Common(s, index);
    std::visit(Overloaded{[&]<ServiceBody B>(const B&) {
                            CheckContext ctx{imports_.spec(), w_, sink_, imports_};
                            IntegrationFor<B>().Check(s, ctx);
                          },
                          [&](const ParallelSpec& p) {
                            Nesting(s, depth);
                            for (const StepList& branch : p.branches) Sequence(branch, depth + 1);
                          },
                          [&](const MapSpec& m) {
                            Nesting(s, depth);
                            Map(s, m);
                            Sequence(m.steps, depth + 1);
                          },
                          [&](const ChoiceSpec& c) { Choice(s, c, index); },
                          [&](const WaitSpec& w) { Wait(w); }, [](const PassSpec&) {},
                          [](const SucceedSpec&) {}, [](const FailSpec&) {}},
               s.body);
  }

  // The members every kind may have, against the kind's facts (kStepKinds).
  void Common(const StepSpec& s, const ListIndex& index) {
    const StepKindInfo& kind = KindOf(s);
    if (s.retry) {
      if (!kind.can_fail) {
        sink_.Error(s.loc, "retry applies to " + KindList(&StepKindInfo::can_fail) +
                               " steps, not to " + kind.key);
      }
      check::Retries(sink_, error_names_, *s.retry);
    }
    if (!s.catches.empty() && !kind.can_fail) {
      sink_.Error(s.catches[0].loc, "catch applies to " + KindList(&StepKindInfo::can_fail) +
                                        " steps, not to " + kind.key);
    }
    for (const CatchSpec& c : s.catches) {
      check::CatchErrors(sink_, error_names_, c.errors, &c == &s.catches.back());
      Target(c.next, index, "catch target");
      if (c.result_path.IsPath() && !c.result_path.path.starts_with("$")) {
        sink_.Error(c.loc, "catch resultPath must be a JSONPath starting with $ (or null)");
      }
    }
    if (s.timeout_s) {
      if (!kind.takes_timeout) {
        sink_.Error(s.timeout_s->loc,
                    "timeout applies to " + KindList(&StepKindInfo::takes_timeout) + " steps");
      } else if (s.timeout_s->value < 1 || s.timeout_s->value > 99999999) {
        sink_.Error(s.timeout_s->loc, "task timeout must be between 1 second and 99999999 seconds");
      }
    }
    if (s.result_path.IsPath() && !s.result_path.path.starts_with("$")) {
      sink_.Error(s.loc, "resultPath must be a JSONPath starting with $ (or null)");
    }
    if (s.result_path.mode != ResultPathMode::kDefault && !kind.takes_result_path) {
      sink_.Error(s.loc, "resultPath does not apply to a " + std::string(kind.key) + " step");
    }
    if (s.next) {
      if (s.end) sink_.Error(s.loc, "step '" + s.name.value + "' has both next and end");
      if (kind.ends) {
        Err(sink_, *s.next, "a " + std::string(kind.key) + " step has no next");
      } else {
        Target(*s.next, index, "next step");
      }
    }
  }

  void Nesting(const StepSpec& s, int depth) {
    if (depth + 1 > kMaxNesting) {
      sink_.Error(s.loc, "parallel and map steps nest at most " + std::to_string(kMaxNesting) +
                             " levels deep; move the inner work into a workflow of its own");
    }
  }

  void Map(const StepSpec& s, const MapSpec& m) {
    if (m.items_path.has_value() == (m.items != nullptr)) {
      sink_.Error(
          s.loc,
          "map needs exactly one of itemsPath (a list in the state) and items (a literal list)");
    }
    if (m.max_concurrency < 0)
      sink_.Error(m.max_concurrency_loc, "maxConcurrency must be 0 (no limit) or more");
    if (m.items) {
      // The Pass state that puts literal items into the state is named <map>Items (lower_graph.cc).
      const std::string items = s.name.value + "Items";
      if (user_names_.count(items) || reserved_.count(items)) {
        Err(sink_, s.name,
            "map '" + s.name.value + "' over literal items adds a state named '" + items +
                "', which is also the name of a step; rename one of them");
      } else if (items.size() > 80 && s.name.value.size() <= 80) {
        Err(sink_, s.name,
            "map '" + s.name.value + "' over literal items adds a state named '" + items +
                "', longer than the 80 characters of a state name; "
                "shorten the map's name");
      }
    }
  }

  void Choice(const StepSpec& s, const ChoiceSpec& c, const ListIndex& index) {
    for (const ChoiceRuleSpec& r : c.rules) Target(r.next, index, "choice target");
    if (!c.default_step) {
      sink_.Error(s.loc, "choice '" + s.name.value +
                             "' has no default: when no rule holds the execution "
                             "fails with States.NoChoiceMatched; add default: <step>");
    } else {
      Target(*c.default_step, index, "choice default");
    }
  }

  void Wait(const WaitSpec& w) {
    const auto* seconds = std::get_if<WaitSeconds>(&w.what);
    if (seconds && seconds->seconds > 99999999)
      sink_.Error(w.loc, "wait must be at most 99999999 seconds");
    const auto* until = std::get_if<WaitUntil>(&w.what);
    // An empty one too: a Wait state needs one of its four fields (ASL), and "" gives none.
    if (until && !check::IsIsoTimestamp(until->timestamp)) {
      std::string day = check::NotACalendarDay(until->timestamp);
      sink_.Error(w.loc, !day.empty()
                             ? day
                             : "'" + until->timestamp +
                                   "' is not a UTC timestamp such as 2026-01-01T00:00:00Z");
    }
  }

  check::ImportNames& imports_;
  const WorkflowSpec& w_;
  DiagSink& sink_;
  ErrorNameCatalog error_names_;  // the names retry.on / catch.on may use
  std::set<std::string> reserved_;
  std::set<std::string> all_names_;
  std::set<std::string> user_names_;  // every step name of the workflow (CollectNames)
};

}  // namespace

namespace check {

void WorkflowSteps(const WorkflowSpec& w, DiagSink& sink, ImportNames& imports) {
  StepChecker(w, sink, imports).Run();
}

}  // namespace check

}  // namespace orchc
