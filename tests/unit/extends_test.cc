// `extends:`: the merge rule, located diagnostics with the include chain, the limits, and files
// outside the spec's tree. Files come from MemorySpecFiles (relative paths are under /cwd).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli.h"
#include "compile.h"
#include "spec_extends.h"
#include "test_util.h"

namespace orchc {
namespace {

// A node in flow style, for comparing trees: {a: 1, b: [x, y]}; null is "~".
std::string Flow(const YNode* n) {
  if (n->IsNull()) return "~";
  if (n->IsScalar()) return n->value;
  std::string s = n->IsMap() ? "{" : "[";
  if (n->IsMap()) {
    for (const YNode::Entry& e : n->entries)
      s += (s.size() > 1 ? ", " : "") + e.key + ": " + Flow(e.value);
  } else {
    for (const YNode* i : n->items) s += (s.size() > 1 ? ", " : "") + Flow(i);
  }
  return s + (n->IsMap() ? "}" : "]");
}

struct Merged {
  DiagSink sink;
  YamlDoc base, over;
  const YNode* root = nullptr;
};

std::unique_ptr<Merged> Merge(const std::string& base, const std::string& over) {
  auto m = std::make_unique<Merged>();
  m->base = LoadYaml("base.yaml", base, m->sink);
  m->over = LoadYaml("over.yaml", over, m->sink);
  EXPECT_FALSE(m->sink.has_errors()) << m->sink.Render();
  m->root = MergeYaml(m->base.root, m->over.root, true, m->over.nodes);
  return m;
}

TEST(ExtendsMergeTest, MappingsMergeKeyByKeyRecursively) {
  auto m = Merge("a: 1\nb: {c: 2, d: {e: 3, f: 4}}\n", "b: {d: {f: 5, g: 6}, h: 7}\ni: 8\n");
  EXPECT_EQ(Flow(m->root), "{a: 1, b: {c: 2, d: {e: 3, f: 5, g: 6}, h: 7}, i: 8}");
}

TEST(ExtendsMergeTest, ListsAndScalarsAreReplaced) {
  auto m = Merge("l: [a, b, c]\ns: x\nm: {k: 1}\n", "l: [d]\ns: y\nm: [z]\n");
  EXPECT_EQ(Flow(m->root), "{l: [d], s: y, m: [z]}");
}

TEST(ExtendsMergeTest, NullRemovesTheBasesKey) {
  auto m = Merge("a: 1\nb: {c: 2, d: 3}\ne: [x]\n", "a: null\nb: {d: ~}\ne:\nf: null\n");
  // A null over a key the base lacks stays, as written (the schema judges it).
  EXPECT_EQ(Flow(m->root), "{b: {c: 2}, f: ~}");
}

TEST(ExtendsMergeTest, NodesKeepTheLocationOfTheirFile) {
  auto m = Merge("a: 1\nb: {c: 2}\n", "x: 0\nb: {d: 3}\n");
  const YNode* b = m->root->Get("b");
  EXPECT_EQ(*m->root->Get("a")->loc.file, "base.yaml");
  EXPECT_EQ(*b->loc.file, "over.yaml");  // a merged mapping is where the extending file has it
  EXPECT_EQ(*b->Get("c")->loc.file, "base.yaml");
  EXPECT_EQ(b->Get("c")->loc.line, 2u);
  EXPECT_EQ(*b->Get("d")->loc.file, "over.yaml");
}

TEST(ExtendsMergeTest, OnlyTheTopLevelExtendsKeyIsDropped) {
  auto m = Merge("extends: x.yaml\nw: {extends: 1}\n", "extends: base.yaml\nw: {v: 2}\n");
  EXPECT_EQ(Flow(m->root), "{w: {extends: 1, v: 2}}");
}

// Compiles `spec` (at specs/prod.yaml) with the given files under /cwd.
struct SpecRun {
  MemorySpecFiles files;
  std::unique_ptr<Compiler> compiler;  // keeps the SourceFiles the diagnostics point into
  DiagSink sink;
  CompiledSpec out;
  bool ok = false;
};

std::unique_ptr<SpecRun> CompileWith(const std::map<std::string, std::string>& files,
                                     const std::string& spec, bool allow_outside = false,
                                     const std::string& path = "specs/prod.yaml") {
  auto r = std::make_unique<SpecRun>();
  for (const auto& [name, text] : files) r->files.files["/cwd/" + name] = text;
  r->files.files["/cwd/" + path] = spec;
  CompileOptions options;
  options.extends.files = &r->files;
  options.extends.allow_outside = allow_outside;
  r->compiler = std::make_unique<Compiler>(options);
  r->ok = r->compiler->Compile(path, spec, r->sink, &r->out);
  return r;
}

const char kBase[] = R"(version: 1
stack:
  description: Shared (${env})
orchestration:
  scheduleExpression: cron(0 17 * * ? *)
  batchScriptPath: /app/bin/sample-batch
)";

TEST(ExtendsCompileTest, ABaseGivesTheSameOutputAsTheSpecWrittenOut) {
  auto r =
      CompileWith({{"specs/orchestration.base.yaml", kBase}},
                  "extends: orchestration.base.yaml\nenv: dev\norchestration:\n  enabled: false\n");
  ASSERT_TRUE(r->ok) << r->sink.Render();
  auto full = CompileWith({}, R"(version: 1
env: dev
stack:
  description: Shared (dev)
orchestration:
  enabled: false
  scheduleExpression: cron(0 17 * * ? *)
  batchScriptPath: /app/bin/sample-batch
)");
  ASSERT_TRUE(full->ok) << full->sink.Render();
  ASSERT_EQ(r->out.files.size(), full->out.files.size());
  for (size_t i = 0; i < r->out.files.size(); ++i) {
    EXPECT_EQ(r->out.files[i].name, full->out.files[i].name);
    EXPECT_EQ(r->out.files[i].content, full->out.files[i].content);  // ${env} is dev's
  }
}

std::string Render(const std::map<std::string, std::string>& files, const std::string& spec,
                   bool allow_outside = false) {
  auto r = CompileWith(files, spec, allow_outside);
  EXPECT_FALSE(r->ok);
  return r->sink.Render();
}

TEST(ExtendsCompileTest, AnErrorInTheBaseIsLocatedThereWithTheIncludeChain) {
  std::string base = kBase;
  base += "logs:\n  retentionDays: 8\n";
  const std::string text =
      Render({{"specs/shared/mid.yaml", "extends: ../orchestration.base.yaml\ntracing: true\n"},
              {"specs/orchestration.base.yaml", base}},
             "extends: shared/mid.yaml\nenv: prod\norchestration: {enabled: true}\n");
  // After prod.yaml's own warning (files are shown in the order they were read).
  ASSERT_TRUE(text.starts_with("specs/prod.yaml:3:1: warning: the task definition")) << text;
  EXPECT_EQ(text.substr(text.find("specs/orchestration.base.yaml:")),
            "specs/orchestration.base.yaml:8:18: error: log retention of 8 days is not one "
            "CloudWatch Logs allows; allowed: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, "
            "545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (nearest: 7 or 14)\n"
            "    retentionDays: 8\n"
            "                   ^\n"
            "specs/shared/mid.yaml:1:10: note: included from here\n"
            "  extends: ../orchestration.base.yaml\n"
            "           ^~~~~~~~~~~~~~~~~~~~~~~~~~\n"
            "specs/prod.yaml:1:10: note: included from here\n"
            "  extends: shared/mid.yaml\n"
            "           ^~~~~~~~~~~~~~~\n");
}

TEST(ExtendsCompileTest, YamlErrorsInTheBaseHaveTheNoteToo) {
  EXPECT_EQ(
      Render({{"specs/base.yaml", "version: 1\nversion: 1\n"}}, "extends: base.yaml\nenv: prod\n"),
      "specs/base.yaml:2:1: error: duplicate key 'version'; the first is at line 1, remove "
      "one of them\n"
      "  version: 1\n"
      "  ^~~~~~~\n"
      "specs/prod.yaml:1:10: note: included from here\n"
      "  extends: base.yaml\n"
      "           ^~~~~~~~~\n");
}

TEST(ExtendsCompileTest, ACycleIsRefused) {
  EXPECT_EQ(Render({{"specs/a.yaml", "extends: b.yaml\n"}, {"specs/b.yaml", "extends: a.yaml\n"}},
                   "extends: a.yaml\nenv: prod\n"),
            "specs/b.yaml:1:10: error: extends cycle: 'specs/prod.yaml' extends 'specs/a.yaml' "
            "extends 'specs/b.yaml' extends 'specs/a.yaml'\n"
            "  extends: a.yaml\n"
            "           ^~~~~~\n"
            "specs/a.yaml:1:10: note: included from here\n"
            "  extends: b.yaml\n"
            "           ^~~~~~\n"
            "specs/prod.yaml:1:10: note: included from here\n"
            "  extends: a.yaml\n"
            "           ^~~~~~\n");
  // A spec that extends itself.
  auto r = CompileWith({}, "extends: ./prod.yaml\nenv: prod\n");
  EXPECT_FALSE(r->ok);
  EXPECT_NE(r->sink.Render().find("specs/prod.yaml:1:10: error: extends cycle: 'specs/prod.yaml' "
                                  "extends 'specs/prod.yaml'\n"),
            std::string::npos)
      << r->sink.Render();
}

TEST(ExtendsCompileTest, TheChainIsAtMostEightBases) {
  std::map<std::string, std::string> files;
  for (int i = 1; i <= 8; ++i)
    files["specs/b" + std::to_string(i) + ".yaml"] =
        "extends: b" + std::to_string(i + 1) + ".yaml\n";
  files["specs/b8.yaml"] = "version: 1\n";
  auto eight = CompileWith(files, "extends: b1.yaml\nenv: prod\n");  // prod -> b1 -> ... -> b8
  EXPECT_TRUE(eight->ok) << eight->sink.Render();
  files["specs/b8.yaml"] = "extends: b9.yaml\n";
  files["specs/b9.yaml"] = "version: 1\n";
  auto nine = CompileWith(files, "extends: b1.yaml\nenv: prod\n");
  EXPECT_FALSE(nine->ok);
  const std::string text = nine->sink.Render(false);
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "specs/b8.yaml:1:10: error: the extends chain is longer than 8 base files; merge some "
            "of the bases");
  EXPECT_NE(text.find("specs/b1.yaml:1:10: note: included from here\n"
                      "specs/prod.yaml:1:10: note: included from here\n"),
            std::string::npos)
      << text;
}

