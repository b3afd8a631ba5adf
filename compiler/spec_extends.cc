#include "spec_extends.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace orchc {

namespace fs = std::filesystem;

namespace {

class DiskFiles : public SpecFiles {
 public:
  std::string RealPath(const std::string& path) const override {
    std::error_code ec;
    fs::path abs = fs::absolute(path, ec);
    if (ec) return fs::path(path).lexically_normal().string();
    fs::path real = fs::weakly_canonical(abs, ec);
    return ec ? abs.lexically_normal().string() : real.string();
  }
  bool Read(const std::string& real, std::string* text, std::string* error) const override {
    std::error_code ec;
    if (fs::exists(real, ec) && !fs::is_regular_file(real, ec)) {
      *error = "not a regular file";
      return false;
    }
    std::ifstream in(real, std::ios::binary);
    if (!in) {
      *error = std::strerror(errno);
      return false;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) {
      *error = "read error";
      return false;
    }
    *text = ss.str();
    return true;
  }
};

// True when `n` is an explicit null: `key: null`, `key: ~` or `key:` with nothing after it.
bool IsNullValue(const YNode* n) {
  return n->IsNull() || (n->IsScalar() && Resolve(*n) == ScalarType::kNull);
}

// True when `real` is `dir` or inside it (both RealPath results).
bool IsUnder(const std::string& real, const std::string& dir) {
  fs::path rel = fs::path(real).lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

// The directory of a spec's path as given ("" for a bare file name).
fs::path DirOf(const std::string& path) { return fs::path(path).parent_path(); }

}  // namespace

const SpecFiles& DiskSpecFiles() {
  static const DiskFiles kDisk;
  return kDisk;
}

std::string MemorySpecFiles::RealPath(const std::string& path) const {
  std::string p = (fs::path("/cwd") / path).lexically_normal().string();
  for (int hops = 0; hops < 40; ++hops) {  // follows links in any leading part of the path
    bool followed = false;
    for (const auto& [link, target] : links) {
      if (p == link || p.starts_with(link + "/")) {
        p = (fs::path(target) / fs::path(p.substr(link.size())).relative_path())
                .lexically_normal()
                .string();
        followed = true;
        break;
      }
    }
    if (!followed) break;
  }
  if (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

bool MemorySpecFiles::Read(const std::string& real, std::string* text, std::string* error) const {
  auto it = files.find(real);
  if (it == files.end()) {
    *error = std::strerror(ENOENT);
    return false;
  }
  *text = it->second;
  return true;
}

// Recursive: the depth is that of the shallower of the two documents, bounded by
// the loader's max_depth (64 levels of maps and lists, aliases included: yaml_tree.h).
const YNode* MergeYaml(const YNode* base, const YNode* over, bool top, std::deque<YNode>& arena) {
  if (!base->IsMap() || !over->IsMap()) return over;
  std::unordered_map<std::string_view, const YNode::Entry*> over_keys;
  for (const YNode::Entry& e : over->entries) over_keys.emplace(e.key, &e);
  YNode& merged = arena.emplace_back();
  merged.kind = YNode::Kind::kMap;
  merged.loc = over->loc;
  merged.entries.reserve(base->entries.size() + over->entries.size());
  for (const YNode::Entry& b : base->entries) {
    if (top && b.key == "extends") continue;
    auto it = over_keys.find(b.key);
    if (it == over_keys.end()) {
      merged.entries.push_back(b);
      continue;
    }
    const YNode::Entry& o = *it->second;
    if (IsNullValue(o.value)) continue;  // an explicit null removes the base's key
    merged.entries.push_back({o.key, o.key_loc, MergeYaml(b.value, o.value, /*top=*/false, arena)});
  }
  std::unordered_set<std::string_view> base_keys;
  for (const YNode::Entry& b : base->entries) base_keys.insert(b.key);
  for (const YNode::Entry& o : over->entries) {
    if (top && o.key == "extends") continue;
    if (!base_keys.contains(o.key)) merged.entries.push_back(o);
  }
  for (const YNode::Entry& e : merged.entries) merged.weight += e.value->weight;
  return &merged;
}

void ApplyExtends(YamlDoc& doc, const ExtendsOptions& options, const LoadLimits& limits,
                  DiagSink& sink, std::vector<YamlDoc>* bases) {
  if (!doc.root || !doc.root->IsMap() || !doc.root->Find("extends")) return;
  const SpecFiles& files = options.files ? *options.files : DiskSpecFiles();
  const std::string& spec_path = doc.source->path;
  const std::string tree =
      files.RealPath(DirOf(spec_path).empty() ? "." : DirOf(spec_path).string());

  // The chain: the spec, then each base it extends, directly or not.
  struct Link {
    const YNode* root;
    const std::string* path;  // as shown in diagnostics
    std::string real;
  };
  std::vector<Link> chain = {{doc.root, &spec_path, files.RealPath(spec_path)}};
  bases->reserve(bases->size() + options.max_depth);
  for (;;) {
    const YNode::Entry* e =
        chain.back().root->IsMap() ? chain.back().root->Find("extends") : nullptr;
    if (!e) break;
    const YNode* v = e->value;
    auto fail = [&](std::string message) {
      sink.Error(v->loc, std::move(message), v->IsScalar() ? v->length : 1);
      doc.root = nullptr;
    };
    if (!v->IsScalar() || Resolve(*v) != ScalarType::kString || v->value.empty()) {
      return fail("'extends' takes the path of a base spec file, relative to this file (a string)");
    }
    if (chain.size() > options.max_depth) {
      return fail("the extends chain is longer than " + std::to_string(options.max_depth) +
                  " base files; merge some of the bases");
    }
    const std::string shown = (DirOf(*chain.back().path) / v->value).lexically_normal().string();
    const std::string real = files.RealPath(shown);
    for (const Link& l : chain) {
      if (l.real != real) continue;
      std::string cycle;
      for (const Link& m : chain) cycle += "'" + *m.path + "' extends ";
      return fail("extends cycle: " + cycle + "'" + shown + "'");
    }
    if (!options.allow_outside && !IsUnder(real, tree)) {
      return fail("the base spec '" + shown + "' is outside the directory tree of '" + spec_path +
                  "' (symbolic links are followed); orchc reads no file outside it unless "
                  "given --allow-extends-outside");
    }
    std::string text, error;
    if (!files.Read(real, &text, &error)) {
      return fail("cannot read the base spec '" + shown + "': " + error);
    }
    YamlDoc& base = bases->emplace_back(LoadYaml(shown, std::move(text), sink, limits));
    sink.SetIncludedFrom(&base.source->path, v->loc, v->length);
    if (!base.root) {  // its YAML errors are reported
      doc.root = nullptr;
      return;
    }
    if (!base.root->IsMap()) {
      sink.Error(base.root->loc, "a base spec is a mapping of top-level keys, like a spec");
      doc.root = nullptr;
      return;
    }
    chain.push_back({base.root, &base.source->path, real});
  }
  // Merged from the deepest base up: each file overrides everything below it.
  const YNode* merged = chain.back().root;
  for (size_t i = chain.size() - 1; i-- > 0;)
    merged = MergeYaml(merged, chain[i].root, /*top=*/true, doc.nodes);
  doc.root = merged;
}

}  // namespace orchc
