// `orchc explain`: why each IAM statement of a compiled spec is there, and how close the
// template comes to each AWS limit (docs/cli.md, "orchc explain").
#pragma once

#include <string>
#include <vector>

#include "backend.h"
#include "ir.h"

namespace orchc {

// The explanation as the stable JSON document docs/cli.md describes:
//   {"roles": [{"logicalId", "statements": [{"actions", "resources", "condition",
//                "because": [{"what", "where"}], "reason"}]}],
//    "limits": [{"name", "used", "limit"}]}
// One entry per AWS::IAM::Role of the stack, in template order; its statements are the trust
// policy's (which also carry "principal") then the inline policy's, each exactly once, from the
// IR's IamStatement provenance. "where" is "file:line:col". The limits are LimitsBudget's.
Json ExplainJson(const StackIR& stack, const std::vector<OutputFile>& files);

// The same explanation for people: per role, each statement with its reasons; then the budget
// with a percentage per limit, those above 80% marked.
std::string ExplainText(const Json& explanation);

}  // namespace orchc
