// The names that must be unique across the specs of one command (`orchc validate a.yaml b.yaml`,
// `orchc compile a.yaml b.yaml -o DIR`): each spec's stack name, and the physical names its stack
// creates in AWS (state machines, roles, rules, schedules and schedule groups, log groups,
// alarms, exports). Two specs that share one deploy in turn, and the second deploy fails
// because the name is taken; orchc reports it at the second spec, naming the first.
#pragma once

#include <string>
#include <unordered_map>

#include "diag.h"
#include "ir.h"

namespace orchc {

struct Spec;

class CrossSpecNames {
 public:
  // Claims the stack name of `spec` and the physical names of its lowered `stack` (read from the
  // IR, Resource::name_loc and Output::where: the naming logic stays in lowering). Reports a
  // located error for each name an earlier spec claimed; returns false when it reported any.
  // A spec whose stack name is taken claims nothing else (it is the same stack twice).
  bool Claim(const Spec& spec, const StackIR& stack, DiagSink& sink);

 private:
  struct First {
    SourceLoc where;
    std::string stack;  // the stack of the spec that claimed it first
  };
  std::unordered_map<std::string, First> stacks_;  // by stack name
  std::unordered_map<std::string, First> names_;   // by kind + '\n' + name
};

}  // namespace orchc
