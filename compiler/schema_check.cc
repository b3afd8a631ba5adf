#include "schema_check.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <unordered_set>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "schema_blob.h"

namespace orchc {

extern const char kSchemaText[];  // generated from schemas/orchestration.schema.json

std::string_view SchemaText() { return kSchemaText; }

namespace {

using nlohmann::json;

// The tree as JSON for valijson. Errors are mapped back to nodes by walking the tree along
// valijson's context path (NodeAt), so nothing is indexed while converting.
// Recursive: the depth is bounded by the loader's max_depth (64 levels of maps and lists, aliases
// included: yaml_tree.h).
json ToJson(const YNode* n) {
  switch (n->kind) {
    case YNode::Kind::kNull:
      return nullptr;
    case YNode::Kind::kScalar: {
      switch (Resolve(*n)) {
        case ScalarType::kNull:
          return nullptr;
        case ScalarType::kBool: {
          bool b = false;
          AsBool(*n, &b);
          return b;
        }
        case ScalarType::kInt: {
          int64_t i = 0;
          if (AsInt(*n, &i)) return i;
          return n->value;  // out of range: keep the text, the type check will say so
        }
        case ScalarType::kFloat: {
          double d = 0;
          if (AsNumber(*n, &d)) return d;
          return n->value;
        }
        case ScalarType::kString:
          return n->value;
      }
      return n->value;
    }
    case YNode::Kind::kSeq: {
      json a = json::array();
      a.get_ref<json::array_t&>().reserve(n->items.size());
      for (const YNode* item : n->items) a.push_back(ToJson(item));
      return a;
    }
    case YNode::Kind::kMap: {
      json o = json::object();
      for (const YNode::Entry& e : n->entries) o[e.key] = ToJson(e.value);
      return o;
    }
  }
  return nullptr;
}

// The node at a valijson path given as segments (keys and item indexes), and its human path
// ("workflows.nightly.task"); the root and "" when the path leaves the tree.
const YNode* NodeAt(const YNode* root, const std::vector<std::string>& segs, std::string* human) {
  const YNode* n = root;
  std::string h;
  for (const std::string& seg : segs) {
    const YNode* next = nullptr;
    if (n->IsMap()) {
      next = n->Get(seg);
      h = h.empty() ? seg : h + "." + seg;
    } else if (n->IsSeq()) {
      size_t i = 0;
      auto [p, ec] = std::from_chars(seg.data(), seg.data() + seg.size(), i);
      if (ec == std::errc() && p == seg.data() + seg.size() && i < n->items.size())
        next = n->items[i];
      h += "[" + seg + "]";
    }
    if (!next) {
      *human = "";
      return root;
    }
    n = next;
  }
  *human = h;
  return n;
}

std::string Describe(const YNode* n) {
  switch (Resolve(*n)) {
    case ScalarType::kNull:
      return "nothing (null)";
    case ScalarType::kBool:
      return "the boolean " + n->value;
    case ScalarType::kInt:
    case ScalarType::kFloat:
      return "the number " + n->value;
    case ScalarType::kString:
      break;
  }
  if (n->IsMap()) return "a mapping";
  if (n->IsSeq()) return "a list";
  std::string v = n->value.size() > 40 ? n->value.substr(0, 40) + "..." : n->value;
  return "the string '" + v + "'";
}

std::string TypeWord(const std::string& t) {
  if (t == "object") return "a mapping";
  if (t == "array") return "a list";
  if (t == "integer") return "a whole number";
  if (t == "number") return "a number";
  if (t == "boolean") return "true or false";
  if (t == "string") return "a string";
  return t;
}

// The hint a subschema gives for its pattern: its "$comment" when that starts with "hint: "
// (a draft-07 keyword, so strict validators such as ajv accept the schema); "" otherwise.
std::string Hint(const json* s) {
  if (!s || !s->is_object()) return "";
  auto c = s->find("$comment");
  if (c == s->end() || !c->is_string()) return "";
  const std::string& text = c->get_ref<const std::string&>();
  return text.starts_with("hint: ") ? text.substr(6) : "";
}

// Removes the "allOf" entries whose "$comment" starts with "editor limits": limits the schema
// states for editors that orchc checks after the schema stage with more precise messages (and
// without stopping at the first stage), so its own validation must not report them twice.
void DropEditorLimits(json& s) {
  if (s.is_array()) {
    for (json& v : s) DropEditorLimits(v);
    return;
  }
  if (!s.is_object()) return;
  if (auto all = s.find("allOf"); all != s.end() && all->is_array()) {
    json kept = json::array();
    for (json& e : *all) {
      bool editor = e.is_object() && e.contains("$comment") && e["$comment"].is_string() &&
                    e["$comment"].get_ref<const std::string&>().starts_with("editor limits");
      if (!editor) kept.push_back(std::move(e));
    }
    if (kept.empty()) {
      s.erase("allOf");
    } else {
      *all = std::move(kept);
    }
  }
  for (auto& [k, v] : s.items()) DropEditorLimits(v);
}

std::string Quote(const std::string& s) {
  return "'" + (s.size() > 60 ? s.substr(0, 60) + "..." : s) + "'";
}

}  // namespace

struct SchemaValidator::Impl {
  json schema_json;
  valijson::Schema schema;

