// `orchc compile` and `orchc validate`: their options, and the run over the specs they name
// (docs/cli.md). Validate runs every check compile runs, emission and AWS's limits included, and
// stops there; compile then writes the outputs of all the specs, all or nothing.
#pragma once

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "yaml_tree.h"

namespace CLI {
class App;
}

namespace orchc {

class Disk;

struct SpecCommandOptions {
  std::vector<std::string> specs;
  std::string out_dir;
  bool to_stdout = false;
  bool definition_string = false;
  uint64_t max_input_bytes = LoadLimits{}.max_bytes;
  bool compact = false;
  bool prune = false;
  std::string stdin_filename = "<stdin>";  // what diagnostics call a spec read from "-"
  std::string adopt;                       // compile --adopt: the deployed stack's template
  bool allow_replacement = false;
  bool allow_extends_outside = false;
  // Diagnostics (docs/cli.md, "Diagnostics"): always on standard error, whatever the format.
  std::string format = "text";  // text | json | sarif
  std::string color = "auto";   // auto | always | never
  bool werror = false;
  std::vector<std::string> no_warn;  // warning class names
  bool color_terminal = false;       // standard error is a terminal (set by RunCli)
};

// Where a run reads and writes: the process's standard streams and file system, or fakes.
struct CliIo {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  Disk& disk;
};

// Add the `compile` and the `validate` subcommand to `app`, filling `opt` when one is parsed.
CLI::App* AddCompileCommand(CLI::App& app, SpecCommandOptions* opt);
CLI::App* AddValidateCommand(CLI::App& app, SpecCommandOptions* opt);

// Run them; return the process exit code (cli.h). Specs named "-" are read from io.in.
int RunCompileCommand(const SpecCommandOptions& opt, CliIo& io);
int RunValidateCommand(const SpecCommandOptions& opt, CliIo& io);

}  // namespace orchc
