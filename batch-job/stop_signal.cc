#include "stop_signal.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace batch {
namespace {

sigset_t StopSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

// Runs before main (and before other static constructors of the program, priority 101), so a
// SIGTERM during start-up is held until the job can handle it instead of killing the process.
__attribute__((constructor(101))) void BlockStopSignalsBeforeMain() {
  sigset_t set = StopSet();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

}  // namespace

StopSignal::StopSignal() {
  sigset_t set = StopSet();
  if (int rc = pthread_sigmask(SIG_BLOCK, &set, nullptr); rc != 0) {
    throw std::system_error(rc, std::generic_category(), "pthread_sigmask");
  }
  fd_ = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "signalfd");
}

StopSignal::~StopSignal() {
  // The mask is not restored: a signal arriving between the last COMMIT and the exit must not
  // take its default action (status 143 for a committed run).
  close(fd_);
}

bool StopSignal::Stopped() {
  signalfd_siginfo info;
  while (read(fd_, &info, sizeof(info)) == static_cast<ssize_t>(sizeof(info))) {
    if (signal_number_ == 0) {
      signal_number_ = static_cast<int>(info.ssi_signo);
      stop_time_ = Clock::now();
    }
  }
  return signal_number_ != 0;
}

StopSignal::WaitResult StopSignal::Wait(int fd, short events, Clock::time_point deadline,
                                        bool watch_stop) {
  for (;;) {
    if (watch_stop && Stopped()) return WaitResult::kStopped;
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return WaitResult::kTimedOut;
    pollfd fds[2] = {{fd, events, 0}, {watch_stop ? fd_ : -1, POLLIN, 0}};
    int timeout = static_cast<int>(std::min<int64_t>(left.count(), 60'000));
    int n = poll(fds, 2, timeout);
    if (n < 0 && errno != EINTR) throw std::system_error(errno, std::generic_category(), "poll");
    if (n > 0 && fds[0].revents != 0) return WaitResult::kReady;
  }
}

}  // namespace batch