  // The subschema that applies at a valijson path, following properties, additionalProperties,
  // items and local $refs; nullptr when the path leaves the schema.
  const json* At(const std::vector<std::string>& segments) const {
    const json* s = Deref(&schema_json);
    for (const std::string& seg : segments) s = Step(s, seg);
    return s;
  }

  // One step of At: the subschema of member or item `seg` of a (dereferenced) schema `s`.
  const json* Step(const json* s, const std::string& seg) const {
    if (!s || !s->is_object()) return nullptr;
    bool is_index = !seg.empty() && seg.find_first_not_of("0123456789") == std::string::npos;
    const json* next = nullptr;
    if (auto p = s->find("properties"); p != s->end() && p->contains(seg)) {
      next = &(*p)[seg];
    } else if (auto a = s->find("additionalProperties"); a != s->end() && a->is_object()) {
      next = &*a;
    } else if (auto it = s->find("items"); is_index && it != s->end()) {
      next = &*it;
    }
    return Deref(next);
  }

  const json* Deref(const json* s) const {
    for (int guard = 0; s && s->is_object() && s->contains("$ref") && guard < 8; ++guard) {
      std::string ref = (*s)["$ref"];
      if (!ref.starts_with("#/")) return nullptr;
      s = &schema_json.at(json::json_pointer(ref.substr(1)));
    }
    return s;
  }

  // Every key of a mapping that its schema does not allow, with a "did you mean".
  // Recursive: the depth is bounded by the loader's max_depth (64 levels of maps and lists, aliases
  // included: yaml_tree.h). `s` is the node's subschema (At of its path), handed down so no path is
  // walked twice.
  // Whether a (dereferenced) object schema lists `key` among its properties, in any branch.
  bool HasKey(const json* s, const std::string& key, int depth = 0) const {
    if (!s || !s->is_object() || depth > 2) return false;
    if (auto p = s->find("properties"); p != s->end() && p->contains(key)) return true;
    for (const char* combinator : {"anyOf", "oneOf", "allOf"}) {
      auto c = s->find(combinator);
      if (c == s->end() || !c->is_array()) continue;
      for (const json& branch : *c) {
        if (HasKey(Deref(&branch), key, depth + 1)) return true;
      }
    }
    return false;
  }

