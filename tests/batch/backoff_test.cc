#include "backoff.h"

#include <gtest/gtest.h>

namespace batch {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DoublesFromBaseWithinJitterAndStopsAtCap) {
  RetryPolicy policy{10, milliseconds(100), milliseconds(1000)};
  std::mt19937_64 rng(42);
  const int64_t ceilings[] = {100, 200, 400, 800, 1000, 1000, 1000};
  for (int round = 0; round < 200; ++round) {
    for (int attempt = 1; attempt <= 7; ++attempt) {
      int64_t ceiling = ceilings[attempt - 1];
      int64_t delay = BackoffDelay(policy, attempt, rng).count();
      EXPECT_GE(delay, ceiling - ceiling / 2) << "attempt " << attempt;
      EXPECT_LE(delay, ceiling) << "attempt " << attempt;
    }
  }
}

TEST(Backoff, HugeAttemptNumbersDoNotOverflow) {
  RetryPolicy policy{1000, milliseconds(1), milliseconds(30000)};
  std::mt19937_64 rng(1);
  int64_t delay = BackoffDelay(policy, 999, rng).count();
  EXPECT_GE(delay, 15000);
  EXPECT_LE(delay, 30000);
}

}  // namespace
}  // namespace batch
