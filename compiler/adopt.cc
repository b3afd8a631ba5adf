// Adopting a deployed stack's logical IDs: matching, renaming, the replacement check, the
// report and the sidecar. See adopt.h.
#include "adopt.h"

#include <algorithm>
#include <functional>
#include <set>
#include <sstream>

#include "backend.h"

namespace orchc {

namespace {

// One resource type CloudFormation may have deployed: the property holding its physical name
// ("" when it has none) and its create-only properties, the ones whose "Update requires" is
// "Replacement" on the type's page of the AWS resource reference
// (docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-<service>-<type>.html)
// and which its resource schema lists as `createOnlyProperties` (the schemas cfn-lint ships).
struct TypeRule {
  const char* type;
  const char* name_property;
  std::vector<const char*> create_only;
};

const std::vector<TypeRule>& TypeRules() {
  static const std::vector<TypeRule> rules = {
      {"AWS::StepFunctions::StateMachine",
       "StateMachineName",
       {"StateMachineName", "StateMachineType"}},
      {"AWS::IAM::Role", "RoleName", {"Path", "RoleName"}},
      {"AWS::IAM::Policy", "", {}},
      {"AWS::IAM::ManagedPolicy",
       "ManagedPolicyName",
       {"Description", "ManagedPolicyName", "Path"}},
      {"AWS::Events::Rule", "Name", {"Name"}},
      {"AWS::Logs::LogGroup", "LogGroupName", {"LogGroupName"}},
      {"AWS::SNS::Topic", "TopicName", {"FifoTopic", "TopicName"}},
      {"AWS::SQS::Queue", "QueueName", {"FifoQueue", "QueueName"}},
      {"AWS::SQS::QueuePolicy", "", {}},
      {"AWS::Scheduler::Schedule", "Name", {"Name"}},
      {"AWS::Scheduler::ScheduleGroup", "Name", {"Name"}},
      {"AWS::CloudWatch::Alarm", "AlarmName", {"AlarmName"}},
      {"AWS::ECS::TaskDefinition",
       "Family",
       {"ContainerDefinitions", "Cpu", "EnableFaultInjection", "EphemeralStorage",
        "ExecutionRoleArn", "Family", "InferenceAccelerators", "IpcMode", "Memory", "NetworkMode",
        "PidMode", "PlacementConstraints", "ProxyConfiguration", "RequiresCompatibilities",
        "RuntimePlatform", "TaskRoleArn", "Volumes"}},
  };
  return rules;
}

const TypeRule* RuleFor(const std::string& type) {
  for (const TypeRule& r : TypeRules()) {
    if (type == r.type) return &r;
  }
  return nullptr;
}

// Create-only properties whose documented default orchc writes explicitly. When the deployed
// template leaves one unset and orchc's value is the default, adoption leaves it unset too:
// the template then shows CloudFormation no change to a property that forces replacement.
struct Default {
  const char* type;
  const char* property;
  Json value;
};

const std::vector<Default>& Defaults() {
  static const std::vector<Default> defaults = {
      {"AWS::StepFunctions::StateMachine", "StateMachineType", "STANDARD"},
      {"AWS::IAM::Role", "Path", "/"},
      {"AWS::SNS::Topic", "FifoTopic", false},
      {"AWS::SQS::Queue", "FifoQueue", false},
  };
  return defaults;
}

const Json* DefaultFor(const std::string& type, const std::string& property) {
  for (const Default& d : Defaults()) {
    if (type == d.type && property == d.property) return &d.value;
  }
  return nullptr;
}

// ------------------------------------------------------------------ references

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

// ------------------------------------------------------------------ locations

SourceLoc LocAt(const SourceFile& f, size_t offset) {
  SourceLoc loc{&f.path, 1, 1};
  for (size_t i = 0; i < offset && i < f.text.size(); ++i) {
    if (f.text[i] == '\n') {
      ++loc.line;
      loc.col = 1;
    } else {
      ++loc.col;
    }
  }
  return loc;
}

// The offset of the key `"key"` (followed by ':') at or after `from`; npos when absent. Keys in
// templates are plain names, so their JSON text is the name in quotes.
size_t FindKey(const std::string& text, const std::string& key, size_t from) {
  const std::string quoted = "\"" + key + "\"";
  for (size_t at = text.find(quoted, from); at != std::string::npos;
       at = text.find(quoted, at + 1)) {
    size_t k = at + quoted.size();
    while (k < text.size() && std::isspace(static_cast<unsigned char>(text[k]))) ++k;
    if (k < text.size() && text[k] == ':') return at;
  }
  return std::string::npos;
}

// Where a deployed resource (or one of its properties) is written, for diagnostics.
SourceLoc ResourceLoc(const SourceFile& f, const std::string& id, const std::string& property) {
  size_t at = FindKey(f.text, "Resources", 0);
  at = FindKey(f.text, id, at == std::string::npos ? 0 : at);
  if (at == std::string::npos) return SourceLoc{&f.path, 0, 0};
  if (!property.empty()) {
    size_t p = FindKey(f.text, property, at);
    if (p != std::string::npos) at = p;
  }
  return LocAt(f, at);
}

// ------------------------------------------------------------------ matching

// A deployed resource, as its template (or the sidecar) describes it.
struct Deployed {
  std::string id;
  std::string type;
  Json properties = Json::object();
  std::string deletion_policy;
  std::string update_replace_policy;
  bool has_metadata = false;
  std::vector<std::pair<std::string, std::string>> refs;  // (path, logical ID)
};

std::vector<std::pair<std::string, std::string>> RefsOf(const Json& properties) {
  std::vector<std::pair<std::string, std::string>> refs;
  VisitRefs(properties, "",
            [&](const std::string& p, const std::string& id) { refs.emplace_back(p, id); });
  return refs;
}

std::vector<std::pair<std::string, std::string>> RefsOf(const Resource& r) {
  auto refs = RefsOf(r.properties);
  if (r.workflow) {
    for (const auto& [name, expr] : r.workflow->substitutions) {
      VisitRefs(expr, "DefinitionSubstitutions/" + name,
                [&](const std::string& p, const std::string& id) { refs.emplace_back(p, id); });
    }
  }
  return refs;
}

// Equal as JSON values: object members in any order (templates differ in key order).
bool Same(const Json& a, const Json& b) {
  return nlohmann::json::parse(a.dump()) == nlohmann::json::parse(b.dump());
}

std::string Text(const Json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); }

// The pairing of deployed and new resources: new index -> deployed index, with the reason.
struct Matching {
  std::vector<int> old_of;          // per new resource: index into deployed, -1 when new
  std::vector<int> new_of;          // per deployed resource: index into stack.resources, -1
  std::vector<std::string> reason;  // per new resource
};

void Pair(Matching& m, size_t n, size_t o, std::string reason) {
  m.old_of[n] = static_cast<int>(o);
  m.new_of[o] = static_cast<int>(n);
  m.reason[n] = std::move(reason);
}

Matching Match(const std::vector<Deployed>& old, const StackIR& stack) {
  const auto& res = stack.resources;
  Matching m{std::vector<int>(res.size(), -1), std::vector<int>(old.size(), -1),
             std::vector<std::string>(res.size())};
  // 1. The same logical ID and type (a stack orchc deployed, or adopted before).
  for (size_t n = 0; n < res.size(); ++n) {
    for (size_t o = 0; o < old.size(); ++o) {
      if (m.new_of[o] < 0 && old[o].id == res[n].logical_id && old[o].type == res[n].type) {
        Pair(m, n, o, "by logical ID");
      }
    }
  }
  // 2. The same type and physical name.
  for (size_t n = 0; n < res.size(); ++n) {
    const TypeRule* rule = RuleFor(res[n].type);
    if (m.old_of[n] >= 0 || !rule || !*rule->name_property) continue;
    auto name = res[n].properties.find(rule->name_property);
    if (name == res[n].properties.end()) continue;
    std::vector<size_t> hits;
    for (size_t o = 0; o < old.size(); ++o) {
      if (m.new_of[o] >= 0 || old[o].type != res[n].type) continue;
      auto on = old[o].properties.find(rule->name_property);
      if (on != old[o].properties.end() && Same(*on, *name)) hits.push_back(o);
    }
    if (hits.size() == 1) {
      Pair(m, n, hits[0], std::string("by ") + rule->name_property + " " + Text(*name));
    }
  }
  // 3. The same role in the design, until nothing more pairs: a resource that refers to an
  // adopted resource from the same property (a rule targeting the state machine, a policy
  // attached to a role), or that an adopted resource refers to from the same property (the
  // state machine's role, its log group). Only unique candidates pair.
  std::vector<std::vector<std::pair<std::string, std::string>>> new_refs;
  for (const Resource& r : res) new_refs.push_back(RefsOf(r));
  std::map<std::string, size_t> new_index, old_index;
  for (size_t n = 0; n < res.size(); ++n) new_index[res[n].logical_id] = n;
  for (size_t o = 0; o < old.size(); ++o) old_index[old[o].id] = o;
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t n = 0; n < res.size(); ++n) {
      if (m.old_of[n] >= 0) continue;
      std::set<size_t> candidates;
      std::map<size_t, std::string> why;
      for (size_t o = 0; o < old.size(); ++o) {
        if (m.new_of[o] >= 0 || old[o].type != res[n].type) continue;
        // n refers to an adopted resource A from path p, and o refers to A's deployed twin
        // from the same path.
        for (const auto& [p, target] : new_refs[n]) {
          auto t = new_index.find(target);
          if (t == new_index.end() || m.old_of[t->second] < 0) continue;
          const std::string& twin = old[m.old_of[t->second]].id;
          for (const auto& [op, otarget] : old[o].refs) {
            if (op == p && otarget == twin) {
              candidates.insert(o);
              why.emplace(o, "by role: refers to " + twin + " from " + p);
            }
          }
        }
        // An adopted resource refers to n from path p, and its twin refers to o from p.
        for (size_t a = 0; a < res.size(); ++a) {
          if (m.old_of[a] < 0) continue;
          const Deployed& twin = old[m.old_of[a]];
          for (const auto& [p, target] : new_refs[a]) {
            if (target != res[n].logical_id) continue;
            for (const auto& [op, otarget] : twin.refs) {
              if (op == p && otarget == old[o].id) {
                candidates.insert(o);
                why.emplace(o, "by role: " + twin.id + "'s " + p);
              }
            }
          }
        }
      }
      if (candidates.size() == 1) {
        const size_t o = *candidates.begin();
        Pair(m, n, o, why[o]);
        progress = true;
      }
    }
  }
  return m;
}

