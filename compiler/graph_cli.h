// The `orchc graph` subcommand: its options, and running it through the compiler's pipeline.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

namespace CLI {
class App;
}

namespace orchc {

struct GraphCommandOptions {
  std::string spec;
  std::string workflow;          // empty: every workflow of the spec
  std::string format = "dot";    // dot | mermaid
  uint64_t max_input_bytes = 0;  // 0: the loader's default
};

// Registers `graph SPEC [--workflow NAME] [--format dot|mermaid] [--max-input-bytes N]` on
// `app`, filling `options`.
CLI::App* AddGraphCommand(CLI::App& app, GraphCommandOptions* options);

// Compiles the spec (load, schema, desugar, check, lower, emit: the same pipeline as compile)
// and prints its workflows' state machines, drawn from the emitted ASL files. Diagnostics go to
// `err` as for validate. Returns an ExitCode (cli.h): 1 when the spec has errors, 2 for an
// unreadable spec or an unknown --workflow.
int RunGraphCommand(const GraphCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace orchc
