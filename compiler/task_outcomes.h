// Task outcomes (docs/spec.md, "Task outcomes"): what an ECS task's exit codes, a Spot reclaim,
// a launch failure and a memory kill mean to the workflow, compiled into the state machine.
//
// A task with `exitCodes:` or `capacity: spot-then-on-demand` is lowered to a one-branch Parallel
// state named after the step. The branch runs the task, catches its failure, parses the stopped
// task out of the error's Cause (only when the Cause is a JSON object, so an API error's text
// cannot make the parse fail), classifies it by StopCode and by the overridden container's exit
// code, and ends in a Fail state raising the classified error name (task_errors.h) with the
// ORIGINAL Cause. A Parallel fails with its branch's error, so the step's Retry and Catch, on the
// Parallel, match those names. Other ECS tasks stay one Task state.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diag.h"
#include "ir.h"
#include "spec.h"

namespace orchc {

class SpecReader;
struct YNode;

// Reads `capacity:` and `exitCodes:` of an ECS task (a task step, a workflow's task:, or the
// orchestration: block) into `task`.
void ReadTaskOutcomes(const YNode* t, EcsTaskSpec& task, SpecReader& r);

// Whether the task's outcomes are classified (exitCodes given, or spot-then-on-demand).
bool ClassifiesOutcomes(const EcsTaskSpec& task);

// The names of the states LowerTaskOutcomes adds for a step are OutcomeStateName(step, suffix)
// ("<step>: <suffix>") for suffixes among OutcomeStateSuffixes(task): the fixed ones (each with a
// space, which an error name cannot have), the error names of task_errors.h, and the task's
// exitCodes.names.
std::string OutcomeStateName(const std::string& step, const std::string& suffix);
std::vector<std::string> OutcomeStateSuffixes(const EcsTaskSpec& task);

// The exitCodes/capacity checks of every ECS task of `w` (codes 0..255, retry and succeed
// disjoint, valid names, capacity vs capacityProviders, the names of the added states). Part of
// CheckSpec; defined in task_outcome_checks.cc.
void CheckTaskOutcomes(const WorkflowSpec& w, DiagSink& sink);

// Rewrites `st`, the lowered Task state of step `s` (the ECS unit's Resource and Parameters,
// the step's Retry, Catch, timeout, ResultPath, Next/End), into the classifying Parallel. Returns
// the Pass state that must follow it to put the task's result where the step's resultPath says
// (the Parallel's own result is a one-item list), or nothing when the result is discarded.
std::optional<State> LowerTaskOutcomes(const StepSpec& s, const EcsTaskSpec& task, State& st);

}  // namespace orchc
