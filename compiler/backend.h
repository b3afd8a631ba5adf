// Back ends: each turns the IR into output files. A back end never sees YAML or the Spec; the
// table of back ends (BackendTable, backends.cc) drives both the pipeline (compile.cc) and what
// `orchc compile --help` says it writes (cli.cc).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ir.h"

namespace orchc {

struct EmitOptions {
  // Minified JSON (no whitespace between tokens) instead of 2-space indented, for the template
  // and the ASL files alike; the same JSON documents either way.
  bool compact = false;
  // Embed definitions as DefinitionString (an Fn::Join) instead of Definition +
  // DefinitionSubstitutions, for tools that read only DefinitionString.
  bool definition_string = false;
};

// What an output file is, set by the back end that writes it; the passes after the back ends
// (size limits, graph, explain) read the kind, never the file name.
enum class OutputKind {
  kTemplate,            // the stack's CloudFormation template: <stack>.template.json
  kWorkflowDefinition,  // a workflow's ASL definition: <stack>.<workflow>.asl.json
};

struct OutputFile {
  std::string name;     // file name inside the output directory
  std::string content;  // complete file content, ending in a newline
  OutputKind kind = OutputKind::kTemplate;
  std::string workflow = {};  // kWorkflowDefinition: the workflow's name; "" otherwise
};

// The ending of a workflow definition's file name (`<stack>.<workflow>.asl.json`), for the files
// of an output directory (`compile --prune`), which have no kind.
inline constexpr char kDefinitionFileSuffix[] = ".asl.json";

class Backend {
 public:
  virtual ~Backend() = default;
  virtual void Emit(const StackIR& stack, const EmitOptions& options,
                    std::vector<OutputFile>& out) const = 0;
};

std::unique_ptr<Backend> MakeCloudFormationBackend();  // OutputKind::kTemplate
std::unique_ptr<Backend> MakeAslBackend();             // OutputKind::kWorkflowDefinition

// One row of the table of back ends.
struct BackendRow {
  const char* name;                    // "cloudformation", "asl"
  const char* writes;                  // what it writes, for --help: "a template", "ASL files"
  std::unique_ptr<Backend> (*make)();  // its factory
};

// Every back end, in the order their files are emitted: the template first (`compile --stdout`
// prints the first file).
const std::vector<BackendRow>& BackendTable();

// What the back ends write, joined for the CLI's help: "a template and ASL files".
std::string BackendOutputs();

class JsonWriter;

// The ASL definition of a workflow, with ${Placeholder}s for CloudFormation values: written
// into `w` (pretty, nested where the writer is), or as compact text (DefinitionString, and the
// size Step Functions limits).
void WriteAslDefinition(const WorkflowIR& wf, JsonWriter& w);
std::string CompactAslDefinition(const WorkflowIR& wf);
void WriteStrings(const std::vector<std::string>& items, JsonWriter& w);  // a JSON array

// Serialises JSON for output files: 2-space indent, UTF-8 kept, newline at the end.
std::string Pretty(const Json& j);

}  // namespace orchc
