#include "test_util.h"

#include <gtest/gtest.h>

namespace orchc::testing {

const char kMinimalSpec[] = R"(version: 1
env: prod
orchestration:
  enabled: true
  scheduleExpression: cron(0 17 * * ? *)
  batchScriptPath: /app/bin/sample-batch
)";

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
