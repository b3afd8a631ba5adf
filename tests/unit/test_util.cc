#include "test_util.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace orchc::testing {

const char kMinimalSpec[] = R"(version: 1
env: prod
orchestration:
  enabled: true
  scheduleExpression: cron(0 17 * * ? *)
  batchScriptPath: /app/bin/sample-batch
  timeout: 2h
)";

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void TempDirTest::SetUp() {
  dir_ = std::filesystem::temp_directory_path() /
         ("orchc-test-" + std::to_string(::getpid()) + "-" +
          ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
}

void TempDirTest::TearDown() { std::filesystem::remove_all(dir_); }

std::string Diagnostics(const std::string& yaml) {
  Compiler compiler;
  DiagSink sink;
  compiler.Validate("spec.yaml", yaml, sink);
  return sink.Render();
}

CompiledSpec CompileOk(const std::string& yaml, EmitOptions emit) {
  CompileOptions options;
  options.emit = emit;
  Compiler compiler(options);
  DiagSink sink;
  CompiledSpec out;
  bool ok = compiler.Compile("spec.yaml", yaml, sink, &out);
  EXPECT_TRUE(ok) << sink.Render();
  return out;
}

Json Template(const std::string& yaml, EmitOptions emit) {
  CompiledSpec out = CompileOk(yaml, emit);
  if (out.files.empty()) return Json();
  return Json::parse(out.files[0].content);
}

}  // namespace orchc::testing
