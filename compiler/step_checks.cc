// Checks of a workflow's steps and of the graph they form.
#include <algorithm>
#include <map>
#include <set>

#include "check_util.h"
#include "error_names.h"
#include "failure_notice.h"
#include "integrations/integration.h"
#include "jsonpath.h"
#include "overlap.h"
#include "spec.h"
#include "step_kinds.h"

namespace orchc {

namespace check {

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

}  // namespace check

namespace {

using check::Err;

constexpr int kMaxNesting = 3;  // parallel/map inside parallel/map, levels deep

// A step that never goes on to the next one of its list.
bool Terminal(const StepSpec& s) { return s.end || s.next || KindOf(s).ends; }

// The steps of one list by name, and (built on the first unknown target, once per list) the
// candidates for "did you mean".
struct ListIndex {
  std::map<std::string, size_t> pos;
  mutable std::vector<std::string> names;
  mutable bool names_built = false;
  // The unknown targets reported (Target), each with its "did you mean" step or "". The graph
  // checks follow a target to the step it was probably meant for, so that step is not also
  // reported as never reached.
  mutable std::map<std::string, std::string> unknown_targets;

  const std::vector<std::string>& Names() const {
    if (!names_built) {
      for (const auto& [n, _] : pos) names.push_back(n);
      names_built = true;
    }
    return names;
  }
};

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
    Graph(steps, index);
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
      // The Pass state that puts literal items into the state is named <map>Items (lower.cc).
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
    if (until && !until->timestamp.empty() && !check::IsIsoTimestamp(until->timestamp)) {
      std::string day = check::NotACalendarDay(until->timestamp);
      sink_.Error(w.loc, !day.empty()
                             ? day
                             : "'" + until->timestamp +
                                   "' is not a UTC timestamp such as 2026-01-01T00:00:00Z");
    }
  }

  // The step's result is written into a field of its input (ResultPath "$.x").
  static bool WritesIntoInput(const StepSpec& s) {
    if (!KindOf(s).has_result) return false;
    // ECS tasks always have one ($.taskResult)
    return s.result_path.IsPath() && s.result_path.path.size() > 1 &&
           s.result_path.path.starts_with("$.");
  }

  // A parallel or map step without resultPath outputs a list; a following step that writes its
  // result into a field of its input then fails at run time (States.ResultPathMatchFailure).
  void ListOutputs(const std::vector<StepSpec>& steps, const ListIndex& index) {
    for (size_t i = 0; i < steps.size(); ++i) {
      const StepSpec& s = steps[i];
      if (!KindOf(s).list_result || s.result_path.mode != ResultPathMode::kDefault) continue;
      const StepSpec* next = nullptr;
      if (s.next) {
        auto it = index.pos.find(s.next->value);
        if (it != index.pos.end()) next = &steps[it->second];
      } else if (!s.end && i + 1 < steps.size()) {
        next = &steps[i + 1];
      }
      if (!next || !WritesIntoInput(*next)) continue;
      Err(sink_, s.name,
          "the output of " + std::string(KindOf(s).key) + " step '" + s.name.value +
              "' is a list, and the next step '" + next->name.value + "' writes its result into " +
              next->result_path.path +
              " of it, which fails at run time (States.ResultPathMatchFailure); "
              "give '" +
              s.name.value + "' a resultPath (e.g. $.results, or null to keep its input)");
    }
  }

  // The steps a choice step can go to: its rules' and its default.
  static std::vector<const std::string*> ChoiceTargets(const StepSpec& s) {
    std::vector<const std::string*> out;
    if (const auto* c = std::get_if<ChoiceSpec>(&s.body)) {
      for (const ChoiceRuleSpec& r : c->rules) out.push_back(&r.next.value);
      if (c->default_step) out.push_back(&c->default_step->value);
    }
    return out;
  }

  // Reachability from the first step, and loops that no choice can leave.
  void Graph(const std::vector<StepSpec>& steps, const ListIndex& index) {
    ListOutputs(steps, index);
    size_t n = steps.size();
    std::vector<std::vector<size_t>> edges(n);
    // Reachability also follows an unknown target to its "did you mean" step (not the loop
    // check: a loop through a guessed edge is not in the spec).
    std::vector<std::vector<size_t>> guessed(n);
    auto add = [&](size_t from, const std::string& to) {
      auto it = index.pos.find(to);
      if (it != index.pos.end()) {
        edges[from].push_back(it->second);
        return;
      }
      auto unknown = index.unknown_targets.find(to);
      if (unknown == index.unknown_targets.end()) return;
      auto meant = index.pos.find(unknown->second);
      if (meant != index.pos.end()) guessed[from].push_back(meant->second);
    };
    for (size_t i = 0; i < n; ++i) {
      const StepSpec& s = steps[i];
      if (!Terminal(s) && i + 1 < n) edges[i].push_back(i + 1);
      if (s.next) add(i, s.next->value);
      for (const CatchSpec& c : s.catches) add(i, c.next.value);
      for (const std::string* target : ChoiceTargets(s)) add(i, *target);
    }
    ReportUnreached(steps, index, edges, guessed);
    ReportEndlessLoops(steps, edges);
  }

