#ifndef BATCH_JOB_STOP_SIGNAL_H_
#define BATCH_JOB_STOP_SIGNAL_H_

#include <signal.h>

#include <chrono>

namespace batch {

// SIGTERM (ECS StopTask) and SIGINT, turned into a pollable descriptor with signalfd. The
// constructor blocks both signals in the calling thread, which must be the process's only thread,
// so they are never delivered asynchronously: the job notices them only where it waits (connect,
// statement, backoff), which is exactly where it can cancel the query and roll back.
class StopSignal {
 public:
  using Clock = std::chrono::steady_clock;
  enum class WaitResult { kReady, kStopped, kTimedOut };

  // Throws std::system_error.
  StopSignal();
  ~StopSignal();  // restores the previous signal mask
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  // True once SIGTERM or SIGINT has arrived (sticky). Never blocks.
  bool Stopped();
  int signal_number() const { return signal_number_; }

  // Waits until `fd` is ready for `events` (poll(2) flags; fd < 0 waits for nothing), a stop
  // signal arrives (unless `watch_stop` is false), or `deadline` passes.
  WaitResult Wait(int fd, short events, Clock::time_point deadline, bool watch_stop = true);

 private:
  int fd_ = -1;
  int signal_number_ = 0;
  sigset_t old_mask_;
};

}  // namespace batch

#endif  // BATCH_JOB_STOP_SIGNAL_H_
