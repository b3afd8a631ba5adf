#include "compile.h"

#include "ir.h"
#include "output_limits.h"
#include "schema_check.h"
#include "spec.h"

namespace orchc {

Compiler::Compiler(CompileOptions options)
    : options_(options), schema_(&SchemaValidator::Shared()) {
  backends_.push_back(MakeCloudFormationBackend());
  backends_.push_back(MakeAslBackend());
}

Compiler::~Compiler() = default;

bool Compiler::Compile(const std::string& path, std::string text, DiagSink& sink,
                       CompiledSpec* out) {
  YamlDoc doc = LoadYaml(path, std::move(text), sink, options_.limits);
  bool ok = Run(doc, sink, out);
  sources_.push_back(std::move(doc.source));  // diagnostics point into it
  return ok;
}

bool Compiler::Run(const YamlDoc& doc, DiagSink& sink, CompiledSpec* out) {
  if (!doc.root) return false;
  if (!schema_->Validate(doc, sink)) return false;
  Spec spec;
  if (!BuildSpec(doc, spec, sink)) return false;
  if (!CheckSpec(spec, sink)) return false;
  StackIR stack;
  if (!Lower(spec, stack, sink)) return false;
  std::vector<OutputFile> files;  // emitted for validate too: AWS's size limits need the text
  for (const auto& backend : backends_) backend->Emit(stack, options_.emit, files);
  if (!CheckOutputLimits(spec, stack, files, sink)) return false;
  if (!out) return true;
  out->stack_name = stack.name;
  out->files = std::move(files);
  return true;
}

}  // namespace orchc
