// Helpers for compiler tests: run the pipeline on a string, get diagnostics or outputs.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "backend.h"
#include "compile.h"

namespace orchc::testing {

// The rendered diagnostics of validating `yaml` as file "spec.yaml" ("" when it is valid).
std::string Diagnostics(const std::string& yaml);

// Compiles `yaml`; fails the current test when it does not compile.
CompiledSpec CompileOk(const std::string& yaml, EmitOptions emit = {});

// The parsed template of a compiled spec.
Json Template(const std::string& yaml, EmitOptions emit = {});

// The whole content of a file ("" when it cannot be read).
std::string ReadFile(const std::filesystem::path& path);

// A fresh temporary directory per test, removed afterwards.
class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  std::filesystem::path dir_;
};

// A minimal valid spec with one workflow, to which a test appends or changes lines. Its task has
// a timeout, as a scheduled workflow needs (else the warning schedule-without-timeout).
extern const char kMinimalSpec[];

}  // namespace orchc::testing
