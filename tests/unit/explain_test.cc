// orchc explain: the IAM provenance carried in the IR, the limits budget and its near-limit
// warning, and the command's errors. (tests/explain/check_explain.py checks every spec's and
// golden's explanation against its template.)
#include "explain.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cli.h"
#include "iam_statements.h"
#include "integrations/integration.h"
#include "ir.h"
#include "output_limits.h"
#include "test_util.h"

namespace orchc {
namespace {

namespace fs = std::filesystem;

// A workflow whose one task's command is one argument of `chars` characters.
std::string SpecWithCommand(size_t chars) {
  return "version: 1\nenv: prod\nworkflows:\n  big:\n    schedules:\n"
         "      - expression: rate(1 day)\n    steps:\n      - name: Run\n"
         "        task: {command: [\"" +
         std::string(chars, 'x') + "\"]}\n        timeout: 1h\n";
}

TEST(ExplainLimits, OverridesNearTheLimitWarnInCompileWithTheClass) {
  // The overrides JSON around the argument is about 60 characters: 7,000 is above 80% of 8,192.
  const std::string diags = testing::Diagnostics(SpecWithCommand(7000));
  EXPECT_NE(diags.find("spec.yaml:9:25: warning: container overrides"), std::string::npos)
      << diags;  // at the step's command
  EXPECT_NE(diags.find("warning: container overrides characters: big/Run: 7,0"), std::string::npos)
      << diags;
  EXPECT_NE(diags.find("of AWS's limit of 8,192 (8"), std::string::npos) << diags;
  EXPECT_NE(diags.find("[near-limit]"), std::string::npos) << diags;
  // Well below 80%: nothing.
  EXPECT_EQ(testing::Diagnostics(SpecWithCommand(6000)).find("near-limit"), std::string::npos);
}

TEST(ExplainLimits, CompileSilencesTheClassByName) {
  const std::string spec = SpecWithCommand(7000);
  const fs::path path = fs::temp_directory_path() / "orchc-explain-near-limit.yaml";
  std::ofstream(path) << spec;
  const std::string p = path.string();
  std::vector<const char*> argv = {"orchc", "compile", p.c_str(), "--stdout", "--werror"};
  std::ostringstream out, err;
  EXPECT_EQ(RunCli(static_cast<int>(argv.size()), argv.data(), out, err), 1) << err.str();
  EXPECT_NE(err.str().find("[near-limit]"), std::string::npos) << err.str();
  argv.push_back("--no-warn=export-lock-in");  // the spec's other warning
  std::ostringstream out1, err1;
  EXPECT_EQ(RunCli(static_cast<int>(argv.size()), argv.data(), out1, err1), 1) << err1.str();
  argv.push_back("--no-warn=near-limit");
  std::ostringstream out2, err2;
  EXPECT_EQ(RunCli(static_cast<int>(argv.size()), argv.data(), out2, err2), 0) << err2.str();
  fs::remove(path);
}

TEST(ExplainLimits, BudgetCountsAndPercentages) {
  Compiler compiler;
  DiagSink sink;
  std::vector<LimitUse> budget;
  CompileOptions co;
  co.after_emit = [&](const Spec&, const StackIR& stack, const std::vector<OutputFile>& files) {
    budget = LimitsBudget(stack, files);
    // A small custom limit: the same spec is then above 80% of it, and warned about.
    OutputLimits tight;
    tight.max_resources = stack.resources.size() + 1;
    DiagSink near;
    EXPECT_TRUE(CheckOutputLimits(stack, files, near, tight));
    EXPECT_NE(near.Render().find("resources: " + std::to_string(stack.resources.size()) +
                                 " of AWS's limit of " + std::to_string(tight.max_resources)),
              std::string::npos)
        << near.Render();
    EXPECT_EQ(near.diagnostics().at(0).warning_class, WarningClass::kNearLimit);
  };
  Compiler with_hook(co);
  ASSERT_TRUE(with_hook.Compile("spec.yaml", testing::kMinimalSpec, sink, nullptr))
      << sink.Render();
  std::map<std::string, LimitUse> by_name;
  for (const LimitUse& u : budget) by_name[u.name] = u;
  ASSERT_TRUE(by_name.count("resources"));
  EXPECT_EQ(by_name["resources"].limit, 500u);
  EXPECT_EQ(by_name["outputs"].used, 2u);
  EXPECT_EQ(by_name["outputs"].limit, 200u);
  EXPECT_EQ(by_name["parameters"].limit, 200u);
  EXPECT_EQ(by_name["template bytes (inline deploy)"].limit, 51200u);
  EXPECT_EQ(by_name["template bytes"].limit, 1048576u);
  EXPECT_GT(by_name["template bytes"].used, 1000u);
  bool definition = false, role = false, overrides = false;
  for (const LimitUse& u : budget) {
    definition = definition || (u.name.starts_with("definition bytes: ") && u.limit == 1048576);
    role = role ||
           (u.name.starts_with("role policy characters: ") && u.limit == 10240 && u.used > 100);
    overrides = overrides || (u.name.starts_with("container overrides characters: ") &&
                              u.limit == 8192 && u.used > 20);
  }
  EXPECT_TRUE(definition && role && overrides);
}

TEST(ExplainLimits, ExpressWorkflowsHaveAPayloadRow) {
  const std::string spec =
      "version: 1\nenv: prod\nworkflows:\n  big:\n    type: EXPRESS\n    schedules:\n"
      "      - expression: rate(1 day)\n        input: {a: 1}\n    steps:\n"
      "      - {name: Run, pass: {}}\n";
  CompileOptions co;
  std::vector<LimitUse> budget;
  co.after_emit = [&](const Spec&, const StackIR& stack, const std::vector<OutputFile>& files) {
    budget = LimitsBudget(stack, files);
  };
  Compiler compiler(co);
  DiagSink sink;
  ASSERT_TRUE(compiler.Compile("spec.yaml", spec, sink, nullptr)) << sink.Render();
  bool found = false;
  for (const LimitUse& u : budget) {
    if (u.name == "execution input bytes (EXPRESS): big") {
      found = true;
      EXPECT_EQ(u.limit, 262144u);
      // {"triggerSource":"EventBridge","timestamp":"2000-01-01T00:00:00Z","a":1}
      EXPECT_EQ(u.used, 72u);
    }
  }
  EXPECT_TRUE(found);
}

// The limits read the IR and the emitted files only: what the lowering measured (a service
// step's request, an EXPRESS workflow's input) is checked at the spec location the IR carries.
TEST(ExplainLimits, SizesTheLoweringMeasuredAreCheckedFromTheIrAlone) {
  const std::string path = "spec.yaml";
  StackIR stack;
  stack.loc = {&path, 0, 0};
  WorkflowIR& wf = stack.workflows.emplace_back();
  wf.name = "big";
  wf.loc = {&path, 3, 3};
  wf.express_input = SizeUse{300000, {&path, 4, 11}};
  wf.step_sizes.push_back({9000, {&path, 9, 25}, "Run", &IntegrationFor<EcsTaskSpec>()});
  DiagSink sink;
  std::vector<LimitUse> budget = LimitsBudget(stack, {});
  EXPECT_FALSE(CheckOutputLimits(stack, {}, sink));
  ASSERT_EQ(sink.diagnostics().size(), 2u);
  const bool error_first = sink.diagnostics()[0].severity == Severity::kError;
  const Diagnostic& error = sink.diagnostics()[error_first ? 0 : 1];
  const Diagnostic& input = sink.diagnostics()[error_first ? 1 : 0];
  EXPECT_EQ(error.severity, Severity::kError);
  EXPECT_EQ(error.loc.line, 9u);
  EXPECT_EQ(error.loc.col, 25u);
  EXPECT_EQ(error.message,
            "the container command of step 'Run' of workflow 'big' makes 9,000 characters of ECS "
            "overrides, over ECS's limit of 8,192; pass long inputs another way (a file in the "
            "image, an S3 object)");
  // An execution input over its limit is a near-limit warning ("over it"), not an error.
  EXPECT_EQ(input.warning_class, WarningClass::kNearLimit);
  EXPECT_EQ(input.loc.line, 4u);
  EXPECT_EQ(input.message,
            "execution input bytes (EXPRESS): big: 300,000 of AWS's limit of 262,144 (114%), "
            "over it; 'orchc explain' shows every limit");
  std::map<std::string, uint64_t> used;
  for (const LimitUse& u : budget) used[u.name] = u.used;
  EXPECT_EQ(used["container overrides characters: big/Run"], 9000u);
  EXPECT_EQ(used["execution input bytes (EXPRESS): big"], 300000u);
  EXPECT_EQ(used["definition bytes: big"], CompactAslDefinition(wf).size());
}

TEST(ExplainIr, MergeKeepsEveryBecauseAndEachReasonOnce) {
  IamStatement a{{"ecs:RunTask"}, {"*"}, nullptr};
  a.reason = "R1.";
  a.because = {{"step 'A'", {}}};
  IamStatement b{{"ecs:StopTask"}, {"*"}, nullptr};
  b.reason = "R1.";
  b.because = {{"step 'B'", {}}};
  IamStatement c{{"ecs:DescribeTasks"}, {"*"}, nullptr};
  c.reason = "R2.";
  c.because = {{"step 'C'", {}}};
  std::vector<IamStatement> merged = MergeStatements({a, b, c});
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].reason, "R1. R2.");
  ASSERT_EQ(merged[0].because.size(), 3u);
  EXPECT_EQ(merged[0].because[2].what, "step 'C'");
  // The emitted policy is unchanged by the provenance.
  EXPECT_EQ(PolicyDocument(merged).dump(),
            R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":)"
            R"(["ecs:DescribeTasks","ecs:RunTask","ecs:StopTask"],"Resource":"*"}]})");
}

