// Lowering of a workflow's triggers (the `schedules:` entries), one function per trigger engine
// (TriggerEngine, spec.h): EventBridge rules and EventBridge Scheduler schedules.
#pragma once

#include <optional>
#include <string>
#include <unordered_set>

#include "ir.h"
#include "spec.h"

namespace orchc {

class Substitutions;

// Whether any of the workflow's triggers uses `engine` (each engine has its own role).
bool HasEngine(const WorkflowSpec& w, TriggerEngine engine);

// What lowering one workflow's triggers reads and where it appends.
struct TriggerContext {
  const Spec& spec;
  const WorkflowSpec& w;
  const std::string& prefix;                // the workflow's logical ID prefix
  const Substitutions& subs;                // imports
  StackIR& stack;                           // the resources are appended to stack.resources
  std::unordered_set<std::string>& groups;  // logical IDs of the schedule groups made so far
};

// Appends, in this order: the rules' role, each trigger (a created dead-letter queue or schedule
// group just before the first trigger that uses it), the scheduler's role, and the queue policy
// that lets the rules send to a created queue.
void LowerTriggers(TriggerContext& ctx);

// The InputTemplate of a rule's target: orchc's keys (the event's time through the <time>
// placeholder) and the schedule's `input:` keys, '<' and '>' of spec text escaped.
std::string RuleInputTemplate(const ScheduleSpec& s);

// For an EXPRESS workflow (nullopt otherwise), the largest execution input its schedules send:
// the envelope the triggers write (trigger source and an RFC 3339 timestamp) with the schedule's
// `input` keys, in bytes; located at the workflow's type (or its key).
std::optional<SizeUse> ExpressExecutionInput(const WorkflowSpec& w);

}  // namespace orchc
