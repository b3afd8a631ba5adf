// The command line, run in-process: exit codes, all-or-nothing output, determinism.
#include "cli.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "output.h"
#include "test_util.h"
#include "version.h"

namespace orchc {
namespace {

namespace fs = std::filesystem;

class CliTest : public testing::TempDirTest {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }

  int Run(std::vector<std::string> args) {
    std::vector<const char*> argv = {"orchc"};
    for (const std::string& a : args) argv.push_back(a.c_str());
    out_.str("");
    err_.str("");
    return RunCli(static_cast<int>(argv.size()), argv.data(), out_, err_);
  }
  // Runs with `in` as standard input, and `out` and `disk` given.
  int RunWith(std::vector<std::string> args, const std::string& in, std::ostream& out, Disk& disk) {
    std::vector<const char*> argv = {"orchc"};
    for (const std::string& a : args) argv.push_back(a.c_str());
    std::istringstream input(in);
    err_.str("");
    return RunCli(static_cast<int>(argv.size()), argv.data(), input, out, err_, disk);
  }

  static std::string Read(const fs::path& p) { return testing::ReadFile(p); }

  std::ostringstream out_, err_;
};

TEST_F(CliTest, CompileWritesTemplateAndAsl) {
  std::string spec = Write("prod.yaml", testing::kMinimalSpec);
  fs::path out = dir_ / "out";
  EXPECT_EQ(Run({"compile", spec, "-o", out.string()}), 0) << err_.str();
  EXPECT_TRUE(fs::exists(out / "OrchestrationStack-prod.template.json"));
  EXPECT_TRUE(fs::exists(out / "OrchestrationStack-prod.sample-batch.asl.json"));
  Json asl = Json::parse(Read(out / "OrchestrationStack-prod.sample-batch.asl.json"));
  EXPECT_EQ(asl["StartAt"], "OverlapStart");  // overlap: skip, the default with a schedule
  EXPECT_EQ(asl["States"]["OverlapRun"]["Branches"][0]["StartAt"], "RunBatchTask");
  for (const auto& e : fs::directory_iterator(out)) {
    EXPECT_FALSE(e.path().filename().string().starts_with(".")) << e.path();
  }
}

TEST_F(CliTest, NothingIsWrittenWhenAnySpecFails) {
  std::string good = Write("good.yaml", testing::kMinimalSpec);
  std::string bad = Write("bad.yaml", "version: 1\nenv: dev\norchestration: {enabled: true}\n");
  fs::path out = dir_ / "out";
  EXPECT_EQ(Run({"compile", good, bad, "-o", out.string()}), 1);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_NE(err_.str().find("bad.yaml:3:16: error: orchestration is missing the required key "
                            "'scheduleExpression'"),
            std::string::npos)
      << err_.str();
  EXPECT_NE(err_.str().find("nothing was written"), std::string::npos);
}

TEST_F(CliTest, ExistingOutputsStayWhenALaterCompileFails) {
  std::string spec = Write("prod.yaml", testing::kMinimalSpec);
  fs::path out = dir_ / "out";
  ASSERT_EQ(Run({"compile", spec, "-o", out.string()}), 0);
  std::string before = Read(out / "OrchestrationStack-prod.template.json");
  Write("prod.yaml", std::string(testing::kMinimalSpec) + "logs: {retentionDays: 2}\n");
  EXPECT_EQ(Run({"compile", spec, "-o", out.string()}), 1);
  EXPECT_EQ(Read(out / "OrchestrationStack-prod.template.json"), before);
}

TEST_F(CliTest, ValidateReportsEveryFileAndExitsOne) {
  std::string a = Write("a.yaml", "version: 1\nenv: x\nbogus: 1\n");
  std::string b = Write("b.yaml", "version: 1\nenv: Y\n");
  std::string ok = Write("ok.yaml", std::string(testing::kMinimalSpec) +
                                        "imports: {taskDefinition: {ssm: /prod/td}}\n");
  EXPECT_EQ(Run({"validate", a, b, ok}), 1);
  EXPECT_NE(err_.str().find("a.yaml:3:1: error: unknown key 'bogus'"), std::string::npos)
      << err_.str();
  EXPECT_NE(err_.str().find("b.yaml:2:6: error: env is the string 'Y'"), std::string::npos)
      << err_.str();
  EXPECT_NE(err_.str().find("2 errors generated."), std::string::npos) << err_.str();
  EXPECT_EQ(Run({"validate", ok}), 0);
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CliTest, UsageAndIoErrorsExitTwo) {
  EXPECT_EQ(Run({}), 2);
  EXPECT_EQ(Run({"frobnicate"}), 2);
  EXPECT_EQ(Run({"compile", Write("p.yaml", testing::kMinimalSpec)}), 2);
  EXPECT_NE(err_.str().find("compile needs -o DIR (or --stdout)"), std::string::npos);
  EXPECT_EQ(Run({"validate", (dir_ / "missing.yaml").string()}), 2);
  EXPECT_NE(err_.str().find("cannot open"), std::string::npos) << err_.str();
  std::string spec = Write("p.yaml", testing::kMinimalSpec);
  Write("file", "x");
  EXPECT_EQ(Run({"compile", spec, "-o", (dir_ / "file").string()}), 2);
  EXPECT_NE(err_.str().find("cannot create output directory"), std::string::npos) << err_.str();
}

TEST_F(CliTest, StdoutPrintsTheTemplateOnly) {
  std::string spec = Write("p.yaml", testing::kMinimalSpec);
  EXPECT_EQ(Run({"compile", spec, "--stdout"}), 0) << err_.str();
  Json t = Json::parse(out_.str());
  EXPECT_EQ(t["AWSTemplateFormatVersion"], "2010-09-09");
  EXPECT_EQ(Run({"compile", spec, spec, "--stdout"}), 2);
}

TEST_F(CliTest, TwoSpecsWithTheSameStackNameAreRefused) {
  std::string a = Write("a.yaml", testing::kMinimalSpec);
  std::string b = Write("b.yaml", testing::kMinimalSpec);
  EXPECT_EQ(Run({"compile", a, b, "-o", (dir_ / "out").string()}), 1);
  EXPECT_FALSE(fs::exists(dir_ / "out" / "OrchestrationStack-prod.template.json"));
  const std::string compile_err = err_.str();
  EXPECT_NE(compile_err.find(b +
                             ":2:6: error: stack name 'OrchestrationStack-prod' is also the "
                             "stack of " +
                             a + ":2:6"),
            std::string::npos)
      << compile_err;
  EXPECT_EQ(Run({"validate", a, b}), 1);
  EXPECT_NE(err_.str().find("is also the stack of"), std::string::npos) << err_.str();
}

// The embedding and layout change the sizes AWS limits: validate takes compile's options and
// reports what compile reports (here the inline-template-size warning of bigger templates).
TEST_F(CliTest, ValidateChecksTheFormCompileWrites) {
  for (int workflows : {10, 20, 30}) {
    std::string text =
        "version: 1\nenv: prod\nimports:\n  taskDefinition: {ssm: /prod/td}\n"
        "workflows:\n";
    for (int i = 0; i < workflows; ++i) {
      text += "  w" + std::to_string(i) +
              ":\n    schedule: {expression: \"rate(1 hour)\"}\n    task: {command: [/app/bin/job, "
              "--part, \"" +
              std::to_string(i) + "\"]}\n";
    }
    std::string spec = Write("spec.yaml", text);
    for (const std::vector<std::string>& form : std::vector<std::vector<std::string>>{
             {}, {"--definition-string"}, {"--compact"}, {"--definition-string", "--compact"}}) {
      std::vector<std::string> args = {"compile", spec, "--stdout", "--format", "json"};
      args.insert(args.end(), form.begin(), form.end());
      const int compiled = Run(args);
      const std::string compile_err = err_.str();
      args = {"validate", spec, "--format", "json"};
      args.insert(args.end(), form.begin(), form.end());
      EXPECT_EQ(Run(args), compiled) << workflows << " workflows " << err_.str();
      EXPECT_EQ(err_.str(), compile_err) << workflows << " workflows";
    }
  }
}

TEST_F(CliTest, SchemaVersionAndHelp) {
  EXPECT_EQ(Run({"schema"}), 0);
  EXPECT_EQ(Json::parse(out_.str())["title"], "orchc spec");
  EXPECT_EQ(Run({"--version"}), 0);
  EXPECT_EQ(out_.str().rfind("orchc ", 0), 0u);
  EXPECT_EQ(Run({"--help"}), 0);
  EXPECT_NE(out_.str().find("Examples:"), std::string::npos);
}

TEST_F(CliTest, ThereIsNoJobsOption) {
  // Specs compile on one thread: -j/--jobs was removed and is a usage error.
  std::string spec = Write("p.yaml", testing::kMinimalSpec);
  EXPECT_EQ(Run({"compile", "-j", "2", spec, "--stdout"}), 2);
  EXPECT_EQ(Run({"validate", "--jobs", "2", spec}), 2);
  EXPECT_NE(err_.str().find("orchc: error:"), std::string::npos) << err_.str();
}

TEST_F(CliTest, OutputIsDeterministic) {
  std::string spec = Write("p.yaml", testing::kMinimalSpec);
  ASSERT_EQ(Run({"compile", spec, "--stdout"}), 0);
  std::string first = out_.str();
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(Run({"compile", spec, "--stdout"}), 0);
    EXPECT_EQ(out_.str(), first);
  }
}

