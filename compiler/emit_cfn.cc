// The CloudFormation back end: one template per stack, keys in a fixed readable order. The
// template is written as text resource by resource (JsonWriter): no tree of the whole template
// is built, so its memory is the text's.
#include <string_view>
#include <unordered_map>

#include "backend.h"
#include "json_writer.h"

namespace orchc {

namespace {

// Definition as one string: the compact ASL cut at each ${Placeholder} and joined with the
// placeholder's expression. Fn::Join substitutes nothing, so no text of the spec is changed.
Json DefinitionString(const WorkflowIR& wf) {
  const std::string text = CompactAslDefinition(wf);
  Json parts = Json::array();
  // Placeholder names hold no '}', so "${name}" ends at the first '}': look the name up.
  std::unordered_map<std::string_view, const Json*> exprs;
  for (const auto& [name, expr] : wf.substitutions) exprs.emplace(name, &expr);
  std::string literal;
  size_t i = 0;
  while (i < text.size()) {
    bool matched = false;
    if (text.compare(i, 2, "${") == 0) {
      size_t close = text.find('}', i + 2);
      auto it = close == std::string::npos
                    ? exprs.end()
                    : exprs.find(std::string_view(text).substr(i + 2, close - i - 2));
      if (it != exprs.end()) {
        const Json& expr = *it->second;
        if (expr.is_string()) {
          literal += expr.get<std::string>();
        } else {
          if (!literal.empty()) parts.push_back(literal);
          literal.clear();
          parts.push_back(expr);
        }
        i = close + 1;
        matched = true;
      }
    }
    if (!matched) literal += text[i++];
  }
  if (!literal.empty()) parts.push_back(literal);
  return Json{{"Fn::Join", Json::array({"", parts})}};
}

// A state machine's properties, with its definition right after the name and type.
void WriteStateMachineProperties(const Resource& r, const EmitOptions& options, JsonWriter& w) {
  const WorkflowIR& wf = *r.workflow;
  // After StateMachineType, or the name when an adopted stack leaves the type unset (adopt.cc).
  const char* anchor =
      r.properties.contains("StateMachineType") ? "StateMachineType" : "StateMachineName";
  w.BeginObject();
  for (const auto& [k, v] : r.properties.get_ref<const Json::object_t&>()) {
    w.Member(k, v);
    if (k != anchor) continue;
    if (options.definition_string) {
      w.Member("DefinitionString", DefinitionString(wf));
      continue;
    }
    w.Key("Definition");
    WriteAslDefinition(wf, w);
    if (wf.substitutions.empty()) continue;
    w.Key("DefinitionSubstitutions");
    w.BeginObject();
    for (const auto& [name, expr] : wf.substitutions) w.Member(name, expr);
    w.EndObject();
  }
  w.EndObject();
}

void WriteResource(const Resource& r, const EmitOptions& options, JsonWriter& w) {
  w.BeginObject();
  w.Member("Type", r.type);
  if (!r.depends_on.empty()) {
    w.Key("DependsOn");
    WriteStrings(r.depends_on, w);
  }
  if (r.workflow) {
    w.Key("Properties");
    WriteStateMachineProperties(r, options, w);
  } else {
    w.Member("Properties", r.properties);
  }
  if (r.deletion_policy) w.Member("DeletionPolicy", *r.deletion_policy);
  if (r.update_replace_policy) w.Member("UpdateReplacePolicy", *r.update_replace_policy);
  w.EndObject();
}

// The members of "Resources".
void WriteResources(const StackIR& stack, const EmitOptions& options, JsonWriter& w) {
  for (const Resource& r : stack.resources) {
    w.Key(r.logical_id);
    WriteResource(r, options, w);
  }
}

// Logical IDs are unique in the IR (Lower checks them), so every key is written once.
class CloudFormationBackend : public Backend {
 public:
  void Emit(const StackIR& stack, const EmitOptions& options,
            std::vector<OutputFile>& out) const override {
    std::string text;
    JsonWriter w(text, options.compact ? -1 : 2);
    w.BeginObject();
    w.Member("AWSTemplateFormatVersion", "2010-09-09");
    w.Member("Description", stack.description);
    if (!stack.parameters.empty()) {
      w.Key("Parameters");
      w.BeginObject();
      for (const Parameter& p : stack.parameters) {
        w.Key(p.logical_id);
        w.BeginObject();
        w.Member("Type", p.type);
        w.Member("Default", p.default_value);
        w.Member("Description", p.description);
        w.EndObject();
      }
      w.EndObject();
    }
    w.Key("Resources");
    w.BeginObject();
    WriteResources(stack, options, w);
    w.EndObject();
    if (!stack.outputs.empty()) {
      w.Key("Outputs");
      w.BeginObject();
      for (const Output& o : stack.outputs) {
        w.Key(o.logical_id);
        w.BeginObject();
        w.Member("Description", o.description);
        w.Member("Value", o.value);
        w.Key("Export");
        w.BeginObject();
        w.Member("Name", o.export_name);
        w.EndObject();
        w.EndObject();
      }
      w.EndObject();
    }
    w.EndObject();
    text += '\n';
    out.push_back({stack.name + ".template.json", std::move(text), OutputKind::kTemplate});
  }
};

}  // namespace

std::unique_ptr<Backend> MakeCloudFormationBackend() {
  return std::make_unique<CloudFormationBackend>();
}

}  // namespace orchc
