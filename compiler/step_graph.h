// The checks of the graph one list of steps forms (a workflow's steps, a parallel branch, a
// map's item steps), which step_checks.cc runs after the steps' own checks.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "diag.h"
#include "spec.h"

namespace orchc::check {

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

// Reports what the graph of `steps` (targets already checked against `index`) shows: a parallel
// or map step whose list output the next step cannot write into, steps no path from the first
// reaches, and loops no choice step can leave.
void StepGraph(const StepList& steps, const ListIndex& index, DiagSink& sink);

}  // namespace orchc::check
