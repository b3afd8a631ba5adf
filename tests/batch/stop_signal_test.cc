// SIGTERM/SIGINT are held from before main until the process exits.
#include "stop_signal.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace batch {
namespace {

TEST(StopSignal, StopSignalsAreBlockedBeforeMainRuns) {
  // No StopSignal exists yet in this process: the constructor of stop_signal.cc blocked them.
  sigset_t mask;
  ASSERT_EQ(pthread_sigmask(SIG_BLOCK, nullptr, &mask), 0);
  EXPECT_TRUE(sigismember(&mask, SIGTERM));
  EXPECT_TRUE(sigismember(&mask, SIGINT));
}

TEST(StopSignal, ASignalAfterTheStopSignalEndsDoesNotKillTheProcess) {
  // The window of a committed run: the job is done (StopSignal destroyed), main has not returned.
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);  // as a process started without the constructor
    { StopSignal stop; }
    kill(getpid(), SIGTERM);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(StopSignal, ASignalBeforeTheStopSignalExistsIsSeen) {
  raise(SIGTERM);  // blocked since before main: pending, not fatal
  StopSignal stop;
  EXPECT_TRUE(stop.Stopped());
  EXPECT_EQ(stop.signal_number(), SIGTERM);
}

}  // namespace
}  // namespace batch
