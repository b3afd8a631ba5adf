// libFuzzer target: the JSONPath validator (compiler/jsonpath.h), alone and in every field that
// takes a path.
//
// Input: one selector byte (the spec field, below), then the path. The validator, for the path
// and every PathKind with and without the Context Object:
//  - a rejection has a message; a position it names ("at character N") lies in the path or just
//    after its end (what is missing there); only whole-path messages name none;
//  - the kinds nest: an intrinsic argument is a Reference Path, which is a Path; what is accepted
//    without `$$` is accepted with it;
//  - it agrees with an independent recognizer of the Reference Path grammar (ReferencePath below)
//    for kReference and kIntrinsicArgument;
//  - an accepted path stays accepted with one more segment (`.x`, `[0]`) appended;
//  - an accepted path has no ',', space, quote or parenthesis outside brackets, and an accepted
//    intrinsic argument is letters, digits, '_', '-', '.', '$', '[' and ']' only (the injection
//    class: nothing in it can end the States.Array argument or add another).
// The pipeline: the path is written into one field of a small spec (a `{path:}` command argument,
// a step's or a catch rule's resultPath, a choice variable, a map's itemsPath, a wait's
// secondsPath or timestampPath) and compiled with both embeddings:
//  - the embeddings agree on validity, and a spec that compiles holds a path the validator accepts
//    for that field's kind;
//  - both embeddings deploy the same definition, and it holds the path exactly as written in that
//    field (a command: `States.Array('a', <path>, 'b c')`).
#include <cctype>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "jsonpath.h"

