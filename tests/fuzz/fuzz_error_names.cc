// libFuzzer target: retry/catch error names (compiler/error_names.h) and the protection of the
// user strings that reach the definition.
//
// Input: one flags byte, then names, one a line; an empty line starts the next rule (at most 6
// rules of 6 names). Flags: bit 0, the rules are catch rules (else retry rules); bit 1, a fail
// step raises the first name as its error (so any name is one the workflow can raise); bit 2,
// the rules are both retry and catch rules.
//
// The catalog alone (ErrorNameCatalog::Check on each name): a rejection quotes the name first,
// and a "did you mean 'X'" names an X the catalog accepts.
// The pipeline (a spec whose task step has the rules, compiled with both embeddings):
//  - the embeddings agree on validity; a spec that compiles has only names the catalog accepts,
//    and a name the catalog rejects fails the compile;
//  - both embeddings deploy the same definition, and in it the task's first Retry/Catch rules
//    are the spec's rules with each name exactly as written (custom: removed), after
//    CloudFormation's substitution; the fail step's Error is its name as written;
//  - every ErrorEquals is non-empty, and States.ALL appears only alone, in the last rule.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "error_names.h"
#include "fuzz_util.h"

namespace {

using orchc::Json;

[[noreturn]] void Violation(const std::string& what) {
  orchc::fuzz::Violation("fuzz_error_names", what);
}

using Rules = std::vector<std::vector<std::string>>;

Rules ParseRules(const std::string& text) {
  Rules rules(1);
  size_t start = 0;
  while (start <= text.size() && rules.size() <= 6) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (line.empty()) {
      if (!rules.back().empty()) rules.emplace_back();
    } else if (rules.back().size() < 6) {
      rules.back().push_back(line);
    }
    start = end + 1;
  }
  while (!rules.empty() && rules.back().empty()) rules.pop_back();
  if (rules.size() > 6) rules.resize(6);
  return rules;
}

std::string RulesYaml(const Rules& rules, bool is_catch, const std::string& target) {
  std::string out = "[";
  for (size_t r = 0; r < rules.size(); ++r) {
    if (r) out += ", ";
    out += "{on: [";
    for (size_t n = 0; n < rules[r].size(); ++n) {
      if (n) out += ", ";
      out += orchc::fuzz::YamlQuote(rules[r][n]);
    }
    out += "]";
    if (is_catch) out += ", next: " + target;
    out += "}";
  }
  return out + "]";
}

// Each rule's ErrorEquals is non-empty; States.ALL is alone, in the last rule.
void CheckStatesAll(const Json& rules, const char* what) {
  if (!rules.is_array()) Violation(std::string(what) + " is not a list");
  for (size_t r = 0; r < rules.size(); ++r) {
    const Json& eq = rules[r].value("ErrorEquals", Json());
    if (!eq.is_array() || eq.empty()) Violation(std::string(what) + " rule without ErrorEquals");
    for (const Json& e : eq) {
      if (e == "States.ALL" && (eq.size() != 1 || r + 1 != rules.size()))
        Violation(std::string(what) + ": States.ALL is not alone in the last rule");
    }
  }
}

