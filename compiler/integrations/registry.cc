// The table of service integrations: one row per unit (integration.h). To add an integration,
// write its unit in a file of its own and add its factory here.
#include <array>

#include "integrations/unit_util.h"

namespace orchc {

// The units' factories, each defined in its own file.
const Integration* EcsRunTaskIntegration();         // ecs_run_task.cc
const Integration* SnsPublishIntegration();         // sns_publish.cc
const Integration* NestedWorkflowIntegration();     // nested_workflow.cc
const Integration* LoggingAndTracingIntegration();  // logging_tracing.cc

const std::vector<const Integration*>& Integrations() {
  static const std::vector<const Integration*> kUnits = {
      EcsRunTaskIntegration(),
      SnsPublishIntegration(),
      NestedWorkflowIntegration(),
      LoggingAndTracingIntegration(),
  };
  return kUnits;
}

const Integration& IntegrationForKind(size_t kind) {
  static const auto kByKind = [] {
    std::array<const Integration*, std::variant_size_v<StepBody>> by_kind{};
    for (const Integration* unit : Integrations()) {
      if (unit->step_kind() != kNoStepKind) by_kind.at(unit->step_kind()) = unit;
    }
    return by_kind;
  }();
  return *kByKind.at(kind);
}

void Integration::Read(const YNode*, StepSpec&, SpecReader&) const {}
void Integration::Check(const StepSpec&, CheckContext&) const {}
void Integration::Lower(const StepSpec&, LowerContext&, State&) const {}
void Integration::WorkflowStatements(const WorkflowSpec&, WorkflowIR&) const {}
void Integration::CheckLimits(const SizeUse&, LimitContext&) const {}

namespace integration {

Json Arn(const std::string& service, const std::string& resource, const Json& import) {
  std::string text =
      "arn:${AWS::Partition}:" + service + ":${AWS::Region}:${AWS::AccountId}:" + resource;
  if (import.is_null()) return Json{{"Fn::Sub", text}};
  return Json{{"Fn::Sub", Json::array({text, {{"Import", import}}})}};
}

}  // namespace integration

}  // namespace orchc
