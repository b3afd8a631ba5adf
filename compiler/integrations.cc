#include "integrations.h"

#include <cctype>

#include "spec.h"

namespace orchc {

std::string Substitutions::Ref(const std::string& name, const Json& expr) {
  if (index_.emplace(name, wf_.substitutions.size()).second) {
    wf_.substitutions.emplace_back(name, expr);
  }
  return "${" + name + "}";
}

std::string Substitutions::Text(const std::string& text) {
  if (text.find("${") == std::string::npos) return text;
  // The value is the string's JSON-escaped text with every '$' as \u0024: DefinitionSubstitutions
  // replaces placeholders repeatedly, and no "${" must survive for it to find.
  std::string escaped = Json(text).dump(-1, ' ', false, Json::error_handler_t::replace);
  escaped = escaped.substr(1, escaped.size() - 2);
  std::string value;
  for (char c : escaped) {
    if (c == '$') {
      value += "\\u0024";
    } else {
      value += c;
    }
  }
  return Ref("Literal" + std::to_string(++literals_), value);
}

bool IsIntrinsicFunctionKey(std::string_view key) {
  return key == "Ref" || key == "Condition" || key.starts_with("Fn::");
}

std::string Substitutions::Key(const std::string& key) {
  if (!IsIntrinsicFunctionKey(key)) return Text(key);
  return Ref("Literal" + std::to_string(++literals_), key);  // no "${": the key as it is
}

std::string ImportParameterId(const std::string& import_name) {
  std::string id = "Import" + import_name;
  id[6] = static_cast<char>(std::toupper(static_cast<unsigned char>(id[6])));
  return id;
}

Json Substitutions::Import(const std::string& import_name) const {
  const ImportSpec& imp = spec->imports.at(import_name);
  if (imp.ssm) return Json{{"Ref", ImportParameterId(import_name)}};
  return Json{{"Fn::ImportValue", imp.export_name}};
}

Json Substitutions::CommaListItems(const std::string& import_name) const {
  const ImportSpec& imp = spec->imports.at(import_name);
  Json list = imp.ssm && imp.ssm->string_list
                  ? Import(import_name)
                  : Json{{"Fn::Split", Json::array({",", Import(import_name)})}};
  return Json{{"Fn::Join", Json::array({"\",\"", list})}};
}

Json FailureMessage() {
  return {{"error.$", "$.error.Error"},
          {"cause.$", "$.error.Cause"},
          {"executionName.$", "$$.Execution.Name"},
          {"timestamp.$", "$$.State.EnteredTime"}};
}

}  // namespace orchc