TEST_F(CliTest, ADirectoryIsNotASpec) {
  fs::create_directories(dir_ / "specs");
  fs::create_directories(dir_ / "x.yaml");
  for (const fs::path& p : {dir_ / "specs", dir_ / "x.yaml"}) {
    EXPECT_EQ(Run({"validate", p.string()}), 2);
    EXPECT_EQ(err_.str(), "orchc: error: cannot read '" + p.string() +
                              "': it is a directory, not a spec file\n");
    EXPECT_EQ(Run({"compile", p.string(), "-o", (dir_ / "out").string()}), 2);
    EXPECT_FALSE(fs::exists(dir_ / "out"));
  }
}

TEST_F(CliTest, AnUnknownSubcommandIsNamed) {
  EXPECT_EQ(Run({"frob"}), 2);
  EXPECT_NE(err_.str().find("orchc: error: unknown subcommand 'frob'"), std::string::npos)
      << err_.str();
  EXPECT_EQ(Run({"frob", "x.yaml"}), 2);
  EXPECT_NE(err_.str().find("unknown subcommand 'frob'"), std::string::npos) << err_.str();
  EXPECT_EQ(Run({}), 2);
  EXPECT_NE(err_.str().find("A subcommand is required"), std::string::npos) << err_.str();
}

TEST_F(CliTest, ASpecFromStandardInput) {
  RealDisk disk;
  std::ostringstream out;
  EXPECT_EQ(RunWith({"compile", "-", "--stdout"}, testing::kMinimalSpec, out, disk), 0)
      << err_.str();
  std::string spec = Write("p.yaml", testing::kMinimalSpec);
  ASSERT_EQ(Run({"compile", spec, "--stdout"}), 0);
  EXPECT_EQ(out.str(), out_.str());

  const std::string bad = "version: 1\nenv: Y\n";
  EXPECT_EQ(RunWith({"validate", "-"}, bad, out, disk), 1);
  EXPECT_NE(err_.str().find("<stdin>:2:6: error: env is the string 'Y'"), std::string::npos)
      << err_.str();
  EXPECT_EQ(RunWith({"validate", "--stdin-filename", "specs/prod.yaml", "-"}, bad, out, disk), 1);
  EXPECT_NE(err_.str().find("specs/prod.yaml:2:6: error:"), std::string::npos) << err_.str();
  EXPECT_EQ(RunWith({"validate", "-", "-"}, bad, out, disk), 2);
  EXPECT_NE(err_.str().find("standard input ('-') can be read only once"), std::string::npos);
}

