// Matching a deployed template's resources with the lowered stack's, and comparing their
// properties. See adopt.h and adopt_internal.h.
#include <set>

#include "adopt_internal.h"

namespace orchc::adopt_detail {

namespace {

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

void Pair(Matching& m, size_t n, size_t o, std::string reason) {
  m.old_of[n] = static_cast<int>(o);
  m.new_of[o] = static_cast<int>(n);
  m.reason[n] = std::move(reason);
}

// 1. The same logical ID and type (a stack orchc deployed, or adopted before).
void PairById(const std::vector<Deployed>& old, const std::vector<Resource>& res, Matching& m) {
  for (size_t n = 0; n < res.size(); ++n) {
    for (size_t o = 0; o < old.size(); ++o) {
      if (m.new_of[o] < 0 && old[o].id == res[n].logical_id && old[o].type == res[n].type) {
        Pair(m, n, o, "by logical ID");
      }
    }
  }
}

// 2. The same type and physical name.
void PairByName(const std::vector<Deployed>& old, const std::vector<Resource>& res, Matching& m) {
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
}

// The pairing in progress for step 3, with the new resources' references and indices.
struct RoleContext {
  const std::vector<Deployed>& old;
  const std::vector<Resource>& res;
  const Matching& m;
  std::vector<Refs> new_refs;
  std::map<std::string, size_t> new_index;
};

// The deployed resources new resource `n` may be by role, each with the reason.
std::map<size_t, std::string> RoleCandidates(const RoleContext& c, size_t n) {
  const auto& [old, res, m, new_refs, new_index] = c;
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
        if (op == p && otarget == twin) why.emplace(o, "by role: refers to " + twin + " from " + p);
      }
    }
    // An adopted resource refers to n from path p, and its twin refers to o from p.
    for (size_t a = 0; a < res.size(); ++a) {
      if (m.old_of[a] < 0) continue;
      const Deployed& twin = old[m.old_of[a]];
      for (const auto& [p, target] : new_refs[a]) {
        if (target != res[n].logical_id) continue;
        for (const auto& [op, otarget] : twin.refs) {
          if (op == p && otarget == old[o].id) why.emplace(o, "by role: " + twin.id + "'s " + p);
        }
      }
    }
  }
  return why;
}

// 3. The same role in the design, until nothing more pairs: a resource that refers to an
// adopted resource from the same property (a rule targeting the state machine, a policy
// attached to a role), or that an adopted resource refers to from the same property (the
// state machine's role, its log group). Only unique candidates pair.
void PairByRole(const std::vector<Deployed>& old, const std::vector<Resource>& res, Matching& m) {
  RoleContext c{old, res, m, {}, {}};
  for (const Resource& r : res) c.new_refs.push_back(RefsOf(r));
  for (size_t n = 0; n < res.size(); ++n) c.new_index[res[n].logical_id] = n;
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t n = 0; n < res.size(); ++n) {
      if (m.old_of[n] >= 0) continue;
      const std::map<size_t, std::string> why = RoleCandidates(c, n);
      if (why.size() == 1) {
        Pair(m, n, why.begin()->first, why.begin()->second);
        progress = true;
      }
    }
  }
}

}  // namespace

const TypeRule* RuleFor(const std::string& type) {
  for (const TypeRule& r : TypeRules()) {
    if (type == r.type) return &r;
  }
  return nullptr;
}

const Json* DefaultFor(const std::string& type, const std::string& property) {
  for (const Default& d : Defaults()) {
    if (type == d.type && property == d.property) return &d.value;
  }
  return nullptr;
}

// Equal as JSON values: object members in any order (templates differ in key order).
bool Same(const Json& a, const Json& b) {
  return nlohmann::json::parse(a.dump()) == nlohmann::json::parse(b.dump());
}

std::string Text(const Json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); }

std::string Join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

Matching Match(const std::vector<Deployed>& old, const StackIR& stack) {
  const auto& res = stack.resources;
  Matching m{std::vector<int>(res.size(), -1), std::vector<int>(old.size(), -1),
             std::vector<std::string>(res.size())};
  PairById(old, res, m);
  PairByName(old, res, m);
  PairByRole(old, res, m);
  return m;
}

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

}  // namespace orchc::adopt_detail