TEST(ExtendsCompileTest, NoFileOutsideTheSpecsTreeIsRead) {
  const std::string refusal =
      "specs/prod.yaml:1:10: error: the base spec 'base.yaml' is outside the directory tree of "
      "'specs/prod.yaml' (symbolic links are followed); orchc reads no file outside it unless "
      "given --allow-extends-outside\n";
  std::map<std::string, std::string> files = {{"base.yaml", kBase}};
  EXPECT_EQ(Render(files, "extends: ../base.yaml\nenv: prod\n"),
            refusal + "  extends: ../base.yaml\n           ^~~~~~~~~~~~\n");
  EXPECT_TRUE(
      CompileWith(files, "extends: ../base.yaml\nenv: prod\norchestration: {enabled: true}\n", true)
          ->ok);

  // A symbolic link inside the tree that points out of it counts where it points.
  auto linked = [&](bool allow) {
    auto run = std::make_unique<SpecRun>();
    run->files.files = {{"/cwd/base.yaml", kBase}, {"/cwd/specs/prod.yaml", ""}};
    run->files.links = {{"/cwd/specs/link", "/cwd"}};
    CompileOptions options;
    options.extends.files = &run->files;
    options.extends.allow_outside = allow;
    run->compiler = std::make_unique<Compiler>(options);
    run->ok = run->compiler->Compile(
        "specs/prod.yaml", "extends: link/base.yaml\nenv: prod\norchestration: {enabled: true}\n",
        run->sink, &run->out);
    return run;
  };
  auto refused = linked(false);
  EXPECT_FALSE(refused->ok);
  EXPECT_NE(
      refused->sink.Render(false).find("error: the base spec 'specs/link/base.yaml' is outside"),
      std::string::npos)
      << refused->sink.Render(false);
  EXPECT_TRUE(linked(true)->ok);
}