TEST_F(CliTest, CompactIsTheSameJson) {
  std::string spec = Write("p.yaml", testing::kMinimalSpec);
  fs::path pretty = dir_ / "pretty", compact = dir_ / "compact";
  ASSERT_EQ(Run({"compile", spec, "-o", pretty.string()}), 0) << err_.str();
  ASSERT_EQ(Run({"compile", spec, "--compact", "-o", compact.string()}), 0) << err_.str();
  int files = 0;
  for (const auto& e : fs::directory_iterator(pretty)) {
    ++files;
    const std::string p = Read(e.path()), c = Read(compact / e.path().filename());
    EXPECT_EQ(Json::parse(c), Json::parse(p)) << e.path();
    EXPECT_LT(c.size(), p.size());
    EXPECT_EQ(c.find('\n'), c.size() - 1) << "one line, ending in a newline";
    EXPECT_EQ(c.find(": "), std::string::npos);
  }
  EXPECT_EQ(files, 2);
  ASSERT_EQ(Run({"compile", spec, "--compact", "--stdout"}), 0);
  EXPECT_EQ(out_.str(), Read(compact / "OrchestrationStack-prod.template.json"));
  ASSERT_EQ(Run({"compile", spec, "--compact", "--definition-string", "--stdout"}), 0);
  EXPECT_EQ(out_.str().find('\n'), out_.str().size() - 1);
}

