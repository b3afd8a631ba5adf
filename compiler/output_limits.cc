#include "output_limits.h"

#include <string_view>
#include <unordered_map>

#include "integrations/integration.h"
#include "json_writer.h"
#include "spec.h"
#include "step_kinds.h"

namespace orchc {

std::string Grouped(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

namespace {

// Lower() keeps the spec's order: the workflow IR at `i` is the spec's workflow `i`.
const WorkflowSpec* FindWorkflow(const Spec& spec, size_t i, const std::string& name) {
  if (i < spec.workflows.size() && spec.workflows[i].name == name) return &spec.workflows[i];
  return nullptr;
}

// Every limit a service integration checks itself, for every such step of the list, branches
// and map steps included. Recursive over nested lists only (a list itself is a loop); their
// depth is bounded by the loader's max_depth (64 levels of maps and lists, aliases included:
// yaml_tree.h).
void ServiceLimits(const std::vector<StepSpec>& steps, LimitContext& ctx) {
  for (const StepSpec& s : steps) {
    std::visit(Overloaded{[&]<ServiceBody B>(const B&) { IntegrationFor<B>().CheckLimits(s, ctx); },
                          [](const auto&) {}},
               s.body);
    for (const StepList* nested : NestedLists(s)) ServiceLimits(*nested, ctx);
  }
}

}  // namespace

bool CheckOutputLimits(const Spec& spec, const StackIR& stack, const std::vector<OutputFile>& files,
                       DiagSink& sink, const OutputLimits& limits) {
  const size_t errors_before = sink.error_count();
  const SourceLoc file_loc{spec.source ? &spec.source->path : nullptr, 0, 0};
  std::unordered_map<std::string_view, const OutputFile*> asl_files;
  for (const OutputFile& f : files) {
    if (f.name.ends_with(".asl.json")) asl_files.emplace(f.name, &f);
  }

  for (size_t i = 0; i < stack.workflows.size(); ++i) {
    const WorkflowIR& wf = stack.workflows[i];
    const WorkflowSpec* w = FindWorkflow(spec, i, wf.name);
    const SourceLoc loc = w ? w->loc : file_loc;
    const uint32_t length = static_cast<uint32_t>(wf.name.size());
    // The definition as CloudFormation sends it: the ASL file's text without its layout.
    auto file = asl_files.find(stack.name + "." + wf.name + ".asl.json");
    uint64_t size = file != asl_files.end() ? CompactJsonSize(file->second->content)
                                            : CompactAslDefinition(wf).size();
    if (size > limits.max_definition_bytes) {
      sink.Error(loc,
                 "the state machine definition of workflow '" + wf.name + "' is " + Grouped(size) +
                     " bytes, over Step Functions' limit of " +
                     Grouped(limits.max_definition_bytes) + " bytes; shorten its strings",
                 length);
    }
    if (!w) continue;
    LimitContext ctx{*w, sink, limits};
    ServiceLimits(w->steps, ctx);
  }

  if (stack.resources.size() > limits.max_resources) {
    sink.Error(file_loc, "the template has " + std::to_string(stack.resources.size()) +
                             " resources, over CloudFormation's limit of " +
                             std::to_string(limits.max_resources) +
                             "; split the workflows into several specs (stacks)");
  }
  if (stack.outputs.size() > limits.max_outputs) {
    sink.Error(file_loc, "the template has " + std::to_string(stack.outputs.size()) +
                             " outputs (2 per workflow), over CloudFormation's limit of " +
                             std::to_string(limits.max_outputs) +
                             "; split the workflows into several specs (stacks)");
  }

  for (const OutputFile& f : files) {
    if (!f.name.ends_with(".template.json")) continue;
    const uint64_t size = f.content.size();
    if (size > limits.max_template_bytes) {
      sink.Error(file_loc, "the template is " + Grouped(size) +
                               " bytes, over CloudFormation's limit of " +
                               Grouped(limits.max_template_bytes) +
                               " bytes; split the workflows into several specs (stacks)");
    } else if (size > limits.max_inline_template_bytes) {
      const uint64_t compact = CompactJsonSize(f.content);
      const std::string compact_hint =
          compact <= limits.max_inline_template_bytes
              ? "compile with --compact (" + Grouped(compact) + " bytes minified), or "
              : "";
      sink.Warning(WarningClass::kInlineTemplateSize, file_loc,
                   "the template is " + Grouped(size) + " bytes, over the " +
                       Grouped(limits.max_inline_template_bytes) +
                       " bytes CloudFormation accepts inline; " + compact_hint +
                       "deploy it through S3: 'aws cloudformation deploy "
                       "--template-file FILE --stack-name NAME --s3-bucket BUCKET'");
    }
  }
  return sink.error_count() == errors_before;
}

}  // namespace orchc
