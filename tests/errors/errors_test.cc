// The error corpus: every spec orchc must refuse, from plain mistakes (a typo, a bad cron) to
// hostile input. Each directory under tests/errors/ is one case, run through the real `orchc`
// binary (so a crash, an abort or a stack trace fails the test):
//   <case>/spec.yaml      the input (with any other files of the case beside it), or
//   <case>/generate       one line, "<kind> <n>", naming an input built at test time (big inputs
//                         are not committed): see Generate() below;
//   <case>/args           optional extra arguments, whitespace-separated;
//   <case>/expected.txt   the exact standard error of `orchc validate spec.yaml`.
// Every case must exit 1 from `validate` with exactly expected.txt and nothing on standard output,
// and exit 1 from `compile -o DIR` writing nothing, with the same diagnostics as `validate` (only
// the summary line says nothing was written). UPDATE_GOLDENS=1 rewrites expected.txt. Extra spec
// files named in `args` make a case of several specs in one command (cross-spec collisions).
// Timings are not asserted (machines are noisy); docs/reliability.md reports them.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_util.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;

using orchc::testing::ReadFile;
auto Read = [](const fs::path& p) { return ReadFile(p); };

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// Inputs too big to commit, built from one line "<kind> <n>".
std::string Generate(const std::string& line) {
  std::vector<std::string> w = Words(line);
  if (w.size() != 2) return "";
  const std::string& kind = w[0];
  const size_t n = std::stoul(w[1]);
  const std::string head = "version: 1\nenv: prod\n";
  if (kind == "scalar") {  // one n-byte value
    return head + "stack:\n  description: " + std::string(n, 'x') + "\n";
  }
  if (kind == "nesting") {  // n nested flow sequences
    return head + "workflows: " + std::string(n, '[') + std::string(n, ']') + "\n";
  }
  if (kind == "workflows") {  // n workflows
    std::string s = head + "workflows:\n";
    for (size_t i = 0; i < n; ++i) {
      s += "  w" + std::to_string(i) + ":\n    schedule: {expression: \"rate(1 hour)\"}\n" +
           "    task: {command: [/app/bin/job, --part, \"" + std::to_string(i) + "\"]}\n";
    }
    return s;
  }
  if (kind == "command") {  // one workflow whose command has n arguments of 60,000 bytes
    std::string s = head + "workflows:\n  report:\n    task:\n      command:\n";
    for (size_t i = 0; i < n; ++i) s += "        - " + std::string(60000, 'a' + i % 26) + "\n";
    return s;
  }
  if (kind == "override") {  // a command of n characters in 100-character arguments
    std::string s = head + "workflows:\n  report:\n    task:\n      command:\n";
    for (size_t i = 0; i < n / 100; ++i) s += "        - " + std::string(100, 'a' + i % 26) + "\n";
    return s;
  }
  return "";
}

struct RunResult {
  int status = -1;  // the exit status, or 128 + signal
  std::string out, err;
};

RunResult Orchc(const fs::path& cwd, std::vector<std::string> args) {
  args.insert(args.begin(), ORCHC_BINARY);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string out_path = (cwd / ".stdout").string(), err_path = (cwd / ".stderr").string();
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  pid_t pid;
  RunResult r;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0) {
    int st = 0;
    waitpid(pid, &st, 0);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  }
  posix_spawn_file_actions_destroy(&actions);
  r.out = Read(out_path);
  r.err = Read(err_path);
  fs::remove(out_path);
  fs::remove(err_path);
  return r;
}

std::vector<std::string> Cases() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(ORCHC_ERRORS_DIR)) {
    if (e.is_directory()) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class ErrorsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ErrorsTest, ExitsOneWithExactDiagnostics) {
  const fs::path dir = fs::path(ORCHC_ERRORS_DIR) / GetParam();
  const fs::path work =
      fs::temp_directory_path() / ("orchc-errors-" + std::to_string(::getpid()) + "-" + GetParam());
  fs::remove_all(work);
  fs::create_directories(work);
  if (fs::exists(dir / "generate")) {
    std::string text = Generate(Read(dir / "generate"));
    ASSERT_FALSE(text.empty()) << "bad generate line in " << dir;
    std::ofstream(work / "spec.yaml", std::ios::binary) << text;
  } else {
    ASSERT_TRUE(fs::exists(dir / "spec.yaml")) << dir << " has neither spec.yaml nor generate";
    fs::copy(dir, work, fs::copy_options::recursive);  // with any base files spec.yaml extends
  }
  std::vector<std::string> extra = Words(fs::exists(dir / "args") ? Read(dir / "args") : "");

  std::vector<std::string> args = {"validate", "spec.yaml"};
  args.insert(args.end(), extra.begin(), extra.end());
  RunResult v = Orchc(work, args);
  EXPECT_EQ(v.status, 1) << v.err;
  EXPECT_EQ(v.out, "");
  if (std::getenv("UPDATE_GOLDENS") && std::string(std::getenv("UPDATE_GOLDENS")) == "1") {
    std::ofstream(dir / "expected.txt", std::ios::binary) << v.err;
  }
  EXPECT_EQ(v.err, Read(dir / "expected.txt")) << "UPDATE_GOLDENS=1 to accept";

  args = {"compile", "spec.yaml", "-o", "out"};
  args.insert(args.end(), extra.begin(), extra.end());
  RunResult c = Orchc(work, args);
  EXPECT_EQ(c.status, 1) << c.err;
  EXPECT_FALSE(fs::exists(work / "out")) << "compile wrote output for a failing spec";
  // validate runs every check compile runs: the same diagnostics, only the summary differs.
  const std::string written = "; nothing was written.\n";
  std::string compile_err = c.err;
  if (compile_err.ends_with(written)) {
    compile_err.replace(compile_err.size() - written.size(), written.size(), ".\n");
  }
  EXPECT_EQ(compile_err, v.err) << "compile and validate disagree";
  fs::remove_all(work);
}

// gtest names allow letters, digits and '_'; CMake registers errors.<case> with the same rule.
std::string CaseId(const ::testing::TestParamInfo<std::string>& info) {
  std::string id = info.param;
  std::replace_if(
      id.begin(), id.end(), [](unsigned char c) { return !std::isalnum(c); }, '_');
  return id;
}

INSTANTIATE_TEST_SUITE_P(Cases, ErrorsTest, ::testing::ValuesIn(Cases()), CaseId);

}  // namespace
