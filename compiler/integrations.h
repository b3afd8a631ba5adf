// Service integrations. Each one knows, in one place, both the ASL task state it produces and
// the IAM statements the state machine's role needs for it (as aws-stepfunctions-tasks does).
#pragma once

#include <string>

#include "ir.h"

namespace orchc {

struct WorkflowSpec;
struct Spec;

// Hands out ${Placeholder}s for CloudFormation expressions used inside a definition, and
// protects literal text: a spec string containing "${" becomes a placeholder whose value is the
// string itself (JSON-escaped), so no substitution mechanism can change it.
class Substitutions {
 public:
  explicit Substitutions(WorkflowIR& wf) : wf_(wf) {}
  // "${name}", recording `expr` as its value (once).
  std::string Ref(const std::string& name, const Json& expr);
  // `text` itself, or a placeholder standing for it when it contains "${".
  std::string Text(const std::string& text);
  // Fn::ImportValue of an import of the spec.
  Json Import(const std::string& import_name) const;
  const Spec* spec = nullptr;

 private:
  WorkflowIR& wf_;
  int literals_ = 0;
};

// ECS RunTask, .sync (waits for the task to stop), on Fargate, with the container command
// overridden. Adds the state and its IAM statements to `wf`.
State EcsRunTaskSync(const WorkflowSpec& w, Substitutions& subs, WorkflowIR& wf);

// SNS Publish of the caught error to an imported topic.
State SnsPublishFailure(const WorkflowSpec& w, Substitutions& subs, WorkflowIR& wf);

// The statements every state machine needs for its logging and tracing configuration.
void LoggingAndTracingStatements(bool logging, bool tracing, WorkflowIR& wf);

}  // namespace orchc
