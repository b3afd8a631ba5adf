// IAM policy statements (iam_statements.h): merging, the policy document, why each statement
// is there.
#include "iam_statements.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

namespace orchc {

std::vector<IamStatement> MergeStatements(std::vector<IamStatement> in) {
  // Statements with the same resources and condition become one; linear in the statements.
  std::vector<IamStatement> out;
  std::unordered_map<std::string, size_t> by_scope;
  for (IamStatement& st : in) {
    std::string key = Json(st.resources).dump() + "\n" + st.condition.dump();
    auto [it, fresh] = by_scope.emplace(std::move(key), out.size());
    if (fresh) {
      out.push_back(std::move(st));
    } else {
      IamStatement& into = out[it->second];
      into.actions.insert(into.actions.end(), st.actions.begin(), st.actions.end());
      into.because.insert(into.because.end(), st.because.begin(), st.because.end());
      if (into.reason.empty()) {
        into.reason = std::move(st.reason);
      } else if (!st.reason.empty() && into.reason.find(st.reason) == std::string::npos) {
        into.reason += " " + st.reason;
      }
    }
  }
  for (IamStatement& st : out) {
    std::sort(st.actions.begin(), st.actions.end());
    st.actions.erase(std::unique(st.actions.begin(), st.actions.end()), st.actions.end());
  }
  return out;
}

Json PolicyDocument(const std::vector<IamStatement>& statements) {
  Json doc = Json::object();
  doc["Version"] = "2012-10-17";
  auto& stmts = (doc["Statement"] = Json::array()).get_ref<Json::array_t&>();
  stmts.reserve(statements.size());
  for (const IamStatement& st : statements) {
    Json& s = stmts.emplace_back(Json::object());
    s["Effect"] = "Allow";
    if (!st.principal.is_null()) s["Principal"] = st.principal;
    s["Action"] = st.actions.size() == 1 ? Json(st.actions[0]) : Json(st.actions);
    if (!st.resources.empty()) {
      s["Resource"] = st.resources.size() == 1 ? st.resources[0] : Json(st.resources);
    }
    if (!st.condition.is_null()) s["Condition"] = st.condition;
  }
  return doc;
}

void AttributeStatements(std::vector<IamStatement>& iam, size_t from, const std::string& what,
                         SourceLoc where) {
  for (size_t i = from; i < iam.size(); ++i) {
    if (iam[i].because.empty()) iam[i].because.push_back({what, where});
  }
}

IamStatement TrustStatement(const char* service, Json condition) {
  IamStatement st{{"sts:AssumeRole"}, {}, std::move(condition)};
  st.principal = {{"Service", service}};
  return st;
}

}  // namespace orchc
