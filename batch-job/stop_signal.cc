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

}  // namespace

StopSignal::StopSignal() {
  sigset_t set = StopSet();
  if (int rc = pthread_sigmask(SIG_BLOCK, &set, &old_mask_); rc != 0) {
    throw std::system_error(rc, std::generic_category(), "pthread_sigmask");
  }
  fd_ = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "signalfd");
}

StopSignal::~StopSignal() {
  Stopped();  // consume what is pending, so unblocking does not deliver it
  close(fd_);
  pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

bool StopSignal::Stopped() {
  signalfd_siginfo info;
  while (read(fd_, &info, sizeof(info)) == static_cast<ssize_t>(sizeof(info))) {
    if (signal_number_ == 0) signal_number_ = static_cast<int>(info.ssi_signo);
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
