// The JSONPath grammar Step Functions accepts, in the three forms orchc writes paths
// (docs/spec.md, "Paths"): one validator for every field that takes a path.
#pragma once

#include <string>
#include <string_view>

namespace orchc {

enum class PathKind {
  // A Reference Path: one node, reached by `.name`, `['name']` and `[N]` only (ResultPath,
  // ItemsPath, a Wait state's SecondsPath/TimestampPath).
  kReference,
  // A Path: a Reference Path plus `.*`, `[*]`, `..name`, index lists and slices `[0,1]`
  // `[1:3]`, and filters `[?(...)]` (a Choice rule's Variable).
  kPath,
  // A path written as an argument of an intrinsic function (a `{path: ...}` command argument,
  // pasted into States.Array(...)): a Reference Path whose names are letters, digits, '_' and
  // '-', so that nothing in it can end the argument or add another.
  kIntrinsicArgument,
};

// Whether the path may start with "$$" (the Context Object).
enum class ContextObject { kRefused, kAllowed };

// "" when `path` is a valid path of `kind`; otherwise why not, naming the character position
// (1-based).
std::string JsonPathError(std::string_view path, PathKind kind, ContextObject context);

}  // namespace orchc
