// Helpers shared by the parts of lowering (lower_util.h): names, tags, resources, values.
#include "lower_util.h"

#include "integrations.h"
#include "yaml_tree.h"

namespace orchc {

std::string TaskDefinitionFamily(const Spec& spec, const WorkflowSpec& w) {
  return spec.env + "-" + w.name;
}

std::string PascalCase(const std::string& name) {
  std::string out;
  bool up = true;
  for (char c : name) {
    if (c == '-' || c == '_') {
      up = true;
      continue;
    }
    out += up && c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
    up = false;
  }
  return out;
}

Json Tags(const Spec& spec) {
  Json tags = Json::array();
  for (const auto& [k, v] : spec.tags) tags.push_back({{"Key", k.value}, {"Value", v.value}});
  return tags;
}

Resource MakeResource(std::string logical_id, std::string type) {
  Resource r;
  r.logical_id = std::move(logical_id);
  r.type = std::move(type);
  return r;
}

Json GetAtt(const std::string& id, const char* attr) {
  return Json{{"Fn::GetAtt", Json::array({id, attr})}};
}

// Recursive: the depth is bounded by the loader's max_depth (64 levels of maps and lists, aliases
// included: yaml_tree.h).
Json ValueJson(const YNode* n, Substitutions* subs) {
  auto text = [&](const std::string& t) { return subs ? subs->Text(t) : t; };
  if (!n) return nullptr;
  switch (n->kind) {
    case YNode::Kind::kNull:
      return nullptr;
    case YNode::Kind::kScalar: {
      bool b = false;
      int64_t i = 0;
      double d = 0;
      switch (Resolve(*n)) {
        case ScalarType::kNull:
          return nullptr;
        case ScalarType::kBool:
          AsBool(*n, &b);
          return b;
        case ScalarType::kInt:
          if (AsInt(*n, &i)) return i;
          break;
        case ScalarType::kFloat:
          if (AsNumber(*n, &d)) return d;
          break;
        case ScalarType::kString:
          break;
      }
      return text(n->value);
    }
    case YNode::Kind::kSeq: {
      Json a = Json::array();
      for (const YNode* item : n->items) a.push_back(ValueJson(item, subs));
      return a;
    }
    case YNode::Kind::kMap: {
      Json o = Json::object();
      for (const YNode::Entry& e : n->entries) {
        o[subs ? subs->Key(e.key) : e.key] = ValueJson(e.value, subs);
      }
      return o;
    }
  }
  return nullptr;
}

}  // namespace orchc
