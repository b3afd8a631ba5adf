// `orchc explain`: compiles one spec like `orchc compile` and explains what it would deploy.
#include "explain_cli.h"

#include <CLI/CLI.hpp>

#include "cli.h"
#include "compile.h"
#include "diag.h"
#include "explain.h"
#include "output.h"

namespace orchc {

CLI::App* AddExplainCommand(CLI::App& app, ExplainCommandOptions* options) {
  CLI::App* explain = app.add_subcommand(
      "explain",
      "Print why each IAM permission of the template is there, and its AWS limits budget");
  explain->add_option("spec", options->spec, "Spec file (YAML)")->required();
  explain->add_option("--format", options->format, "text (the default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  explain->add_option("--max-input-bytes", options->max_input_bytes,
                      "Largest spec file accepted (default 8 MiB)");
  return explain;
}

int RunExplainCommand(const ExplainCommandOptions& options, std::ostream& out, std::ostream& err) {
  std::string text;
  CompileOptions co;
  if (!LoadSubcommandSpec(options.spec, options.max_input_bytes, &text, &co, err)) {
    return kExitUsage;
  }
  Json explanation;
  co.after_emit = [&](const Spec&, const StackIR& stack, const std::vector<OutputFile>& files) {
    explanation = ExplainJson(stack, files);
  };
  Compiler compiler(co);
  DiagSink sink;
  const bool ok = compiler.Compile(options.spec, std::move(text), sink, nullptr);
  err << sink.Render();
  // A spec whose only errors are AWS limits was emitted: its budget shows by how much.
  if (!explanation.is_null()) {
    if (options.format == "json") {
      out << explanation.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
    } else {
      out << ExplainText(explanation);
    }
  }
  if (!ok || sink.has_errors()) {
    err << sink.error_count() << (sink.error_count() == 1 ? " error" : " errors")
        << " generated.\n";
    return kExitSpecError;
  }
  return kExitOk;
}

}  // namespace orchc
