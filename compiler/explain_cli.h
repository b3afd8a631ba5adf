// The `orchc explain` subcommand: its options, and running it through the compiler's pipeline.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

namespace CLI {
class App;
}

namespace orchc {

struct ExplainCommandOptions {
  std::string spec;
  std::string format = "text";   // text | json
  uint64_t max_input_bytes = 0;  // 0: the loader's default
};

// Registers `explain SPEC [--format text|json] [--max-input-bytes N]` on `app`.
CLI::App* AddExplainCommand(CLI::App& app, ExplainCommandOptions* options);

// Compiles the spec (the same pipeline as compile) and prints why each IAM statement of its
// template is there and its limits budget (explain.h). Diagnostics go to `err` as for validate.
// Returns an ExitCode (cli.h): 1 when the spec has errors (a spec over an AWS limit still
// prints its explanation), 2 for an unreadable spec.
int RunExplainCommand(const ExplainCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace orchc