// ------------------------------------------------------------------ checks and report

struct Replacement {
  size_t n;
  std::string property;
  std::string old_value;  // "(unset)" when absent
  std::string new_value;
};

// Applies the documented defaults rule (see Defaults) and lists the create-only properties
// whose value changes.
std::vector<Replacement> CreateOnlyChanges(const Deployed& old, size_t n, Resource& r,
                                           std::vector<std::string>* kept_unset) {
  std::vector<Replacement> out;
  const TypeRule* rule = RuleFor(r.type);
  if (!rule) return out;
  for (const char* p : rule->create_only) {
    auto ov = old.properties.find(p);
    auto nv = r.properties.find(p);
    const bool has_old = ov != old.properties.end(), has_new = nv != r.properties.end();
    if (!has_old && has_new) {
      const Json* def = DefaultFor(r.type, p);
      if (def && Same(*nv, *def)) {
        kept_unset->push_back(std::string(p) + " (" + Text(*def) + ", the default)");
        r.properties.erase(p);
        continue;
      }
    }
    if (has_old == has_new && (!has_old || Same(*ov, *nv))) continue;
    out.push_back({n, p, has_old ? Text(*ov) : "(unset)", has_new ? Text(*nv) : "(unset)"});
  }
  return out;
}

std::vector<std::string> ChangedProperties(const Deployed& old, const Resource& r) {
  std::set<std::string> keys;
  for (const auto& [k, v] : old.properties.items()) keys.insert(k);
  for (const auto& [k, v] : r.properties.items()) keys.insert(k);
  std::vector<std::string> changed;
  for (const std::string& k : keys) {
    if (r.workflow && (k == "Definition" || k == "DefinitionString" ||
                       k == "DefinitionSubstitutions" || k == "DefinitionS3Location")) {
      continue;  // the definition is written by the back end, from the workflow
    }
    auto ov = old.properties.find(k);
    auto nv = r.properties.find(k);
    if (ov == old.properties.end() || nv == r.properties.end() || !Same(*ov, *nv)) {
      changed.push_back(k);
    }
  }
  if (r.workflow) changed.push_back("the definition (orchc's, not compared)");
  return changed;
}

