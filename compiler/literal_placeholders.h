// `${env}` and `${workflow}` are replaced only in the fields docs/spec.md lists ("Variables");
// written in any other string they stay literal text. This pass warns at each such string
// (warning class literal-placeholder), so the difference is never silent.
#pragma once

#include <unordered_set>

#include "diag.h"
#include "yaml_tree.h"

namespace orchc {

// Warns at every scalar (value or key) under `root` that holds `${env}` or `${workflow}` and is
// not in `expanded` (the scalars BuildSpec substituted). `$${` writes a literal `${`: no warning.
// Iterative, and each node is visited once however many aliases refer to it.
void WarnLiteralPlaceholders(const YNode* root, const std::unordered_set<const YNode*>& expanded,
                             DiagSink& sink);

}  // namespace orchc