// The first rules of `emitted` are `rules`, names as written.
void CheckRules(const Json& emitted, const Rules& rules, const char* what) {
  CheckStatesAll(emitted, what);
  if (emitted.size() < rules.size()) Violation(std::string(what) + " lost a rule");
  for (size_t r = 0; r < rules.size(); ++r) {
    Json expected = Json::array();
    // Written here rather than with orchc::AslErrorName, so that a fault there shows.
    for (const std::string& n : rules[r])
      expected.push_back(n.starts_with("custom:") ? n.substr(7) : n);
    if (emitted[r]["ErrorEquals"] != expected)
      Violation(std::string(what) + " rule " + std::to_string(r) + " is deployed as " +
                emitted[r]["ErrorEquals"].dump() + ", written " + expected.dump());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 4096) return 0;
  const bool is_catch = data[0] & 1, with_fail = data[0] & 2, both = data[0] & 4;
  Rules rules = ParseRules(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  if (rules.empty()) return 0;
  const std::string fail_error = rules[0][0];

  // The catalog alone, as the workflow below builds it.
  orchc::ErrorNameCatalog catalog(
      {orchc::ErrorSource::kEcs},
      with_fail ? std::vector<std::string>{fail_error} : std::vector<std::string>{}, {});
  bool all_known = true;
  for (const auto& rule : rules) {
    for (const std::string& name : rule) {
      std::string why = catalog.Check(name);
      if (why.empty()) continue;
      all_known = false;
      // "'<name>' ...[; did you mean '<X>'?][ (a name of your own: write 'custom:<name>')]":
      // the name is quoted first, and taken out before looking for the suggestion (a name may
      // itself hold "did you mean").
      const std::string head = "'" + name + "'";
      if (!why.starts_with(head)) Violation("a rejection that does not quote the name: " + why);
      std::string rest = why.substr(head.size());
      const std::string tail = " (a name of your own: write 'custom:" + name + "')";
      if (rest.ends_with(tail)) rest.resize(rest.size() - tail.size());
      const std::string guess = "; did you mean '";
      if (size_t at = rest.find(guess); at != std::string::npos) {
        if (!rest.ends_with("'?")) Violation("a malformed suggestion: " + why);
        std::string suggested =
            rest.substr(at + guess.size(), rest.size() - 2 - (at + guess.size()));
        if (suggested != "Task.ExitCode.<N>" && !catalog.Check(suggested).empty())
          Violation("suggested '" + suggested + "', which the catalog rejects");
      }
    }
  }

  // The pipeline.
  const bool catch_rules = is_catch || both, retry_rules = !is_catch || both;
  const std::string target = with_fail ? "Stop" : "Done";
  std::string spec =
      "version: 1\nenv: prod\nworkflows:\n  w:\n    steps:\n"
      "      - name: Run\n        task: {command: [a]}\n";
  if (retry_rules) spec += "        retry: " + RulesYaml(rules, false, target) + "\n";
  if (catch_rules) spec += "        catch: " + RulesYaml(rules, true, target) + "\n";
  // Done leads to the fail step, so that it is reachable without a catch rule too.
  spec += with_fail ? "      - {name: Done, pass: {}, next: Stop}\n"
                    : "      - {name: Done, pass: {}, end: true}\n";
  if (with_fail) {
    spec += "      - {name: Stop, fail: {error: " + orchc::fuzz::YamlQuote(fail_error) + "}}\n";
  }
  orchc::CompiledSpec object_out, string_out;
  bool ok = orchc::fuzz::CompileOnce("fuzz_error_names", spec, false, &object_out);
  if (orchc::fuzz::CompileOnce("fuzz_error_names", spec, true, &string_out) != ok)
    Violation("the embeddings disagree on validity");
  if (!ok) return 0;
  if (!all_known) Violation("a name the catalog rejects compiled");
  auto object_defs = orchc::fuzz::Deployed("fuzz_error_names", object_out.files.at(0), false);
  auto string_defs = orchc::fuzz::Deployed("fuzz_error_names", string_out.files.at(0), true);
  if (object_defs.size() != 1 || string_defs.size() != 1)
    Violation("not one state machine per embedding");
  const Json& def = object_defs[0].second;
  if (def != string_defs[0].second) Violation("the embeddings deploy different definitions");
  if (!def.contains("States") || !def["States"].contains("Run") ||
      (with_fail && !def["States"].contains("Stop")))
    Violation("the definition lacks the spec's states");
  const Json& run = def["States"]["Run"];
  if (retry_rules) CheckRules(run.value("Retry", Json()), rules, "Retry");
  if (catch_rules) CheckRules(run.value("Catch", Json()), rules, "Catch");
  if (with_fail && def["States"]["Stop"]["Error"] != Json(fail_error))
    Violation("the fail step's error is deployed as " + def["States"]["Stop"]["Error"].dump());
  // Every Retry/Catch list of the definition (generated states too) keeps the States.ALL rule.
  for (const auto& [name, state] : def["States"].items()) {
    if (state.contains("Retry")) CheckStatesAll(state["Retry"], "Retry");
    if (state.contains("Catch")) CheckStatesAll(state["Catch"], "Catch");
  }
  return 0;
}
