// The parts of adoption (adopt.h) its files share: the resource types' rules and the matching
// (adopt_match.cc), references (adopt_refs.cc), locating and parsing JSON text (adopt_json.cc),
// and the checks, report and sidecar common to both entry points (adopt_report.cc).
#pragma once

#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adopt.h"
#include "diag.h"
#include "ir.h"

namespace orchc::adopt_detail {

// ------------------------------------------------------------------ types (adopt_match.cc)

// One resource type CloudFormation may have deployed: the property holding its physical name
// ("" when it has none) and its create-only properties, the ones whose "Update requires" is
// "Replacement" on the type's page of the AWS resource reference
// (docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-<service>-<type>.html)
// and which its resource schema lists as `createOnlyProperties` (the schemas cfn-lint ships).
struct TypeRule {
  const char* type;
  const char* name_property;
  std::vector<const char*> create_only;
};

// The rule of `type`; nullptr for a type adoption knows nothing about.
const TypeRule* RuleFor(const std::string& type);

// The documented default orchc writes explicitly for a create-only property; nullptr when none.
const Json* DefaultFor(const std::string& type, const std::string& property);

// ------------------------------------------------------------------ references (adopt_refs.cc)

// (property path, logical ID) pairs: array indices are left out of the path, so "Targets/Arn"
// is the same role in both templates however the targets are ordered.
using Refs = std::vector<std::pair<std::string, std::string>>;

// Every logical ID the properties refer to (Ref, Fn::GetAtt, Fn::Sub).
Refs RefsOf(const Json& properties);
// The same for a resource, its state machine's DefinitionSubstitutions included.
Refs RefsOf(const Resource& r);

// ------------------------------------------------------------------ matching (adopt_match.cc)

// A deployed resource, as its template (or the sidecar) describes it.
struct Deployed {
  std::string id;
  std::string type;
  Json properties = Json::object();
  std::optional<std::string> deletion_policy;  // nullopt: CloudFormation's default
  std::optional<std::string> update_replace_policy;
  bool has_metadata = false;
  Refs refs;
};

// Equal as JSON values: object members in any order (templates differ in key order).
bool Same(const Json& a, const Json& b);

// A string's value, anything else as JSON text.
std::string Text(const Json& j);

// `items` joined with `sep`.
std::string Join(const std::vector<std::string>& items, const char* sep = ", ");

// The pairing of deployed and new resources: new index -> deployed index, with the reason.
struct Matching {
  std::vector<int> old_of;          // per new resource: index into deployed, -1 when new
  std::vector<int> new_of;          // per deployed resource: index into stack.resources, -1
  std::vector<std::string> reason;  // per new resource
};

// Pairs by logical ID and type, then by physical name, then by role in the design.
Matching Match(const std::vector<Deployed>& old, const StackIR& stack);

// A create-only property of the matched new resource `n` whose value changes.
struct Replacement {
  size_t n;
  std::string property;
  std::string old_value;  // "(unset)" when absent
  std::string new_value;
};

// Applies the documented defaults rule (see DefaultFor: such a property is erased from `r` and
// listed in `kept_unset`) and lists the create-only properties whose value changes.
std::vector<Replacement> CreateOnlyChanges(const Deployed& old, size_t n, Resource& r,
                                           std::vector<std::string>* kept_unset);

// The property names whose values differ (the definition is listed as not compared).
std::vector<std::string> ChangedProperties(const Deployed& old, const Resource& r);

// ------------------------------------------------------------------ JSON text (adopt_json.cc)

// The 1-based line and column of `offset` in `f`.
SourceLoc LocAt(const SourceFile& f, size_t offset);

// The offset of the key `"key"` (followed by ':') at or after `from`; npos when absent. Keys in
// templates are plain names, so their JSON text is the name in quotes.
size_t FindKey(const std::string& text, const std::string& key, size_t from);

// Where a deployed resource (or one of its properties) is written, for diagnostics.
SourceLoc ResourceLoc(const SourceFile& f, const std::string& id, const std::string& property);

// Deployed templates nest a few levels (a property's Fn::Join of Fn::Sub of Ref...). The walks
// over the parsed value (RefsOf, RenameLogicalIds, nlohmann's dump and comparison) are recursive,
// so the nesting is bounded before parsing: a deeper document is refused at its first deeper
// bracket.
constexpr int kMaxJsonDepth = 128;

// The offset of the first '[' or '{' that nests deeper than kMaxJsonDepth, or npos.
size_t TooDeep(std::string_view text);

// Parses `f`; a located error into `sink` when it is too deep or not JSON.
bool ParseJson(const SourceFile& f, DiagSink& sink, Json* out);

// The string member `key` of `j`, "" when absent or not a string.
std::string StringOr(const Json& j, const char* key);

// The file name of `path`, without its directory.
std::string BaseName(const std::string& path);

// ------------------------------------------------------------------ the common part
// (adopt_report.cc)

// Locates a diagnostic about deployed resource `id` (and one of its properties, "" for none).
using Where = std::function<SourceLoc(const std::string& id, const std::string& property)>;

// The part common to both entry points: renames, clash and replacement checks, the report
// (appended to `report`, then copied to result->report) and the sidecar.
bool Adopt(const std::vector<Deployed>& old, const std::string& source_name, bool allow_replacement,
           StackIR& stack, DiagSink& sink, const Where& where, std::ostringstream& report,
           AdoptResult* result);

}  // namespace orchc::adopt_detail
