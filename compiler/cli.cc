#include "cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "compile.h"
#include "output.h"
#include "schema_check.h"
#include "version.h"

namespace orchc {

namespace {

constexpr const char* kExamples = R"(
Examples:
  orchc compile specs/prod.yaml -o out/          template + one ASL file per workflow
  orchc compile specs/*.yaml -o templates/       several specs, all or nothing
  orchc compile specs/prod.yaml --stdout | aws cloudformation validate-template --template-body file:///dev/stdin
  orchc validate specs/*.yaml                    diagnostics only (pre-commit)
  orchc schema > orchestration.schema.json       the JSON Schema, for editors

Exit status: 0 success, 1 a spec has errors, 2 usage or I/O error.
)";

struct Options {
  std::vector<std::string> specs;
  std::string out_dir;
  bool to_stdout = false;
  bool definition_string = false;
  uint64_t max_input_bytes = LoadLimits{}.max_bytes;
  unsigned jobs = 0;  // 0: one thread per hardware thread
  // Diagnostics (docs/cli.md, "Diagnostics"): always on standard error, whatever the format.
  std::string format = "text";  // text | json | sarif
  std::string color = "auto";   // auto | always | never
  bool werror = false;
  std::vector<std::string> no_warn;  // warning class names
  bool color_terminal = false;       // standard error is a terminal (set by RunCli)
};

// The diagnostic options shared by validate and compile.
void AddDiagnosticOptions(CLI::App* cmd, Options* opt) {
  cmd->add_option("--format", opt->format, "Diagnostics format: text (default), json or sarif; always on standard error")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  cmd->add_flag("--werror", opt->werror, "Treat warnings as errors: any warning fails the run (exit 1)");
  cmd->add_option("--no-warn", opt->no_warn, "Silence one warning class (repeatable), e.g. --no-warn=export-lock-in")
      ->expected(1)
      ->allow_extra_args(false)  // `--no-warn X SPEC`: SPEC is not a second class
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--color", opt->color, "Colour in text diagnostics: auto (default: on a terminal, unless NO_COLOR is set), always or never")
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

// Reads a whole file; false with a message on any error.
bool ReadFile(const std::string& path, std::string* text, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open '" + path + "': " + std::strerror(errno);
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    *error = "cannot read '" + path + "'";
    return false;
  }
  *text = ss.str();
  return true;
}

int RunSpecs(const Options& opt, bool compile, std::ostream& out, std::ostream& err) {
  CompileOptions co;
  co.emit.definition_string = opt.definition_string;
  co.emit.threads = opt.jobs;
  co.limits.max_bytes = opt.max_input_bytes;
  co.leave_trees_to_exit = true;  // RunSpecs' caller exits next (main.cc)
  Compiler compiler(co);
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
      err << sink.Render(TextStyle{true, WantColor(opt.color, opt.color_terminal,
                                                   std::getenv("NO_COLOR"))});
    }
  };
  std::vector<CompiledSpec> results;
  bool io_error = false;
  for (const std::string& path : opt.specs) {
    std::string text, error;
    if (!ReadFile(path, &text, &error)) {
      fail(&path, error);
      io_error = true;
      continue;
    }
    CompiledSpec result;
    if (compiler.Compile(path, std::move(text), sink, compile ? &result : nullptr) && compile) {
      results.push_back(std::move(result));
    }
  }
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
          << " generated and --werror is set"
          << (compile ? "; nothing was written.\n" : ".\n");
    }
    return kExitSpecError;
  }
  if (!compile) return kExitOk;

  if (opt.to_stdout) {
    out << results.at(0).files.at(0).content;
    if (!plain) render();
    return kExitOk;
  }
  std::vector<OutputFile> files;
  std::set<std::string> names;
  for (CompiledSpec& r : results) {
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
  std::string error;
  if (!WriteOutputs(opt.out_dir, files, &error)) {
    fail(nullptr, error + "; nothing was written");
    if (!plain) render();
    return kExitUsage;
  }
  for (const OutputFile& f : files) out << "wrote " << opt.out_dir << "/" << f.name << "\n";
  if (!plain) render();
  return kExitOk;
}

}  // namespace

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"orchc " ORCHC_VERSION
               " - compiles scheduled batch workflow specs (YAML) into CloudFormation and "
               "Amazon States Language"};
  app.footer(kExamples);
  app.set_version_flag("--version", "orchc " ORCHC_VERSION);
  app.require_subcommand(1);

  Options opt;
  CLI::App* compile = app.add_subcommand("compile", "Compile specs into a template and ASL files");
  compile->add_option("specs", opt.specs, "Spec files (YAML)")->required();
  auto* out_opt = compile->add_option("-o,--output", opt.out_dir, "Output directory (created if missing)");
  auto* stdout_opt = compile->add_flag("--stdout", opt.to_stdout, "Print the template to standard output instead of writing files (one spec only)");
  out_opt->excludes(stdout_opt);
  compile->add_flag("--definition-string", opt.definition_string,
                    "Embed each definition as DefinitionString (Fn::Join) instead of Definition + DefinitionSubstitutions");
  compile->add_option("--max-input-bytes", opt.max_input_bytes, "Largest spec file accepted (default 8 MiB)");
  const char* jobs_help =
      "Threads for lowering and writing large specs (default 0: one per usable CPU; specs of fewer "
      "than 64 workflows use one); the output is the same for any number";
  compile->add_option("-j,--jobs", opt.jobs, jobs_help)->check(CLI::Range(0u, 256u));
  AddDiagnosticOptions(compile, &opt);

  CLI::App* validate = app.add_subcommand("validate", "Check specs and print diagnostics only (for pre-commit and editors)");
  validate->add_option("specs", opt.specs, "Spec files (YAML)")->required();
  validate->add_option("--max-input-bytes", opt.max_input_bytes, "Largest spec file accepted (default 8 MiB)");
  validate->add_option("-j,--jobs", opt.jobs, jobs_help)->check(CLI::Range(0u, 256u));
  AddDiagnosticOptions(validate, &opt);
  // Only the real standard error can be a terminal (tests pass string streams).
  opt.color_terminal = &err == &std::cerr && isatty(STDERR_FILENO) == 1;

  CLI::App* schema = app.add_subcommand("schema", "Print the JSON Schema of the spec language");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp& e) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::CallForVersion& e) {
    out << "orchc " ORCHC_VERSION "\n";
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      out << app.help();
      return kExitOk;
    }
    err << "orchc: error: " << e.what() << "\n" << "Run 'orchc --help' for usage.\n";
    return kExitUsage;
  }

  if (*schema) {
    out << SchemaText();
    return kExitOk;
  }
  if (*compile) {
    if (!opt.to_stdout && opt.out_dir.empty()) {
      err << "orchc: error: compile needs -o DIR (or --stdout)\n";
      return kExitUsage;
    }
    if (opt.to_stdout && opt.specs.size() != 1) {
      err << "orchc: error: --stdout takes exactly one spec\n";
      return kExitUsage;
    }
    return RunSpecs(opt, true, out, err);
  }
  return RunSpecs(opt, false, out, err);
}

}  // namespace orchc
