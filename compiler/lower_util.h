// What the parts of lowering share (lower.cc, lower_graph.cc, lower_resources.cc, triggers.cc,
// overlap.cc, failure_notice.cc, the integration units; aws_limits.cc and output_limits.cc read
// the names): the two halves of a workflow's lowering, names, tags, resources and values.
// Defined in lower_util.cc unless said otherwise.
#pragma once

#include <string>
#include <unordered_set>

#include "ir.h"
#include "spec.h"

namespace orchc {

class Substitutions;

// A workflow's graph of states and the IAM statements its states need, merged (lower_graph.cc).
WorkflowIR LowerWorkflow(const Spec& spec, const WorkflowSpec& w);

// Appends the resources and outputs of workflow `w`, lowered to `wf`, to `stack`; `groups`: the
// logical IDs of the schedule groups made so far (lower_resources.cc).
void LowerWorkflowResources(const Spec& spec, const WorkflowSpec& w, const WorkflowIR& wf,
                            StackIR& stack, std::unordered_set<std::string>& groups);

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
