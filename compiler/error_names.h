// The error names a workflow's retry.on / catch.on rules may name (docs/spec.md, "Error names").
// A name is one of: an ASL States.* error; an error the workflow's steps can raise (task_errors.h,
// Task.ExitCode.<0-255>, a fail step's error, the documented errors of the service integrations
// the workflow uses); or one marked custom with the "custom:" prefix, which is removed in the
// definition. Anything else is a located error with "did you mean".
#pragma once

#include <set>
#include <string>
#include <vector>

#include "spec.h"

namespace orchc {

inline constexpr char kCustomErrorPrefix[] = "custom:";

// The name written into ErrorEquals: `name` without the custom: prefix.
std::string AslErrorName(const std::string& name);

// The service integrations whose documented errors a rule may name (the units of
// integrations/ are the integrations themselves; this names their error lists).
enum class ErrorSource { kEcs, kSns, kDynamoDb };

// The documented errors of one integration, as Step Functions names them ("<Prefix>.<Exception>").
const std::vector<std::string>& IntegrationErrors(ErrorSource integration);

// The names one workflow's rules may use; built once per workflow.
class ErrorNameCatalog {
 public:
  explicit ErrorNameCatalog(const WorkflowSpec& w);
  // Builds the catalog from parts (tests, and callers that know more).
  ErrorNameCatalog(std::set<ErrorSource> integrations, std::vector<std::string> fail_errors,
                   std::vector<std::string> exit_code_names);

  // "" when `name` may be used; otherwise the message of the error to report.
  std::string Check(const std::string& name) const;

 private:
  void Build(const std::set<ErrorSource>& integrations);
  std::set<std::string> known_;
  std::vector<std::string> candidates_;  // for "did you mean", sorted
};

}  // namespace orchc
