// Golden cases. Each directory under tests/golden/ is one case: <case>/spec.yaml + the expected
// output files beside it (compiled with default options, or with --definition-string when the
// case has a file named `definition-string`). Specs that must fail live in tests/errors/ (one
// runner for every error case: errors_test.cc).
// UPDATE_GOLDENS=1 rewrites the expected files from the current compiler.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "compile.h"

namespace orchc {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

bool Updating() {
  const char* v = std::getenv("UPDATE_GOLDENS");
  return v && std::string(v) == "1";
}

std::vector<std::string> Cases() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(ORCHC_GOLDEN_DIR)) {
    if (e.is_directory() && fs::exists(e.path() / "spec.yaml")) {
      names.push_back(e.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, MatchesExpected) {
  const fs::path dir = fs::path(ORCHC_GOLDEN_DIR) / GetParam();
  ASSERT_FALSE(fs::exists(dir / "expected.txt")) << "error cases belong in tests/errors/";
  CompileOptions options;
  options.emit.definition_string = fs::exists(dir / "definition-string");
  Compiler compiler(options);
  DiagSink sink;
  CompiledSpec out;
  // Paths in diagnostics are relative to the case, so goldens do not depend on the checkout.
  bool ok = compiler.Compile("spec.yaml", Read(dir / "spec.yaml"), sink, &out);
  std::string diags = sink.Render();

  ASSERT_TRUE(ok) << diags;
  std::set<std::string> expected;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string n = e.path().filename().string();
    if (n != "spec.yaml" && n != "definition-string" && n != "README.md") expected.insert(n);
  }
  if (Updating()) {
    for (const std::string& n : expected) fs::remove(dir / n);
    for (const OutputFile& f : out.files) WriteFile(dir / f.name, f.content);
    return;
  }
  std::set<std::string> produced;
  for (const OutputFile& f : out.files) {
    produced.insert(f.name);
    EXPECT_EQ(f.content, Read(dir / f.name)) << f.name << " differs (UPDATE_GOLDENS=1 to accept)";
  }
  EXPECT_EQ(produced, expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenTest, ::testing::ValuesIn(Cases()), [](const auto& info) {
  std::string n = info.param;
  for (char& c : n) {
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
});

}  // namespace
}  // namespace orchc