TEST_F(CliTest, FilesOfRemovedWorkflowsAreShownOrPruned) {
  // (The task definition from SSM: no warning about it.)
  const std::string one =
      "version: 1\nenv: prod\nimports: {taskDefinition: {ssm: /prod/td}}\nworkflows:\n"
      "  a:\n    task: {command: [x]}\n";
  const std::string two = one + "  b:\n    task: {command: [y]}\n";
  std::string spec = Write("p.yaml", two);
  fs::path out = dir_ / "out";
  ASSERT_EQ(Run({"compile", spec, "-o", out.string()}), 0) << err_.str();
  const fs::path b = out / "OrchestrationStack-prod.b.asl.json";
  ASSERT_TRUE(fs::exists(b));
  std::ofstream(out / "Other-stack.b.asl.json") << "{}";  // another stack's: never touched
  std::ofstream(out / "notes.txt") << "mine";
  Write("p.yaml", one);
  ASSERT_EQ(Run({"compile", spec, "-o", out.string()}), 0) << err_.str();
  EXPECT_EQ(err_.str(), "orchc: warning: " + b.string() +
                            " is the ASL file of a workflow its stack no longer has; delete it or "
                            "compile with --prune\n");
  EXPECT_TRUE(fs::exists(b));
  ASSERT_EQ(Run({"compile", spec, "-o", out.string(), "--prune"}), 0) << err_.str();
  EXPECT_NE(out_.str().find("removed " + b.string() + "\n"), std::string::npos) << out_.str();
  EXPECT_FALSE(fs::exists(b));
  EXPECT_TRUE(fs::exists(out / "Other-stack.b.asl.json"));
  EXPECT_TRUE(fs::exists(out / "notes.txt"));
  EXPECT_EQ(Run({"compile", spec, "--stdout", "--prune"}), 2);  // --prune needs -o
}

// A stream that accepts nothing, like standard output on a full disk.
class FullBuf : public std::streambuf {
 protected:
  int_type overflow(int_type) override {
    errno = ENOSPC;
    return traits_type::eof();
  }
  std::streamsize xsputn(const char*, std::streamsize) override {
    errno = ENOSPC;
    return 0;
  }
};

TEST_F(CliTest, AFailedWriteToStandardOutputIsAnError) {
  std::string spec = Write("p.yaml", std::string(testing::kMinimalSpec) +
                                         "imports: {taskDefinition: {ssm: /prod/td}}\n");
  RealDisk disk;
  const std::vector<std::vector<std::string>> commands = {
      {"compile", spec, "--stdout"},
      {"schema"},
      {"--help"},
      {"--version"},
      {"compile", spec, "-o", (dir_ / "out").string()}};
  for (const std::vector<std::string>& args : commands) {
    FullBuf full;
    std::ostream out(&full);
    EXPECT_EQ(RunWith(args, "", out, disk), 2) << args[0];
    EXPECT_EQ(err_.str(),
              "orchc: error: cannot write to standard output: No space left on device\n");
  }
}

