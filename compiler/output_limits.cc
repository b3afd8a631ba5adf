#include "output_limits.h"

#include <optional>
#include <string_view>
#include <unordered_map>

#include "integrations/integration.h"
#include "ir.h"
#include "json_writer.h"

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

// The workflow definitions of the back ends' output, by workflow name.
using AslFiles = std::unordered_map<std::string_view, const OutputFile*>;
AslFiles AslFilesByName(const std::vector<OutputFile>& files) {
  AslFiles out;
  for (const OutputFile& f : files) {
    if (f.kind == OutputKind::kWorkflowDefinition) out.emplace(f.workflow, &f);
  }
  return out;
}

// A workflow's definition as CloudFormation sends it: its ASL file's text without the layout
// (or, when no ASL file was written, the definition written compactly).
uint64_t DefinitionBytes(const WorkflowIR& wf, const AslFiles& asl_files) {
  auto file = asl_files.find(wf.name);
  return file != asl_files.end() ? CompactJsonSize(file->second->content)
                                 : CompactAslDefinition(wf).size();
}

// Every size a service integration measured as it lowered a step of `wf` (WorkflowIR::
// step_sizes), checked by that unit.
void StepLimits(const WorkflowIR& wf, LimitContext& ctx) {
  for (const SizeUse& size : wf.step_sizes) size.unit->CheckLimits(size, ctx);
}

// An IAM role's inline policies as IAM counts them: the documents' characters, whitespace
// outside strings not counted. Measured on the template, before CloudFormation resolves its
// intrinsic functions (usually longer than the ARNs they resolve to).
uint64_t RolePolicyChars(const Resource& role) {
  uint64_t chars = 0;
  const auto policies = role.properties.find("Policies");
  if (policies == role.properties.end() || !policies->is_array()) return 0;
  for (const Json& p : *policies) {
    if (const auto doc = p.find("PolicyDocument"); doc != p.end()) {
      chars += doc->dump(-1, ' ', false, Json::error_handler_t::replace).size();
    }
  }
  return chars;
}

// Measures every limit once, for both LimitsBudget and CheckOutputLimits: the budget in
// LimitsBudget's order; each workflow's definition bytes in `definition_bytes` (by workflow
// index); the service integrations' own errors (CheckLimits) go to `sink`.
std::vector<LimitUse> Measure(const StackIR& stack, const std::vector<OutputFile>& files,
                              const OutputLimits& limits, DiagSink& sink,
                              std::vector<uint64_t>& definition_bytes) {
  std::vector<LimitUse> out;
  definition_bytes.assign(stack.workflows.size(), 0);
  for (const OutputFile& f : files) {
    if (f.kind != OutputKind::kTemplate) continue;
    out.push_back({"template bytes (inline deploy)", f.content.size(),
                   limits.max_inline_template_bytes, stack.loc});
    out.push_back({"template bytes", f.content.size(), limits.max_template_bytes, stack.loc});
  }
  out.push_back({"resources", stack.resources.size(), limits.max_resources, stack.loc});
  out.push_back({"outputs", stack.outputs.size(), limits.max_outputs, stack.loc});
  out.push_back({"parameters", stack.parameters.size(), limits.max_parameters, stack.loc});
  const AslFiles asl_files = AslFilesByName(files);
  for (size_t i = 0; i < stack.workflows.size(); ++i) {
    const WorkflowIR& wf = stack.workflows[i];
    const uint32_t length = static_cast<uint32_t>(wf.name.size());
    definition_bytes[i] = DefinitionBytes(wf, asl_files);
    out.push_back({"definition bytes: " + wf.name, definition_bytes[i], limits.max_definition_bytes,
                   wf.loc, length});
    if (const std::optional<SizeUse>& input = wf.express_input) {
      out.push_back({"execution input bytes (EXPRESS): " + wf.name, input->used,
                     limits.max_payload_bytes, input->loc, length});
    }
    LimitContext ctx{wf, sink, limits, &out};
    StepLimits(wf, ctx);
  }
  for (const Resource& r : stack.resources) {
    if (r.type != "AWS::IAM::Role") continue;
    SourceLoc loc = stack.loc;
    for (const std::vector<IamStatement>* list : {&r.policy, &r.trust}) {
      if (!list->empty() && !list->front().because.empty()) {
        loc = list->front().because.front().where;
        break;
      }
    }
    out.push_back({"role policy characters: " + r.logical_id, RolePolicyChars(r),
                   limits.max_role_policy_chars, loc});
  }
  return out;
}

