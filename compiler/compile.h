// The pipeline, top to bottom: load -> schema -> desugar -> check -> lower -> back ends.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "backend.h"
#include "diag.h"
#include "spec_extends.h"
#include "yaml_tree.h"

namespace orchc {

struct Spec;
class CrossSpecNames;

struct CompileOptions {
  EmitOptions emit;
  LoadLimits limits;
  ExtendsOptions extends;  // how `extends:` reads base files
  // The process ends right after compiling (the orchc command): each spec's trees (YAML, spec,
  // IR) are left to the operating system instead of being freed node by node, which took a
  // tenth of a large compile. Library users, tests and long-lived processes keep the default.
  bool leave_trees_to_exit = false;
  // Runs on each spec's lowered stack before the back ends, given the spec's path (the CLI's
  // `compile --adopt` and adoption sidecars, adopt.h); false stops that spec's compile.
  std::function<bool(const std::string& spec_path, StackIR& stack, DiagSink& sink)> after_lower;
  // Runs on each spec once its outputs are emitted and checked against AWS's limits (also when
  // they are over one), while its trees are alive (`orchc explain`, explain.h).
  std::function<void(const Spec& spec, const StackIR& stack, const std::vector<OutputFile>& files)>
      after_emit;
  // When set, each spec's stack name and physical names must differ from those of the specs
  // compiled before it with the same registry (the CLI's several specs of one command).
  CrossSpecNames* cross_spec = nullptr;
};

struct CompiledSpec {
  std::string stack_name;
  std::vector<OutputFile> files;  // the template first, then one ASL file per workflow
};

class SchemaValidator;

// Compiles specs. Holds what is worth building once per process (the parsed schema, the back
// ends), so validating many files in one process pays for it once.
class Compiler {
 public:
  explicit Compiler(CompileOptions options = {});
  ~Compiler();

  // Runs the whole pipeline on one spec's text. Diagnostics go to `sink` (which must outlive
  // the call's SourceFile: Compile keeps the loaded files alive for rendering). Returns false,
  // and fills nothing, when any error was reported.
  bool Compile(const std::string& path, std::string text, DiagSink& sink, CompiledSpec* out);

  // Drops the spec texts kept for rendering. Call it once the diagnostics that point into them
  // are rendered; a long-lived process (a fuzzer, an editor server) then stays flat in memory.
  void ForgetSources() { sources_.clear(); }

  // Only the front end and the checks: what `orchc validate` runs.
  bool Validate(const std::string& path, std::string text, DiagSink& sink) {
    return Compile(path, std::move(text), sink, nullptr);
  }

 private:
  struct Trees;  // what one spec's compilation builds
  bool Run(Trees& t, DiagSink& sink, CompiledSpec* out);

  CompileOptions options_;
  const SchemaValidator* schema_;  // SchemaValidator::Shared(): parsed once per process
  std::vector<std::unique_ptr<Backend>> backends_;
  std::vector<std::unique_ptr<SourceFile>> sources_;  // kept for DiagSink::Render
};

// The first steps of a subcommand that compiles one spec file and exits next (graph, explain):
// reads the file (an unreadable file or a directory is reported to `err` as "orchc: error: ...")
// and sets the compile options such a subcommand uses. Returns false when the file cannot be read.
bool LoadSubcommandSpec(const std::string& path, uint64_t max_input_bytes, std::string* text,
                        CompileOptions* co, std::ostream& err);

}  // namespace orchc
