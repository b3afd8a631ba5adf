#include "cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>
#include <sstream>

#include "compile_cmd.h"
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

// Parses the command line into the options `app`'s subcommands fill. Returns the exit code when
// the command ends here: help, the version, or a usage error (reported).
std::optional<int> Parse(CLI::App& app, int argc, const char* const* argv, CliIo& io) {
  std::ostream& out = io.out;
  std::ostream& err = io.err;
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
  return std::nullopt;
}

int RunCommand(int argc, const char* const* argv, CliIo& io) {
  CLI::App app{"orchc " ORCHC_VERSION
               " - compiles scheduled batch workflow specs (YAML) into CloudFormation and "
               "Amazon States Language"};
  app.footer(kExamples);
  app.set_version_flag("--version", kVersionText);
  app.require_subcommand(1);

  SpecCommandOptions opt;
  CLI::App* compile = AddCompileCommand(app, &opt);
  AddValidateCommand(app, &opt);
  // Only the real standard error can be a terminal (tests pass string streams).
  opt.color_terminal = &io.err == &std::cerr && isatty(STDERR_FILENO) == 1;

  CLI::App* schema = app.add_subcommand("schema", "Print the JSON Schema of the spec language");
  ScheduleCommandOptions schedule_opt;
  CLI::App* schedule = AddScheduleCommand(app, schedule_opt);

  GraphCommandOptions graph_opt;
  CLI::App* graph = AddGraphCommand(app, &graph_opt);

  ExplainCommandOptions explain_opt;
  CLI::App* explain = AddExplainCommand(app, &explain_opt);

  if (std::optional<int> code = Parse(app, argc, argv, io)) return *code;
  if (std::string clock = ClockSettingError(); !clock.empty()) {
    io.err << "orchc: error: " << clock << "\n";
    return kExitUsage;
  }
  if (*schema) {
    io.out << SchemaText();
    return kExitOk;
  }
  if (*graph) return RunGraphCommand(graph_opt, io.out, io.err);
  if (*explain) return RunExplainCommand(explain_opt, io.out, io.err);
  if (*schedule) return RunScheduleCommand(schedule_opt, io.out, io.err);
  if (*compile) return RunCompileCommand(opt, io);
  return RunValidateCommand(opt, io);
}

}  // namespace

int RunCli(int argc, const char* const* argv, std::istream& in, std::ostream& out,
           std::ostream& err, Disk& disk) {
  CliIo io{in, out, err, disk};
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
