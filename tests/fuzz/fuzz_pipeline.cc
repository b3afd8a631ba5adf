// libFuzzer target: the whole pipeline, from the bytes of a spec file to the emitted JSON.
//
// Compiles the input with both embeddings (Definition + DefinitionSubstitutions, and
// DefinitionString) and, when it compiles, checks what must hold of any output:
//  - every file parses as JSON, and the file names cannot leave the output directory;
//  - the template's Definition is exactly the workflow's .asl.json file;
//  - every ${Placeholder} in a Definition is defined in DefinitionSubstitutions, and no
//    substitution value that is text contains "${" (no second round of substitution);
//  - no key of a Definition is one CloudFormation reads as an intrinsic function (Ref,
//    Condition, Fn::...): spec values are data in both embeddings;
//  - both embeddings produce the same ASL files, and deploy the same definition: the Definition
//    with its DefinitionSubstitutions substituted as CloudFormation does, and the DefinitionString
//    joined, parse to equal JSON (CloudFormation values compared as one token; fuzz_util.h), so an
//    intrinsic-looking key or a ${...} in spec text is the same data in both;
//  - a failed compile reported an error, a successful one reported none; rendering never fails.
// Any violation aborts (a crash for libFuzzer). See docs/reliability.md and scripts/fuzz.sh.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "compile.h"
#include "fuzz_util.h"

namespace {

using orchc::Json;

[[noreturn]] void Violation(const std::string& what) {
  orchc::fuzz::Violation("fuzz_pipeline", what);
}

// The names of the ${...} placeholders in every string of `j`.
void Placeholders(const Json& j, std::set<std::string>& out) {
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    for (size_t i = s.find("${"); i != std::string::npos; i = s.find("${", i + 2)) {
      size_t end = s.find('}', i + 2);
      if (end == std::string::npos) Violation("unterminated placeholder in definition: " + s);
      out.insert(s.substr(i + 2, end - i - 2));
    }
  } else if (j.is_structured()) {
    for (const auto& v : j) Placeholders(v, out);
  }
}

// No object key of `j` is an intrinsic function name.
void NoIntrinsicKeys(const Json& j, const std::string& where) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if (k == "Ref" || k == "Condition" || k.starts_with("Fn::"))
        Violation(where + " holds the intrinsic function key " + k);
      NoIntrinsicKeys(v, where);
    }
  } else if (j.is_array()) {
    for (const Json& v : j) NoIntrinsicKeys(v, where);
  }
}

void CheckName(const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos || name.find('\0') != std::string::npos ||
      name.starts_with("."))
    Violation("output file name would leave the directory: " + name);
}

Json ParseOrDie(const orchc::OutputFile& f) {
  Json j = Json::parse(f.content, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) Violation(f.name + " is not JSON");
  if (f.content.empty() || f.content.back() != '\n') Violation(f.name + " lacks a final newline");
  return j;
}

// Compiles with one embedding (fuzz_util.h: one compiler per embedding for the whole run).
bool CompileOnce(const std::string& text, bool definition_string, orchc::CompiledSpec* out) {
  return orchc::fuzz::CompileOnce("fuzz_pipeline", text, definition_string, out);
}

void CheckSubstitutionTemplate(const orchc::CompiledSpec& spec) {
  Json t = ParseOrDie(spec.files.at(0));
  if (!t.contains("Resources") || !t["Resources"].is_object())
    Violation("template has no Resources");
  for (const auto& [id, r] : t["Resources"].items()) {
    if (r.value("Type", "") != "AWS::StepFunctions::StateMachine") continue;
    const Json& props = r["Properties"];
    if (!props.contains("Definition")) Violation(id + " has no Definition");
    NoIntrinsicKeys(props["Definition"], id + " Definition");
    std::set<std::string> used;
    Placeholders(props["Definition"], used);
    Json subs = props.value("DefinitionSubstitutions", Json::object());
    for (const std::string& name : used) {
      if (!subs.contains(name)) Violation(id + " uses ${" + name + "} without defining it");
    }
    for (const auto& [name, value] : subs.items()) {
      if (value.is_string() && value.get<std::string>().find("${") != std::string::npos)
        Violation(id + " substitution " + name + " holds \"${\"");
    }
    // The definition in the template is the workflow's ASL file.
    bool found = false;
    for (size_t i = 1; i < spec.files.size(); ++i) {
      if (ParseOrDie(spec.files[i]) == props["Definition"]) found = true;
    }
    if (!found) Violation(id + " Definition matches no .asl.json file");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  orchc::CompiledSpec subs_out, join_out;
  bool ok = CompileOnce(text, false, &subs_out);
  if (CompileOnce(text, true, &join_out) != ok) Violation("the embeddings disagree on validity");
  if (!ok) return 0;
  // The template, then one ASL file per workflow (a spec may have no workflow at all).
  if (subs_out.files.size() != join_out.files.size() || subs_out.files.empty())
    Violation("unexpected number of output files");
  for (size_t i = 0; i < subs_out.files.size(); ++i) {
    CheckName(subs_out.files[i].name);
    ParseOrDie(join_out.files[i]);
    if (i > 0 && subs_out.files[i].content != join_out.files[i].content)
      Violation("the ASL files differ between the embeddings");
  }
  CheckSubstitutionTemplate(subs_out);
  // Both embeddings deploy the same definitions.
  auto object_defs = orchc::fuzz::Deployed("fuzz_pipeline", subs_out.files[0], false);
  auto string_defs = orchc::fuzz::Deployed("fuzz_pipeline", join_out.files[0], true);
  if (object_defs.size() != string_defs.size())
    Violation("the embeddings have different state machines");
  for (size_t i = 0; i < object_defs.size(); ++i) {
    if (object_defs[i].first != string_defs[i].first)
      Violation("the embeddings name their state machines differently");
    if (object_defs[i].second != string_defs[i].second)
      Violation(object_defs[i].first + " deploys different definitions in the two embeddings");
  }
  return 0;
}
