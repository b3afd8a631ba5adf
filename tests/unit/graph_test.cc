// orchc graph: the renderer on hand-written ASL (escaping, faults), and the command's exit codes.
// Every spec and golden is drawn and compared with its ASL by tests/graph/check_graph.sh.
#include "graph.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cli.h"
#include "test_util.h"

namespace orchc {
namespace {

std::string Render(const std::string& asl, GraphFormat format, std::string* error = nullptr) {
  std::string out, err;
  bool ok = RenderGraph("Stack", {{"wf", asl}}, format, &out, &err);
  if (error) *error = err;
  return ok ? out : "FAILED";
}

constexpr const char kAsl[] = R"({"StartAt": "a \"q\" \\N",
  "States": {
    "a \"q\" \\N": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                    "Retry": [{"ErrorEquals": ["States.ALL"]}], "Next": "style x:#f;"},
    "style x:#f;": {"Type": "Choice",
                    "Choices": [{"And": [{"Variable": "$.a", "StringEquals": "x"},
                                         {"Not": {"Variable": "$.b", "IsPresent": true}}],
                                 "Next": "done"}],
                    "Default": "done"},
    "done": {"Type": "Succeed"}}})";

TEST(GraphTest, DotEscapesNamesAndLabelsEverything) {
  std::string dot = Render(kAsl, GraphFormat::kDot);
  // Quotes and backslashes escaped, so Graphviz shows "\N" literally instead of the node name.
  EXPECT_NE(
      dot.find(
          R"(w1_s1 [label="a \"q\" \\N\nsns:publish\nretry States.ALL: max 3, every 1s, backoff 2.0"];)"),
      std::string::npos)
      << dot;
  EXPECT_NE(
      dot.find(
          R"x(w1_s2 -> w1_s3 [label="($.a StringEquals \"x\") AND (NOT ($.b IsPresent true))"];)x"),
      std::string::npos)
      << dot;
  EXPECT_NE(dot.find(R"(w1_s2 -> w1_s3 [label="Default"];)"), std::string::npos) << dot;
  EXPECT_NE(dot.find("w1_start -> w1_s1;\n"), std::string::npos) << dot;
  EXPECT_NE(dot.find("w1_s3 -> w1_end;\n"), std::string::npos) << dot;
  EXPECT_EQ(dot, Render(kAsl, GraphFormat::kDot));  // deterministic
}

TEST(GraphTest, MermaidWritesEntityCodesAndDefeatsItsStyleRewrite) {
  std::string mmd = Render(kAsl, GraphFormat::kMermaid);
  EXPECT_NE(mmd.find(R"(w1_s1("a #quot;q#quot; \N<br/>sns:publish<br/>)"), std::string::npos)
      << mmd;
  // A label with "style" writes its colons as #58;, else Mermaid drops the line's last ';'.
  EXPECT_NE(mmd.find(R"(w1_s2{"style x#58;#35;f;<br/>Choice"})"), std::string::npos) << mmd;
  EXPECT_NE(mmd.find("w1_end(((\"end\")))"), std::string::npos) << mmd;
}

TEST(GraphTest, RefusesTextThatIsNotAStateMachine) {
  std::string error;
  EXPECT_EQ(Render("{", GraphFormat::kDot, &error), "FAILED");
  EXPECT_EQ(error, "workflow 'wf': the ASL text is not JSON");
  EXPECT_EQ(Render(R"({"States": {}})", GraphFormat::kDot, &error), "FAILED");
  EXPECT_EQ(error, "workflow 'wf': wf has no StartAt and States");
  EXPECT_EQ(Render(R"({"StartAt": "a", "States": {"a": {"Type": "Pass", "Next": "b"}}})",
                   GraphFormat::kMermaid, &error),
            "FAILED");
  EXPECT_EQ(error, "workflow 'wf': state 'a' goes to 'b', which is not a state of wf");
  EXPECT_EQ(
      Render(R"({"StartAt": "a", "States": {"a": {"End": true}}})", GraphFormat::kDot, &error),
      "FAILED");
  EXPECT_EQ(error, "workflow 'wf': state 'a' has no Type");
  // A branch's states are a scope of their own: a branch cannot go to a top-level state.
  EXPECT_EQ(Render(R"({"StartAt": "p", "States": {
      "p": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "x", "States": {"x": {"Type": "Pass", "Next": "p"}}}]}}})",
                   GraphFormat::kDot, &error),
            "FAILED");
  EXPECT_EQ(error, "workflow 'wf': state 'x' goes to 'p', which is not a state of p: branch 1");
}

class GraphCliTest : public testing::TempDirTest {
 protected:
  int Run(std::vector<std::string> args) {
    std::vector<const char*> argv = {"orchc", "graph"};
    for (const std::string& a : args) argv.push_back(a.c_str());
    out_.str("");
    err_.str("");
    return RunCli(static_cast<int>(argv.size()), argv.data(), out_, err_);
  }
  std::string Spec(const std::string& text) {
    std::string path = (dir_ / "spec.yaml").string();
    std::ofstream(path) << text;
    return path;
  }
  std::ostringstream out_, err_;
};

TEST_F(GraphCliTest, DrawsOneWorkflowOrRefusesAnUnknownOne) {
  std::string spec = Spec(testing::kMinimalSpec);
  EXPECT_EQ(Run({spec}), 0) << err_.str();
  EXPECT_TRUE(out_.str().starts_with("digraph \"OrchestrationStack-prod\" {\n")) << out_.str();
  EXPECT_EQ(Run({spec, "--workflow", "sample-batch", "--format", "mermaid"}), 0) << err_.str();
  EXPECT_NE(out_.str().find("flowchart TD\n  subgraph w1[\"sample-batch\"]\n"), std::string::npos)
      << out_.str();
  EXPECT_EQ(Run({spec, "--workflow", "sample-bach"}), 2);
  EXPECT_EQ(out_.str(), "");
  EXPECT_NE(err_.str().find("has no workflow 'sample-bach'; did you mean 'sample-batch'? (its "
                            "workflows: sample-batch)"),
            std::string::npos)
      << err_.str();
  EXPECT_EQ(Run({spec, "--format", "svg"}), 2);
  EXPECT_EQ(Run({(dir_ / "missing.yaml").string()}), 2);
}

TEST_F(GraphCliTest, ASpecWithErrorsPrintsDiagnosticsAndNoGraph) {
  std::string spec = Spec("version: 1\nenv: dev\norchestration: {enabled: true}\n");
  EXPECT_EQ(Run({spec}), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_NE(err_.str().find("spec.yaml:3:16: error: orchestration is missing the required key"),
            std::string::npos)
      << err_.str();
}

}  // namespace
}  // namespace orchc
