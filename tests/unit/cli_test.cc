// The command line, run in-process: exit codes, all-or-nothing output, determinism.
#include "cli.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "output.h"
#include "test_util.h"

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
  EXPECT_EQ(asl["StartAt"], "RunBatchTask");
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
  EXPECT_NE(err_.str().find("a.yaml:3:1: error: unknown key 'bogus'"), std::string::npos) << err_.str();
  EXPECT_NE(err_.str().find("b.yaml:2:6: error: env is the string 'Y'"), std::string::npos) << err_.str();
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
  EXPECT_EQ(Run({"compile", a, b, "-o", (dir_ / "out").string()}), 2);
  EXPECT_FALSE(fs::exists(dir_ / "out" / "OrchestrationStack-prod.template.json"));
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

}  // namespace
}  // namespace orchc
