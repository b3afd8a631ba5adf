// `orchc graph`: compiles one spec like `orchc compile` and draws the ASL files it emits.
#include "graph_cli.h"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cli.h"
#include "compile.h"
#include "diag.h"
#include "graph.h"
#include "output.h"

namespace orchc {

namespace {

// The workflow definitions of a compiled spec, in the spec's order.
std::vector<AslWorkflow> AslFiles(const CompiledSpec& spec) {
  std::vector<AslWorkflow> out;
  for (const OutputFile& f : spec.files) {
    if (f.kind == OutputKind::kWorkflowDefinition) out.push_back({f.workflow, f.content});
  }
  return out;
}

}  // namespace

CLI::App* AddGraphCommand(CLI::App& app, GraphCommandOptions* options) {
  CLI::App* graph = app.add_subcommand(
      "graph", "Print each workflow's state machine as a Graphviz DOT or Mermaid graph");
  graph->add_option("spec", options->spec, "Spec file (YAML)")->required();
  graph->add_option("--workflow", options->workflow, "Only this workflow (default: every one)");
  graph->add_option("--format", options->format, "dot (Graphviz, the default) or mermaid")
      ->check(CLI::IsMember({"dot", "mermaid"}));
  graph->add_option("--max-input-bytes", options->max_input_bytes,
                    "Largest spec file accepted (default 8 MiB)");
  return graph;
}

int RunGraphCommand(const GraphCommandOptions& options, std::ostream& out, std::ostream& err) {
  std::string text;
  CompileOptions co;
  if (!LoadSubcommandSpec(options.spec, options.max_input_bytes, &text, &co, err)) {
    return kExitUsage;
  }
  Compiler compiler(co);
  DiagSink sink;
  CompiledSpec compiled;
  bool ok = compiler.Compile(options.spec, std::move(text), sink, &compiled);
  err << sink.Render();
  if (!ok || sink.has_errors()) {
    err << sink.error_count() << (sink.error_count() == 1 ? " error" : " errors")
        << " generated.\n";
    return kExitSpecError;
  }
  std::vector<AslWorkflow> workflows = AslFiles(compiled);
  if (!options.workflow.empty()) {
    std::vector<std::string> names;
    for (const AslWorkflow& w : workflows) names.push_back(w.name);
    std::erase_if(workflows, [&](const AslWorkflow& w) { return w.name != options.workflow; });
    if (workflows.empty()) {
      std::string list, guess = SpellCheck(options.workflow, names);
      for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
      err << "orchc: error: " << options.spec << " has no workflow '" << options.workflow << "'"
          << (guess.empty() ? "" : "; did you mean '" + guess + "'?") << " (its workflows: " << list
          << ")\n";
      return kExitUsage;
    }
  }
  std::string graph, error;
  GraphFormat format = options.format == "mermaid" ? GraphFormat::kMermaid : GraphFormat::kDot;
  if (!RenderGraph(compiled.stack_name, workflows, format, &graph, &error)) {
    err << "orchc: error: " << error << "\n";  // an ASL file orchc wrote: a compiler bug
    return kExitUsage;
  }
  out << graph;
  return kExitOk;
}

}  // namespace orchc
