#include "backoff.h"

#include <algorithm>

namespace batch {

std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int failed_attempt,
                                       std::mt19937_64& rng) {
  const int64_t cap = policy.cap.count();
  int64_t delay = policy.base.count();
  for (int i = 1; i < failed_attempt && delay < cap; ++i) delay *= 2;
  delay = std::min(delay, cap);
  std::uniform_int_distribution<int64_t> jitter(delay - delay / 2, delay);
  return std::chrono::milliseconds(jitter(rng));
}

}  // namespace batch
