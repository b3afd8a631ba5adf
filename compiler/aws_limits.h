// AWS properties whose value orchc builds from more than one piece of spec text (a generated
// description, a task definition family, a rule's input template, an SNS message) or whose
// constraint no single field check covers. Each is checked against the constraint AWS documents
// (docs/spec.md, "AWS properties orchc fills from spec text", lists every property and where it
// is checked) and reported at the spec text the user can shorten.
#pragma once

#include <cstddef>

#include "diag.h"
#include "spec.h"

namespace orchc {

// The documented limits this file checks (one place, cited in docs/spec.md).
struct AwsLimits {
  // AWS::Events::Rule Description, AWS::Scheduler::Schedule Description: 0-512 characters.
  static constexpr size_t kTriggerDescription = 512;
  // AWS::ECS::TaskDefinition Family: up to 255 letters, numbers, '_' and '-'.
  static constexpr size_t kTaskFamily = 255;
  // ContainerDefinition Image: up to 255 characters before an '@digest'.
  static constexpr size_t kImage = 255;
  // AWS::Events::Rule Target InputTransformer InputTemplate: 1-8192 characters.
  static constexpr size_t kRuleInputTemplate = 8192;
  // CloudFormation quotas: a resource name (logical ID) and an output name, 255 characters.
  static constexpr size_t kLogicalId = 255;
  // SNS Publish Message: less than 256 KB.
  static constexpr size_t kSnsMessageBytes = 262144;
};

// Reports a located error for each property of `spec` over its AWS limit. Part of CheckSpec.
void CheckAwsLimits(const Spec& spec, DiagSink& sink);

}  // namespace orchc
