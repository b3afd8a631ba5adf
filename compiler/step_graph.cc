#include "step_graph.h"

#include <algorithm>
#include <utility>
#include <variant>

#include "check_util.h"
#include "step_kinds.h"

namespace orchc::check {

namespace {

// A step that never goes on to the next one of its list.
bool Terminal(const StepSpec& s) { return s.end || s.next || KindOf(s).ends; }

// The step's result is written into a field of its input (ResultPath "$.x").
bool WritesIntoInput(const StepSpec& s) {
  if (!KindOf(s).has_result) return false;
  // ECS tasks always have one ($.taskResult)
  return s.result_path.IsPath() && s.result_path.path.size() > 1 &&
         s.result_path.path.starts_with("$.");
}

// The steps a choice step can go to: its rules' and its default.
std::vector<const std::string*> ChoiceTargets(const StepSpec& s) {
  std::vector<const std::string*> out;
  if (const auto* c = std::get_if<ChoiceSpec>(&s.body)) {
    for (const ChoiceRuleSpec& r : c->rules) out.push_back(&r.next.value);
    if (c->default_step) out.push_back(&c->default_step->value);
  }
  return out;
}

class GraphChecker {
 public:
  explicit GraphChecker(DiagSink& sink) : sink_(sink) {}

  // List outputs, reachability from the first step, and loops that no choice can leave.
  void Run(const std::vector<StepSpec>& steps, const ListIndex& index) {
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

 private:
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

  DiagSink& sink_;
};

}  // namespace

void StepGraph(const StepList& steps, const ListIndex& index, DiagSink& sink) {
  GraphChecker(sink).Run(steps, index);
}

}  // namespace orchc::check