// The errors of the stack's counts (resources, parameters, outputs), located at the file.
void CountErrors(const StackIR& stack, const OutputLimits& limits, DiagSink& sink) {
  if (stack.resources.size() > limits.max_resources) {
    sink.Error(stack.loc, "the template has " + std::to_string(stack.resources.size()) +
                              " resources, over CloudFormation's limit of " +
                              std::to_string(limits.max_resources) +
                              "; split the workflows into several specs (stacks)");
  }
  if (stack.parameters.size() > limits.max_parameters) {
    sink.Error(stack.loc, "the template has " + std::to_string(stack.parameters.size()) +
                              " parameters (one per SSM import), over CloudFormation's limit of " +
                              std::to_string(limits.max_parameters) +
                              "; split the workflows into several specs (stacks)");
  }
  if (stack.outputs.size() > limits.max_outputs) {
    sink.Error(stack.loc, "the template has " + std::to_string(stack.outputs.size()) +
                              " outputs (2 per workflow), over CloudFormation's limit of " +
                              std::to_string(limits.max_outputs) +
                              "; split the workflows into several specs (stacks)");
  }
}

// The template's size: an error over CloudFormation's limit, a warning when it is too large to
// pass inline.
void TemplateSize(const StackIR& stack, const std::vector<OutputFile>& files,
                  const OutputLimits& limits, DiagSink& sink) {
  for (const OutputFile& f : files) {
    if (f.kind != OutputKind::kTemplate) continue;
    const uint64_t size = f.content.size();
    if (size > limits.max_template_bytes) {
      sink.Error(stack.loc, "the template is " + Grouped(size) +
                                " bytes, over CloudFormation's limit of " +
                                Grouped(limits.max_template_bytes) +
                                " bytes; split the workflows into several specs (stacks)");
    } else if (size > limits.max_inline_template_bytes) {
      const uint64_t compact = CompactJsonSize(f.content);
      const std::string compact_hint =
          compact <= limits.max_inline_template_bytes
              ? "compile with --compact (" + Grouped(compact) + " bytes minified), or "
              : "";
      sink.Warning(WarningClass::kInlineTemplateSize, stack.loc,
                   "the template is " + Grouped(size) + " bytes, over the " +
                       Grouped(limits.max_inline_template_bytes) +
                       " bytes CloudFormation accepts inline; " + compact_hint +
                       "deploy it through S3: 'aws cloudformation deploy "
                       "--template-file FILE --stack-name NAME --s3-bucket BUCKET'");
    }
  }
}

// Within a limit but close to it: the next workflow or step may cross it. A role's policy is
// measured before CloudFormation resolves it, so even over its limit it is only a warning.
void NearLimitWarnings(const std::vector<LimitUse>& budget, DiagSink& sink) {
  for (const LimitUse& use : budget) {
    const bool role = use.name.starts_with("role policy");
    const bool reported_above = !role && !use.name.starts_with("execution input");  // errors
    if (use.used * 100 <= use.limit * kNearLimitPercent ||
        (use.used > use.limit && reported_above)) {
      continue;
    }
    sink.Warning(WarningClass::kNearLimit, use.loc,
                 use.name + ": " + Grouped(use.used) + " of AWS's limit of " + Grouped(use.limit) +
                     " (" + std::to_string(use.used * 100 / use.limit) + "%), " +
                     (use.used > use.limit ? "over it"
                                           : "above " + std::to_string(kNearLimitPercent) + "%") +
                     "; 'orchc explain' shows every limit" +
                     (role ? " (measured before CloudFormation resolves intrinsic functions)" : ""),
                 use.length);
  }
}

}  // namespace

std::vector<LimitUse> LimitsBudget(const StackIR& stack, const std::vector<OutputFile>& files,
                                   const OutputLimits& limits) {
  DiagSink scratch;  // the budget only measures: CheckOutputLimits reports the errors
  std::vector<uint64_t> definition_bytes;
  return Measure(stack, files, limits, scratch, definition_bytes);
}

bool CheckOutputLimits(const StackIR& stack, const std::vector<OutputFile>& files, DiagSink& sink,
                       const OutputLimits& limits) {
  const size_t errors_before = sink.error_count();
  // One measurement serves the errors and the near-limit warnings below; the service
  // integrations report their own limits' errors while it runs.
  std::vector<uint64_t> definition_bytes;
  const std::vector<LimitUse> budget = Measure(stack, files, limits, sink, definition_bytes);
  for (size_t i = 0; i < stack.workflows.size(); ++i) {
    const WorkflowIR& wf = stack.workflows[i];
    const uint64_t size = definition_bytes[i];
    if (size > limits.max_definition_bytes) {
      sink.Error(wf.loc,
                 "the state machine definition of workflow '" + wf.name + "' is " + Grouped(size) +
                     " bytes, over Step Functions' limit of " +
                     Grouped(limits.max_definition_bytes) + " bytes; shorten its strings",
                 static_cast<uint32_t>(wf.name.size()));
    }
  }
  CountErrors(stack, limits, sink);
  TemplateSize(stack, files, limits, sink);
  NearLimitWarnings(budget, sink);
  return sink.error_count() == errors_before;
}

}  // namespace orchc
