// References between resources: the logical IDs a value refers to, and renaming them. See
// adopt.h and adopt_internal.h.
#include <functional>

#include "adopt_internal.h"

namespace orchc {

namespace {

using RefVisitor = std::function<void(const std::string& path, const std::string& id)>;

// Names `${...}` in an Fn::Sub string refers to (pseudo parameters and `${!literal}` excluded).
void SubNames(const std::string& text, const std::function<void(const std::string&)>& fn) {
  size_t i = 0;
  while ((i = text.find("${", i)) != std::string::npos) {
    size_t close = text.find('}', i + 2);
    if (close == std::string::npos) return;
    std::string name = text.substr(i + 2, close - i - 2);
    i = close + 1;
    if (name.empty() || name[0] == '!') continue;
    name = name.substr(0, name.find('.'));
    if (name.rfind("AWS::", 0) == 0) continue;
    fn(name);
  }
}

// Every logical ID `j` refers to, with the property path it sits at (array indices left out,
// so "Targets/Arn" is the same role in both templates however the targets are ordered).
void VisitRefs(const Json& j, const std::string& path, const RefVisitor& fn) {
  if (j.is_array()) {
    for (const Json& e : j) VisitRefs(e, path, fn);
    return;
  }
  if (!j.is_object()) return;
  if (j.size() == 1) {
    const std::string& key = j.begin().key();
    const Json& value = j.begin().value();
    if (key == "Ref" && value.is_string()) {
      const std::string id = value.get<std::string>();
      if (id.rfind("AWS::", 0) != 0) fn(path, id);
      return;
    }
    if (key == "Fn::GetAtt") {
      if (value.is_array() && !value.empty() && value[0].is_string()) {
        fn(path, value[0].get<std::string>());
      } else if (value.is_string()) {
        const std::string s = value.get<std::string>();
        fn(path, s.substr(0, s.find('.')));
      }
      return;
    }
    if (key == "Fn::Sub") {
      if (value.is_string()) {
        SubNames(value.get<std::string>(), [&](const std::string& n) { fn(path, n); });
        return;
      }
      if (value.is_array() && value.size() == 2 && value[0].is_string()) {
        const Json& vars = value[1];
        SubNames(value[0].get<std::string>(), [&](const std::string& n) {
          if (!vars.is_object() || !vars.contains(n)) fn(path, n);
        });
        VisitRefs(vars, path, fn);
        return;
      }
    }
  }
  for (const auto& [key, value] : j.items()) {
    VisitRefs(value, path.empty() ? key : path + "/" + key, fn);
  }
}

std::string RenameSub(const std::string& text, const std::map<std::string, std::string>& renames,
                      const Json* vars) {
  std::string out;
  size_t i = 0;
  while (true) {
    size_t open = text.find("${", i);
    size_t close = open == std::string::npos ? open : text.find('}', open + 2);
    if (close == std::string::npos) break;
    out.append(text, i, open + 2 - i);
    std::string name = text.substr(open + 2, close - open - 2);
    const size_t dot = name.find('.');
    const std::string head = name.substr(0, dot);
    auto it = renames.find(head);
    if (it != renames.end() && !(vars && vars->is_object() && vars->contains(head))) {
      name = it->second + (dot == std::string::npos ? "" : name.substr(dot));
    }
    out += name;
    out += '}';
    i = close + 1;
  }
  out.append(text, i);
  return out;
}

void RenameJson(Json& j, const std::map<std::string, std::string>& renames) {
  if (j.is_array()) {
    for (Json& e : j) RenameJson(e, renames);
    return;
  }
  if (!j.is_object()) return;
  if (j.size() == 1) {
    const std::string key = j.begin().key();
    Json& value = j.begin().value();
    if (key == "Ref" && value.is_string()) {
      auto it = renames.find(value.get<std::string>());
      if (it != renames.end()) value = it->second;
      return;
    }
    if (key == "Fn::GetAtt") {
      if (value.is_array() && !value.empty() && value[0].is_string()) {
        auto it = renames.find(value[0].get<std::string>());
        if (it != renames.end()) value[0] = it->second;
      } else if (value.is_string()) {
        const std::string s = value.get<std::string>();
        const size_t dot = s.find('.');
        auto it = renames.find(s.substr(0, dot));
        if (it != renames.end()) value = it->second + s.substr(dot);
      }
      return;
    }
    if (key == "Fn::Sub") {
      if (value.is_string()) {
        value = RenameSub(value.get<std::string>(), renames, nullptr);
        return;
      }
      if (value.is_array() && value.size() == 2 && value[0].is_string()) {
        value[0] = RenameSub(value[0].get<std::string>(), renames, &value[1]);
        RenameJson(value[1], renames);
        return;
      }
    }
  }
  for (auto& [key, value] : j.items()) RenameJson(value, renames);
}

}  // namespace

namespace adopt_detail {

Refs RefsOf(const Json& properties) {
  Refs refs;
  VisitRefs(properties, "",
            [&](const std::string& p, const std::string& id) { refs.emplace_back(p, id); });
  return refs;
}

Refs RefsOf(const Resource& r) {
  Refs refs = RefsOf(r.properties);
  if (r.workflow) {
    for (const auto& [name, expr] : r.workflow->substitutions) {
      VisitRefs(expr, "DefinitionSubstitutions/" + name,
                [&](const std::string& p, const std::string& id) { refs.emplace_back(p, id); });
    }
  }
  return refs;
}

}  // namespace adopt_detail

void RenameLogicalIds(StackIR& stack, const std::map<std::string, std::string>& renames) {
  if (renames.empty()) return;
  for (Resource& r : stack.resources) {
    auto it = renames.find(r.logical_id);
    if (it != renames.end()) r.logical_id = it->second;
    RenameJson(r.properties, renames);
    for (std::string& d : r.depends_on) {
      auto dep = renames.find(d);
      if (dep != renames.end()) d = dep->second;
    }
  }
  for (WorkflowIR& wf : stack.workflows) {
    for (auto& [name, expr] : wf.substitutions) RenameJson(expr, renames);
  }
  for (Output& o : stack.outputs) RenameJson(o.value, renames);
}

}  // namespace orchc
