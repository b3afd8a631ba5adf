// Helpers for compiler tests: run the pipeline on a string, get diagnostics or outputs.
#pragma once

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

// A minimal valid spec with one workflow, to which a test appends or changes lines.
extern const char kMinimalSpec[];

}  // namespace orchc::testing