  // Reports each step no path from the first step reaches (following guessed edges too).
  void ReportUnreached(const std::vector<StepSpec>& steps, const ListIndex& index,
                       const std::vector<std::vector<size_t>>& edges,
                       const std::vector<std::vector<size_t>>& guessed) {
    size_t n = steps.size();
    std::vector<bool> seen(n, false);
    std::vector<size_t> stack = {0};
    while (!stack.empty() && n > 0) {
      size_t i = stack.back();
      stack.pop_back();
      if (seen[i]) continue;
      seen[i] = true;
      for (size_t j : edges[i]) stack.push_back(j);
      for (size_t j : guessed[i]) stack.push_back(j);
    }
    for (size_t i = 0; i < n; ++i) {
      // A second step of the same name has its error (used twice); no target can name it.
      if (index.pos.at(steps[i].name.value) != i) continue;
      if (!seen[i]) {
        Err(sink_, steps[i].name,
            "step '" + steps[i].name.value +
                "' is never reached: no step "
                "before it goes on to it, and no next, catch or choice names it");
      }
    }
  }

  // Strongly connected components (Tarjan); a cycle without a choice never ends. Iterative:
  // a list may hold tens of thousands of steps in a row, too deep for the call stack.
  void ReportEndlessLoops(const std::vector<StepSpec>& steps,
                          const std::vector<std::vector<size_t>>& edges) {
    size_t n = steps.size();
    std::vector<int> idx(n, -1), low(n, 0);
    std::vector<bool> on(n, false);
    std::vector<size_t> st;
    // The depth-first path: a node and the position of the next edge of it to follow.
    std::vector<std::pair<size_t, size_t>> path;
    int counter = 0;
    for (size_t root = 0; root < n; ++root) {
      if (idx[root] >= 0) continue;
      idx[root] = low[root] = counter++;
      st.push_back(root);
      on[root] = true;
      path.emplace_back(root, 0);
      while (!path.empty()) {
        auto& [v, e] = path.back();
        if (e < edges[v].size()) {
          size_t w = edges[v][e++];
          if (idx[w] < 0) {
            idx[w] = low[w] = counter++;
            st.push_back(w);
            on[w] = true;
            path.emplace_back(w, 0);  // invalidates v and e
          } else if (on[w]) {
            low[v] = std::min(low[v], idx[w]);
          }
          continue;
        }
        size_t done = v;
        path.pop_back();
        if (!path.empty()) {
          size_t parent = path.back().first;
          low[parent] = std::min(low[parent], low[done]);
        }
        if (low[done] == idx[done]) Component(steps, edges, st, on, done);
      }
    }
  }

  // Pops the strongly connected component rooted at v off st; reports it if it is a loop that
  // no choice step can leave.
  void Component(const std::vector<StepSpec>& steps, const std::vector<std::vector<size_t>>& edges,
                 std::vector<size_t>& st, std::vector<bool>& on, size_t v) {
    std::vector<size_t> comp;
    size_t w;
    do {
      w = st.back();
      st.pop_back();
      on[w] = false;
      comp.push_back(w);
    } while (w != v);
    bool cyclic =
        comp.size() > 1 || std::find(edges[v].begin(), edges[v].end(), v) != edges[v].end();
    if (!cyclic) return;
    for (size_t c : comp) {
      if (std::holds_alternative<ChoiceSpec>(steps[c].body)) return;
    }
    std::sort(comp.begin(), comp.end());
    std::string names;
    for (size_t c : comp) names += (names.empty() ? "" : ", ") + steps[c].name.value;
    Err(sink_, steps[comp.back()].name,
        "steps " + names +
            " form a loop that never ends: no choice step in it can leave it "
            "(a catch that goes back to a failing step retries it forever; use retry instead)");
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

void CheckWorkflowSteps(const Spec& spec, const WorkflowSpec& w, DiagSink& sink) {
  check::ImportNames imports(spec);
  check::WorkflowSteps(w, sink, imports);
}

}  // namespace orchc
