// `extends:`: a spec built on a shared base file (docs/spec.md, "Sharing settings: extends").
// The YAML trees of the chain of files are merged before schema validation, so every later stage
// sees one tree, and every node keeps the location of the file it came from.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "diag.h"
#include "yaml_tree.h"

namespace orchc {

// How `extends:` reaches files: orchc reads the disk (DiskSpecFiles), tests give strings
// (MemorySpecFiles).
class SpecFiles {
 public:
  virtual ~SpecFiles() = default;
  // `path` made absolute with symbolic links, "." and ".." resolved as far as the path exists.
  virtual std::string RealPath(const std::string& path) const = 0;
  // The whole content of the file at `real` (a RealPath result); false with a reason.
  virtual bool Read(const std::string& real, std::string* text, std::string* error) const = 0;
};

// The file system, through std::filesystem::weakly_canonical and std::ifstream.
const SpecFiles& DiskSpecFiles();

// Files held in memory. Relative paths are relative to "/cwd"; `links` maps the absolute path of
// a symbolic link to its absolute target.
class MemorySpecFiles : public SpecFiles {
 public:
  std::map<std::string, std::string> files;  // absolute path -> content
  std::map<std::string, std::string> links;  // absolute path -> absolute target
  std::string RealPath(const std::string& path) const override;
  bool Read(const std::string& real, std::string* text, std::string* error) const override;
};

struct ExtendsOptions {
  const SpecFiles* files = nullptr;  // nullptr: the disk
  uint32_t max_depth = 8;            // base files in one chain
  bool allow_outside = false;        // --allow-extends-outside: bases outside the spec's tree
};

// When the root of `doc` has `extends:`, reads the chain of base files, merges them into one tree
// (new nodes go to doc.nodes) and makes it doc.root. The loaded bases go to `bases`: the merged
// tree points into their nodes and diagnostics into their SourceFiles, so they must live as long
// as doc. Each base is registered with `sink`, with the `extends:` value that named it as the
// place it was included from. On an error (reported, located) doc.root becomes nullptr.
void ApplyExtends(YamlDoc& doc, const ExtendsOptions& options, const LoadLimits& limits,
                  DiagSink& sink, std::vector<YamlDoc>* bases);

// The merge rule: two mappings merge key by key, recursively (the base's keys in its order, then
// the extending file's new keys in theirs); a null in `over` removes the key from the base; any
// other value in `over` (scalar, sequence, or a mapping over a non-mapping) replaces the base's.
// `top`: the root of a spec, whose `extends` key is dropped. New nodes go to `arena`.
const YNode* MergeYaml(const YNode* base, const YNode* over, bool top, std::deque<YNode>& arena);

}  // namespace orchc
