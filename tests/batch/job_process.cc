#include "job_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <sstream>
#include <utility>

namespace batch_test {
namespace fs = std::filesystem;
namespace {

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

}  // namespace

std::string JobRun::AllOutput() const {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out + stderr_text;
}

std::string JobRun::RunId() const {
  static constexpr std::string_view kKey = "\"run_id\":\"";
  if (lines.empty()) return "";
  size_t start = lines[0].find(kKey);
  if (start == std::string::npos) return "";
  start += kKey.size();
  return lines[0].substr(start, lines[0].find('"', start) - start);
}

std::vector<std::string> JobRun::Events(std::string_view event) const {
  std::string needle = "\"event\":\"" + std::string(event) + "\"";
  std::vector<std::string> found;
  for (const std::string& line : lines) {
    if (line.find(needle) != std::string::npos) found.push_back(line);
  }
  return found;
}

JobProcess::JobProcess(const std::vector<std::string>& args, const Env& env) {
  std::string pattern = (fs::temp_directory_path() / "batch-job-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  std::vector<std::string> argv = {SAMPLE_BATCH_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> envv = {"PATH=/usr/local/bin:/usr/bin:/bin"};
  for (const auto& [key, value] : env) envv.push_back(key + "=" + value);

  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    int out = open((dir_ / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open((dir_ / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int in = open("/dev/null", O_RDONLY);
    if (out < 0 || err < 0 || in < 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> args_c, env_c;
    for (std::string& s : argv) args_c.push_back(s.data());
    for (std::string& s : envv) env_c.push_back(s.data());
    args_c.push_back(nullptr);
    env_c.push_back(nullptr);
    execve(args_c[0], args_c.data(), env_c.data());
    _exit(127);
  }
}

JobProcess::JobProcess(JobProcess&& other) noexcept
    : dir_(std::move(other.dir_)), pid_(std::exchange(other.pid_, -1)) {}

JobProcess::~JobProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (!dir_.empty()) {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
}

void JobProcess::Signal(int sig) {
  if (pid_ > 0) kill(pid_, sig);
}

std::string JobProcess::StdoutSoFar() const { return ReadFile(dir_ / "stdout"); }

JobRun JobProcess::Wait(std::chrono::seconds timeout) {
  JobRun run;
  int status = 0;
  bool exited = WaitFor([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, timeout);
  if (!exited) {
    ADD_FAILURE() << "sample-batch still running after " << timeout.count() << "s; killed";
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }
  pid_ = -1;
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) run.signal = WTERMSIG(status);
  std::stringstream out(ReadFile(dir_ / "stdout"));
  for (std::string line; std::getline(out, line);) run.lines.push_back(line);
  run.stderr_text = ReadFile(dir_ / "stderr");
  return run;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

JobRun RunJob(const std::vector<std::string>& args, const Env& env, std::chrono::seconds timeout) {
  return JobProcess(args, env).Wait(timeout);
}

}  // namespace batch_test
