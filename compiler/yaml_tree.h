// The loader: YAML text -> a tree of located nodes. The first stage of the pipeline.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "diag.h"

namespace orchc {

// One node of a loaded YAML document. Nodes are owned by their YamlDoc; an alias points at the
// anchored node itself, so a node may have several parents (the tree is a DAG).
struct YNode {
  enum class Kind { kNull, kScalar, kMap, kSeq };
  struct Entry {
    std::string key;
    SourceLoc key_loc;
    const YNode* value;
  };

  Kind kind = Kind::kNull;
  SourceLoc loc;
  std::string value;           // the scalar's text, for kScalar
  bool quoted = false;         // a quoted or block scalar, or one tagged !!str: always a string
  uint32_t length = 1;         // bytes the scalar spans in the source (for carets)
  std::vector<Entry> entries;  // kMap, in source order; keys are unique
  std::vector<const YNode*> items;  // kSeq
  uint64_t weight = 1;              // nodes in the fully expanded subtree (aliases counted in full)

  bool IsMap() const { return kind == Kind::kMap; }
  bool IsSeq() const { return kind == Kind::kSeq; }
  bool IsScalar() const { return kind == Kind::kScalar; }
  bool IsNull() const { return kind == Kind::kNull; }
  // The value of key `key` in a map, or nullptr.
  const YNode* Get(std::string_view key) const;
  const Entry* Find(std::string_view key) const;
};

// What a plain scalar means under the YAML 1.2 core schema; quoted scalars are always strings.
enum class ScalarType { kNull, kBool, kInt, kFloat, kString };
ScalarType Resolve(const YNode& n);
bool AsBool(const YNode& n, bool* out);      // true when n resolves to a bool
bool AsInt(const YNode& n, int64_t* out);    // true when n resolves to an int in range
bool AsNumber(const YNode& n, double* out);  // int or float
// YAML 1.1 spellings of booleans (yes/no/on/off/y/n, any case) that YAML 1.2 reads as strings.
bool IsYaml11Bool(std::string_view s);

struct LoadLimits {
  uint64_t max_bytes = 8u << 20;      // input size
  uint32_t max_depth = 64;            // nesting of maps and sequences
  uint64_t max_nodes = 200000;        // nodes after expanding aliases
  uint32_t max_aliases = 1000;        // alias uses
  uint64_t max_scalar_bytes = 65536;  // one key or value (every AWS field is far shorter)
};

// A loaded document. Owns its nodes and the SourceFile that locations point into.
struct YamlDoc {
  std::unique_ptr<SourceFile> source;
  std::deque<YNode> nodes;
  const YNode* root = nullptr;
};

// Loads one YAML document. On any problem reports located errors to `sink` and returns a doc
// whose root is nullptr. Rejects: invalid UTF-8, NUL bytes, tabs in indentation, more than one
// document, duplicate keys, non-scalar keys, tags other than !!str, and alias use beyond `limits`.
YamlDoc LoadYaml(std::string path, std::string text, DiagSink& sink, const LoadLimits& limits = {});

}  // namespace orchc
