// Per-stage benchmarks of the compiler pipeline (docs/performance.md, "Stages").
//
// Every stage runs on the prod spec (size argument 0) and on generated specs of 1 .. 10,000
// workflows (bench/gen_spec.py). Each benchmark prepares its input with the stages before it,
// outside the timed loop, and times only its own stage. `per_wf` is the time per workflow (the
// prod spec has one), the figure that must stay flat as specs grow.
//
//   build-bench/bench/orchc_bench --benchmark_filter='Schema' --benchmark_repetitions=5
#include <benchmark/benchmark.h>

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "backend.h"
#include "checks.h"
#include "compile.h"
#include "ir.h"
#include "lower.h"
#include "schema_check.h"
#include "spec.h"
#include "spec_build.h"
#include "yaml_tree.h"

namespace orchc {
namespace {

struct Input {
  std::string path;
  std::string text;
  int64_t workflows;
};

const Input& GetInput(int64_t size) {
  static std::map<int64_t, Input> cache;
  auto it = cache.find(size);
  if (it != cache.end()) return it->second;
  Input in;
  in.path = size == 0
                ? std::string(ORCHC_SOURCE_DIR) + "/specs/prod.yaml"
                : std::string(ORCHC_BENCH_SPEC_DIR) + "/gen-" + std::to_string(size) + ".yaml";
  in.workflows = size == 0 ? 1 : size;
  std::ifstream f(in.path, std::ios::binary);
  if (!f) throw std::runtime_error("bench: cannot read " + in.path);
  std::ostringstream ss;
  ss << f.rdbuf();
  in.text = ss.str();
  return cache.emplace(size, std::move(in)).first->second;
}

// The results of every stage for one input, built once and kept for the stages after it.
struct Prepared {
  std::vector<YamlDoc> bases;  // `extends:` files (specs/prod.yaml has one)
  YamlDoc doc;
  Spec spec;
  StackIR stack;
};

const SchemaValidator& Validator() { return SchemaValidator::Shared(); }

Prepared& Prepare(int64_t size) {
  static std::map<int64_t, std::unique_ptr<Prepared>> cache;
  auto& p = cache[size];
  if (p) return *p;
  p = std::make_unique<Prepared>();
  const Input& in = GetInput(size);
  DiagSink sink;
  p->doc = LoadYaml(in.path, in.text, sink);
  ApplyExtends(p->doc, ExtendsOptions{}, LoadLimits{}, sink, &p->bases);
  if (!Validator().Validate(p->doc, sink) || !BuildSpec(p->doc, p->spec, sink) ||
      !CheckSpec(p->spec, sink) || !Lower(p->spec, p->stack, sink)) {
    throw std::runtime_error("bench: " + in.path + " does not compile:\n" + sink.Render());
  }
  return *p;
}

void Finish(benchmark::State& state, int64_t workflows, size_t bytes) {
  state.counters["per_wf"] = benchmark::Counter(
      static_cast<double>(workflows),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(bytes));
}

void Check(bool ok, benchmark::State& state) {
  if (!ok) state.SkipWithError("stage reported errors");
}

// Loader: text -> YNode tree (includes the copy of the text the loader takes ownership of).
void BM_Load(benchmark::State& state) {
  const Input& in = GetInput(state.range(0));
  for (auto _ : state) {
    DiagSink sink;
    YamlDoc doc = LoadYaml(in.path, in.text, sink);
    Check(doc.root != nullptr, state);
    benchmark::DoNotOptimize(doc.root);
  }
  Finish(state, in.workflows, in.text.size());
}

// Times one stage on the prepared results of the stages before it; `run` returns whether the
// stage reported no error.
template <typename Run>
void TimeStage(benchmark::State& state, Run run) {
  const Input& in = GetInput(state.range(0));
  Prepared& p = Prepare(state.range(0));
  for (auto _ : state) {
    DiagSink sink;
    Check(run(p, sink), state);
  }
  Finish(state, in.workflows, in.text.size());
}

// JSON Schema validation of a loaded tree (the parsed schema is shared, as in orchc).
void BM_Schema(benchmark::State& state) {
  TimeStage(state, [](Prepared& p, DiagSink& sink) { return Validator().Validate(p.doc, sink); });
}

// Desugaring: tree -> Spec.
void BM_BuildSpec(benchmark::State& state) {
  TimeStage(state, [](Prepared& p, DiagSink& sink) {
    Spec spec;
    bool ok = BuildSpec(p.doc, spec, sink);
    benchmark::DoNotOptimize(spec.workflows.data());
    return ok;
  });
}

// Semantic checks.
void BM_Check(benchmark::State& state) {
  TimeStage(state, [](Prepared& p, DiagSink& sink) { return CheckSpec(p.spec, sink); });
}

// Lowering: Spec -> StackIR.
void BM_Lower(benchmark::State& state) {
  TimeStage(state, [](Prepared& p, DiagSink& sink) {
    StackIR stack;
    bool ok = Lower(p.spec, stack, sink);
    benchmark::DoNotOptimize(stack.resources.data());
    return ok;
  });
}

void RunBackend(benchmark::State& state, const Backend& backend) {
  const Input& in = GetInput(state.range(0));
  Prepared& p = Prepare(state.range(0));
  for (auto _ : state) {
    std::vector<OutputFile> files;
    EmitOptions options;
    backend.Emit(p.stack, options, files);
    benchmark::DoNotOptimize(files.data());
  }
  Finish(state, in.workflows, in.text.size());
}

// Back ends: StackIR -> the template / the ASL files, serialised.
void BM_EmitCfn(benchmark::State& state) { RunBackend(state, *MakeCloudFormationBackend()); }
void BM_EmitAsl(benchmark::State& state) { RunBackend(state, *MakeAslBackend()); }

// The whole pipeline of one spec in a Compiler built beforehand (what each further file of
// `orchc validate a.yaml b.yaml ...` costs). From 100 workflows on the template is over
// CloudFormation's limits, which orchc reports after emitting it: the work is the same, so
// these two time it regardless of the outcome (`ok` says which it was).
template <typename Run>
void TimeWhole(benchmark::State& state, Run run) {
  const Input& in = GetInput(state.range(0));
  CompileOptions options;
  Compiler compiler(options);
  bool ok = true;
  for (auto _ : state) {
    DiagSink sink;
    ok = run(compiler, in, sink);
  }
  state.counters["ok"] = ok;
  Finish(state, in.workflows, in.text.size());
}

void BM_CompileAll(benchmark::State& state) {
  TimeWhole(state, [](Compiler& c, const Input& in, DiagSink& sink) {
    CompiledSpec out;
    bool ok = c.Compile(in.path, in.text, sink, &out);
    benchmark::DoNotOptimize(out.files.data());
    return ok;
  });
}

void BM_ValidateAll(benchmark::State& state) {
  TimeWhole(state, [](Compiler& c, const Input& in, DiagSink& sink) {
    return c.Validate(in.path, in.text, sink);
  });
}

// The once-per-process set-up: parsing the schema (SchemaValidator::Shared() does it once).
void BM_SchemaSetup(benchmark::State& state) {
  for (auto _ : state) {
    SchemaValidator validator;
    benchmark::DoNotOptimize(&validator);
  }
}

// 0 = specs/prod.yaml; otherwise a generated spec of that many workflows.
void Sizes(benchmark::internal::Benchmark* b) {
  for (int64_t n : {0, 1, 10, 100, 1000, 10000}) b->Arg(n);
  b->ArgName("workflows")->Unit(benchmark::kMicrosecond);
}

BENCHMARK(BM_Load)->Apply(Sizes);
BENCHMARK(BM_Schema)->Apply(Sizes);
BENCHMARK(BM_BuildSpec)->Apply(Sizes);
BENCHMARK(BM_Check)->Apply(Sizes);
BENCHMARK(BM_Lower)->Apply(Sizes);
BENCHMARK(BM_EmitCfn)->Apply(Sizes);
BENCHMARK(BM_EmitAsl)->Apply(Sizes);
BENCHMARK(BM_ValidateAll)->Apply(Sizes);
BENCHMARK(BM_CompileAll)->Apply(Sizes);
BENCHMARK(BM_SchemaSetup)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace orchc

BENCHMARK_MAIN();