  // Whether value `v` has the shape (a mapping with known keys, a list, a scalar) of a
  // (dereferenced) schema, in any of its branches: how a misplaced key's home is told apart
  // from a key of the same name elsewhere (a step's `retry:` mapping is not exitCodes' list).
  bool Fits(const YNode* v, const json* s, int depth = 0) const {
    if (!s || !s->is_object() || depth > 2) return false;
    for (const char* combinator : {"anyOf", "oneOf"}) {
      auto c = s->find(combinator);
      if (c == s->end() || !c->is_array()) continue;
      for (const json& branch : *c) {
        if (Fits(v, Deref(&branch), depth + 1)) return true;
      }
      return false;
    }
    auto type = s->find("type");
    if (type == s->end()) return true;
    std::vector<std::string> types;
    if (type->is_string()) types.push_back(type->get<std::string>());
    if (type->is_array()) {
      for (const json& t : *type) {
        if (t.is_string()) types.push_back(t.get<std::string>());
      }
    }
    for (const std::string& t : types) {
      if (t == "object" && v->IsMap()) {
        auto props = s->find("properties");
        auto add = s->find("additionalProperties");
        if (props == s->end() || add == s->end() || !add->is_boolean() || add->get<bool>()) {
          return true;
        }
        return std::all_of(v->entries.begin(), v->entries.end(),
                           [&](const YNode::Entry& e) { return props->contains(e.key); });
      }
      if (t == "array" && v->IsSeq()) return true;
      if (t != "object" && t != "array" && v->IsScalar()) return true;
    }
    return false;
  }

  // The keys written beside the block they belong in, by block: the block's "missing the
  // required key" error would repeat the unknown key's.
  using Moved = std::set<std::pair<const YNode*, std::string>>;

  // Where an unknown key of mapping `n` (schema `s`) belongs when it is misplaced by one level:
  // a key of one of the mapping's blocks (a task's `command` written beside `task:`), or of the
  // mapping that encloses it (`parent`, written at `parent_human`). "" when neither.
  std::string MisplacedKey(const std::string& key, const YNode* value, const YNode* n,
                           const json* s, const json* parent, const std::string& parent_human,
                           Moved& moved) const {
    std::vector<std::string> homes;  // the blocks of `s` that take `key`, written ones first
    if (auto props = s->find("properties"); props != s->end()) {
      for (auto& [k, v] : props->items()) {
        if (!HasKey(Deref(&v), key) || !Fits(value, Step(Deref(&v), key))) continue;
        if (n->Get(k)) {
          homes.insert(homes.begin(), k);
        } else {
          homes.push_back(k);
        }
      }
    }
    if (!homes.empty() && (homes.size() == 1 || n->Get(homes[0]))) {
      if (const YNode* block = n->Get(homes[0])) moved.emplace(block, key);
      return "it is a key of '" + homes[0] + ":'; write it under " + homes[0] + ":";
    }
    if (parent && HasKey(parent, key) && Fits(value, Step(parent, key))) {
      return "it is a key of " + (parent_human.empty() ? "the top level" : parent_human) +
             "; move it out one level";
    }
    return "";
  }

  void UnknownKeys(const YNode* n, const json* s, const std::string& human, DiagSink& sink,
                   std::unordered_set<const YNode*>& seen, Moved& moved,
                   const json* parent = nullptr, const std::string& parent_human = "") const {
    if (!seen.insert(n).second) return;
    if (!s) return;
    if (n->IsMap()) {
      auto props = s->find("properties");
      auto add = s->find("additionalProperties");
      bool closed = add != s->end() && add->is_boolean() && !add->get<bool>();
      std::vector<std::string> names;
      if (props != s->end())
        for (auto& [k, v] : props->items()) names.push_back(k);
      // valijson checks propertyNames without reporting which name failed: check them here.
      std::string name_pattern;
      if (auto pn = s->find("propertyNames"); pn != s->end())
        name_pattern = pn->value("pattern", "");
      for (const YNode::Entry& e : n->entries) {
        if (!name_pattern.empty() && !MatchesKeyPattern(e.key, name_pattern)) {
          std::string hint = Hint(s);
          sink.Error(e.key_loc, "invalid name " + Quote(e.key) + " in " + human + ": " + hint,
                     static_cast<uint32_t>(e.key.size()));
        }
        bool known = props != s->end() && props->contains(e.key);
        if (closed && !known) {
          std::string where = human.empty() ? "at the top level" : "in " + human;
          std::string msg = "unknown key " + Quote(e.key) + " " + where;
          std::string home = MisplacedKey(e.key, e.value, n, s, parent, parent_human, moved);
          std::string guess = home.empty() ? SpellCheck(e.key, names) : "";
          if (!home.empty()) {
            msg += "; " + home;
          } else if (!guess.empty()) {
            msg += "; did you mean '" + guess + "'?";
          } else if (!names.empty()) {
            msg += "; expected one of: ";
            for (size_t i = 0; i < names.size(); ++i) msg += (i ? ", " : "") + names[i];
          }
          sink.Error(e.key_loc, msg, static_cast<uint32_t>(e.key.size()));
          continue;
        }
        UnknownKeys(e.value, Step(s, e.key), human.empty() ? e.key : human + "." + e.key, sink,
                    seen, moved, s, human);
      }
    } else if (n->IsSeq()) {
      for (size_t i = 0; i < n->items.size(); ++i) {
        std::string index = std::to_string(i);
        // An item's enclosing mapping is the one holding the list.
        UnknownKeys(n->items[i], Step(s, index), human + "[" + index + "]", sink, seen, moved,
                    parent, parent_human);
      }
    }
  }