// A disk whose every read throws: an unexpected exception is an internal error, exit 3.
class ThrowingDisk : public RealDisk {
 public:
  int ReadFile(const std::string&, std::string*) override { throw std::runtime_error("boom"); }
};

TEST_F(CliTest, AnUnexpectedExceptionIsAnInternalError) {
  ThrowingDisk disk;
  std::ostringstream out;
  EXPECT_EQ(RunWith({"validate", Write("p.yaml", testing::kMinimalSpec)}, "", out, disk), 3);
  EXPECT_EQ(err_.str(), "orchc: internal error: boom\n");
  EXPECT_EQ(Run({"--help"}), 0);
  EXPECT_NE(out_.str().find("3 internal error"), std::string::npos);
}

// Diagnostics formats, --werror, --no-warn and colour, on a spec with one warning (an exported
// task definition: export-lock-in, at 4:3) and one error (rate 0, at 5:34).
constexpr char kOneErrorOneWarning[] = R"y(version: 1
env: prod
workflows:
  a:
    schedule: {expression: "rate(0 hours)"}
    task: {command: [x]}
)y";
constexpr char kOneWarning[] = R"y(version: 1
env: prod
workflows:
  a:
    schedule: {expression: "rate(1 hour)"}
    task: {command: [x]}
    timeout: 1h
)y";
constexpr char kLockIn[] =
    "the task definition comes from the export 'prod-TaskDefinitionArn'; its ARN carries a "
    "revision, so the exporting stack cannot register a new revision while this stack imports "
    "the export (CloudFormation refuses to change an export in use); publish the ARN in an SSM "
    "parameter and write 'taskDefinition: {ssm: /...}' under imports:, or give the workflow its "
    "own taskDefinition:";

// A spec without any diagnostic.
const std::string kClean =
    std::string(testing::kMinimalSpec) + "imports: {taskDefinition: {ssm: /prod/td}}\n";

TEST_F(CliTest, TextDiagnosticsNameTheWarningClass) {
  std::string spec = Write("spec.yaml", kOneErrorOneWarning);
  EXPECT_EQ(Run({"validate", spec}), 1);
  EXPECT_EQ(err_.str(), spec + ":4:3: warning: " + kLockIn +
                            " [export-lock-in]\n"
                            "    a:\n"
                            "    ^\n" +
                            spec +
                            ":5:34: error: rate value 0 must be at least 1\n"
                            "      schedule: {expression: \"rate(0 hours)\"}\n"
                            "                                   ^\n"
                            "1 error generated.\n");
  EXPECT_EQ(Run({"validate", "--format", "text", spec}), 1);
  EXPECT_NE(err_.str().find("[export-lock-in]"), std::string::npos);
}

