// IAM policy statements (ir.h's IamStatement): merging them, the policy document they make, and
// why each is there. Defined in iam_statements.cc; used by the lowering.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "ir.h"

namespace orchc {

// Merges statements with equal resources and condition, sorts and de-duplicates actions; the
// merged statement keeps every `because` entry and each distinct `reason`.
std::vector<IamStatement> MergeStatements(std::vector<IamStatement> in);
// The policy document of `statements` (Effect, Principal, Action, Resource, Condition).
Json PolicyDocument(const std::vector<IamStatement>& statements);
// Adds `because` to every statement of `iam` from index `from` on that has none yet: the
// statements a spec element's lowering just made (inner elements attribute theirs first).
void AttributeStatements(std::vector<IamStatement>& iam, size_t from, const std::string& what,
                         SourceLoc where);
// The trust policy statement letting `service` assume a role, optionally under `condition`.
IamStatement TrustStatement(const char* service, Json condition);

}  // namespace orchc
