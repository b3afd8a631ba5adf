#include "output_limits.h"

#include <string_view>
#include <unordered_map>

#include "integrations/integration.h"
#include "ir.h"
#include "json_writer.h"
#include "lower_util.h"
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

// The largest execution input a schedule of `w` sends: the envelope orchc writes (trigger source
// and an RFC 3339 timestamp) with the schedule's `input` keys.
uint64_t LargestScheduleInput(const WorkflowSpec& w) {
  uint64_t largest = 0;
  for (const ScheduleSpec& s : w.schedules) {
    Json input = {{"triggerSource",
                   s.engine == TriggerEngine::kScheduler ? "EventBridgeScheduler" : "EventBridge"},
                  {"timestamp", "2000-01-01T00:00:00Z"}};
    if (s.input && s.input->IsMap()) {
      const Json extra = ValueJson(s.input, nullptr);  // outlives the loop over its items
      for (const auto& [k, v] : extra.items()) input[k] = v;
    }
    const uint64_t size = input.dump(-1, ' ', false, Json::error_handler_t::replace).size();
    largest = std::max(largest, size);
  }
  return largest;
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
std::vector<LimitUse> Measure(const Spec& spec, const StackIR& stack,
                              const std::vector<OutputFile>& files, const OutputLimits& limits,
                              DiagSink& sink, std::vector<uint64_t>& definition_bytes) {
  const SourceLoc file_loc{spec.source ? &spec.source->path : nullptr, 0, 0};
  std::vector<LimitUse> out;
  definition_bytes.assign(stack.workflows.size(), 0);
  for (const OutputFile& f : files) {
    if (f.kind != OutputKind::kTemplate) continue;
    out.push_back({"template bytes (inline deploy)", f.content.size(),
                   limits.max_inline_template_bytes, file_loc});
    out.push_back({"template bytes", f.content.size(), limits.max_template_bytes, file_loc});
  }
  out.push_back({"resources", stack.resources.size(), limits.max_resources, file_loc});
  out.push_back({"outputs", stack.outputs.size(), limits.max_outputs, file_loc});
  out.push_back({"parameters", stack.parameters.size(), limits.max_parameters, file_loc});
  const AslFiles asl_files = AslFilesByName(files);
  for (size_t i = 0; i < stack.workflows.size(); ++i) {
    const WorkflowIR& wf = stack.workflows[i];
    const WorkflowSpec* w = FindWorkflow(spec, i, wf.name);
    const SourceLoc loc = w ? w->loc : file_loc;
    const uint32_t length = static_cast<uint32_t>(wf.name.size());
    const uint64_t size = DefinitionBytes(wf, asl_files);
    definition_bytes[i] = size;
    out.push_back({"definition bytes: " + wf.name, size, limits.max_definition_bytes, loc, length});
    if (!w) continue;
    if (w->express) {
      out.push_back({"execution input bytes (EXPRESS): " + wf.name, LargestScheduleInput(*w),
                     limits.max_payload_bytes, w->type_loc.line ? w->type_loc : loc, length});
    }
    LimitContext ctx{*w, sink, limits, &out};
    ServiceLimits(w->steps, ctx);
  }
  for (const Resource& r : stack.resources) {
    if (r.type != "AWS::IAM::Role") continue;
    SourceLoc loc = file_loc;
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

}  // namespace

std::vector<LimitUse> LimitsBudget(const Spec& spec, const StackIR& stack,
                                   const std::vector<OutputFile>& files,
                                   const OutputLimits& limits) {
  DiagSink scratch;  // the budget only measures: CheckOutputLimits reports the errors
  std::vector<uint64_t> definition_bytes;
  return Measure(spec, stack, files, limits, scratch, definition_bytes);
}

bool CheckOutputLimits(const Spec& spec, const StackIR& stack, const std::vector<OutputFile>& files,
                       DiagSink& sink, const OutputLimits& limits) {
  const size_t errors_before = sink.error_count();
  const SourceLoc file_loc{spec.source ? &spec.source->path : nullptr, 0, 0};
  // One measurement serves the errors and the near-limit warnings below; the service
  // integrations report their own limits' errors while it runs.
  std::vector<uint64_t> definition_bytes;
  const std::vector<LimitUse> budget = Measure(spec, stack, files, limits, sink, definition_bytes);
  for (size_t i = 0; i < stack.workflows.size(); ++i) {
    const WorkflowIR& wf = stack.workflows[i];
    const WorkflowSpec* w = FindWorkflow(spec, i, wf.name);
    const SourceLoc loc = w ? w->loc : file_loc;
    const uint32_t length = static_cast<uint32_t>(wf.name.size());
    const uint64_t size = definition_bytes[i];
    if (size > limits.max_definition_bytes) {
      sink.Error(loc,
                 "the state machine definition of workflow '" + wf.name + "' is " + Grouped(size) +
                     " bytes, over Step Functions' limit of " +
                     Grouped(limits.max_definition_bytes) + " bytes; shorten its strings",
                 length);
    }
  }

  if (stack.resources.size() > limits.max_resources) {
    sink.Error(file_loc, "the template has " + std::to_string(stack.resources.size()) +
                             " resources, over CloudFormation's limit of " +
                             std::to_string(limits.max_resources) +
                             "; split the workflows into several specs (stacks)");
  }
  if (stack.parameters.size() > limits.max_parameters) {
    sink.Error(file_loc, "the template has " + std::to_string(stack.parameters.size()) +
                             " parameters (one per SSM import), over CloudFormation's limit of " +
                             std::to_string(limits.max_parameters) +
                             "; split the workflows into several specs (stacks)");
  }
  if (stack.outputs.size() > limits.max_outputs) {
    sink.Error(file_loc, "the template has " + std::to_string(stack.outputs.size()) +
                             " outputs (2 per workflow), over CloudFormation's limit of " +
                             std::to_string(limits.max_outputs) +
                             "; split the workflows into several specs (stacks)");
  }

  for (const OutputFile& f : files) {
    if (f.kind != OutputKind::kTemplate) continue;
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
  // Within a limit but close to it: the next workflow or step may cross it. A role's policy is
  // measured before CloudFormation resolves it, so even over its limit it is only a warning.
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
  return sink.error_count() == errors_before;
}

}  // namespace orchc
