#include "compile.h"

#include "checks.h"
#include "cross_spec.h"
#include "ir.h"
#include "lower.h"
#include "output.h"
#include "output_limits.h"
#include "schema_check.h"
#include "spec.h"
#include "spec_build.h"
#include "spec_extends.h"

namespace orchc {

Compiler::Compiler(CompileOptions options)
    : options_(options), schema_(&SchemaValidator::Shared()) {
  for (const BackendRow& row : BackendTable()) backends_.push_back(row.make());
}

Compiler::~Compiler() = default;

struct Compiler::Trees {
  std::vector<YamlDoc> bases;  // `extends:` files; doc's merged tree points into them
  YamlDoc doc;
  Spec spec;
  StackIR stack;
};

bool Compiler::Compile(const std::string& path, std::string text, DiagSink& sink,
                       CompiledSpec* out) {
  auto trees = std::make_unique<Trees>();
  trees->doc = LoadYaml(path, std::move(text), sink, options_.limits);
  ApplyExtends(trees->doc, options_.extends, options_.limits, sink, &trees->bases);
  bool ok = Run(*trees, sink, out);
  sources_.push_back(std::move(trees->doc.source));  // diagnostics point into it
  for (YamlDoc& base : trees->bases) sources_.push_back(std::move(base.source));
  if (options_.leave_trees_to_exit) {
    // Reachable from a static, so leak checkers do not report it; the OS frees it at exit.
    static auto* const kept = new std::vector<std::unique_ptr<Trees>>;
    kept->push_back(std::move(trees));
  }
  return ok;
}

bool Compiler::Run(Trees& t, DiagSink& sink, CompiledSpec* out) {
  const YamlDoc& doc = t.doc;
  if (!doc.root) return false;
  if (!schema_->Validate(doc, sink)) return false;
  Spec& spec = t.spec;
  if (!BuildSpec(doc, spec, sink)) return false;
  if (!CheckSpec(spec, sink)) return false;
  StackIR& stack = t.stack;
  if (!Lower(spec, stack, sink)) return false;
  if (options_.after_lower && !options_.after_lower(doc.source->path, stack, sink)) return false;
  if (options_.cross_spec && !options_.cross_spec->Claim(spec, stack, sink)) return false;
  std::vector<OutputFile> files;  // emitted for validate too: AWS's size limits need the text
  for (const auto& backend : backends_) backend->Emit(stack, options_.emit, files);
  const bool within_limits = CheckOutputLimits(stack, files, sink);
  if (options_.after_emit) options_.after_emit(spec, stack, files);
  if (!within_limits) return false;
  if (!out) return true;
  out->stack_name = stack.name;
  out->files = std::move(files);
  return true;
}

bool LoadSubcommandSpec(const std::string& path, uint64_t max_input_bytes, std::string* text,
                        CompileOptions* co, std::ostream& err) {
  RealDisk disk;
  std::string error;
  if (!ReadSpecFile(disk, path, text, &error)) {
    err << "orchc: error: " << error << "\n";
    return false;
  }
  if (max_input_bytes > 0) co->limits.max_bytes = max_input_bytes;
  co->leave_trees_to_exit = true;  // the command's caller exits next (main.cc)
  return true;
}

}  // namespace orchc
