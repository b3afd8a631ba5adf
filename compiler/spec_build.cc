// Desugaring, the stage's entry point and the top level of a spec: the stack, the imports and the
// list of workflows (spec_build_internal.h says where the rest is read).
#include "spec_build.h"

#include <algorithm>
#include <string>

#include "literal_placeholders.h"
#include "spec_build_internal.h"

namespace orchc::spec_build_detail {

bool Builder::Build(Spec& spec) {
  const YNode* root = doc_.root;
  spec.source = doc_.source.get();
  file_loc_ = SourceLoc{&doc_.source->path, 0, 0};
  const YNode* env = root->Get("env");
  spec.env = env->value;
  spec.env_loc = env->loc;
  Vars vars{spec.env, ""};
  ReadStack(root->Get("stack"), spec, vars);
  ReadImports(root->Get("imports"), spec, vars);

  Inherited top;
  top.env = spec.env;
  ReadLogs(root->Get("logs"), top.logs);
  if (const YNode* t = root->Get("tracing")) AsBool(*t, &top.tracing);
  if (const YNode::Entry* orch = root->Find("orchestration")) {
    spec.workflows.push_back(ReadOrchestration(*orch, top));
  }
  if (const YNode* wfs = root->Get("workflows")) ReadWorkflows(wfs, top, spec);
  std::sort(spec.workflows.begin(), spec.workflows.end(),
            [](const WorkflowSpec& a, const WorkflowSpec& b) { return a.name < b.name; });
  if (!failed_) WarnLiteralPlaceholders(root, expanded_, sink_);
  return !failed_;
}

void Builder::ReadStack(const YNode* stack, Spec& spec, const Vars& vars) {
  spec.stack_name = Str(stack ? stack->Get("name") : nullptr, "OrchestrationStack-${env}", vars);
  spec.description =
      Str(stack ? stack->Get("description") : nullptr, "Scheduled batch workflows (${env})", vars);
  if (const YNode* tags = stack ? stack->Get("tags") : nullptr) spec.tags = ReadTags(tags);
}

// The standard imports with their default export names, then `imports:` as written (which
// may replace them).
void Builder::ReadImports(const YNode* imports, Spec& spec, const Vars& vars) {
  for (const auto& [name, def] : StandardImports()) {
    ImportSpec imp;
    imp.export_name = Expand(def, vars, file_loc_, /*quoted=*/false);
    imp.loc = file_loc_;
    spec.imports[name] = imp;
  }
  if (!imports) return;
  for (const YNode::Entry& e : imports->entries) {
    ImportSpec imp;
    imp.loc = e.value->loc;
    imp.origin = Origin::kWritten;
    if (e.value->IsMap()) {
      const YNode* type = e.value->Get("type");
      imp.ssm = {e.value->Get("ssm")->value, type && type->value == "StringList"};
    } else {
      imp.export_name = Expand(e.value->value, vars, e.value->loc, e.value->quoted);
      expanded_.insert(e.value);
    }
    spec.imports[e.key] = imp;
  }
}

// The entries of `workflows:`, after the `orchestration:` block's workflow if any.
void Builder::ReadWorkflows(const YNode* wfs, const Inherited& top, Spec& spec) {
  // Map keys are unique already; only the orchestration: block can clash.
  for (const YNode::Entry& e : wfs->entries) {
    if (!spec.workflows.empty() && spec.workflows[0].from_orchestration &&
        spec.workflows[0].name == e.key) {
      sink_.Error(e.key_loc,
                  "workflow '" + e.key + "' is already defined by the orchestration: block (line " +
                      std::to_string(spec.workflows[0].loc.line) + "); rename one of them",
                  static_cast<uint32_t>(e.key.size()));
      failed_ = true;
      continue;
    }
    spec.workflows.push_back(ReadWorkflow(e, top));
  }
}

}  // namespace orchc::spec_build_detail

namespace orchc {

const std::vector<std::pair<std::string, std::string>>& StandardImports() {
  static const std::vector<std::pair<std::string, std::string>> kImports = {
      {"cluster", "${env}-EcsClusterName"},
      {"taskDefinition", "${env}-TaskDefinitionArn"},
      {"taskRole", "${env}-TaskRoleArn"},
      {"executionRole", "${env}-TaskExecutionRoleArn"},
      {"subnets", "${env}-PrivateSubnetIds"},
      {"securityGroup", "${env}-EcsSecurityGroupId"},
      {"alertsTopic", "${env}-CriticalAlertsTopicArn"},
  };
  return kImports;
}

bool BuildSpec(const YamlDoc& doc, Spec& spec, DiagSink& sink) {
  if (!doc.root) return false;
  return spec_build_detail::Builder(doc, sink).Build(spec);
}

}  // namespace orchc
