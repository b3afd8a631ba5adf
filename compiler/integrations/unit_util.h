// What the units of integrations/ share beyond their interface: the IR, placeholders and ARNs.
#pragma once

#include <string>

#include "integrations.h"
#include "integrations/integration.h"
#include "ir.h"
#include "output_limits.h"

namespace orchc::integration {

// Service integration ARNs name the partition literally: the ASL schema that cfn-lint checks
// Definition against accepts only the aws partition there (docs/differences-from-cdk.md).
inline constexpr const char* kStatesArnPrefix = "arn:aws:states:::";

// arn:${AWS::Partition}:<service>:${AWS::Region}:${AWS::AccountId}:<resource>, where the
// resource may name the imported value as ${Import}.
Json Arn(const std::string& service, const std::string& resource, const Json& import = nullptr);

}  // namespace orchc::integration