TEST_F(CliTest, JsonDiagnostics) {
  std::string spec = Write("spec.yaml", kOneErrorOneWarning);
  for (const char* cmd : {"validate", "compile"}) {
    std::vector<std::string> args = {cmd, "--format=json", spec};
    if (std::string(cmd) == "compile") args.push_back("--stdout");
    EXPECT_EQ(Run(args), 1) << cmd;
    EXPECT_EQ(out_.str(), "");
    EXPECT_EQ(err_.str(),
              "[\n"
              "  {\n"
              "    \"file\": " +
                  Json(spec).dump() +
                  ",\n"
                  "    \"line\": 4,\n"
                  "    \"column\": 3,\n"
                  "    \"length\": 1,\n"
                  "    \"severity\": \"warning\",\n"
                  "    \"class\": \"export-lock-in\",\n"
                  "    \"message\": " +
                  Json(kLockIn).dump() +
                  "\n"
                  "  },\n"
                  "  {\n"
                  "    \"file\": " +
                  Json(spec).dump() +
                  ",\n"
                  "    \"line\": 5,\n"
                  "    \"column\": 34,\n"
                  "    \"length\": 1,\n"
                  "    \"severity\": \"error\",\n"
                  "    \"class\": null,\n"
                  "    \"message\": \"rate value 0 must be at least 1\"\n"
                  "  }\n"
                  "]\n")
        << cmd;
  }
  // A clean spec: an empty array, and the template still on standard output.
  std::string good = Write("good.yaml", kClean);
  EXPECT_EQ(Run({"compile", "--format", "json", good, "--stdout"}), 0) << err_.str();
  EXPECT_EQ(err_.str(), "[]\n");
  EXPECT_TRUE(Json::parse(out_.str()).contains("Resources"));
  // An unreadable file is a file-level error of the document (exit 2), not a separate line.
  EXPECT_EQ(Run({"validate", "--format", "json", (dir_ / "missing.yaml").string()}), 2);
  Json missing = Json::parse(err_.str());
  ASSERT_EQ(missing.size(), 1u) << err_.str();
  EXPECT_EQ(missing[0]["file"], (dir_ / "missing.yaml").string());
  EXPECT_EQ(missing[0]["line"], nullptr);
  EXPECT_EQ(missing[0]["severity"], "error");
}

// The SARIF 2.1.0 schema shipped by npm's @microsoft/jest-sarif 1.0.0-beta.0
// (lib/schemas/sarif-2.1.0-rtm.5.json), kept under tests/sarif/.
// valijson's adapter takes nlohmann::json (not the ordered Json): convert, or it would bind a
// temporary.
bool ValidSarif(const Json& ordered_log, std::string* why) {
  static const nlohmann::json schema_json = [] {
    nlohmann::json j = nlohmann::json::parse(
        testing::ReadFile(ORCHC_SOURCE_DIR "/tests/sarif/sarif-schema-2.1.0.json"));
    j.erase("id");  // its "#/definitions/..." references are local; no base URL to fetch
    return j;
  }();
  valijson::Schema schema;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft4);
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_json);
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator;
  valijson::ValidationResults results;
  const nlohmann::json log = nlohmann::json::parse(ordered_log.dump());
  valijson::adapters::NlohmannJsonAdapter target(log);
  bool ok = validator.validate(schema, target, &results);
  valijson::ValidationResults::Error e;
  while (results.popError(e)) {
    for (const std::string& c : e.context) *why += c;
    *why += ": " + e.description + "\n";
  }
  return ok;
}

