// The CloudFormation back end: one template per stack, keys in a fixed readable order.
#include <string_view>
#include <unordered_map>

#include "backend.h"

namespace orchc {

namespace {

// Definition as one string: the compact ASL cut at each ${Placeholder} and joined with the
// placeholder's expression. Fn::Join substitutes nothing, so no text of the spec is changed.
Json DefinitionString(const WorkflowIR& wf) {
  std::string text = AslDefinition(wf).dump(-1, ' ', false, Json::error_handler_t::strict);
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

// Fills a JSON object in insertion order with keys found by hashing: ordered_json's operator[]
// is a linear scan, so filling a 10,000-resource object with it would be quadratic.
class ObjectFiller {
 public:
  explicit ObjectFiller(Json& object) : object_(object.get_ref<Json::object_t&>()) {}
  void Set(const std::string& key, Json value) {
    auto [it, fresh] = index_.emplace(key, object_.size());
    if (fresh) {
      object_.Container::emplace_back(key, std::move(value));
    } else {
      object_.Container::operator[](it->second).second = std::move(value);  // as operator[] does
    }
  }

 private:
  Json::object_t& object_;
  std::unordered_map<std::string, size_t> index_;
};

Json ResourceJson(const Resource& r, const EmitOptions& options) {
  Json j = Json::object();
  j["Type"] = r.type;
  if (!r.depends_on.empty()) j["DependsOn"] = r.depends_on;
  if (!r.workflow) {
    j["Properties"] = r.properties;
  } else {
    // The definition goes right after the state machine's name and type, for readability.
    Json ordered = Json::object();
    for (const auto& [k, v] : r.properties.items()) {
      ordered[k] = v;
      if (k != "StateMachineType") continue;
      if (options.definition_string) {
        ordered["DefinitionString"] = DefinitionString(*r.workflow);
      } else {
        ordered["Definition"] = AslDefinition(*r.workflow);
        if (!r.workflow->substitutions.empty()) {
          Json subs = Json::object();
          for (const auto& [name, expr] : r.workflow->substitutions) subs[name] = expr;
          ordered["DefinitionSubstitutions"] = subs;
        }
      }
    }
    j["Properties"] = std::move(ordered);
  }
  if (!r.deletion_policy.empty()) j["DeletionPolicy"] = r.deletion_policy;
  if (!r.update_replace_policy.empty()) j["UpdateReplacePolicy"] = r.update_replace_policy;
  return j;
}

class CloudFormationBackend : public Backend {
 public:
  const char* name() const override { return "cloudformation"; }
  void Emit(const StackIR& stack, const EmitOptions& options,
            std::vector<OutputFile>& out) const override {
    Json t = Json::object();
    t["AWSTemplateFormatVersion"] = "2010-09-09";
    t["Description"] = stack.description;
    if (!stack.parameters.empty()) {
      Json params = Json::object();
      for (const Parameter& p : stack.parameters) {
        params[p.logical_id] = {{"Type", p.type}, {"Default", p.default_value},
                                {"Description", p.description}};
      }
      t["Parameters"] = params;
    }
    Json resources = Json::object();
    ObjectFiller fill_resources(resources);
    for (const Resource& r : stack.resources) {
      fill_resources.Set(r.logical_id, ResourceJson(r, options));
    }
    t["Resources"] = std::move(resources);
    if (!stack.outputs.empty()) {
      Json outputs = Json::object();
      ObjectFiller fill_outputs(outputs);
      for (const Output& o : stack.outputs) {
        fill_outputs.Set(o.logical_id,
                  {{"Description", o.description},
                   {"Value", o.value},
                   {"Export", {{"Name", o.export_name}}}});
      }
      t["Outputs"] = std::move(outputs);
    }
    out.push_back({stack.name + ".template.json", Pretty(t)});
  }
};

}  // namespace

std::unique_ptr<Backend> MakeCloudFormationBackend() {
  return std::make_unique<CloudFormationBackend>();
}

}  // namespace orchc
