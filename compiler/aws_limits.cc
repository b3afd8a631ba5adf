// Limits of AWS properties built from several pieces of spec text (aws_limits.h). The errors
// name the property, its length and AWS's limit, and point at the text to shorten.
#include "aws_limits.h"

#include <algorithm>
#include <string>
#include <vector>

#include "check_util.h"
#include "lower_util.h"
#include "step_kinds.h"
#include "triggers.h"

namespace orchc {

namespace {

// Unicode characters (code points) of UTF-8 text: AWS's length constraints count characters.
size_t Characters(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Over(size_t used, size_t limit, const char* unit = "characters") {
  return std::to_string(used) + " " + unit + ", over the " + std::to_string(limit) + " AWS accepts";
}

// The description goes to each rule and schedule (Description, 0-512 characters); without a
// trigger it is only the definition's Comment, which has no documented limit.
void TriggerDescription(const WorkflowSpec& w, DiagSink& sink) {
  if (w.schedules.empty()) return;
  const size_t n = Characters(w.description.value);
  if (n <= AwsLimits::kTriggerDescription) return;
  if (w.description.written()) {
    check::Err(sink, w.description,
               "description of workflow '" + w.name + "' is " +
                   Over(n, AwsLimits::kTriggerDescription) +
                   " as a rule or schedule Description; shorten it");
    return;
  }
  // Generated from the workflow's name and its first schedule: point at the name.
  sink.Error(w.loc,
             "the description orchc gives the rules and schedules of workflow '" + w.name +
                 "' (\"" + w.description.value.substr(0, 40) + "...\") is " +
                 Over(n, AwsLimits::kTriggerDescription) +
                 "; shorten the workflow name or its schedule expression, or set description:",
             static_cast<uint32_t>(w.from_orchestration ? 1 : w.name.size()));
}

// AWS::ECS::TaskDefinition Family is "<env>-<workflow>" (TaskDefinitionFamily, lower_util.h), its
// log group "/ecs/<family>".
void CheckTaskFamily(const Spec& spec, const WorkflowSpec& w, DiagSink& sink) {
  if (!w.task_definition) return;
  const std::string family = TaskDefinitionFamily(spec, w);
  if (family.size() <= AwsLimits::kTaskFamily) return;
  sink.Error(w.loc,
             "the task definition family orchc names '<env>-<workflow>' is " +
                 Over(family.size(), AwsLimits::kTaskFamily) + "; shorten the workflow name",
             static_cast<uint32_t>(w.from_orchestration ? 1 : w.name.size()));
}

// ContainerDefinition Image: "repository-url/image:tag" is up to 255 letters, numbers, '-', '_',
// ':', '.', '/' and '#'; with "@sha256:<64 hex digits>" the 255 count what precedes the '@'.
void Image(const LocatedString& image, DiagSink& sink) {
  const std::string& v = image.value;
  const size_t at = v.find('@');
  const std::string name = v.substr(0, at);
  if (name.size() > AwsLimits::kImage) {
    check::Err(sink, image,
               "image name is " + Over(name.size(), AwsLimits::kImage) + " (before any @digest)");
  }
  const size_t bad = name.find_first_not_of(
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:./#");
  if (bad != std::string::npos) {
    check::Err(sink, image,
               "image '" + v +
                   "' contains a character ECS does not accept in an image name; allowed: "
                   "letters, digits, '-', '_', ':', '.', '/', '#'");
  }
  if (at != std::string::npos) {
    const std::string digest = v.substr(at + 1);
    const bool ok = digest.size() == 7 + 64 && digest.starts_with("sha256:") &&
                    digest.find_first_not_of("0123456789abcdefABCDEF", 7) == std::string::npos;
    if (!ok) {
      check::Err(sink, image,
                 "image digest must be sha256: followed by 64 hexadecimal digits (the only "
                 "digest ECS supports)");
    }
  }
}

// AWS::Events::Rule Target InputTransformer InputTemplate: 1-8192 characters, the schedule's
// input included.
void RuleInput(const ScheduleSpec& s, DiagSink& sink) {
  if (s.engine != TriggerEngine::kRule || !s.input) return;
  const size_t n = Characters(RuleInputTemplate(s));
  if (n <= AwsLimits::kRuleInputTemplate) return;
  sink.Error(s.input->loc, "the rule's input template with this input is " +
                               Over(n, AwsLimits::kRuleInputTemplate) +
                               " (EventBridge InputTemplate); shorten the input");
}

// SNS Publish Message: less than 256 KB, as text (a mapping is sent as its JSON text).
void SnsMessages(const std::vector<StepSpec>& steps, DiagSink& sink) {
  std::vector<const StepList*> todo = {&steps};  // iterative: nesting is user-sized
  while (!todo.empty()) {
    const StepList* list = todo.back();
    todo.pop_back();
    for (const StepSpec& s : *list) {
      if (const auto* p = std::get_if<PublishSpec>(&s.body); p && p->message) {
        const Json m = ValueJson(p->message, nullptr);
        const size_t bytes = m.is_string()
                                 ? m.get_ref<const std::string&>().size()
                                 : m.dump(-1, ' ', false, Json::error_handler_t::replace).size();
        if (bytes >= AwsLimits::kSnsMessageBytes) {
          sink.Error(p->message->loc, "publish message is " +
                                          Over(bytes, AwsLimits::kSnsMessageBytes, "bytes") +
                                          " (SNS messages are less than 256 KB); shorten it");
        }
      }
      for (const StepList* nested : NestedLists(s)) todo.push_back(nested);
    }
  }
}

// CloudFormation resource and output names (logical IDs) are at most 255 characters; orchc
// derives them from the workflow name in PascalCase plus a suffix (docs/spec.md "Output").
void LogicalIds(const WorkflowSpec& w, DiagSink& sink) {
  size_t suffix = std::string("StateMachineName").size();  // also StateMachineRole
  if (w.alarms) suffix = std::string("ExecutionsTimedOutAlarm").size();
  for (const ScheduleSpec& s : w.schedules) {
    if (s.dead_letter_queue && s.dead_letter_queue->value == "create")
      suffix = std::max(suffix, std::string("DeadLetterQueuePolicy").size());
  }
  const std::string longest = PascalCase(w.name);
  if (longest.size() + suffix <= AwsLimits::kLogicalId) return;
  sink.Error(w.loc,
             "the logical IDs orchc derives from workflow name '" + w.name + "' are up to " +
                 Over(longest.size() + suffix, AwsLimits::kLogicalId) +
                 " for a CloudFormation resource or output name; shorten the workflow name",
             static_cast<uint32_t>(w.from_orchestration ? 1 : w.name.size()));
}

}  // namespace

void CheckAwsLimits(const Spec& spec, DiagSink& sink) {
  for (const WorkflowSpec& w : spec.workflows) {
    if (sink.saturated()) return;
    TriggerDescription(w, sink);
    CheckTaskFamily(spec, w, sink);
    LogicalIds(w, sink);
    if (w.task_definition) Image(w.task_definition->image, sink);
    for (const ScheduleSpec& s : w.schedules) RuleInput(s, sink);
    SnsMessages(w.steps, sink);
  }
}

}  // namespace orchc