TEST_F(CliTest, SarifDiagnosticsMatchTheSchema) {
  std::string spec = Write("spec.yaml", kOneErrorOneWarning);
  EXPECT_EQ(Run({"validate", "--format", "sarif", spec}), 1);
  Json log = Json::parse(err_.str());
  std::string why;
  EXPECT_TRUE(ValidSarif(log, &why)) << why << err_.str();
  Json expected = Json::parse(R"({
    "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
    "version": "2.1.0",
    "runs": [{
      "tool": {"driver": {"name": "orchc", "version": ")" ORCHC_VERSION R"(", "rules": [
        {"id": "error", "shortDescription": {"text": "The spec is invalid and cannot be compiled"},
         "defaultConfiguration": {"level": "error"}},
        {"id": "no-workflows", "shortDescription": {"text": "The spec defines no workflows"},
         "defaultConfiguration": {"level": "warning"}},
        {"id": "export-lock-in", "shortDescription": {"text": "An imported task definition ARN pins a revision of the exporting stack"},
         "defaultConfiguration": {"level": "warning"}},
        {"id": "inline-template-size", "shortDescription": {"text": "The template is too large to deploy inline and must go through S3"},
         "defaultConfiguration": {"level": "warning"}},
        {"id": "schedule-never-fires", "shortDescription": {"text": "A schedule will not fire again: at() or endDate passed, or its cron years all passed"},
         "defaultConfiguration": {"level": "warning"}},
        {"id": "schedule-dst", "shortDescription": {"text": "A schedule's local time falls into a daylight-saving change in the next 12 months"},
         "defaultConfiguration": {"level": "warning"}},
        {"id": "schedule-unix-day-of-week", "shortDescription": {"text": "A numeric day-of-week written as in Unix cron: AWS counts 1 as Sunday"},
         "defaultConfiguration": {"level": "warning"}},
        {"id": "adopt-stale-entry", "shortDescription": {"text": "An entry of the adoption sidecar names a resource the stack no longer has"},
         "defaultConfiguration": {"level": "warning"}},
        {"id": "near-limit", "shortDescription": {"text": "A size or count of the template is above 80% of its AWS limit (orchc explain\u0029"},
         "defaultConfiguration": {"level": "warning"}},
        {"id": "schedule-without-timeout", "shortDescription": {"text": "A scheduled workflow has no timeout and a task that can hang until the 1-year limit"},
         "defaultConfiguration": {"level": "warning"}},
        {"id": "literal-placeholder", "shortDescription": {"text": "${env} or ${workflow} written where it is not replaced: it stays literal text"},
         "defaultConfiguration": {"level": "warning"}},
        {"id": "note", "shortDescription": {"text": "Information about other diagnostics"},
         "defaultConfiguration": {"level": "note"}}]}},
      "results": [
        {"ruleId": "export-lock-in", "ruleIndex": 2, "level": "warning", "message": {"text": "LOCKIN"},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": "SPEC"},
                                             "region": {"startLine": 4, "startColumn": 3}}}]},
        {"ruleId": "error", "ruleIndex": 0, "level": "error", "message": {"text": "rate value 0 must be at least 1"},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": "SPEC"},
                                             "region": {"startLine": 5, "startColumn": 34}}}]}]
    }]})");
  for (Json& r : expected["runs"][0]["results"]) {
    r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = spec;
  }
  expected["runs"][0]["results"][0]["message"]["text"] = kLockIn;
  EXPECT_EQ(log, expected) << log.dump(2);
  // The schema check can fail: a level SARIF does not know is refused.
  Json broken = log;
  broken["runs"][0]["results"][0]["level"] = "fatal";
  EXPECT_FALSE(ValidSarif(broken, &why));
  why.clear();

  // A whole-file error still has a line for code scanning; a caret range gives endColumn.
  std::string bad = Write("bad.yaml", "version: 1\nenv: prod\norchestration: {enabled: true}\n");
  EXPECT_EQ(Run({"compile", "--format=sarif", bad, "-o", (dir_ / "out").string()}), 1);
  log = Json::parse(err_.str());
  why.clear();
  EXPECT_TRUE(ValidSarif(log, &why)) << why << err_.str();
  EXPECT_FALSE(fs::exists(dir_ / "out"));
  EXPECT_EQ(Run({"validate", "--format", "sarif", Write("empty.yaml", "")}), 1);
  log = Json::parse(err_.str());
  why.clear();
  EXPECT_TRUE(ValidSarif(log, &why)) << why << err_.str();
  ASSERT_FALSE(log["runs"][0]["results"].empty()) << err_.str();
  EXPECT_EQ(log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"],
            Json::parse(R"({"startLine": 1, "startColumn": 1})"));
}

