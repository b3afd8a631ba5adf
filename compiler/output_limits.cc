#include "output_limits.h"

#include <string_view>
#include <unordered_map>

#include "json_writer.h"
#include "spec.h"
#include "step_kinds.h"

namespace orchc {

namespace {

// 1234567 -> "1,234,567": the figures AWS's documentation uses.
std::string Grouped(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// Lower() keeps the spec's order: the workflow IR at `i` is the spec's workflow `i`.
const WorkflowSpec* FindWorkflow(const Spec& spec, size_t i, const std::string& name) {
  if (i < spec.workflows.size() && spec.workflows[i].name == name) return &spec.workflows[i];
  return nullptr;
}

// The container override as ECS receives it, for its 8,192-character limit.
size_t OverridesChars(const EcsTaskSpec& t) {
  Json command = Json::array();
  for (const LocatedString& arg : t.command) command.push_back(arg.value);
  Json env = Json::array();
  for (const auto& [k, v] : t.environment) env.push_back({{"name", k.value}, {"value", v.value}});
  Json container = {{"name", t.container.value}, {"command", command}};
  if (!env.empty()) container["environment"] = env;
  Json overrides = {{"containerOverrides", Json::array({container})}};
  return overrides.dump(-1, ' ', false, Json::error_handler_t::replace).size();
}

// Every ECS task step of a workflow, branches and map steps included.
// Recursive over nested lists only (a list itself is a loop); their depth is bounded by
// the loader's max_depth (64 levels of maps and lists, aliases included: yaml_tree.h).
void TaskSteps(const std::vector<StepSpec>& steps, std::vector<const StepSpec*>& out) {
  for (const StepSpec& s : steps) {
    if (std::holds_alternative<EcsTaskSpec>(s.body)) out.push_back(&s);
    for (const StepList* nested : NestedLists(s)) TaskSteps(*nested, out);
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
    std::vector<const StepSpec*> tasks;
    TaskSteps(w->steps, tasks);
    for (const StepSpec* step : tasks) {
      const EcsTaskSpec& task = std::get<EcsTaskSpec>(step->body);
      size_t chars = OverridesChars(task);
      if (chars <= limits.max_overrides_chars) continue;
      const SourceLoc& at = task.command_loc;
      sink.Error(at.line ? at : loc,
                 "the container command of step '" + step->name.value + "' of workflow '" +
                     wf.name + "' makes " + Grouped(chars) +
                     " characters of ECS overrides, over ECS's limit of " +
                     Grouped(limits.max_overrides_chars) +
                     "; pass long inputs another way (a file in the image, an S3 object)");
    }
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
