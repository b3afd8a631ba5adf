// Helpers shared by the semantic checks (checks.cc, step_checks.cc, step_graph.cc,
// task_outcome_checks.cc, aws_limits.cc, the integration units' Check); defined in check_util.cc
// except WorkflowSteps (step_checks.cc).
#pragma once

#include <string>
#include <vector>

#include "error_names.h"
#include "spec.h"

namespace orchc::check {

// Reports at the string's location, underlining it when it was written in the spec.
void Err(DiagSink& sink, const LocatedString& s, const std::string& msg);

// Length and character set. `allowed` is a regex-like class such as "._A-Za-z0-9-".
void Name(DiagSink& sink, const LocatedString& s, const std::string& what, size_t max,
          const std::string& allowed);

// The import names of a spec, listed once (on the first unknown name) as the candidates of
// "did you mean", so that many unknown names cost time linear in their number.
class ImportNames {
 public:
  explicit ImportNames(const Spec& spec) : spec_(spec) {}
  const Spec& spec() const { return spec_; }
  const std::vector<std::string>& Get();

 private:
  const Spec& spec_;
  std::vector<std::string> names_;
  bool built_ = false;
};

// An import name that must exist in the spec, with a "did you mean".
void ImportExists(DiagSink& sink, ImportNames& imports, const LocatedString& name,
                  const std::string& what);

// The checks of one workflow's steps: each step's own rules, names unique across the whole
// state machine, targets of next/catch/choice, nesting, and the graph (unreachable steps, loops
// no choice can leave). `imports`: the caller's list of import names, shared.
void WorkflowSteps(const WorkflowSpec& w, DiagSink& sink, ImportNames& imports);

// AWS tags: keys 1-128 characters not starting with "aws:", values at most 256.
void Tags(DiagSink& sink, const TagList& tags);

// An ECS container name: at most 255 letters, digits, '_' and '-'.
void ContainerName(DiagSink& sink, const LocatedString& s);

// SNS subject: 1-100 printable ASCII characters.
void Subject(DiagSink& sink, const LocatedString& s);

// Names and JSONPaths go into the definition as they are; "${" there could be taken for a
// DefinitionSubstitutions placeholder, so it is refused (other text is protected by
// Substitutions::Text).
void NoPlaceholder(DiagSink& sink, const std::string& value, SourceLoc loc,
                   const std::string& what);

// Retry rules of a step (or of a workflow's single task).
void Retries(DiagSink& sink, const ErrorNameCatalog& names, const std::vector<RetrySpec>& retry);

// Error names of a catch rule; `last`: it is the step's last catch rule (States.ALL is allowed
// only alone in the last rule).
void CatchErrors(DiagSink& sink, const ErrorNameCatalog& names,
                 const std::vector<LocatedString>& errors, bool last);

// The error names Step Functions defines (States.*).
const std::vector<std::string>& StatesErrors();

// "2026-01-01T00:00:00Z"-style UTC timestamps (seconds required, optional fraction).
bool IsIsoTimestamp(const std::string& s);

// The message for a timestamp that has IsIsoTimestamp's shape but a day its month does not have
// ("'2027-02-29' is not a day of the calendar: 2027-02 has 28 days"); "" otherwise.
std::string NotACalendarDay(const std::string& s);

}  // namespace orchc::check
