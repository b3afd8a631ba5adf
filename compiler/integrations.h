// What lowering shares with the service integrations (integrations/integration.h: one unit per
// integration, each in its own file): placeholders for CloudFormation values, the entry point of
// the unit that lowering also calls outside a step (SNS publish, for the failure notification),
// the failure message and the SSM parameters behind imports.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ir.h"

namespace orchc {

struct WorkflowSpec;
struct Spec;

// A key CloudFormation reads as an intrinsic function (Ref, Condition, Fn::...) in any JSON a
// template holds as an object, the state machine's Definition included: Substitutions::Key hides
// such keys of free-form values, and the step checks refuse them as state names.
bool IsIntrinsicFunctionKey(std::string_view key);

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
  // A key of a free-form object: as Text, and also a placeholder when CloudFormation would read
  // the key as an intrinsic function (Ref, Condition, Fn::...), so that the Definition object
  // holds no intrinsic function of the spec's and both embeddings deploy the same text.
  std::string Key(const std::string& key);
  // The value of an import of the spec: Fn::ImportValue, or a Ref of the SSM parameter.
  Json Import(const std::string& import_name) const;
  // The items of a comma-separated import as the inside of a JSON string array:
  // a,b,c -> a","b","c (the definition writes ["${X}"] around it).
  Json CommaListItems(const std::string& import_name) const;
  const Spec* spec = nullptr;

 private:
  WorkflowIR& wf_;
  std::unordered_map<std::string, size_t> index_;  // placeholder -> wf_.substitutions
  int literals_ = 0;
};

// SNS Publish to an imported topic. `message` is the Message parameter (a string or an object
// whose keys ending in ".$" take JSONPaths); without `subject`, SNS's default subject. Defined
// in integrations/sns_publish.cc.
void SnsPublish(const std::string& topic_import, const std::optional<std::string>& subject,
                const Json& message, Substitutions& subs, WorkflowIR& wf, State& state);

// The message orchc publishes when a workflow fails: error, cause, execution, time.
Json FailureMessage();

// The logical ID of the SSM parameter behind an import (ImportTaskDefinition).
std::string ImportParameterId(const std::string& import_name);

}  // namespace orchc
