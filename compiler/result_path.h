// Where a state puts its result (ASL ResultPath): one type for a step's and a catch rule's
// `resultPath:` in the spec and for a state's and a catcher's ResultPath in the IR, so "not
// written", "null" and "a path" read the same in both (docs/architecture.md, "Absent values").
#pragma once

#include <string>
#include <utility>

namespace orchc {

enum class ResultPathMode {
  kDefault,  // not set: ASL's default, "$" (the result replaces the input); nothing is emitted
  kDiscard,  // null: the result is discarded and the input passes on
  kPath,     // the result is written at `path`
};

struct ResultPath {
  ResultPathMode mode = ResultPathMode::kDefault;
  std::string path;  // kPath only; empty otherwise

  static ResultPath At(std::string path) { return {ResultPathMode::kPath, std::move(path)}; }
  static ResultPath Discard() { return {ResultPathMode::kDiscard, {}}; }
  bool IsPath() const { return mode == ResultPathMode::kPath; }
};

}  // namespace orchc
