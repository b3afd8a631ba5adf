// Limits that only the lowered IR or the emitted text shows: AWS's sizes and counts. (Not named
// limits.h: the compiler/ directory is on the include path and would hide <limits.h>.)
// Runs after the back ends (compile.cc), for `orchc validate` as for `orchc compile`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backend.h"
#include "diag.h"

namespace orchc {

struct Spec;

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
};

// 1234567 -> "1,234,567": the figures AWS's documentation uses, in every limit's message.
std::string Grouped(uint64_t n);

// Reports an error for every limit `files` (the back ends' output for `stack`) exceeds, and a
// warning when the template is too large to pass inline. Errors are located at the workflow's
// key (or its command) where one workflow is the cause, at the file otherwise. Returns false
// when any error was reported.
bool CheckOutputLimits(const Spec& spec, const StackIR& stack, const std::vector<OutputFile>& files,
                       DiagSink& sink, const OutputLimits& limits = {});

}  // namespace orchc