TEST(ExtendsCompileTest, AMissingBaseIsLocatedAtTheExtendsValue) {
  EXPECT_EQ(Render({}, "env: prod\nextends: orchestration.base.yaml\n"),
            "specs/prod.yaml:2:10: error: cannot read the base spec "
            "'specs/orchestration.base.yaml': No such file or directory\n"
            "  extends: orchestration.base.yaml\n"
            "           ^~~~~~~~~~~~~~~~~~~~~~~\n");
}

TEST(ExtendsCompileTest, ExtendsTakesAString) {
  EXPECT_EQ(Render({}, "version: 1\nenv: prod\nextends: [a.yaml]\n"),
            "specs/prod.yaml:3:10: error: 'extends' takes the path of a base spec file, relative "
            "to this file (a string)\n"
            "  extends: [a.yaml]\n"
            "           ^\n");
}

// Through the command line, on the disk: a symbolic link out of the spec's directory is refused
// unless --allow-extends-outside.
class ExtendsDiskTest : public testing::TempDirTest {
 protected:
  int Run(std::vector<std::string> args) {
    std::vector<const char*> argv = {"orchc"};
    for (const std::string& a : args) argv.push_back(a.c_str());
    err_.str("");
    std::ostringstream out;
    return RunCli(static_cast<int>(argv.size()), argv.data(), out, err_);
  }
  std::ostringstream err_;
};

TEST_F(ExtendsDiskTest, ASymbolicLinkOutOfTheTreeIsRefusedUnlessAllowed) {
  namespace fs = std::filesystem;
  fs::create_directories(dir_ / "specs");
  fs::create_directories(dir_ / "elsewhere");
  std::ofstream(dir_ / "elsewhere" / "orchestration.base.yaml") << kBase;
  fs::create_directory_symlink(dir_ / "elsewhere", dir_ / "specs" / "shared");
  const std::string spec = (dir_ / "specs" / "prod.yaml").string();
  std::ofstream(spec)
      << "extends: shared/orchestration.base.yaml\nenv: prod\norchestration: {enabled: true}\n";
  EXPECT_EQ(Run({"validate", spec}), 1);
  EXPECT_NE(err_.str().find(spec + ":1:10: error: the base spec '" + (dir_ / "specs").string() +
                            "/shared/orchestration.base.yaml' is outside the directory tree"),
            std::string::npos)
      << err_.str();
  EXPECT_EQ(Run({"validate", spec, "--allow-extends-outside"}), 0) << err_.str();
  // Inside the tree, the same base is read without the option.
  fs::remove(dir_ / "specs" / "shared");
  fs::rename(dir_ / "elsewhere", dir_ / "specs" / "shared");
  EXPECT_EQ(Run({"validate", spec}), 0) << err_.str();
}

}  // namespace
}  // namespace orchc
