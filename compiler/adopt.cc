// Adopting a deployed stack's logical IDs: the two entry points, reading a deployed template or
// a sidecar. Matching is in adopt_match.cc, references in adopt_refs.cc, the checks, report and
// sidecar in adopt_report.cc. See adopt.h.
#include "adopt.h"

#include <set>
#include <sstream>

#include "adopt_internal.h"

namespace orchc {

using adopt_detail::Adopt;
using adopt_detail::BaseName;
using adopt_detail::Deployed;
using adopt_detail::FindKey;
using adopt_detail::Join;
using adopt_detail::kMaxJsonDepth;
using adopt_detail::LocAt;
using adopt_detail::ParseJson;
using adopt_detail::RefsOf;
using adopt_detail::ResourceLoc;
using adopt_detail::StringOr;
using adopt_detail::Text;
using adopt_detail::TooDeep;

namespace {

// `aws cloudformation get-template` wraps the template: {"TemplateBody": {...} or "..."}.
bool UnwrapTemplateBody(const SourceFile& deployed, DiagSink& sink, Json& doc) {
  if (!doc.is_object() || !doc.contains("TemplateBody") || doc.contains("Resources")) return true;
  Json body = doc["TemplateBody"];
  if (body.is_string()) {
    if (TooDeep(body.get_ref<const std::string&>()) != std::string_view::npos) {
      sink.Error(ResourceLoc(deployed, "TemplateBody", ""),
                 "TemplateBody nests deeper than " + std::to_string(kMaxJsonDepth) +
                     " levels; a CloudFormation template is never this deep");
      return false;
    }
    try {
      body = Json::parse(body.get<std::string>());
    } catch (const Json::parse_error&) {
      sink.Error(ResourceLoc(deployed, "TemplateBody", ""),
                 "TemplateBody is not JSON (a YAML template): convert it to JSON first, "
                 "e.g. with cfn-flip");
      return false;
    }
  }
  doc = body;
  return true;
}

// The template's resources; false (with an error) when it has none or one has no Type.
bool ReadResources(const SourceFile& deployed, const Json& doc, DiagSink& sink,
                   std::vector<Deployed>* old) {
  const SourceLoc top{&deployed.path, 0, 0};
  if (!doc.is_object() || !doc.contains("Resources") || !doc["Resources"].is_object()) {
    sink.Error(top, "not a CloudFormation template: no Resources object");
    return false;
  }
  for (const auto& [id, r] : doc["Resources"].items()) {
    if (!r.is_object() || !r.contains("Type") || !r["Type"].is_string()) {
      sink.Error(ResourceLoc(deployed, id, ""), "resource '" + id + "' has no Type");
      return false;
    }
    Deployed d;
    d.id = id;
    d.type = r["Type"].get<std::string>();
    if (r.contains("Properties") && r["Properties"].is_object()) d.properties = r["Properties"];
    for (auto [key, policy] : {std::pair{"DeletionPolicy", &d.deletion_policy},
                               std::pair{"UpdateReplacePolicy", &d.update_replace_policy}}) {
      if (std::string v = StringOr(r, key); !v.empty()) *policy = std::move(v);
    }
    d.has_metadata = r.contains("Metadata");
    d.refs = RefsOf(d.properties);
    old->push_back(std::move(d));
  }
  return true;
}

// What the template has besides resources, which orchc does not write.
std::string DroppedSections(const Json& doc, const StackIR& stack) {
  std::ostringstream rest;
  for (const char* section :
       {"Parameters", "Rules", "Conditions", "Mappings", "Metadata", "Transform"}) {
    auto s = doc.find(section);
    if (s == doc.end()) continue;
    std::vector<std::string> names;
    if (s->is_object()) {
      for (const auto& [k, v] : s->items()) {
        bool kept = false;
        for (const Parameter& p : stack.parameters)
          kept |= std::string(section) == "Parameters" && p.logical_id == k;
        if (!kept) names.push_back(k);
      }
    } else {
      names.push_back(Text(*s));
    }
    if (!names.empty()) rest << "  " << section << ": " << Join(names) << "\n";
  }
  return rest.str();
}

// The report's lines on the stack's exports: added and removed.
std::string ExportChanges(const Json& doc, const StackIR& stack) {
  std::set<std::string> old_exports, new_exports;
  if (doc.contains("Outputs") && doc["Outputs"].is_object()) {
    for (const auto& [k, o] : doc["Outputs"].items()) {
      if (o.is_object() && o.contains("Export") && o["Export"].is_object() &&
          o["Export"].contains("Name")) {
        old_exports.insert(Text(o["Export"]["Name"]));
      }
    }
  }
  for (const Output& o : stack.outputs) new_exports.insert(o.export_name);
  std::string added, removed;
  for (const std::string& e : new_exports) {
    if (!old_exports.count(e)) added += (added.empty() ? "" : ", ") + e;
  }
  for (const std::string& e : old_exports) {
    if (!new_exports.count(e)) removed += (removed.empty() ? "" : ", ") + e;
  }
  return "exports added: " + (added.empty() ? std::string("none") : added) + "\n" +
         "exports removed: " + (removed.empty() ? std::string("none") : removed) + "\n";
}

}  // namespace

std::string SidecarPath(const std::string& spec_path) {
  std::string stem = spec_path;
  for (const char* ext : {".yaml", ".yml"}) {
    const std::string e = ext;
    if (stem.size() > e.size() && stem.compare(stem.size() - e.size(), e.size(), e) == 0) {
      stem.resize(stem.size() - e.size());
      break;
    }
  }
  return stem + ".adopt.json";
}

bool AdoptFromTemplate(const SourceFile& deployed, bool allow_replacement, StackIR& stack,
                       DiagSink& sink, AdoptResult* result) {
  Json doc;
  if (!ParseJson(deployed, sink, &doc)) return false;
  if (!UnwrapTemplateBody(deployed, sink, doc)) return false;
  std::vector<Deployed> old;
  if (!ReadResources(deployed, doc, sink, &old)) return false;
  std::ostringstream report;
  report << "orchc: adopting " << old.size() << " resources of " << BaseName(deployed.path)
         << " into " << stack.name << "\n";
  auto where = [&](const std::string& id, const std::string& property) {
    return ResourceLoc(deployed, id, property);
  };
  if (!Adopt(old, BaseName(deployed.path), allow_replacement, stack, sink, where, report, result)) {
    return false;
  }
  const std::string rest = DroppedSections(doc, stack);
  std::string text = result->report;
  text += "template sections dropped";
  text += rest.empty() ? ": none\n" : ":\n" + rest;
  text += ExportChanges(doc, stack);
  result->report = text;
  return true;
}

bool AdoptFromSidecar(const SourceFile& sidecar, bool allow_replacement, StackIR& stack,
                      DiagSink& sink, AdoptResult* result) {
  Json doc;
  if (!ParseJson(sidecar, sink, &doc)) return false;
  if (!doc.is_object() || !doc.contains("resources") || !doc["resources"].is_object()) {
    sink.Error(SourceLoc{&sidecar.path, 0, 0},
               "not an adoption sidecar: no \"resources\" object (written by orchc compile "
               "--adopt)");
    return false;
  }
  auto where = [&](const std::string& id, const std::string&) {
    size_t at = FindKey(sidecar.text, id, 0);
    return at == std::string::npos ? SourceLoc{&sidecar.path, 0, 0} : LocAt(sidecar, at);
  };
  // The deployed side as the sidecar recorded it (type and create-only values), for the entries
  // whose orchc resource is still in the stack.
  std::vector<Deployed> old;
  std::map<std::string, std::string> renames;  // orchc ID -> adopted ID
  std::set<std::string> ids;
  for (const Resource& r : stack.resources) ids.insert(r.logical_id);
  for (const auto& [id, e] : doc["resources"].items()) {
    const std::string orchc_id = e.is_object() ? StringOr(e, "orchc_id") : "";
    const std::string type = e.is_object() ? StringOr(e, "type") : "";
    if (orchc_id.empty() || type.empty()) {
      sink.Error(where(id, ""), "sidecar entry '" + id + "' needs \"orchc_id\" and \"type\"");
      return false;
    }
    if (!ids.count(orchc_id)) {
      sink.Warning(
          WarningClass::kAdoptStaleEntry, where(id, ""),
          "'" + orchc_id + "' (adopted as '" + id + "') is no longer in the stack; entry ignored");
      continue;
    }
    Deployed d;
    d.id = id;
    d.type = type;
    if (e.contains("create_only") && e["create_only"].is_object()) d.properties = e["create_only"];
    old.push_back(std::move(d));
    renames[orchc_id] = id;
  }
  std::ostringstream report;
  report << "orchc: " << old.size() << " logical IDs adopted as recorded in "
         << BaseName(sidecar.path) << "\n";
  // Rename the stack's resources to the recorded IDs; Adopt then pairs them by logical ID and
  // runs the same clash and replacement checks against the recorded create-only values.
  for (const Resource& r : stack.resources) {
    if (renames.count(r.logical_id)) continue;
    for (const auto& [from, to] : renames) {
      if (to == r.logical_id) {
        sink.Error(where(to, ""), "cannot adopt '" + to + "' for orchc's '" + from +
                                      "': the new template already uses that logical ID");
        return false;
      }
    }
  }
  RenameLogicalIds(stack, renames);
  AdoptResult ignored;
  std::ostringstream full;
  if (!Adopt(old, BaseName(sidecar.path), allow_replacement, stack, sink, where, full, &ignored)) {
    return false;
  }
  result->report = report.str();  // the full report was printed when the sidecar was written
  result->sidecar_text.clear();   // the sidecar stays as written
  return true;
}

}  // namespace orchc
