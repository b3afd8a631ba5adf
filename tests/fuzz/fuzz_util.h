// What the libFuzzer targets share: the invariant-violation abort, one compiler per embedding,
// and the definition each embedding deploys (CloudFormation's substitution, computed here
// independently of the compiler).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compile.h"

namespace orchc::fuzz {

// Reports a broken invariant and aborts: a crash for libFuzzer.
[[noreturn]] inline void Violation(const char* target, const std::string& what) {
  std::fprintf(stderr, "%s: invariant violated: %s\n", target, what.c_str());
  std::abort();
}

// One compiler per embedding for the whole run, as `orchc validate a.yaml b.yaml ...` keeps one:
// the schema is parsed once, and state carried from one input to the next would show up here.
inline orchc::Compiler& CompilerFor(bool definition_string) {
  auto make = [](bool ds) {
    orchc::CompileOptions options;
    options.emit.definition_string = ds;
    static const orchc::MemorySpecFiles kNoFiles;  // `extends:` reads nothing from the disk
    options.extends.files = &kNoFiles;
    return new orchc::Compiler(options);
  };
  static orchc::Compiler* object_mode = make(false);
  static orchc::Compiler* string_mode = make(true);
  return definition_string ? *string_mode : *object_mode;
}

// Compiles `text` with one embedding; a failed compile must have reported an error with a
// message, a successful one none.
inline bool CompileOnce(const char* target, const std::string& text, bool definition_string,
                        orchc::CompiledSpec* out) {
  orchc::Compiler& compiler = CompilerFor(definition_string);
  orchc::DiagSink sink;
  bool ok = compiler.Compile("fuzz.yaml", text, sink, out);
  std::string rendered = sink.Render();
  compiler.ForgetSources();
  if (ok == sink.has_errors()) Violation(target, "result and diagnostics disagree");
  if (!ok && rendered.empty()) Violation(target, "failed without a message");
  return ok;
}

// The value a CloudFormation intrinsic stands for in a deployed definition: both embeddings get
// the same text, so their definitions compare equal where they agree.
inline constexpr char kCfnValue[] = "CFN-VALUE";

// The definition CloudFormation deploys from a state machine's Definition and
// DefinitionSubstitutions: the resource provider replaces each ${Name} in the serialized
// definition with the value as it is (docs/spec.md, "CloudFormation values"); one pass.
// Returns a discarded Json when the result is not JSON.
inline orchc::Json Substituted(const orchc::Json& props) {
  std::string text = props.at("Definition").dump();
  const orchc::Json subs = props.value("DefinitionSubstitutions", orchc::Json::object());
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = text.find("${", i);
    if (start == std::string::npos) break;
    size_t end = text.find('}', start + 2);
    if (end == std::string::npos) break;
    std::string name = text.substr(start + 2, end - start - 2);
    out.append(text, i, start - i);
    if (subs.contains(name)) {
      const orchc::Json& v = subs[name];
      out += v.is_string() ? v.get<std::string>() : std::string(kCfnValue);
    } else {
      out.append(text, start, end + 1 - start);
    }
    i = end + 1;
  }
  out.append(text, i, std::string::npos);
  return orchc::Json::parse(out, nullptr, /*allow_exceptions=*/false);
}

// The definition CloudFormation deploys from a DefinitionString (one Fn::Join, or a string).
inline orchc::Json Joined(const orchc::Json& props) {
  const orchc::Json& ds = props.at("DefinitionString");
  std::string text;
  if (ds.is_string()) {
    text = ds.get<std::string>();
  } else {
    for (const orchc::Json& part : ds.at("Fn::Join").at(1)) {
      text += part.is_string() ? part.get<std::string>() : std::string(kCfnValue);
    }
  }
  return orchc::Json::parse(text, nullptr, /*allow_exceptions=*/false);
}

// The state machines of a template and the definition each deploys, by logical id.
inline std::vector<std::pair<std::string, orchc::Json>> Deployed(const char* target,
                                                                 const orchc::OutputFile& tmpl,
                                                                 bool definition_string) {
  orchc::Json t = orchc::Json::parse(tmpl.content, nullptr, /*allow_exceptions=*/false);
  if (t.is_discarded() || !t.contains("Resources")) Violation(target, "template is not JSON");
  std::vector<std::pair<std::string, orchc::Json>> out;
  for (const auto& [id, r] : t["Resources"].items()) {
    if (r.value("Type", "") != "AWS::StepFunctions::StateMachine") continue;
    const orchc::Json& props = r.at("Properties");
    if (props.contains(definition_string ? "DefinitionString" : "Definition") == false)
      Violation(target, id + " lacks its definition");
    orchc::Json def = definition_string ? Joined(props) : Substituted(props);
    if (def.is_discarded())
      Violation(target, id + std::string(" deploys a definition that is not JSON (") +
                            (definition_string ? "DefinitionString)" : "Definition)"));
    out.emplace_back(id, std::move(def));
  }
  return out;
}

// `s` as a YAML double-quoted scalar: every byte outside printable ASCII, '"' and '\\' escaped,
// so the spec's parser hands back exactly `s` (bytes >= 0x80 pass through: UTF-8 is checked by
// the loader).
inline std::string YamlQuote(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace orchc::fuzz