TEST(ExplainIr, AttributeFillsOnlyTheUnattributed) {
  std::vector<IamStatement> iam(3);
  iam[1].because = {{"inner", {}}};
  AttributeStatements(iam, 1, "outer", {});
  EXPECT_TRUE(iam[0].because.empty());
  EXPECT_EQ(iam[1].because.at(0).what, "inner");
  EXPECT_EQ(iam[2].because.at(0).what, "outer");
}

TEST(ExplainIr, TrustStatementIsTheTrustPolicy) {
  IamStatement st = TrustStatement("states.amazonaws.com", nullptr);
  EXPECT_EQ(PolicyDocument({st}).dump(),
            R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":)"
            R"({"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole"}]})");
}

class ExplainCli : public testing::TempDirTest {
 protected:
  int Run(std::vector<std::string> args) {
    std::vector<const char*> argv = {"orchc"};
    for (const std::string& a : args) argv.push_back(a.c_str());
    out_.str("");
    err_.str("");
    return RunCli(static_cast<int>(argv.size()), argv.data(), out_, err_);
  }
  std::string Write(const std::string& text) {
    const fs::path p = dir_ / "spec.yaml";
    std::ofstream(p) << text;
    return p.string();
  }
  std::ostringstream out_, err_;
};

TEST_F(ExplainCli, JsonNamesEveryRoleWithLocatedReasons) {
  const std::string spec = Write(testing::kMinimalSpec);
  ASSERT_EQ(Run({"explain", spec, "--format", "json"}), 0) << err_.str();
  const Json j = Json::parse(out_.str());
  ASSERT_EQ(j["roles"].size(), 2u) << j.dump(2);  // the state machine's and the rule's
  for (const Json& role : j["roles"]) {
    for (const Json& st : role["statements"]) {
      EXPECT_FALSE(st["reason"].get<std::string>().empty()) << st.dump();
      ASSERT_FALSE(st["because"].empty()) << st.dump();
      EXPECT_TRUE(st["because"][0]["where"].get<std::string>().starts_with(spec + ":"))
          << st.dump();
    }
  }
  EXPECT_EQ(j["roles"][0]["statements"][0]["principal"]["Service"], "states.amazonaws.com");
  EXPECT_NE(j["roles"][0]["statements"][0]["reason"].get<std::string>().find("confused-deputy"),
            std::string::npos);
  // Text: the same content for people.
  ASSERT_EQ(Run({"explain", spec}), 0) << err_.str();
  EXPECT_NE(out_.str().find("allow ecs:RunTask"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("because workflow 'sample-batch', step"), std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("\n    on "), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("\nlimits (used / AWS limit"), std::string::npos) << out_.str();
}

TEST_F(ExplainCli, Errors) {
  const std::string spec = Write(testing::kMinimalSpec);
  EXPECT_EQ(Run({"explain", spec, "--format", "yaml"}), 2);
  EXPECT_NE(err_.str().find("--format"), std::string::npos) << err_.str();
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(Run({"explain", dir_.string()}), 2);
  EXPECT_NE(err_.str().find("is a directory"), std::string::npos) << err_.str();
  EXPECT_EQ(Run({"explain", (dir_ / "missing.yaml").string()}), 2);
  EXPECT_EQ(Run({"explain"}), 2);
  // A spec with errors: located diagnostics, exit 1, nothing on standard output.
  EXPECT_EQ(Run({"explain", Write("version: 1\nenv: prod\nworkflows:\n  x: {schedules: 3}\n")}), 1);
  EXPECT_NE(err_.str().find("spec.yaml:4:"), std::string::npos) << err_.str();
  EXPECT_EQ(out_.str(), "");
}

}  // namespace
}  // namespace orchc