std::string Join(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

const char* DroppedWhy(const Deployed& d) {
  if (d.type == "AWS::IAM::Policy") {
    return "CDK's separate policy; orchc writes each role's permissions as inline Policies "
           "of the role";
  }
  if (d.type == "AWS::CDK::Metadata") return "CDK's own usage metadata";
  return "nothing in the spec corresponds to it";
}

// The part common to both entry points: renames, clash and replacement checks, the report
// and the sidecar. `where` locates diagnostics about a deployed resource.
bool Adopt(const std::vector<Deployed>& old, const std::string& source_name, bool allow_replacement,
           StackIR& stack, DiagSink& sink,
           const std::function<SourceLoc(const std::string&, const std::string&)>& where,
           std::ostringstream& report, AdoptResult* result) {
  const Matching m = Match(old, stack);
  std::map<std::string, std::string> renames;
  for (size_t n = 0; n < stack.resources.size(); ++n) {
    if (m.old_of[n] >= 0) renames[stack.resources[n].logical_id] = old[m.old_of[n]].id;
  }
  // Logical IDs stay unique: an adopted ID may not be the ID of another new resource (a
  // deployed resource of another type under that ID: CloudFormation cannot change a type),
  // a parameter or an output.
  bool ok = true;
  std::set<std::string> taken;
  for (size_t n = 0; n < stack.resources.size(); ++n) {
    if (m.old_of[n] < 0) taken.insert(stack.resources[n].logical_id);
  }
  for (const Parameter& p : stack.parameters) taken.insert(p.logical_id);
  for (const Output& o : stack.outputs) taken.insert(o.logical_id);
  for (size_t n = 0; n < stack.resources.size(); ++n) {
    if (m.old_of[n] >= 0 && taken.count(old[m.old_of[n]].id)) {
      sink.Error(where(old[m.old_of[n]].id, ""),
                 "cannot adopt '" + old[m.old_of[n]].id + "' for orchc's '" +
                     stack.resources[n].logical_id +
                     "': the new template already uses that logical ID for something else");
      ok = false;
    }
  }
  for (size_t n = 0; n < stack.resources.size(); ++n) {
    if (m.old_of[n] >= 0) continue;
    for (const Deployed& d : old) {
      if (d.id == stack.resources[n].logical_id && d.type != stack.resources[n].type) {
        sink.Error(where(d.id, "Type"),
                   "logical ID '" + d.id + "' is a " + d.type + " in the deployed stack and a " +
                       stack.resources[n].type +
                       " in the new template: CloudFormation cannot change a resource's type");
        ok = false;
      }
    }
  }
  if (!ok) return false;
  RenameLogicalIds(stack, renames);

  // Replacement check, on the renamed template (references compare equal).
  std::vector<Replacement> replacements;
  std::vector<std::vector<std::string>> kept_unset(stack.resources.size());
  for (size_t n = 0; n < stack.resources.size(); ++n) {
    if (m.old_of[n] < 0) continue;
    auto r = CreateOnlyChanges(old[m.old_of[n]], n, stack.resources[n], &kept_unset[n]);
    replacements.insert(replacements.end(), r.begin(), r.end());
  }
  if (!replacements.empty() && !allow_replacement) {
    for (const Replacement& r : replacements) {
      const Resource& res = stack.resources[r.n];
      sink.Error(where(res.logical_id, r.property),
                 "adopting '" + res.logical_id + "' (" + res.type +
                     ") would make CloudFormation replace it: its " + r.property +
                     " changes from " + r.old_value + " to " + r.new_value + ", and a change of " +
                     r.property +
                     " requires replacement (the type's page of the AWS resource reference; "
                     "docs/deploy.md); keep the value in the spec, or pass "
                     "--adopt-allow-replacement to accept a new resource");
    }
    return false;
  }

  // The report.
  size_t matched = 0;
  for (int o : m.old_of) matched += o >= 0;
  report << "matched " << matched << " (kept: the same resources, updated in place";
  report << (replacements.empty() ? ")\n" : " unless marked REPLACED)\n");
  for (size_t n = 0; n < stack.resources.size(); ++n) {
    if (m.old_of[n] < 0) continue;
    const Resource& r = stack.resources[n];
    const Deployed& d = old[m.old_of[n]];
    auto orchc_id = std::find_if(renames.begin(), renames.end(),
                                 [&](const auto& kv) { return kv.second == d.id; });
    report << "  " << d.id << "  " << r.type << "  orchc " << orchc_id->first << "  " << m.reason[n]
           << "\n";
    std::vector<std::string> changed = ChangedProperties(d, r);
    report << "    changes: " << (changed.empty() ? "none" : Join(changed)) << "\n";
    if (!kept_unset[n].empty()) {
      report << "    left unset as deployed: " << Join(kept_unset[n]) << "\n";
    }
    for (const Replacement& rep : replacements) {
      if (rep.n == n) {
        report << "    REPLACED: " << rep.property << " " << rep.old_value << " -> "
               << rep.new_value << " (--adopt-allow-replacement)\n";
      }
    }
    if (d.deletion_policy != r.deletion_policy) {
      report << "    DeletionPolicy: "
             << (d.deletion_policy.empty() ? "(default)" : d.deletion_policy) << " -> "
             << (r.deletion_policy.empty() ? "(default)" : r.deletion_policy) << "\n";
    }
    if (d.update_replace_policy != r.update_replace_policy) {
      report << "    UpdateReplacePolicy: "
             << (d.update_replace_policy.empty() ? "(default)" : d.update_replace_policy) << " -> "
             << (r.update_replace_policy.empty() ? "(default)" : r.update_replace_policy) << "\n";
    }
    if (d.has_metadata) report << "    resource Metadata dropped (CDK's aws:cdk:path)\n";
  }
  size_t created = 0;
  for (int o : m.old_of) created += o < 0;
  report << "new " << created << " (created by the update)\n";
  for (size_t n = 0; n < stack.resources.size(); ++n) {
    if (m.old_of[n] < 0) {
      report << "  " << stack.resources[n].logical_id << "  " << stack.resources[n].type << "\n";
    }
  }
  size_t dropped = 0;
  for (int n : m.new_of) dropped += n < 0;
  report << "dropped " << dropped << " (deleted by CloudFormation after the update)\n";
  for (size_t o = 0; o < old.size(); ++o) {
    if (m.new_of[o] >= 0) continue;
    report << "  " << old[o].id << "  " << old[o].type << "  " << DroppedWhy(old[o]);
    if (old[o].type == "AWS::IAM::Policy") {
      std::vector<std::string> roles;
      for (const auto& [p, id] : old[o].refs) {
        if (p == "Roles") roles.push_back(id);
      }
      if (!roles.empty()) report << " (attached to " << Join(roles) << ")";
    }
    report << "\n";
  }
  report << "replacement: "
         << (replacements.empty()
                 ? "none (no create-only property of a matched resource changes)\n"
                 : std::to_string(replacements.size()) + " allowed by --adopt-allow-replacement\n");

  // The sidecar: the mapping and the create-only values this template deploys.
  Json sidecar = Json::object();
  sidecar["about"] =
      "Logical IDs adopted from a deployed stack by 'orchc compile --adopt' (docs/deploy.md). "
      "orchc reads this file beside the spec on every compile; delete it to go back to orchc's "
      "own logical IDs.";
  sidecar["adopted_from"] = source_name;
  sidecar["stack"] = stack.name;
  Json entries = Json::object();
  for (size_t n = 0; n < stack.resources.size(); ++n) {
    if (m.old_of[n] < 0) continue;
    const Resource& r = stack.resources[n];
    Json entry = Json::object();
    entry["orchc_id"] = std::find_if(renames.begin(), renames.end(), [&](const auto& kv) {
                          return kv.second == r.logical_id;
                        })->first;
    entry["type"] = r.type;
    Json create_only = Json::object();
    if (const TypeRule* rule = RuleFor(r.type)) {
      for (const char* p : rule->create_only) {
        auto v = r.properties.find(p);
        if (v != r.properties.end()) create_only[p] = *v;
      }
    }
    entry["create_only"] = create_only;
    entries[r.logical_id] = entry;
  }
  sidecar["resources"] = entries;
  result->sidecar_text = Pretty(sidecar);
  result->report = report.str();
  return true;
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Deployed templates nest a few levels (a property's Fn::Join of Fn::Sub of Ref...). The walks
// over the parsed value (VisitRefs, RenameJson, nlohmann's dump and comparison) are recursive, so
// the nesting is bounded before parsing: a deeper document is refused at its first deeper bracket.
constexpr int kMaxJsonDepth = 128;

// The offset of the first '[' or '{' that nests deeper than kMaxJsonDepth, or npos.
size_t TooDeep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

bool ParseJson(const SourceFile& f, DiagSink& sink, Json* out) {
  if (size_t at = TooDeep(f.text); at != std::string_view::npos) {
    sink.Error(LocAt(f, at), "the JSON nests deeper than " + std::to_string(kMaxJsonDepth) +
                                 " levels; a CloudFormation template is never this deep");
    return false;
  }
  try {
    *out = Json::parse(f.text);
    return true;
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    sink.Error(LocAt(f, e.byte > 0 ? e.byte - 1 : 0),
               "not valid JSON: " + what.substr(what.find(": ") + 2));
    return false;
  }
}

std::string StringOr(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
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

bool AdoptFromTemplate(const SourceFile& deployed, bool allow_replacement, StackIR& stack,
                       DiagSink& sink, AdoptResult* result) {
  Json doc;
  if (!ParseJson(deployed, sink, &doc)) return false;
  // `aws cloudformation get-template` wraps the template: {"TemplateBody": {...} or "..."}.
  if (doc.is_object() && doc.contains("TemplateBody") && !doc.contains("Resources")) {
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
  }
  const SourceLoc top{&deployed.path, 0, 0};
  if (!doc.is_object() || !doc.contains("Resources") || !doc["Resources"].is_object()) {
    sink.Error(top, "not a CloudFormation template: no Resources object");
    return false;
  }
  std::vector<Deployed> old;
  for (const auto& [id, r] : doc["Resources"].items()) {
    if (!r.is_object() || !r.contains("Type") || !r["Type"].is_string()) {
      sink.Error(ResourceLoc(deployed, id, ""), "resource '" + id + "' has no Type");
      return false;
    }
    Deployed d;
    d.id = id;
    d.type = r["Type"].get<std::string>();
    if (r.contains("Properties") && r["Properties"].is_object()) d.properties = r["Properties"];
    d.deletion_policy = StringOr(r, "DeletionPolicy");
    d.update_replace_policy = StringOr(r, "UpdateReplacePolicy");
    d.has_metadata = r.contains("Metadata");
    d.refs = RefsOf(d.properties);
    old.push_back(std::move(d));
  }
  std::ostringstream report;
  report << "orchc: adopting " << old.size() << " resources of " << BaseName(deployed.path)
         << " into " << stack.name << "\n";
  auto where = [&](const std::string& id, const std::string& property) {
    return ResourceLoc(deployed, id, property);
  };
  if (!Adopt(old, BaseName(deployed.path), allow_replacement, stack, sink, where, report, result)) {
    return false;
  }
  // What the template has besides resources, which orchc does not write.
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
  std::string text = result->report;
  text += "template sections dropped";
  text += rest.str().empty() ? ": none\n" : ":\n" + rest.str();
  text += "exports added: " + (added.empty() ? std::string("none") : added) + "\n";
  text += "exports removed: " + (removed.empty() ? std::string("none") : removed) + "\n";
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
