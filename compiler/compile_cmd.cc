// `orchc compile` and `orchc validate` (compile_cmd.h): the subcommands' options, and SpecRun,
// which compiles every spec, renders the diagnostics and writes the outputs.
#include "compile_cmd.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "adopt.h"
#include "backend.h"
#include "cli.h"
#include "compile.h"
#include "cross_spec.h"
#include "output.h"
#include "version.h"

namespace orchc {

namespace {

constexpr const char* kSpecsHelp = "Spec files (YAML)";
constexpr const char* kMaxInputHelp = "Largest spec file accepted (default 8 MiB)";
constexpr const char* kStdinHelp =
    "The name diagnostics give a spec read from standard input ('-')";
constexpr const char* kOutsideHelp =
    "Let 'extends:' read base files outside the spec's directory tree";

// The diagnostic options shared by validate and compile.
void AddDiagnosticOptions(CLI::App* cmd, SpecCommandOptions* opt) {
  cmd->add_option("--format", opt->format,
                  "Diagnostics format: text (default), json or sarif; always on standard error")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  cmd->add_flag("--werror", opt->werror,
                "Treat warnings as errors: any warning fails the run (exit 1)");
  cmd->add_option("--no-warn", opt->no_warn,
                  "Silence one warning class (repeatable), e.g. --no-warn=export-lock-in")
      ->expected(1)
      ->allow_extra_args(false)  // `--no-warn X SPEC`: SPEC is not a second class
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--color", opt->color,
                  "Colour in text diagnostics: auto (default: on a terminal, unless NO_COLOR is "
                  "set), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

// Applies --no-warn to `sink`; false with a usage message for an unknown class.
bool SilenceWarnings(const SpecCommandOptions& opt, DiagSink& sink, std::ostream& err) {
  for (const std::string& name : opt.no_warn) {
    std::optional<WarningClass> cls = FindWarningClass(name);
    if (!cls) {
      err << "orchc: error: unknown warning class '" << name << "' in --no-warn; the classes are:";
      for (const WarningClassInfo& w : kWarningClasses) err << " " << w.name;
      err << "\n";
      return false;
    }
    sink.Silence(*cls);
  }
  return true;
}

// Reads a whole spec ("-": standard input); false with a message on any error.
bool ReadSpec(CliIo& io, const std::string& path, std::string* text, std::string* error) {
  if (path == "-") {
    text->assign(std::istreambuf_iterator<char>(io.in), std::istreambuf_iterator<char>());
    if (io.in.bad()) *error = "cannot read standard input";
    return !io.in.bad();
  }
  return ReadSpecFile(io.disk, path, text, error);
}

// What SpecRun does with specs that pass every check: `validate` stops there (it runs every
// check `compile` runs, emission and AWS's limits included); `compile` writes the outputs.
enum class SpecAction { kValidate, kCompile };

// One run of validate or compile over every spec of the command. The diagnostics point into the
// compiler's sources, so everything that renders them runs inside Run, while the compiler lives.
class SpecRun {
 public:
  SpecRun(const SpecCommandOptions& opt, SpecAction action, CliIo& io)
      : opt_(opt), compile_(action == SpecAction::kCompile), io_(io) {}

  int Run() {
    if (!SilenceWarnings(opt_, sink_, io_.err)) return kExitUsage;
    Compiler compiler(CompilerOptions());
    if (std::count(opt_.specs.begin(), opt_.specs.end(), "-") > 1) {
      io_.err << "orchc: error: standard input ('-') can be read only once\n";
      return kExitUsage;
    }
    std::vector<CompiledSpec> results;
    const bool io_error = CompileAll(compiler, results) || adopt_io_error_;
    if (std::optional<int> code = Verdict(io_error)) return *code;
    if (opt_.to_stdout) {
      for (const OutputFile& f : results.at(0).files) {
        if (f.kind == OutputKind::kTemplate) io_.out << f.content;
      }
      return FinishAdoption(io_.err);
    }
    return WriteAll(results);
  }

 private:
  CompileOptions CompilerOptions() {
    CompileOptions co;
    co.emit.definition_string = opt_.definition_string;
    co.emit.compact = opt_.compact;
    co.limits.max_bytes = opt_.max_input_bytes;
    co.extends.allow_outside = opt_.allow_extends_outside;
    co.leave_trees_to_exit = true;  // the command's caller exits next (main.cc)
    co.cross_spec = &cross_spec_;   // the specs of one command deploy side by side
    co.after_lower = [this](const std::string& spec_path, StackIR& stack, DiagSink& diags) {
      return Adopt(spec_path, stack, diags);
    };
    return co;
  }

  // JSON and SARIF are one document on standard error: errors outside any spec's text (I/O,
  // output clashes) become file-level diagnostics of it instead of lines of their own.
  void Fail(const std::string* file, const std::string& message) {
    if (plain_) {
      io_.err << "orchc: error: " << message << "\n";
    } else {
      sink_.Error(SourceLoc{file}, message);
    }
  }

  void Render() {
    if (opt_.format == "json") {
      io_.err << sink_.RenderJson();
    } else if (opt_.format == "sarif") {
      io_.err << sink_.RenderSarif(ORCHC_VERSION);
    } else {
      io_.err << sink_.Render(
          TextStyle{true, WantColor(opt_.color, opt_.color_terminal, std::getenv("NO_COLOR"))});
    }
  }

  // Adoption (adopt.h), after a spec is lowered: --adopt's template, else a sidecar beside the
  // spec when there is one.
  bool Adopt(const std::string& spec_path, StackIR& stack, DiagSink& diags) {
    auto source = std::make_unique<SourceFile>();
    source->path = opt_.adopt.empty() ? SidecarPath(spec_path) : opt_.adopt;
    if (opt_.adopt.empty() && !std::filesystem::exists(source->path)) {
      return true;  // no sidecar: orchc's own logical IDs
    }
    std::string error;
    if (!ReadSpec(io_, source->path, &source->text, &error)) {
      Fail(&source->path, error);
      adopt_io_error_ = true;
      adopt_sources_.push_back(std::move(source));
      return false;
    }
    diags.AddSource(source.get());
    AdoptResult result;
    const bool ok = opt_.adopt.empty()
                        ? AdoptFromSidecar(*source, opt_.allow_replacement, stack, diags, &result)
                        : AdoptFromTemplate(*source, opt_.allow_replacement, stack, diags, &result);
    adopt_sources_.push_back(std::move(source));
    if (ok) adopted_.emplace_back(SidecarPath(spec_path), std::move(result));
    return ok;
  }

  // Compiles every spec (compile: keeps the results of those without errors); true when one
  // could not be read.
  bool CompileAll(Compiler& compiler, std::vector<CompiledSpec>& results) {
    bool io_error = false;
    for (const std::string& path : opt_.specs) {
      std::string text, error;
      if (!ReadSpec(io_, path, &text, &error)) {
        Fail(&path, error);
        io_error = true;
        continue;
      }
      CompiledSpec result;
      const std::string& name = path == "-" ? opt_.stdin_filename : path;
      if (compiler.Compile(name, std::move(text), sink_, compile_ ? &result : nullptr) &&
          compile_) {
        results.push_back(std::move(result));
      }
    }
    return io_error;
  }

  // Renders the diagnostics when the run ends here or they are text, and returns the exit code
  // when it ends here: an I/O error, errors, warnings under --werror, or validate's success.
  std::optional<int> Verdict(bool io_error) {
    const bool werror_failed = opt_.werror && sink_.warning_count() > 0;
    if (plain_ || io_error || sink_.has_errors() || werror_failed || !compile_) Render();
    if (io_error) return kExitUsage;
    std::ostream& err = io_.err;
    if (sink_.has_errors()) {
      if (plain_) {
        err << sink_.error_count() << (sink_.error_count() == 1 ? " error" : " errors")
            << (compile_ ? " generated; nothing was written.\n" : " generated.\n");
      }
      return kExitSpecError;
    }
    if (werror_failed) {
      if (plain_) {
        err << sink_.warning_count() << (sink_.warning_count() == 1 ? " warning" : " warnings")
            << " generated and --werror is set" << (compile_ ? "; nothing was written.\n" : ".\n");
      }
      return kExitSpecError;
    }
    if (!compile_) return kExitOk;
    return std::nullopt;
  }

  // A usage error found while writing: reported, then the run ends.
  int WriteError(const std::string& message) {
    Fail(nullptr, message);
    if (!plain_) Render();
    return kExitUsage;
  }

  // The adoption report, and the sidecar --adopt writes beside the spec once the outputs are.
  int FinishAdoption(std::ostream& wrote) {
    for (const auto& [path, result] : adopted_) {
      io_.err << result.report;
      if (result.sidecar_text.empty()) continue;
      const size_t slash = path.find_last_of('/');
      const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
      std::string error;
      if (WriteOutputs(io_.disk, dir, {{path.substr(slash + 1), result.sidecar_text}}, {},
                       &error) != WriteResult::kWritten) {
        return WriteError(error);
      }
      wrote << "wrote " << path << "\n";
    }
    if (!plain_) Render();
    return kExitOk;
  }

  // Every spec's files in one list, their stacks' names in `stacks`; false when two specs
  // produce the same file (reported).
  bool Gather(std::vector<CompiledSpec>& results, std::vector<OutputFile>& files,
              std::vector<std::string>& stacks) {
    std::set<std::string> names;
    for (CompiledSpec& r : results) {
      stacks.push_back(r.stack_name);
      for (OutputFile& f : r.files) {
        if (!names.insert(f.name).second) {
          Fail(nullptr, "two specs produce '" + f.name +
                            "' (the same stack name); give each spec its own stack.name; nothing "
                            "was written");
          return false;
        }
        files.push_back(std::move(f));
      }
    }
    return true;
  }

  // Writes every spec's outputs to -o DIR, all or nothing.
  int WriteAll(std::vector<CompiledSpec>& results) {
    std::vector<OutputFile> files;
    std::vector<std::string> stacks;
    if (!Gather(results, files, stacks)) {
      if (!plain_) Render();
      return kExitUsage;
    }
    // ASL files of workflows the stacks no longer have: removed with --prune, else pointed out.
    const std::string& dir = opt_.out_dir;
    const std::vector<std::string> stale = StaleOutputs(io_.disk, dir, stacks, files);
    std::string error;
    switch (WriteOutputs(io_.disk, dir, files, opt_.prune ? stale : std::vector<std::string>{},
                         &error)) {
      case WriteResult::kWritten:
        break;
      case WriteResult::kUnchanged:
        return WriteError(error + "; nothing was written");
      case WriteResult::kMixed:
        return WriteError(error + "; '" + dir +
                          "' may hold new and previous outputs mixed: compile again");
    }
    for (const OutputFile& f : files) io_.out << "wrote " << dir << "/" << f.name << "\n";
    for (const std::string& name : stale) {
      if (opt_.prune) {
        io_.out << "removed " << dir << "/" << name << "\n";
      } else {
        io_.err << "orchc: warning: " << dir << "/" << name
                << " is the ASL file of a workflow its stack no longer has; delete it or compile "
                   "with --prune\n";
      }
    }
    return FinishAdoption(io_.out);
  }

  const SpecCommandOptions& opt_;
  const bool compile_;
  CliIo& io_;
  const bool plain_ = opt_.format == "text";
  DiagSink sink_;
  CrossSpecNames cross_spec_;
  std::vector<std::unique_ptr<SourceFile>> adopt_sources_;    // kept for rendering diagnostics
  std::vector<std::pair<std::string, AdoptResult>> adopted_;  // sidecar path, result
  bool adopt_io_error_ = false;
};

}  // namespace

CLI::App* AddCompileCommand(CLI::App& app, SpecCommandOptions* opt) {
  CLI::App* compile = app.add_subcommand("compile", "Compile specs into " + BackendOutputs());
  compile->add_option("specs", opt->specs, kSpecsHelp)->required();
  auto* out_opt =
      compile->add_option("-o,--output", opt->out_dir, "Output directory (created if missing)");
  auto* stdout_opt = compile->add_flag(
      "--stdout", opt->to_stdout,
      "Print the template to standard output instead of writing files (one spec only)");
  out_opt->excludes(stdout_opt);
  compile->add_flag("--compact", opt->compact,
                    "Write the template and ASL files as minified JSON (default: indented)");
  auto* prune = compile->add_flag("--prune", opt->prune,
                                  "Remove from DIR the ASL files of workflows the stacks no longer "
                                  "have, in the same all-or-nothing commit");
  prune->needs(out_opt);
  compile->add_option("--stdin-filename", opt->stdin_filename, kStdinHelp);
  compile->add_flag("--definition-string", opt->definition_string,
                    "Embed each definition as DefinitionString (Fn::Join) instead of Definition + "
                    "DefinitionSubstitutions");
  compile->add_option("--max-input-bytes", opt->max_input_bytes, kMaxInputHelp);
  compile->add_option(
      "--adopt", opt->adopt,
      "Keep the logical IDs of a deployed stack's resources: TEMPLATE is its template (JSON; "
      "cdk.out or aws cloudformation get-template). Writes <spec>.adopt.json beside the spec, "
      "which later compiles read (docs/deploy.md)");
  compile->add_flag("--adopt-allow-replacement", opt->allow_replacement,
                    "Adopt even when CloudFormation would have to replace a resource (a changed "
                    "create-only property such as a name)");
  compile->add_flag("--allow-extends-outside", opt->allow_extends_outside, kOutsideHelp);
  AddDiagnosticOptions(compile, opt);
  return compile;
}

CLI::App* AddValidateCommand(CLI::App& app, SpecCommandOptions* opt) {
  CLI::App* validate = app.add_subcommand(
      "validate", "Check specs and print diagnostics only (for pre-commit and editors)");
  validate->add_option("specs", opt->specs, kSpecsHelp)->required();
  validate->add_option("--max-input-bytes", opt->max_input_bytes, kMaxInputHelp);
  validate->add_option("--stdin-filename", opt->stdin_filename, kStdinHelp);
  validate->add_flag("--allow-extends-outside", opt->allow_extends_outside, kOutsideHelp);
  // The embedding and the layout change the sizes AWS limits: validate checks the form compile
  // would write.
  validate->add_flag("--definition-string", opt->definition_string,
                     "Check the limits as compile --definition-string would write the template");
  validate->add_flag("--compact", opt->compact,
                     "Check the limits as compile --compact would write the outputs");
  AddDiagnosticOptions(validate, opt);
  return validate;
}

int RunCompileCommand(const SpecCommandOptions& opt, CliIo& io) {
  if (!opt.to_stdout && opt.out_dir.empty()) {
    io.err << "orchc: error: compile needs -o DIR (or --stdout)\n";
    return kExitUsage;
  }
  if (!opt.adopt.empty() && opt.specs.size() != 1) {
    io.err << "orchc: error: --adopt takes exactly one spec\n";
    return kExitUsage;
  }
  if (opt.to_stdout && opt.specs.size() != 1) {
    io.err << "orchc: error: --stdout takes exactly one spec\n";
    return kExitUsage;
  }
  return SpecRun(opt, SpecAction::kCompile, io).Run();
}

int RunValidateCommand(const SpecCommandOptions& opt, CliIo& io) {
  return SpecRun(opt, SpecAction::kValidate, io).Run();
}

}  // namespace orchc
