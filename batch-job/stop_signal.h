#ifndef BATCH_JOB_STOP_SIGNAL_H_
#define BATCH_JOB_STOP_SIGNAL_H_

#include <signal.h>

#include <chrono>

namespace batch {

// SIGTERM (ECS StopTask) and SIGINT, turned into a pollable descriptor with signalfd. Both
// signals are blocked before main runs (a constructor of this file, inherited by every thread the
// process creates) and stay blocked until the process exits, so they are never delivered
// asynchronously: not during start-up, and not after the last COMMIT (where the default action
// would turn a committed run into status 143). The job notices them only where it waits
// (connect, statement, backoff), which is exactly where it can cancel the query and roll back.
class StopSignal {
 public:
  using Clock = std::chrono::steady_clock;
  enum class WaitResult { kReady, kStopped, kTimedOut };

  // Throws std::system_error.
  StopSignal();
  ~StopSignal();  // closes the descriptor; the signals stay blocked
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  // True once SIGTERM or SIGINT has arrived (sticky). Never blocks.
  bool Stopped();
  int signal_number() const { return signal_number_; }
  // When Stopped() first saw the signal (meaningful once it returned true).
  Clock::time_point stop_time() const { return stop_time_; }

  // Waits until `fd` is ready for `events` (poll(2) flags; fd < 0 waits for nothing), a stop
  // signal arrives (unless `watch_stop` is false), or `deadline` passes.
  WaitResult Wait(int fd, short events, Clock::time_point deadline, bool watch_stop = true);

 private:
  int fd_ = -1;
  int signal_number_ = 0;
  Clock::time_point stop_time_;
};

}  // namespace batch

#endif  // BATCH_JOB_STOP_SIGNAL_H_
