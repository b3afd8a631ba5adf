#include "explain.h"

#include <sstream>

#include "output_limits.h"

namespace orchc {

namespace {

std::string Where(const SourceLoc& loc) {
  std::string file = loc.file ? *loc.file : "<unknown>";
  return file + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.col);
}

Json StatementJson(const IamStatement& st) {
  Json out = Json::object();
  out["actions"] = st.actions;
  out["resources"] = Json(st.resources);
  if (out["resources"].is_null()) out["resources"] = Json::array();
  out["condition"] = st.condition;
  if (!st.principal.is_null()) out["principal"] = st.principal;
  Json because = Json::array();
  for (const IamBecause& b : st.because) {
    because.push_back({{"what", b.what}, {"where", Where(b.where)}});
  }
  out["because"] = std::move(because);
  out["reason"] = st.reason;
  return out;
}

std::string Compact(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

Json ExplainJson(const StackIR& stack, const std::vector<OutputFile>& files) {
  Json roles = Json::array();
  for (const Resource& r : stack.resources) {
    if (r.type != "AWS::IAM::Role") continue;
    Json statements = Json::array();
    for (const IamStatement& st : r.trust) statements.push_back(StatementJson(st));
    for (const IamStatement& st : r.policy) statements.push_back(StatementJson(st));
    roles.push_back({{"logicalId", r.logical_id}, {"statements", std::move(statements)}});
  }
  Json limits = Json::array();
  for (const LimitUse& use : LimitsBudget(stack, files)) {
    limits.push_back({{"name", use.name}, {"used", use.used}, {"limit", use.limit}});
  }
  return {{"roles", std::move(roles)}, {"limits", std::move(limits)}};
}

std::string ExplainText(const Json& explanation) {
  std::ostringstream out;
  for (const Json& role : explanation["roles"]) {
    out << "role " << role["logicalId"].get<std::string>() << "\n";
    for (const Json& st : role["statements"]) {
      out << "  " << (st.contains("principal") ? "trust " + Compact(st["principal"]) + ": " : "")
          << "allow";
      for (const Json& a : st["actions"]) out << " " << a.get<std::string>();
      out << "\n";
      for (const Json& r : st["resources"]) {
        out << "    on " << (r.is_string() ? r.get<std::string>() : Compact(r)) << "\n";
      }
      if (!st["condition"].is_null()) out << "    when " << Compact(st["condition"]) << "\n";
      for (const Json& b : st["because"]) {
        out << "    because " << b["what"].get<std::string>() << " ("
            << b["where"].get<std::string>() << ")\n";
      }
      out << "    why: " << st["reason"].get<std::string>() << "\n";
    }
    out << "\n";
  }
  out << "limits (used / AWS limit; '!' above " << kNearLimitPercent << "%)\n";
  for (const Json& use : explanation["limits"]) {
    const uint64_t used = use["used"].get<uint64_t>(), limit = use["limit"].get<uint64_t>();
    const uint64_t percent = limit ? used * 100 / limit : 0;
    out << (used * 100 > limit * kNearLimitPercent ? "! " : "  ") << use["name"].get<std::string>()
        << ": " << Grouped(used) << " / " << Grouped(limit) << " (" << percent << "%)\n";
  }
  return out.str();
}

}  // namespace orchc
