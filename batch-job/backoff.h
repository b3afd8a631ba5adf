#ifndef BATCH_JOB_BACKOFF_H_
#define BATCH_JOB_BACKOFF_H_

#include <chrono>
#include <random>

#include "options.h"

namespace batch {

// The wait after failed attempt `failed_attempt` (1-based): uniform in [d/2, d] with
// d = min(cap, base * 2^(failed_attempt-1)). The jitter keeps many tasks that lost the same
// server from reconnecting in lockstep.
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int failed_attempt,
                                       std::mt19937_64& rng);

}  // namespace batch

#endif  // BATCH_JOB_BACKOFF_H_
