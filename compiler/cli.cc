#include "cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>

#include "adopt.h"
#include "backend.h"
#include "compile.h"
#include "cross_spec.h"
#include "explain_cli.h"
#include "graph_cli.h"
#include "output.h"
#include "schedule_cmd.h"
#include "schedule_warnings.h"
#include "schema_check.h"
#include "tzdb.h"
#include "version.h"

namespace orchc {

namespace {

constexpr const char* kExamples = R"(
Examples:
  orchc compile specs/prod.yaml -o out/          template + one ASL file per workflow
  orchc compile specs/*.yaml -o templates/       several specs, all or nothing
  orchc compile specs/prod.yaml --adopt cdk.out/OrchestrationStack-prod.template.json -o out/
                                                 take over a deployed stack's resources in place
  orchc compile specs/prod.yaml --stdout | aws cloudformation validate-template --template-body file:///dev/stdin
  orchc validate specs/*.yaml                    diagnostics only (pre-commit)
  orchc schema > orchestration.schema.json       the JSON Schema, for editors
  orchc graph specs/reports.yaml | dot -Tsvg > reports.svg   the workflows as a picture
  orchc explain specs/prod.yaml                  why each IAM permission, and the AWS limits budget

Exit status: 0 success, 1 a spec has errors, 2 usage or I/O error, 3 internal error (a bug).
)";

struct Options {
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

// The diagnostic options shared by validate and compile.
void AddDiagnosticOptions(CLI::App* cmd, Options* opt) {
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
bool SilenceWarnings(const Options& opt, DiagSink& sink, std::ostream& err) {
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

// Where a run reads and writes: the process's standard streams and file system, or fakes.
struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  Disk& disk;
};

// Reads a whole spec ("-": standard input); false with a message on any error.
bool ReadSpec(Io& io, const std::string& path, std::string* text, std::string* error) {
  if (path == "-") {
    text->assign(std::istreambuf_iterator<char>(io.in), std::istreambuf_iterator<char>());
    if (io.in.bad()) *error = "cannot read standard input";
    return !io.in.bad();
  }
  return ReadSpecFile(io.disk, path, text, error);
}

// What RunSpecs does with specs that pass every check: `validate` stops there (it runs every
// check `compile` runs, emission and AWS's limits included); `compile` writes the outputs.
enum class SpecAction { kValidate, kCompile };

int RunSpecs(const Options& opt, SpecAction action, Io& io) {
  const bool compile = action == SpecAction::kCompile;
  std::ostream& out = io.out;
  std::ostream& err = io.err;
  CompileOptions co;
  co.emit.definition_string = opt.definition_string;
  co.emit.compact = opt.compact;
  co.limits.max_bytes = opt.max_input_bytes;
  co.extends.allow_outside = opt.allow_extends_outside;
  co.leave_trees_to_exit = true;  // RunSpecs' caller exits next (main.cc)
  CrossSpecNames cross_spec;      // the specs of one command deploy side by side
  co.cross_spec = &cross_spec;
  DiagSink sink;
  if (!SilenceWarnings(opt, sink, err)) return kExitUsage;
  // JSON and SARIF are one document on standard error: errors outside any spec's text (I/O,
  // output clashes) become file-level diagnostics of it instead of lines of their own.
  const bool plain = opt.format == "text";
  auto fail = [&](const std::string* file, const std::string& message) {
    if (plain) {
      err << "orchc: error: " << message << "\n";
    } else {
      sink.Error(SourceLoc{file}, message);
    }
  };
  auto render = [&] {
    if (opt.format == "json") {
      err << sink.RenderJson();
    } else if (opt.format == "sarif") {
      err << sink.RenderSarif(ORCHC_VERSION);
    } else {
      err << sink.Render(
          TextStyle{true, WantColor(opt.color, opt.color_terminal, std::getenv("NO_COLOR"))});
    }
  };
  // Adoption (adopt.h): --adopt's template, else a sidecar beside the spec when there is one.
  std::vector<std::unique_ptr<SourceFile>> adopt_sources;    // kept for rendering diagnostics
  std::vector<std::pair<std::string, AdoptResult>> adopted;  // sidecar path, result
  bool adopt_io_error = false;
  co.after_lower = [&](const std::string& spec_path, StackIR& stack, DiagSink& diags) {
    auto source = std::make_unique<SourceFile>();
    source->path = opt.adopt.empty() ? SidecarPath(spec_path) : opt.adopt;
    if (opt.adopt.empty() && !std::filesystem::exists(source->path)) {
      return true;  // no sidecar: orchc's own logical IDs
    }
    std::string error;
    if (!ReadSpec(io, source->path, &source->text, &error)) {
      fail(&source->path, error);
      adopt_io_error = true;
      adopt_sources.push_back(std::move(source));
      return false;
    }
    diags.AddSource(source.get());
    AdoptResult result;
    const bool ok = opt.adopt.empty()
                        ? AdoptFromSidecar(*source, opt.allow_replacement, stack, diags, &result)
                        : AdoptFromTemplate(*source, opt.allow_replacement, stack, diags, &result);
    adopt_sources.push_back(std::move(source));
    if (ok) adopted.emplace_back(SidecarPath(spec_path), std::move(result));
    return ok;
  };
  Compiler compiler(co);
  std::vector<CompiledSpec> results;
  bool io_error = false;
  if (std::count(opt.specs.begin(), opt.specs.end(), "-") > 1) {
    err << "orchc: error: standard input ('-') can be read only once\n";
    return kExitUsage;
  }
  for (const std::string& path : opt.specs) {
    std::string text, error;
    if (!ReadSpec(io, path, &text, &error)) {
      fail(&path, error);
      io_error = true;
      continue;
    }
    CompiledSpec result;
    const std::string& name = path == "-" ? opt.stdin_filename : path;
    if (compiler.Compile(name, std::move(text), sink, compile ? &result : nullptr) && compile) {
      results.push_back(std::move(result));
    }
  }
  io_error = io_error || adopt_io_error;
  if (plain || io_error || sink.has_errors() || (opt.werror && sink.warning_count() > 0) ||
      !compile) {
    render();
  }
  if (io_error) return kExitUsage;
  if (sink.has_errors()) {
    if (plain) {
      err << sink.error_count() << (sink.error_count() == 1 ? " error" : " errors")
          << (compile ? " generated; nothing was written.\n" : " generated.\n");
    }
    return kExitSpecError;
  }
  if (opt.werror && sink.warning_count() > 0) {
    if (plain) {
      err << sink.warning_count() << (sink.warning_count() == 1 ? " warning" : " warnings")
          << " generated and --werror is set" << (compile ? "; nothing was written.\n" : ".\n");
    }
    return kExitSpecError;
  }
  if (!compile) return kExitOk;
  // The adoption report, and the sidecar --adopt writes beside the spec once the outputs are.
  auto finish_adoption = [&](std::ostream& wrote) {
    for (const auto& [path, result] : adopted) {
      err << result.report;
      if (result.sidecar_text.empty()) continue;
      const size_t slash = path.find_last_of('/');
      const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
      std::string error;
      if (WriteOutputs(io.disk, dir, {{path.substr(slash + 1), result.sidecar_text}}, {}, &error) !=
          WriteResult::kWritten) {
        fail(nullptr, error);
        if (!plain) render();
        return kExitUsage;
      }
      wrote << "wrote " << path << "\n";
    }
    if (!plain) render();
    return kExitOk;
  };

  if (opt.to_stdout) {
    for (const OutputFile& f : results.at(0).files) {
      if (f.kind == OutputKind::kTemplate) out << f.content;
    }
    return finish_adoption(err);
  }
  std::vector<OutputFile> files;
  std::set<std::string> names;
  std::vector<std::string> stacks;
  for (CompiledSpec& r : results) {
    stacks.push_back(r.stack_name);
    for (OutputFile& f : r.files) {
      if (!names.insert(f.name).second) {
        fail(nullptr, "two specs produce '" + f.name +
                          "' (the same stack name); give each spec its own stack.name; nothing "
                          "was written");
        if (!plain) render();
        return kExitUsage;
      }
      files.push_back(std::move(f));
    }
  }
  // ASL files of workflows the stacks no longer have: removed with --prune, else pointed out.
  const std::vector<std::string> stale = StaleOutputs(io.disk, opt.out_dir, stacks, files);
  std::string error;
  switch (WriteOutputs(io.disk, opt.out_dir, files, opt.prune ? stale : std::vector<std::string>{},
                       &error)) {
    case WriteResult::kWritten:
      break;
    case WriteResult::kUnchanged:
      fail(nullptr, error + "; nothing was written");
      if (!plain) render();
      return kExitUsage;
    case WriteResult::kMixed:
      fail(nullptr, error + "; '" + opt.out_dir +
                        "' may hold new and previous outputs mixed: compile again");
      if (!plain) render();
      return kExitUsage;
  }
  for (const OutputFile& f : files) out << "wrote " << opt.out_dir << "/" << f.name << "\n";
  for (const std::string& name : stale) {
    if (opt.prune) {
      out << "removed " << opt.out_dir << "/" << name << "\n";
    } else {
      err << "orchc: warning: " << opt.out_dir << "/" << name
          << " is the ASL file of a workflow its stack no longer has; delete it or compile with "
             "--prune\n";
    }
  }
  return finish_adoption(out);
}

// The first argument that is not an option, when it names no subcommand of `app`.
std::string UnknownSubcommand(CLI::App& app, int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.starts_with("-")) continue;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      if (sub->check_name(arg)) return "";
    }
    return arg;
  }
  return "";
}

int RunCommand(int argc, const char* const* argv, Io& io) {
  std::ostream& out = io.out;
  std::ostream& err = io.err;
  CLI::App app{"orchc " ORCHC_VERSION
               " - compiles scheduled batch workflow specs (YAML) into CloudFormation and "
               "Amazon States Language"};
  app.footer(kExamples);
  app.set_version_flag("--version", kVersionText);
  app.require_subcommand(1);

  Options opt;
  CLI::App* compile = app.add_subcommand("compile", "Compile specs into " + BackendOutputs());
  compile->add_option("specs", opt.specs, "Spec files (YAML)")->required();
  auto* out_opt =
      compile->add_option("-o,--output", opt.out_dir, "Output directory (created if missing)");
  auto* stdout_opt = compile->add_flag(
      "--stdout", opt.to_stdout,
      "Print the template to standard output instead of writing files (one spec only)");
  out_opt->excludes(stdout_opt);
  compile->add_flag("--compact", opt.compact,
                    "Write the template and ASL files as minified JSON (default: indented)");
  auto* prune = compile->add_flag("--prune", opt.prune,
                                  "Remove from DIR the ASL files of workflows the stacks no longer "
                                  "have, in the same all-or-nothing commit");
  prune->needs(out_opt);
  const char* stdin_help = "The name diagnostics give a spec read from standard input ('-')";
  compile->add_option("--stdin-filename", opt.stdin_filename, stdin_help);
  compile->add_flag("--definition-string", opt.definition_string,
                    "Embed each definition as DefinitionString (Fn::Join) instead of Definition + "
                    "DefinitionSubstitutions");
  compile->add_option("--max-input-bytes", opt.max_input_bytes,
                      "Largest spec file accepted (default 8 MiB)");
  compile->add_option(
      "--adopt", opt.adopt,
      "Keep the logical IDs of a deployed stack's resources: TEMPLATE is its template (JSON; "
      "cdk.out or aws cloudformation get-template). Writes <spec>.adopt.json beside the spec, "
      "which later compiles read (docs/deploy.md)");
  compile->add_flag("--adopt-allow-replacement", opt.allow_replacement,
                    "Adopt even when CloudFormation would have to replace a resource (a changed "
                    "create-only property such as a name)");
  const char* outside_help = "Let 'extends:' read base files outside the spec's directory tree";
  compile->add_flag("--allow-extends-outside", opt.allow_extends_outside, outside_help);
  AddDiagnosticOptions(compile, &opt);

  CLI::App* validate = app.add_subcommand(
      "validate", "Check specs and print diagnostics only (for pre-commit and editors)");
  validate->add_option("specs", opt.specs, "Spec files (YAML)")->required();
  validate->add_option("--max-input-bytes", opt.max_input_bytes,
                       "Largest spec file accepted (default 8 MiB)");
  validate->add_option("--stdin-filename", opt.stdin_filename, stdin_help);
  validate->add_flag("--allow-extends-outside", opt.allow_extends_outside, outside_help);
  // The embedding and the layout change the sizes AWS limits: validate checks the form compile
  // would write.
  validate->add_flag("--definition-string", opt.definition_string,
                     "Check the limits as compile --definition-string would write the template");
  validate->add_flag("--compact", opt.compact,
                     "Check the limits as compile --compact would write the outputs");
  AddDiagnosticOptions(validate, &opt);
  // Only the real standard error can be a terminal (tests pass string streams).
  opt.color_terminal = &err == &std::cerr && isatty(STDERR_FILENO) == 1;

  CLI::App* schema = app.add_subcommand("schema", "Print the JSON Schema of the spec language");
  ScheduleCommandOptions schedule_opt;
  CLI::App* schedule = AddScheduleCommand(app, schedule_opt);

  GraphCommandOptions graph_opt;
  CLI::App* graph = AddGraphCommand(app, &graph_opt);

  ExplainCommandOptions explain_opt;
  CLI::App* explain = AddExplainCommand(app, &explain_opt);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp& e) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::CallForVersion& e) {
    out << kVersionText << "\n"
        << "tzdata " << TzdataVersion() << " (built in)\n";
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      out << app.help();
      return kExitOk;
    }
    if (std::string sub = UnknownSubcommand(app, argc, argv); !sub.empty()) {
      err << "orchc: error: unknown subcommand '" << sub << "'\n"
          << "Run 'orchc --help' for the subcommands.\n";
      return kExitUsage;
    }
    err << "orchc: error: " << e.what() << "\n"
        << "Run 'orchc --help' for usage.\n";
    return kExitUsage;
  }

  if (std::string clock = ClockSettingError(); !clock.empty()) {
    err << "orchc: error: " << clock << "\n";
    return kExitUsage;
  }
  if (*schema) {
    out << SchemaText();
    return kExitOk;
  }
  if (*graph) return RunGraphCommand(graph_opt, out, err);
  if (*explain) return RunExplainCommand(explain_opt, out, err);
  if (*schedule) return RunScheduleCommand(schedule_opt, out, err);
  if (*compile) {
    if (!opt.to_stdout && opt.out_dir.empty()) {
      err << "orchc: error: compile needs -o DIR (or --stdout)\n";
      return kExitUsage;
    }
    if (!opt.adopt.empty() && opt.specs.size() != 1) {
      err << "orchc: error: --adopt takes exactly one spec\n";
      return kExitUsage;
    }
    if (opt.to_stdout && opt.specs.size() != 1) {
      err << "orchc: error: --stdout takes exactly one spec\n";
      return kExitUsage;
    }
    return RunSpecs(opt, SpecAction::kCompile, io);
  }
  return RunSpecs(opt, SpecAction::kValidate, io);
}

}  // namespace

int RunCli(int argc, const char* const* argv, std::istream& in, std::ostream& out,
           std::ostream& err, Disk& disk) {
  Io io{in, out, err, disk};
  int code;
  try {
    code = RunCommand(argc, argv, io);
  } catch (const std::exception& e) {
    err << "orchc: internal error: " << e.what() << "\n";
    return kExitInternal;
  } catch (...) {
    err << "orchc: internal error: an unknown exception\n";
    return kExitInternal;
  }
  // Every write to standard output counts: a full disk or a closed pipe is an error.
  if (!out.flush()) {
    const int e = errno;
    err << "orchc: error: cannot write to standard output"
        << (e != 0 ? std::string(": ") + std::strerror(e) : std::string()) << "\n";
    return kExitUsage;
  }
  return code;
}

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  std::istringstream no_input;
  RealDisk disk;
  return RunCli(argc, argv, no_input, out, err, disk);
}

}  // namespace orchc
