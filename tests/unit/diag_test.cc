#include "diag.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

namespace orchc {
namespace {

TEST(DiagTest, RendersLocationSourceLineAndCaret) {
  SourceFile f{"specs/prod.yaml", "version: 1\nenv: Prod\n"};
  DiagSink sink;
  sink.AddSource(&f);
  sink.Error({&f.path, 2, 6}, "env is bad", 4);
  EXPECT_EQ(sink.Render(),
            "specs/prod.yaml:2:6: error: env is bad\n"
            "  env: Prod\n"
            "       ^~~~\n");
  EXPECT_TRUE(sink.has_errors());
}

TEST(DiagTest, KeepsAtMostTheErrorLimitPerFile) {
  SourceFile f{"a.yaml", "x: 1\n"}, g{"b.yaml", "y: 2\n"};
  DiagSink sink;
  sink.AddSource(&f);
  sink.AddSource(&g);
  for (size_t i = 0; i < kMaxErrorsPerFile + 50; ++i) sink.Error({&f.path, 1, 1}, "bad");
  EXPECT_TRUE(sink.saturated());
  sink.Error({&g.path, 1, 1}, "other file");
  EXPECT_EQ(sink.error_count(), kMaxErrorsPerFile + 51);
  EXPECT_EQ(sink.diagnostics().size(), kMaxErrorsPerFile + 1);
  std::string text = sink.Render(false);
  EXPECT_NE(text.find("a.yaml: note: too many errors: 50 more not shown (the first 100 are "
                      "above; fix those first)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("b.yaml:1:1: error: other file"), std::string::npos);
}

TEST(DiagTest, SortsByPositionAndKeepsWarningsApart) {
  SourceFile f{"a.yaml", "a: 1\nb: 2\n"};
  DiagSink sink;
  sink.AddSource(&f);
  sink.Warning(WarningClass::kNoWorkflows, {&f.path, 2, 1}, "second");
  sink.Error({&f.path, 1, 1}, "first");
  EXPECT_EQ(sink.Render(false),
            "a.yaml:1:1: error: first\na.yaml:2:1: warning: second [no-workflows]\n");
  EXPECT_EQ(sink.error_count(), 1u);
}

TEST(DiagTest, FileLevelDiagnosticHasNoPosition) {
  SourceFile f{"empty.yaml", ""};
  DiagSink sink;
  sink.AddSource(&f);
  sink.Error({&f.path, 0, 0}, "the spec is empty");
  EXPECT_EQ(sink.Render(), "empty.yaml: error: the spec is empty\n");
}

TEST(DiagTest, CrlfLineEndingsAreNotShown) {
  SourceFile f{"w.yaml", "a: 1\r\nb: x\r\n"};
  EXPECT_EQ(f.Line(2), "b: x");
  EXPECT_EQ(f.Line(3), "");
  EXPECT_EQ(f.Line(0), "");
}

TEST(DiagTest, ControlCharactersInSourceLinesArePrintedSafely) {
  SourceFile f{"c.yaml", std::string("a: \x1b[31mred\n")};
  DiagSink sink;
  sink.AddSource(&f);
  sink.Error({&f.path, 1, 4}, "bad");
  EXPECT_EQ(sink.Render(), "c.yaml:1:4: error: bad\n  a: ?[31mred\n     ^\n");
}

TEST(SpellCheckTest, GivesUpAboveTheCandidateLimit) {
  std::vector<std::string> names(kMaxSpellCandidates, "zzzzzz");
  names.push_back("retry");
  EXPECT_EQ(SpellCheck("retyr", names), "");
  names.erase(names.begin());
  EXPECT_EQ(SpellCheck("retyr", names), "retry");
}

TEST(DiagTest, DiagnosticsInAnIncludedFileAreFollowedByTheIncludeChain) {
  SourceFile top{"prod.yaml", "extends: mid.yaml\n"}, mid{"mid.yaml", "extends: base.yaml\n"},
      base{"base.yaml", "a: 1\n"};
  DiagSink sink;
  for (const SourceFile* f : {&top, &mid, &base}) sink.AddSource(f);
  sink.SetIncludedFrom(&mid.path, {&top.path, 1, 10}, 8);
  sink.SetIncludedFrom(&base.path, {&mid.path, 1, 10}, 9);
  sink.Warning(WarningClass::kNoWorkflows, {&base.path, 1, 4}, "w");
  sink.Error({&top.path, 1, 1}, "e");
  EXPECT_EQ(sink.Render(false),
            "prod.yaml:1:1: error: e\n"
            "base.yaml:1:4: warning: w [no-workflows]\n"
            "mid.yaml:1:10: note: included from here\n"
            "prod.yaml:1:10: note: included from here\n");
  EXPECT_EQ(sink.diagnostics().size(), 2u);  // the notes are rendered, not reported
}

TEST(SpellCheckTest, SuggestsCloseWordsOnly) {
  std::vector<std::string> words = {"schedule", "task", "onFailure", "names"};
  EXPECT_EQ(SpellCheck("schedul", words), "schedule");
  EXPECT_EQ(SpellCheck("Task", words), "task");
  EXPECT_EQ(SpellCheck("onfailure", words), "onFailure");
  EXPECT_EQ(SpellCheck("zzzzzz", words), "");
  EXPECT_EQ(SpellCheck(std::string(100, 'a'), words), "");
}

TEST(DiagTest, ColorFollowsModeTerminalAndNoColor) {
  EXPECT_TRUE(WantColor("always", false, nullptr));
  EXPECT_TRUE(WantColor("always", true, "1"));  // an explicit choice beats NO_COLOR
  EXPECT_FALSE(WantColor("never", true, nullptr));
  EXPECT_TRUE(WantColor("auto", true, nullptr));
  EXPECT_TRUE(WantColor("auto", true, ""));  // NO_COLOR counts only when not empty
  EXPECT_FALSE(WantColor("auto", true, "1"));
  EXPECT_FALSE(WantColor("auto", false, nullptr));
}

TEST(DiagTest, WarningClassesHaveUniqueKebabCaseNames) {
  std::set<std::string_view> names;
  for (const WarningClassInfo& w : kWarningClasses) {
    EXPECT_TRUE(names.insert(w.name).second) << w.name;
    EXPECT_EQ(w.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-"),
              std::string_view::npos)
        << w.name;
    EXPECT_EQ(FindWarningClass(w.name), w.cls);
    EXPECT_EQ(WarningClassName(w.cls), w.name);
    EXPECT_FALSE(w.summary.empty());
  }
  EXPECT_EQ(FindWarningClass("Export-Lock-In"), std::nullopt);
}

TEST(DiagTest, SilencedWarningsAreNeitherKeptNorCounted) {
  SourceFile f{"a.yaml", "a: 1\n"};
  DiagSink sink;
  sink.AddSource(&f);
  sink.Silence(WarningClass::kExportLockIn);
  sink.Warning(WarningClass::kExportLockIn, {&f.path, 1, 1}, "silenced");
  sink.Warning(WarningClass::kNoWorkflows, {&f.path, 1, 1}, "kept");
  EXPECT_EQ(sink.warning_count(), 1u);
  EXPECT_EQ(sink.Render(false), "a.yaml:1:1: warning: kept [no-workflows]\n");
}

TEST(DiagTest, MachineFormatsCarryTheTooManyErrorsNote) {
  SourceFile f{"a.yaml", "x: 1\n"};
  DiagSink sink;
  sink.AddSource(&f);
  for (size_t i = 0; i < kMaxErrorsPerFile + 2; ++i) sink.Error({&f.path, 1, 1}, "bad");
  auto json = nlohmann::json::parse(sink.RenderJson());
  ASSERT_EQ(json.size(), kMaxErrorsPerFile + 1);
  EXPECT_EQ(json.back().dump(),
            R"j({"class":null,"column":null,"file":"a.yaml","length":null,"line":null,)j"
            R"j("message":"too many errors: 2 more not shown (the first 100 are listed)",)j"
            R"j("severity":"note"})j");
  auto sarif = nlohmann::json::parse(sink.RenderSarif("1.2.3"));
  EXPECT_EQ(sarif["runs"][0]["results"].back()["ruleId"], "note");
  EXPECT_EQ(sarif["runs"][0]["results"].back()["level"], "note");
  EXPECT_EQ(sarif["runs"][0]["tool"]["driver"]["version"], "1.2.3");
}

TEST(DiagTest, MachineFormatsSurviveInvalidUtf8) {
  SourceFile f{"a.yaml", "x: 1\n"};
  DiagSink sink;
  sink.AddSource(&f);
  sink.Error({&f.path, 1, 4}, "unknown key '\xC3\x28'", 2);
  auto json = nlohmann::json::parse(sink.RenderJson());
  EXPECT_EQ(json[0]["length"], 2);
  auto sarif = nlohmann::json::parse(sink.RenderSarif("1"));
  EXPECT_EQ(
      sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["endColumn"], 6);
}

}  // namespace
}  // namespace orchc
