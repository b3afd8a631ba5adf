// Helpers shared by the parts of lowering (lower.cc, triggers.cc): resources, roles, values.
#pragma once

#include <string>

#include "ir.h"
#include "spec.h"

namespace orchc {

class Substitutions;

// sample-batch -> SampleBatch
std::string PascalCase(const std::string& name);
// The family of a workflow's own task definition, "<env>-<workflow>" (its log group is
// "/ecs/<family>").
std::string TaskDefinitionFamily(const Spec& spec, const WorkflowSpec& w);
// The stack's tags as a resource's Tags property.
Json Tags(const Spec& spec);
Resource MakeResource(std::string logical_id, std::string type);
Json GetAtt(const std::string& id, const char* attr);
// A free-form spec value (a message, a Pass result, map items) as JSON. Inside a definition
// every string, key or value, goes through Substitutions::Text (keys through ::Key, which also
// hides Ref/Condition/Fn:: from CloudFormation) so that it comes out literally; elsewhere (`subs`
// null) strings are kept as they are.
Json ValueJson(const YNode* n, Substitutions* subs);

}  // namespace orchc
