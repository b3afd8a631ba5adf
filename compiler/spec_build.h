// Desugaring, the stage between the schema and the semantic checks: a schema-valid YAML tree
// becomes a Spec (spec.h) with every default filled in and ${env}/${workflow} expanded.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "diag.h"
#include "spec.h"
#include "yaml_tree.h"

namespace orchc {

// Builds the desugared spec from a schema-valid document. Reports located errors (unknown
// ${...} variables, bad durations, a workflow defined twice) and returns false on any.
bool BuildSpec(const YamlDoc& doc, Spec& spec, DiagSink& sink);

// The standard imports and their default export names (before ${env} expansion).
const std::vector<std::pair<std::string, std::string>>& StandardImports();

}  // namespace orchc