  // Turns one valijson error into a located diagnostic, or drops it when it only repeats
  // a more precise error reported for a child.
  void Report(const valijson::ValidationResults::Error& err, const YNode* root, DiagSink& sink,
              const Moved& moved) const {
    const std::string& d = err.description;
    if (d.starts_with("Failed to validate against schema associated with") ||
        d.starts_with("Failed to validate item #") ||
        d.starts_with("Failed to validate against additional properties") ||
        d.starts_with("Failed to validate against child schema") ||
        d.starts_with("Object contains a property that could not be validated")) {
      return;  // wrappers around a child's error, or unknown keys (reported with hints above)
    }
    std::vector<std::string> segs;
    for (size_t i = 1; i < err.context.size(); ++i) {
      const std::string& c = err.context[i];
      segs.push_back(c.size() >= 2 ? c.substr(1, c.size() - 2) : c);
    }
    std::string human;
    const YNode* n = NodeAt(root, segs, &human);
    std::string where = human.empty() ? "the spec" : human;
    const json* s = At(segs);
    uint32_t len = n->IsScalar() ? n->length : 1;

    if (d == "Value type not permitted by 'type' constraint.") {
      std::string want;
      if (s && s->contains("type")) {
        const json& t = (*s)["type"];
        if (t.is_string()) {
          want = TypeWord(t);
        } else {
          for (size_t i = 0; i < t.size(); ++i)
            want += (i ? (i + 1 == t.size() ? " or " : ", ") : "") + TypeWord(t[i]);
        }
      }
      std::string msg = where + " must be " + want + ", not " + Describe(n);
      if (n->IsScalar() && !n->quoted && IsYaml11Bool(n->value) && want == "true or false") {
        msg += "; YAML 1.2 reads '" + n->value + "' as a string: write true or false";
      } else if (n->IsScalar() && n->quoted && want == "true or false" &&
                 (n->value == "true" || n->value == "false")) {
        msg += "; remove the quotes";
      }
      sink.Error(n->loc, msg, len);
    } else if (d == "Failed to match against any enum values.") {
      std::vector<std::string> options;
      std::string list;
      if (s && s->contains("enum")) {
        for (const json& v : (*s)["enum"]) {
          options.push_back(v.is_string() ? v.get<std::string>() : v.dump());
          list += (list.empty() ? "" : ", ") + options.back();
        }
      }
      std::string msg = where + " is " + Describe(n) + "; allowed: " + list;
      if (n->IsScalar() && Resolve(*n) == ScalarType::kString) {
        std::string guess = SpellCheck(n->value, options);
        if (guess == n->value) guess.clear();
        if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
      }
      sink.Error(n->loc, msg, len);
    } else if (d == "Failed to match regex specified by 'pattern' constraint.") {
      std::string hint = Hint(s);
      sink.Error(n->loc, where + " is " + Describe(n) + (hint.empty() ? "" : "; expected " + hint),
                 len);
    } else if (d.starts_with("Missing required property '")) {
      std::string key = d.substr(27, d.size() - 29);
      if (moved.count({n, key})) return;  // written beside it: reported as a misplaced key
      sink.Error(n->loc, (human.empty() ? std::string("the spec") : human) +
                             " is missing the required key '" + key + "'");
    } else if (d.starts_with("String should be no fewer than")) {
      sink.Error(n->loc, where + " must not be empty", len);
    } else if (d.starts_with("String should be no more than")) {
      std::string max = s ? std::to_string(s->value("maxLength", 0)) : "?";
      sink.Error(n->loc, where + " is longer than " + max + " characters", len);
    } else if (d.starts_with("Array should contain no fewer than")) {
      std::string min = s ? std::to_string(s->value("minItems", 0)) : "?";
      sink.Error(n->loc, where + " needs at least " + min + " item" + (min == "1" ? "" : "s"));
    } else {
      sink.Error(n->loc, where + ": " + d, len);
    }
  }