TEST_F(CliTest, WerrorFailsOnWarnings) {
  std::string spec = Write("spec.yaml", kOneWarning);
  EXPECT_EQ(Run({"validate", spec}), 0) << err_.str();
  EXPECT_NE(err_.str().find("warning:"), std::string::npos);
  EXPECT_EQ(Run({"validate", "--werror", spec}), 1);
  EXPECT_NE(err_.str().find(spec + ":4:3: warning: "), std::string::npos) << err_.str();
  EXPECT_TRUE(err_.str().ends_with("\n1 warning generated and --werror is set.\n")) << err_.str();
  fs::path out = dir_ / "out";
  EXPECT_EQ(Run({"compile", "--werror", spec, "-o", out.string()}), 1);
  EXPECT_TRUE(
      err_.str().ends_with("1 warning generated and --werror is set; nothing was written.\n"))
      << err_.str();
  EXPECT_FALSE(fs::exists(out));
  EXPECT_EQ(Run({"compile", "--werror", spec, "--stdout"}), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(Run({"compile", spec, "-o", out.string()}), 0) << err_.str();
  EXPECT_TRUE(fs::exists(out));
  EXPECT_EQ(Run({"validate", "--werror", "--format", "json", spec}), 1);
  EXPECT_EQ(Json::parse(err_.str()).size(), 1u) << err_.str();
  // --werror passes a spec without warnings.
  EXPECT_EQ(Run({"validate", "--werror", Write("good.yaml", kClean)}), 0) << err_.str();
}

TEST_F(CliTest, NoWarnSilencesExactlyOneClass) {
  std::string spec = Write("spec.yaml", kOneWarning);
  EXPECT_EQ(Run({"validate", "--werror", "--no-warn=export-lock-in", spec}), 0) << err_.str();
  EXPECT_EQ(err_.str(), "");
  // Another class leaves this one alone; the option repeats.
  EXPECT_EQ(Run({"validate", "--werror", "--no-warn=no-workflows", "--no-warn",
                 "inline-template-size", spec}),
            1);
  EXPECT_NE(err_.str().find("[export-lock-in]"), std::string::npos) << err_.str();
  std::string empty = Write("empty-list.yaml", "version: 1\nenv: prod\nstack: {name: Empty}\n");
  EXPECT_EQ(Run({"validate", empty}), 0) << err_.str();
  EXPECT_NE(err_.str().find("[no-workflows]"), std::string::npos) << err_.str();
  EXPECT_EQ(Run({"validate", "--no-warn=no-workflows", "--no-warn=export-lock-in", empty, spec}),
            0);
  EXPECT_EQ(err_.str(), "");
  // Silencing does not touch errors.
  EXPECT_EQ(Run({"validate", "--no-warn=export-lock-in", Write("e.yaml", kOneErrorOneWarning)}), 1);
  EXPECT_NE(err_.str().find("error: rate value 0"), std::string::npos) << err_.str();
  EXPECT_EQ(err_.str().find("warning:"), std::string::npos) << err_.str();
  // An unknown class is a usage error that lists the classes.
  EXPECT_EQ(Run({"validate", "--no-warn=export-lockin", spec}), 2);
  EXPECT_EQ(err_.str(),
            "orchc: error: unknown warning class 'export-lockin' in --no-warn; the classes are: "
            "no-workflows export-lock-in inline-template-size schedule-never-fires schedule-dst "
            "schedule-unix-day-of-week adopt-stale-entry near-limit schedule-without-timeout "
            "literal-placeholder\n");
  EXPECT_EQ(Run({"compile", "--no-warn=nope", spec, "--stdout"}), 2);
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CliTest, ColorOnlyOnTheLocationAndSeverity) {
  std::string spec = Write("spec.yaml", kOneErrorOneWarning);
  EXPECT_EQ(Run({"validate", "--color=always", spec}), 1);
  EXPECT_EQ(err_.str(), "\x1b[1m" + spec + ":4:3:\x1b[0m \x1b[1;35mwarning:\x1b[0m " + kLockIn +
                            " [export-lock-in]\n"
                            "    a:\n"
                            "    ^\n"
                            "\x1b[1m" +
                            spec +
                            ":5:34:\x1b[0m \x1b[1;31merror:\x1b[0m "
                            "rate value 0 must be at least 1\n"
                            "      schedule: {expression: \"rate(0 hours)\"}\n"
                            "                                   ^\n"
                            "1 error generated.\n");
  // never, and auto on a stream that is not a terminal: plain.
  for (const char* mode : {"--color=never", "--color=auto"}) {
    EXPECT_EQ(Run({"validate", mode, spec}), 1);
    EXPECT_EQ(err_.str().find('\x1b'), std::string::npos) << mode;
  }
  EXPECT_EQ(Run({"validate", "--color=sometimes", spec}), 2);
  // Machine formats never carry colour.
  EXPECT_EQ(Run({"validate", "--color=always", "--format=json", spec}), 1);
  EXPECT_EQ(err_.str().find('\x1b'), std::string::npos);
}

}  // namespace
}  // namespace orchc
