// The command line, run in-process: exit codes, all-or-nothing output, determinism.
#include "cli.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

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

}  // namespace
}  // namespace orchc