  static bool MatchesKeyPattern(const std::string& key, const std::string& pattern) {
    // The schema's name patterns are all of the form ^[a-z][<class>]*$; check them directly
    // rather than compiling a regex for every key.
    if (key.empty() || !(key[0] >= 'a' && key[0] <= 'z')) return false;
    bool upper_ok = pattern.find("A-Z") != std::string::npos;
    bool dash_ok = pattern.find("-]") != std::string::npos;
    for (char c : key) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                (upper_ok && c >= 'A' && c <= 'Z') || (dash_ok && c == '-');
      if (!ok) return false;
    }
    return true;
  }
};

SchemaValidator::SchemaValidator() : impl_(std::make_unique<Impl>()) {
  // The CBOR form decodes to the tree json::parse(SchemaText()) gives (checked when it is
  // generated) in a fraction of the time; the text stays the fallback.
  try {
    impl_->schema_json = schema_blob::Decode(kSchemaBlob, kSchemaBlobSize);
  } catch (const std::exception&) {
    impl_->schema_json = json::parse(SchemaText());
  }
  DropEditorLimits(impl_->schema_json);
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter adapter(impl_->schema_json);
  parser.populateSchema(adapter, impl_->schema);
}

SchemaValidator::~SchemaValidator() = default;

const SchemaValidator& SchemaValidator::Shared() {
  static const SchemaValidator* const shared = new SchemaValidator();
  return *shared;
}

bool SchemaValidator::Validate(const YamlDoc& doc, DiagSink& sink) const {
  if (!doc.root) return false;
  size_t before = sink.error_count();
  json instance = ToJson(doc.root);
  std::unordered_set<const YNode*> seen;
  Impl::Moved moved;
  impl_->UnknownKeys(doc.root, impl_->Deref(&impl_->schema_json), "", sink, seen, moved);

  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(instance);
  bool valid = validator.validate(impl_->schema, target, &results);
  // A value of the wrong type also fails its enum or pattern: say only what is wrong first.
  std::vector<valijson::ValidationResults::Error> errors;
  std::set<std::vector<std::string>> wrong_type;
  valijson::ValidationResults::Error err;
  while (results.popError(err)) {
    if (err.description == "Value type not permitted by 'type' constraint.") {
      wrong_type.insert(err.context);
    }
    errors.push_back(std::move(err));
  }
  for (const auto& e : errors) {
    if (wrong_type.count(e.context) &&
        e.description != "Value type not permitted by 'type' constraint.") {
      continue;
    }
    impl_->Report(e, doc.root, sink, moved);
  }
  if (!valid && sink.error_count() == before) {
    // Every error was a wrapper of another; never let an invalid document through silently.
    sink.Error(doc.root->loc, "the spec does not match the spec schema (orchc schema)");
  }
  return valid && sink.error_count() == before;
}

}  // namespace orchc