namespace {

using orchc::Json;
using orchc::PathKind;

[[noreturn]] void Violation(const std::string& what) {
  orchc::fuzz::Violation("fuzz_jsonpath", what);
}

orchc::ContextObject Ctx(bool allowed) {
  return allowed ? orchc::ContextObject::kAllowed : orchc::ContextObject::kRefused;
}

bool Accepted(std::string_view p, PathKind kind, bool context) {
  return orchc::JsonPathError(p, kind, Ctx(context)).empty();
}

// An independent recognizer of a Reference Path (ASL "Reference Paths"; docs/spec.md "Paths"):
// `$` or (with the Context Object) `$$`, then segments `.name`, `['name']`, `[digits]`; after
// `$$` the first segment is a `.name`. With `simple`, the intrinsic-argument form: names are
// letters, digits, '_' and '-', no quoted names.
bool ReferencePath(std::string_view p, bool context, bool simple) {
  auto name_char = [simple](unsigned char c) {
    if (simple) return std::isalnum(c) || c == '_' || c == '-';
    return c >= 0x20 && c != 0x7f &&
           std::string_view(".[]'\"\\,()*?@:$ {}").find(c) == std::string_view::npos;
  };
  size_t i = 0;
  if (p.empty() || p[0] != '$') return false;
  i = 1;
  bool after_context = false;
  if (p.size() > 1 && p[1] == '$') {
    if (!context) return false;
    i = 2;
    after_context = true;
  }
  while (i < p.size()) {
    if (p[i] == '.') {
      size_t start = ++i;
      while (i < p.size() && name_char(static_cast<unsigned char>(p[i]))) ++i;
      if (i == start) return false;
    } else if (p[i] == '[' && !after_context) {
      ++i;
      if (i < p.size() && p[i] == '\'' && !simple) {
        size_t start = ++i;
        while (i < p.size() && p[i] != '\'') {
          unsigned char c = static_cast<unsigned char>(p[i]);
          if (c < 0x20 || c == 0x7f || c == '\\') return false;
          ++i;
        }
        if (i == start || i + 1 >= p.size() || p[i + 1] != ']') return false;
        i += 2;
      } else {
        size_t start = i;
        while (i < p.size() && p[i] >= '0' && p[i] <= '9') ++i;
        if (i == start || i >= p.size() || p[i] != ']') return false;
        ++i;
      }
    } else {
      return false;
    }
    after_context = false;
  }
  return true;
}

// Moves `i` (at a '[') past its bracket as the validator reads it: a filter `[?(...)]` ends at
// its balanced ')' (quotes skipped) and the next ']', anything else at the first ']' outside a
// quoted name. Returns false when the bracket does not end.
bool SkipBracket(std::string_view p, size_t& i) {
  ++i;
  if (i + 1 < p.size() && p[i] == '?' && p[i + 1] == '(') {
    int depth = 0;
    char quote = 0;
    for (++i; i < p.size(); ++i) {
      if (quote) {
        if (p[i] == quote) quote = 0;
      } else if (p[i] == '\'' || p[i] == '"') {
        quote = p[i];
      } else if (p[i] == '(') {
        ++depth;
      } else if (p[i] == ')' && --depth == 0) {
        break;
      }
    }
    if (i + 1 >= p.size() || p[i + 1] != ']') return false;
    i += 2;
    return true;
  }
  bool quoted = false;
  for (; i < p.size(); ++i) {
    if (p[i] == '\'') quoted = !quoted;
    if (!quoted && p[i] == ']') {
      ++i;
      return true;
    }
  }
  return false;
}

// What an accepted path holds outside its brackets: no ',', quote, parenthesis or white space
// (nothing that could end an argument of an intrinsic function or add one); an intrinsic
// argument is letters, digits and "_-.$[]" only, in brackets too.
void CheckOutsideBrackets(std::string_view p, bool intrinsic_argument) {
  if (intrinsic_argument) {
    for (unsigned char c : p) {
      if (!(std::isalnum(c) ||
            std::string_view("_-.$[]").find(static_cast<char>(c)) != std::string_view::npos))
        Violation("an accepted intrinsic argument holds the byte " + std::to_string(c));
    }
  }
  size_t i = 0;
  while (i < p.size()) {
    char c = p[i];
    if (c == '[') {
      if (!SkipBracket(p, i)) Violation("an accepted path has a bracket that does not end");
      continue;
    }
    if (std::string_view(",'\"() \t\n").find(c) != std::string_view::npos)
      Violation("an accepted path holds '" + std::string(1, c) + "' outside brackets");
    ++i;
  }
}

void CheckMessage(std::string_view p, const std::string& why) {
  if (why.empty()) return;
  const std::string marker = " at character ";
  size_t at = why.find(marker);
  if (at == std::string::npos) {
    if (why != "empty path" && why != "a path starts with $" &&
        why != "the Context Object ($$) cannot be used here")
      Violation("a rejection without a position: " + why);
    return;
  }
  size_t pos = 0, k = at + marker.size();
  if (k >= why.size() || !std::isdigit(static_cast<unsigned char>(why[k])))
    Violation("a malformed position: " + why);
  while (k < why.size() && std::isdigit(static_cast<unsigned char>(why[k])) && pos < (1u << 30))
    pos = pos * 10 + static_cast<size_t>(why[k++] - '0');
  if (pos < 1 || pos > p.size() + 1) Violation("a position outside the path: " + why);
}

void CheckValidator(std::string_view p) {
  const PathKind kinds[] = {PathKind::kIntrinsicArgument, PathKind::kReference, PathKind::kPath};
  for (bool context : {false, true}) {
    bool previous = false;  // accepted by the narrower kind
    for (PathKind kind : kinds) {
      std::string why = orchc::JsonPathError(p, kind, Ctx(context));
      bool ok = why.empty();
      CheckMessage(p, why);
      if (previous && !ok) Violation("a narrower kind accepts what a wider one rejects: " + why);
      if (!context && ok && !Accepted(p, kind, true))
        Violation("accepted without $$ but rejected with it");
      if (kind != PathKind::kPath &&
          ok != ReferencePath(p, context, kind == PathKind::kIntrinsicArgument)) {
        Violation(std::string("the validator and the reference grammar disagree (kind ") +
                  (kind == PathKind::kReference ? "reference" : "intrinsic argument") +
                  ", context " + (context ? "yes" : "no") + "): " + (ok ? "accepted" : why));
      }
      if (ok) {
        CheckOutsideBrackets(p, kind == PathKind::kIntrinsicArgument);
        for (std::string_view more : {".x", "[0]"}) {
          if (p == "$$" && more == "[0]") continue;  // after $$ comes a .name
          if (!Accepted(std::string(p) + std::string(more), kind, context))
            Violation("an accepted path is rejected with a segment appended");
        }
      }
      previous = ok;
    }
  }
}

// The spec fields that take a path: the field's kind, whether `$$` is allowed, the spec.
struct Field {
  const char* name;
  PathKind kind;
  bool context;
};
constexpr Field kFields[] = {
    {"command path", PathKind::kIntrinsicArgument, true},
    {"resultPath", PathKind::kReference, false},
    {"catch resultPath", PathKind::kReference, false},
    {"choice variable", PathKind::kPath, true},
    {"map itemsPath", PathKind::kReference, true},
    {"wait secondsPath", PathKind::kReference, true},
    {"wait timestampPath", PathKind::kReference, true},
};
constexpr size_t kFieldCount = sizeof(kFields) / sizeof(kFields[0]);

std::string SpecFor(size_t field, const std::string& q) {
  std::string steps;
  switch (field) {
    case 0:
      steps = "      - {name: Run, task: {command: [a, {path: " + q + "}, \"b c\"]}}\n";
      break;
    case 1:
      steps = "      - {name: Run, task: {command: [a]}, resultPath: " + q + "}\n";
      break;
    case 2:
      steps = "      - {name: Run, task: {command: [a]}, catch: [{next: Done, resultPath: " + q +
              "}]}\n      - {name: Done, pass: {}}\n";
      break;
    case 3:
      steps = "      - name: Pick\n        choice:\n          rules: [{variable: " + q +
              ", numericEquals: 0, next: Done}]\n          default: Done\n"
              "      - {name: Done, pass: {}}\n";
      break;
    case 4:
      steps = "      - {name: Each, map: {itemsPath: " + q +
              ", steps: [{name: One, pass: {}}]}, resultPath: null}\n";
      break;
    case 5:
      steps = "      - {name: Pause, wait: {secondsPath: " + q + "}}\n";
      break;
    default:
      steps = "      - {name: Pause, wait: {timestampPath: " + q + "}}\n";
      break;
  }
  return "version: 1\nenv: prod\nworkflows:\n  w:\n    steps:\n" + steps;
}

// The value the field's path lands in, in a deployed definition (null when absent).
Json FieldValue(const Json& def, size_t field) {
  if (!def.is_object() || !def.contains("States")) Violation("a definition without States");
  const Json& states = def["States"];
  auto get = [](const Json& j, std::initializer_list<const char*> keys) -> Json {
    const Json* at = &j;
    for (const char* k : keys) {
      if (!at->is_object() || !at->contains(k)) return nullptr;
      at = &(*at)[k];
    }
    return *at;
  };
  switch (field) {
    case 0: {
      Json overrides = get(states, {"Run", "Parameters", "Overrides", "ContainerOverrides"});
      if (!overrides.is_array() || overrides.empty()) return nullptr;
      return get(overrides[0], {"Command.$"});
    }
    case 1:
      return get(states, {"Run", "ResultPath"});
    case 2: {
      Json c = get(states, {"Run", "Catch"});
      if (!c.is_array() || c.empty()) return nullptr;
      return get(c[0], {"ResultPath"});
    }
    case 3: {
      Json c = get(states, {"Pick", "Choices"});
      if (!c.is_array() || c.empty()) return nullptr;
      return get(c[0], {"Variable"});
    }
    case 4:
      return get(states, {"Each", "ItemsPath"});
    case 5:
      return get(states, {"Pause", "SecondsPath"});
    default:
      return get(states, {"Pause", "TimestampPath"});
  }
}

void CheckPipeline(size_t field, const std::string& path) {
  std::string spec = SpecFor(field, orchc::fuzz::YamlQuote(path));
  orchc::CompiledSpec object_out, string_out;
  bool ok = orchc::fuzz::CompileOnce("fuzz_jsonpath", spec, false, &object_out);
  if (orchc::fuzz::CompileOnce("fuzz_jsonpath", spec, true, &string_out) != ok)
    Violation("the embeddings disagree on validity");
  if (!ok) return;
  const Field& f = kFields[field];
  if (std::string why = orchc::JsonPathError(path, f.kind, Ctx(f.context)); !why.empty())
    Violation(std::string(f.name) + " accepted a path the validator rejects: " + why);
  auto object_defs = orchc::fuzz::Deployed("fuzz_jsonpath", object_out.files.at(0), false);
  auto string_defs = orchc::fuzz::Deployed("fuzz_jsonpath", string_out.files.at(0), true);
  if (object_defs.size() != 1 || string_defs.size() != 1)
    Violation("not one state machine per embedding");
  if (object_defs[0].second != string_defs[0].second)
    Violation("the embeddings deploy different definitions");
  Json value = FieldValue(object_defs[0].second, field);
  std::string expected = field == 0 ? "States.Array('a', " + path + ", 'b c')" : path;
  if (value != Json(expected))
    Violation(std::string(f.name) + " is deployed as " + value.dump() + ", not as written");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t field = data[0] % kFieldCount;
  std::string path(reinterpret_cast<const char*>(data) + 1, size - 1);
  CheckValidator(path);
  CheckPipeline(field, path);
  return 0;
}
