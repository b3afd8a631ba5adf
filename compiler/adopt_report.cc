// The part of adoption common to both entry points: the logical ID clash and replacement checks,
// the renaming, the report and the sidecar. See adopt.h and adopt_internal.h.
#include <algorithm>
#include <set>

#include "adopt_internal.h"
#include "backend.h"

namespace orchc::adopt_detail {

namespace {

// Logical IDs stay unique: an adopted ID may not be the ID of another new resource (a deployed
// resource of another type under that ID: CloudFormation cannot change a type), a parameter or
// an output.
bool CheckClashes(const std::vector<Deployed>& old, const Matching& m, const StackIR& stack,
                  DiagSink& sink, const Where& where) {
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
  return ok;
}

// One error per replacement (when they are not allowed).
void ReportReplacements(const std::vector<Replacement>& replacements, const StackIR& stack,
                        DiagSink& sink, const Where& where) {
  for (const Replacement& r : replacements) {
    const Resource& res = stack.resources[r.n];
    sink.Error(where(res.logical_id, r.property),
               "adopting '" + res.logical_id + "' (" + res.type +
                   ") would make CloudFormation replace it: its " + r.property + " changes from " +
                   r.old_value + " to " + r.new_value + ", and a change of " + r.property +
                   " requires replacement (the type's page of the AWS resource reference; "
                   "docs/deploy.md); keep the value in the spec, or pass "
                   "--adopt-allow-replacement to accept a new resource");
  }
}

// The orchc logical ID a resource was renamed from.
const std::string& OrchcId(const std::map<std::string, std::string>& renames,
                           const std::string& adopted) {
  return std::find_if(renames.begin(), renames.end(),
                      [&](const auto& kv) { return kv.second == adopted; })
      ->first;
}

// What an adoption did, as the report's sections need it.
struct Outcome {
  const std::vector<Deployed>& old;
  const Matching& m;
  const StackIR& stack;
  const std::map<std::string, std::string>& renames;
  const std::vector<Replacement>& replacements;
  const std::vector<std::vector<std::string>>& kept_unset;
};

const char* OrDefault(const std::optional<std::string>& policy) {
  return policy ? policy->c_str() : "(default)";
}

// The lines of matched resource `n`.
void ReportMatch(const Outcome& a, size_t n, std::ostringstream& report) {
  const Resource& r = a.stack.resources[n];
  const Deployed& d = a.old[a.m.old_of[n]];
  report << "  " << d.id << "  " << r.type << "  orchc " << OrchcId(a.renames, d.id) << "  "
         << a.m.reason[n] << "\n";
  std::vector<std::string> changed = ChangedProperties(d, r);
  report << "    changes: " << (changed.empty() ? "none" : Join(changed)) << "\n";
  if (!a.kept_unset[n].empty()) {
    report << "    left unset as deployed: " << Join(a.kept_unset[n]) << "\n";
  }
  for (const Replacement& rep : a.replacements) {
    if (rep.n == n) {
      report << "    REPLACED: " << rep.property << " " << rep.old_value << " -> " << rep.new_value
             << " (--adopt-allow-replacement)\n";
    }
  }
  if (d.deletion_policy != r.deletion_policy) {
    report << "    DeletionPolicy: " << OrDefault(d.deletion_policy) << " -> "
           << OrDefault(r.deletion_policy) << "\n";
  }
  if (d.update_replace_policy != r.update_replace_policy) {
    report << "    UpdateReplacePolicy: " << OrDefault(d.update_replace_policy) << " -> "
           << OrDefault(r.update_replace_policy) << "\n";
  }
  if (d.has_metadata) report << "    resource Metadata dropped (CDK's aws:cdk:path)\n";
}

const char* DroppedWhy(const Deployed& d) {
  if (d.type == "AWS::IAM::Policy") {
    return "CDK's separate policy; orchc writes each role's permissions as inline Policies "
           "of the role";
  }
  if (d.type == "AWS::CDK::Metadata") return "CDK's own usage metadata";
  return "nothing in the spec corresponds to it";
}

// The deployed resources nothing matched, which CloudFormation deletes.
void ReportDropped(const Outcome& a, std::ostringstream& report) {
  size_t dropped = 0;
  for (int n : a.m.new_of) dropped += n < 0;
  report << "dropped " << dropped << " (deleted by CloudFormation after the update)\n";
  for (size_t o = 0; o < a.old.size(); ++o) {
    if (a.m.new_of[o] >= 0) continue;
    const Deployed& d = a.old[o];
    report << "  " << d.id << "  " << d.type << "  " << DroppedWhy(d);
    if (d.type == "AWS::IAM::Policy") {
      std::vector<std::string> roles;
      for (const auto& [p, id] : d.refs) {
        if (p == "Roles") roles.push_back(id);
      }
      if (!roles.empty()) report << " (attached to " << Join(roles) << ")";
    }
    report << "\n";
  }
}

void Report(const Outcome& a, std::ostringstream& report) {
  const std::vector<Resource>& res = a.stack.resources;
  size_t matched = 0;
  for (int o : a.m.old_of) matched += o >= 0;
  report << "matched " << matched << " (kept: the same resources, updated in place";
  report << (a.replacements.empty() ? ")\n" : " unless marked REPLACED)\n");
  for (size_t n = 0; n < res.size(); ++n) {
    if (a.m.old_of[n] >= 0) ReportMatch(a, n, report);
  }
  size_t created = 0;
  for (int o : a.m.old_of) created += o < 0;
  report << "new " << created << " (created by the update)\n";
  for (size_t n = 0; n < res.size(); ++n) {
    if (a.m.old_of[n] < 0) report << "  " << res[n].logical_id << "  " << res[n].type << "\n";
  }
  ReportDropped(a, report);
  report << "replacement: "
         << (a.replacements.empty()
                 ? "none (no create-only property of a matched resource changes)\n"
                 : std::to_string(a.replacements.size()) +
                       " allowed by --adopt-allow-replacement\n");
}

// The sidecar: the mapping and the create-only values this template deploys.
std::string SidecarText(const Outcome& a, const std::string& source_name) {
  Json sidecar = Json::object();
  sidecar["about"] =
      "Logical IDs adopted from a deployed stack by 'orchc compile --adopt' (docs/deploy.md). "
      "orchc reads this file beside the spec on every compile; delete it to go back to orchc's "
      "own logical IDs.";
  sidecar["adopted_from"] = source_name;
  sidecar["stack"] = a.stack.name;
  Json entries = Json::object();
  for (size_t n = 0; n < a.stack.resources.size(); ++n) {
    if (a.m.old_of[n] < 0) continue;
    const Resource& r = a.stack.resources[n];
    Json entry = Json::object();
    entry["orchc_id"] = OrchcId(a.renames, r.logical_id);
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
  return Pretty(sidecar);
}

}  // namespace

bool Adopt(const std::vector<Deployed>& old, const std::string& source_name, bool allow_replacement,
           StackIR& stack, DiagSink& sink, const Where& where, std::ostringstream& report,
           AdoptResult* result) {
  const Matching m = Match(old, stack);
  std::map<std::string, std::string> renames;
  for (size_t n = 0; n < stack.resources.size(); ++n) {
    if (m.old_of[n] >= 0) renames[stack.resources[n].logical_id] = old[m.old_of[n]].id;
  }
  if (!CheckClashes(old, m, stack, sink, where)) return false;
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
    ReportReplacements(replacements, stack, sink, where);
    return false;
  }
  const Outcome outcome{old, m, stack, renames, replacements, kept_unset};
  Report(outcome, report);
  result->sidecar_text = SidecarText(outcome, source_name);
  result->report = report.str();
  return true;
}

}  // namespace orchc::adopt_detail
