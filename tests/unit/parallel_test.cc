// Large specs are lowered and written on several threads: the output must not depend on how
// many, and every chunk of the work must run exactly once.
#include "parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>

#include "backend.h"
#include "ir.h"
#include "schema_check.h"
#include "spec.h"
#include "yaml_tree.h"

namespace orchc {
namespace {

TEST(Parallel, ChunksCoverEveryIndexOnce) {
  for (size_t n : {0u, 1u, 2u, 31u, 64u, 1000u}) {
    for (size_t chunks : {1u, 2u, 3u, 8u}) {
      std::vector<std::atomic<int>> seen(n);
      ForEachChunk(n, chunks, [&](size_t, size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) ++seen[i];
      });
      for (size_t i = 0; i < n; ++i) ASSERT_EQ(seen[i], 1) << n << " items, " << chunks << " chunks";
    }
  }
}

TEST(Parallel, SmallInputsStayOnOneThread) {
  EXPECT_EQ(ChunkCount(63, 2, 32), 1u);
  EXPECT_EQ(ChunkCount(64, 2, 32), 2u);
  EXPECT_EQ(ChunkCount(10000, 2, 32), 2u);
  EXPECT_EQ(ChunkCount(10000, 1, 32), 1u);
  EXPECT_EQ(ChunkCount(10000, 0, 32), UsableCpus());  // one per CPU this process may use
  EXPECT_GE(UsableCpus(), 1u);
}

TEST(Parallel, AnExceptionOfAnyChunkReachesTheCaller) {
  EXPECT_THROW(ForEachChunk(100, 4,
                            [](size_t c, size_t, size_t) {
                              if (c == 3) throw std::runtime_error("chunk 3");
                            }),
               std::runtime_error);
}

// 150 workflows of varied shapes; scheduler schedules share three groups, so groups first used
// in different chunks are joined.
std::string ManyWorkflows() {
  std::string y =
      "version: 1\nenv: prod\nstack: {tags: {team: data}}\n"
      "imports: {taskDefinition: {ssm: /prod/td}}\nworkflows:\n";
  for (int i = 0; i < 150; ++i) {
    const std::string name = "wf-" + std::to_string(i);
    y += "  " + name + ":\n";
    switch (i % 4) {
      case 0:
        y += "    schedule: {expression: 'cron(0 1 * * ? *)', engine: scheduler, group: g" +
             std::to_string(i % 3) + "}\n";
        break;
      case 1:
        y += "    schedule: {expression: rate(1 hour), deadLetterQueue: create}\n";
        break;
      case 2:
        y += "    taskDefinition: {image: repo/app:1, cpu: 256, memory: 512}\n"
             "    alarms: {failed: 1}\n";
        break;
      default:
        break;
    }
    y += "    task: {command: [/app/bin/job, --n, '" + std::to_string(i) + "']}\n";
  }
  return y;
}

std::vector<OutputFile> Emitted(const std::string& yaml, unsigned threads) {
  DiagSink sink;
  YamlDoc doc = LoadYaml("many.yaml", yaml, sink);
  Spec spec;
  StackIR stack;
  EXPECT_TRUE(SchemaValidator::Shared().Validate(doc, sink) && BuildSpec(doc, spec, sink) &&
              CheckSpec(spec, sink) && Lower(spec, stack, sink, threads))
      << sink.Render();
  std::vector<OutputFile> files;
  EmitOptions options;
  options.threads = threads;
  MakeCloudFormationBackend()->Emit(stack, options, files);
  MakeAslBackend()->Emit(stack, options, files);
  return files;
}

TEST(Parallel, OutputIsTheSameForAnyNumberOfThreads) {
  const std::string yaml = ManyWorkflows();
  const std::vector<OutputFile> one = Emitted(yaml, 1);
  ASSERT_EQ(one.size(), 151u);
  // Each group is made once, before the first schedule in it.
  const std::string& t = one[0].content;
  for (const char* g : {"\"ScheduleGroupG0\": {", "\"ScheduleGroupG1\": {", "\"ScheduleGroupG2\": {"}) {
    size_t at = t.find(g);
    ASSERT_NE(at, std::string::npos) << g;
    EXPECT_EQ(t.find(g, at + 1), std::string::npos) << g;
  }
  for (unsigned threads : {2u, 3u, 7u}) {
    const std::vector<OutputFile> many = Emitted(yaml, threads);
    ASSERT_EQ(many.size(), one.size()) << threads;
    for (size_t i = 0; i < one.size(); ++i) {
      EXPECT_EQ(many[i].name, one[i].name) << threads;
      EXPECT_TRUE(many[i].content == one[i].content) << one[i].name << ", " << threads << " threads";
    }
  }
}

}  // namespace
}  // namespace orchc
