// Lowering (lower.h): checked Spec -> StackIR. The imports read from SSM become template
// parameters; each workflow is lowered to its graph (lower_graph.cc) and its resources
// (lower_resources.cc); then the logical IDs are checked for clashes.
#include "lower.h"

#include <map>
#include <string>
#include <string_view>
#include <unordered_set>

#include "integrations.h"
#include "ir.h"
#include "lower_util.h"
#include "spec.h"

namespace orchc {

namespace {

// CloudFormation needs every logical ID of Parameters and Resources, and of Outputs, to be
// unique. Prefixes are unique, but a prefix plus a suffix can still spell another workflow's
// ID (workflow 'x' with its own task definition and workflow 'x-task' both give
// XTaskLogGroup), and schedule groups have IDs of their own.
bool CheckLogicalIds(const Spec& spec, const StackIR& stack, DiagSink& sink) {
  const SourceLoc file_loc{spec.source ? &spec.source->path : nullptr, 0, 0};
  bool ok = true;
  auto report = [&](const std::string& id) {
    sink.Error(file_loc, "two parts of the template get the CloudFormation logical ID '" + id +
                             "' (IDs are made from workflow, import and schedule group names); "
                             "rename one of the workflows or groups");
    ok = false;
  };
  std::unordered_set<std::string_view> ids;
  ids.reserve(stack.parameters.size() + stack.resources.size());
  for (const Parameter& p : stack.parameters) {
    if (!ids.insert(p.logical_id).second) report(p.logical_id);
  }
  for (const Resource& r : stack.resources) {
    if (!ids.insert(r.logical_id).second) report(r.logical_id);
  }
  ids.clear();
  for (const Output& o : stack.outputs) {
    if (!ids.insert(o.logical_id).second) report(o.logical_id);
  }
  return ok;
}

}  // namespace

bool Lower(const Spec& spec, StackIR& out, DiagSink& sink) {
  out.name = spec.stack_name.value;
  out.loc = {spec.source ? &spec.source->path : nullptr, 0, 0};
  out.description = spec.description.value;
  for (const auto& [name, imp] : spec.imports) {
    if (!imp.ssm) continue;
    out.parameters.push_back({ImportParameterId(name),
                              imp.ssm->string_list ? "AWS::SSM::Parameter::Value<List<String>>"
                                                   : "AWS::SSM::Parameter::Value<String>",
                              imp.ssm->name,
                              "Import '" + name + "': read from SSM at deploy time"});
  }
  const size_t n = spec.workflows.size();
  out.workflows.resize(n);       // resources point into it: never resized after this
  out.resources.reserve(n * 5);  // 3 to 9 per workflow: spares most growth
  out.outputs.reserve(n * 2);
  std::unordered_set<std::string> groups;
  for (size_t i = 0; i < n; ++i) {
    out.workflows[i] = LowerWorkflow(spec, spec.workflows[i]);
    LowerWorkflowResources(spec, spec.workflows[i], out.workflows[i], out, groups);
  }

  std::map<std::string, const WorkflowSpec*> prefixes;
  bool ok = true;
  for (size_t i = 0; i < n; ++i) {
    const WorkflowSpec& w = spec.workflows[i];
    auto [it, fresh] = prefixes.emplace(out.workflows[i].id_prefix, &w);
    if (!fresh) {
      sink.Error(w.loc,
                 "workflows '" + it->second->name + "' and '" + w.name +
                     "' give the same CloudFormation logical IDs (" + it->first +
                     "...); rename one of them",
                 static_cast<uint32_t>(w.name.size()));
      ok = false;
    }
  }
  return CheckLogicalIds(spec, out, sink) && ok;
}

}  // namespace orchc
