#ifndef TESTS_BATCH_JOB_PROCESS_H_
#define TESTS_BATCH_JOB_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace batch_test {

using Env = std::map<std::string, std::string>;

// What one sample-batch process did.
struct JobRun {
  int exit_code = -1;              // -1 when it was killed by a signal
  int signal = 0;                  // the killing signal, if any
  std::vector<std::string> lines;  // stdout, one entry per line
  std::string stderr_text;

  // Every stdout line and stderr, for secret scans and failure messages.
  std::string AllOutput() const;
  // The run_id of the process's log lines (empty if it logged nothing).
  std::string RunId() const;
  // The stdout lines whose "event" is `event`.
  std::vector<std::string> Events(std::string_view event) const;
};

// The built sample-batch binary running as a child with exactly `env` (plus PATH) as its
// environment; stdout and stderr go to files read when it ends. The destructor SIGKILLs a child
// still running, so no test leaves one behind.
class JobProcess {
 public:
  JobProcess(const std::vector<std::string>& args, const Env& env);
  ~JobProcess();
  JobProcess(JobProcess&& other) noexcept;
  JobProcess& operator=(JobProcess&&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int sig);
  std::string StdoutSoFar() const;
  // Waits at most `timeout`; past it the child is SIGKILLed and the test fails.
  JobRun Wait(std::chrono::seconds timeout = std::chrono::seconds(60));

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
};

JobRun RunJob(const std::vector<std::string>& args, const Env& env,
              std::chrono::seconds timeout = std::chrono::seconds(60));

// `text` with every byte outside [A-Za-z0-9-._~] as %XX, for a password inside a URL.
std::string PercentEncode(std::string_view text);

// Polls `condition` every 20ms until it holds or `timeout` passes; returns whether it held.
template <typename Condition>
bool WaitFor(Condition condition, std::chrono::seconds timeout = std::chrono::seconds(30));

}  // namespace batch_test

#include <thread>

template <typename Condition>
bool batch_test::WaitFor(Condition condition, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

#endif  // TESTS_BATCH_JOB_PROCESS_H_
