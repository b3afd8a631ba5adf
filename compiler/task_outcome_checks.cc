// The checks of task outcomes (task_outcomes.h): exitCodes and capacity of every ECS task of a
// workflow, and the names of the states their lowering adds.
#include <algorithm>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "check_util.h"
#include "task_errors.h"
#include "task_outcomes.h"

namespace orchc {

namespace {

bool ValidErrorName(const std::string& n) {
  if (n.empty() || n.size() > 64) return false;
  if (!((n[0] >= 'A' && n[0] <= 'Z') || (n[0] >= 'a' && n[0] <= 'z'))) return false;
  for (char c : n) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

class OutcomeChecks {
 public:
  OutcomeChecks(const WorkflowSpec& w, DiagSink& sink) : w_(w), sink_(sink) {}

  void Run() {
    Names(w_.steps);
    Steps(w_.steps);
  }

 private:
  // Every step name of the workflow, for the clash check of the added states.
  void Names(const StepList& steps) {
    for (const StepSpec& s : steps) {
      names_.insert(s.name.value);
      if (const auto* p = std::get_if<ParallelSpec>(&s.body)) {
        for (const StepList& b : p->branches) Names(b);
      } else if (const auto* m = std::get_if<MapSpec>(&s.body)) {
        Names(m->steps);
      }
    }
  }

  void Steps(const StepList& steps) {
    for (const StepSpec& s : steps) {
      if (const auto* t = std::get_if<EcsTaskSpec>(&s.body)) {
        Task(s, *t);
      } else if (const auto* p = std::get_if<ParallelSpec>(&s.body)) {
        for (const StepList& b : p->branches) Steps(b);
      } else if (const auto* m = std::get_if<MapSpec>(&s.body)) {
        Steps(m->steps);
      }
    }
  }

  void Task(const StepSpec& s, const EcsTaskSpec& t) {
    if (t.spot_then_on_demand && !t.capacity_providers.empty()) {
      sink_.Error(t.spot_loc,
                  "capacity: spot-then-on-demand chooses the capacity providers itself; remove "
                  "capacityProviders (line " +
                      std::to_string(t.capacity_loc.line) + ") or capacity");
    }
    std::set<int64_t> seen_succeed;
    CodeLists(t.exit_codes, seen_succeed);
    ErrorNames(t.exit_codes, seen_succeed);
    if (ClassifiesOutcomes(t)) AddedStateNames(s, t);
  }

  // exitCodes.retry and .succeed: codes in range, each once, none in both. Fills `seen_succeed`.
  void CodeLists(const ExitCodesSpec& ec, std::set<int64_t>& seen_succeed) {
    std::set<int64_t> seen_retry;
    auto codes = [&](const std::vector<std::pair<int64_t, SourceLoc>>& list, const char* what,
                     std::set<int64_t>& seen) {
      for (const auto& [code, loc] : list) {
        if (code < 0 || code > 255) {
          sink_.Error(loc, std::string("exitCodes.") + what +
                               ": an exit code is between 0 and 255 (a container's exit status)");
        } else if (!seen.insert(code).second) {
          sink_.Error(
              loc, "exit code " + std::to_string(code) + " is listed twice in exitCodes." + what);
        }
      }
    };
    codes(ec.retry, "retry", seen_retry);
    codes(ec.succeed, "succeed", seen_succeed);
    for (const auto& [code, loc] : ec.retry) {
      if (seen_succeed.count(code)) {
        sink_.Error(loc, "exit code " + std::to_string(code) +
                             " is both in exitCodes.retry and in exitCodes.succeed; a success "
                             "is not retried: keep it in one list");
      }
    }
  }

  // exitCodes.names: keys that are exit codes, error names of the user's own namespace.
  void ErrorNames(const ExitCodesSpec& ec, const std::set<int64_t>& seen_succeed) {
    for (const auto& [key, name] : ec.bad_names) {
      check::Err(sink_, key,
                 "exitCodes.names: '" + key.value +
                     "' is not an exit code; the keys are exit codes 0 to 255");
    }
    for (const auto& [code, name] : ec.names) {
      const std::string& n = name.value;
      if (n.starts_with("States.")) {
        check::Err(sink_, name,
                   "error name '" + n +
                       "' is in Step Functions' own States.* namespace; choose "
                       "a name of your own such as LockHeld");
      } else if (n.starts_with("Task.")) {
        check::Err(sink_, name,
                   "error name '" + n + "' is in orchc's Task.* namespace (Task.ExitCode.<N>, " +
                       kTaskLaunchFailed + ", ...); choose a name of your own such as LockHeld");
      } else if (!ValidErrorName(n)) {
        check::Err(sink_, name,
                   "error name '" + n +
                       "' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a "
                       "letter");
      } else if (seen_succeed.count(code)) {
        check::Err(sink_, name,
                   "exit code " + std::to_string(code) +
                       " is a success (exitCodes.succeed); a success raises no error to name");
      }
    }
  }

  // The states exitCodes/capacity add need names of their own.
  void AddedStateNames(const StepSpec& s, const EcsTaskSpec& t) {
    // The added states need names of their own, unique in the state machine, of at most 80
    // characters.
    const std::string& step = s.name.value;
    const std::vector<std::string> added = OutcomeStateSuffixes(t);
    size_t longest = 0;
    for (const std::string& suffix : added) longest = std::max(longest, suffix.size());
    if (step.size() + 2 + longest > 80 && step.size() <= 80) {
      check::Err(sink_, s.name,
                 "step name '" + step +
                     "' is too long for the states exitCodes/capacity add "
                     "(\"<step>: <suffix>\" within a state name's 80 characters): keep it to " +
                     std::to_string(80 - 2 - longest) + " characters or shorten the error names");
    }
    for (const std::string& suffix : added) {
      if (names_.count(OutcomeStateName(step, suffix))) {
        check::Err(sink_, s.name,
                   "step '" + step + "' has exitCodes/capacity, so orchc adds a state named '" +
                       OutcomeStateName(step, suffix) +
                       "', which another step already is; rename one");
        break;
      }
    }
  }

  const WorkflowSpec& w_;
  DiagSink& sink_;
  std::set<std::string> names_;
};

}  // namespace

void CheckTaskOutcomes(const WorkflowSpec& w, DiagSink& sink) { OutcomeChecks(w, sink).Run(); }

}  // namespace orchc
