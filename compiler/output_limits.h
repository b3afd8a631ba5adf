// Limits that only the lowered IR or the emitted text shows: AWS's sizes and counts. (Not named
// limits.h: the compiler/ directory is on the include path and would hide <limits.h>.)
// Runs after the back ends (compile.cc), for `orchc validate` as for `orchc compile`, on their
// output and the IR alone: what the back ends wrote is measured here (definition and template
// bytes, counts, role policies); what the lowering made is measured where it made it (SizeUse in
// ir.h: a service step's request by its integration unit, an EXPRESS workflow's input by the
// triggers) and compared with its limit here, at the spec location the IR carries.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backend.h"
#include "diag.h"

namespace orchc {

struct OutputLimits {
  // Step Functions: a state machine definition is at most 1 MiB (compact JSON).
  uint64_t max_definition_bytes = 1048576;
  // CloudFormation: a template body is at most 1 MiB from S3, 51,200 bytes inline.
  uint64_t max_template_bytes = 1048576;
  uint64_t max_inline_template_bytes = 51200;
  // CloudFormation: 500 resources and 200 outputs per template.
  size_t max_resources = 500;
  size_t max_outputs = 200;
  // ECS RunTask: 8,192 characters of overrides in all, JSON included.
  size_t max_overrides_chars = 8192;
  // CloudFormation: 200 parameters per template.
  size_t max_parameters = 200;
  // IAM: a role's inline policies, together, at most 10,240 characters (whitespace not counted).
  size_t max_role_policy_chars = 10240;
  // Step Functions: an execution's input (any payload) is at most 256 KiB.
  size_t max_payload_bytes = 262144;
};

// 1234567 -> "1,234,567": the figures AWS's documentation uses, in every limit's message.
std::string Grouped(uint64_t n);

// One AWS limit and how much of it a compiled spec uses: `orchc explain`'s budget, and the
// `near-limit` warning above 80% (kNearLimitPercent).
struct LimitUse {
  std::string name;  // what is measured, e.g. "resources" or "definition bytes: reports"
  uint64_t used = 0;
  uint64_t limit = 0;
  SourceLoc loc;  // where a warning points: the workflow, step or role's element, or the file
  uint32_t length = 1;
};
inline constexpr uint64_t kNearLimitPercent = 80;

// Every limit of `files` (the back ends' output for `stack`), in a fixed order: the template
// (inline and S3), resources, outputs, parameters, then per workflow its definition, its
// EXPRESS execution input and its tasks' overrides, then each role's inline policy.
std::vector<LimitUse> LimitsBudget(const StackIR& stack, const std::vector<OutputFile>& files,
                                   const OutputLimits& limits = {});

// Reports an error for every limit `files` (the back ends' output for `stack`) exceeds, a
// warning when the template is too large to pass inline, and a `near-limit` warning for each
// LimitsBudget entry above kNearLimitPercent of its limit but within it. Errors are located at the
// workflow's key (or its command) where one workflow is the cause, at the file otherwise. Returns
// false when any error was reported.
bool CheckOutputLimits(const StackIR& stack, const std::vector<OutputFile>& files, DiagSink& sink,
                       const OutputLimits& limits = {});

}  // namespace orchc
