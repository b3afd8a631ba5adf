// Work over many workflows split across threads, with results that do not depend on the
// scheduling: each chunk of indexes writes only its own slots, and callers join the chunks in
// order. Small inputs run inline (a thread costs more than lowering a few workflows).
#pragma once

#include <sched.h>

#include <cstddef>
#include <exception>
#include <functional>
#include <system_error>
#include <thread>
#include <vector>

namespace orchc {

// The CPUs this process may run on (its affinity mask: taskset, cpusets), at least 1.
inline size_t UsableCpus() {
  cpu_set_t set;
  if (::sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) {
    return static_cast<size_t>(CPU_COUNT(&set));
  }
  unsigned n = std::thread::hardware_concurrency();
  return n ? n : 1;
}

// How many chunks `n` items make with `threads` threads (0: one per usable CPU), at least
// `min_per_chunk` items each; 1 means "run inline".
inline size_t ChunkCount(size_t n, unsigned threads, size_t min_per_chunk) {
  size_t by_size = min_per_chunk ? n / min_per_chunk : n;
  if (by_size <= 1 || threads == 1) return 1;  // no need to ask the system for its CPUs
  size_t t = threads ? threads : UsableCpus();
  return t < by_size ? t : by_size;
}

// Calls fn(chunk, begin, end) for `chunks` contiguous ranges covering [0, n): chunk 0 always on
// the calling thread (it may use the caller's state), the others on threads of their own. An
// exception thrown by any chunk is rethrown here, after every chunk has finished.
inline void ForEachChunk(size_t n, size_t chunks,
                         const std::function<void(size_t, size_t, size_t)>& fn) {
  if (chunks <= 1) {
    fn(0, 0, n);
    return;
  }
  std::vector<std::exception_ptr> errors(chunks);
  auto run = [&](size_t c) {
    try {
      fn(c, n * c / chunks, n * (c + 1) / chunks);
    } catch (...) {
      errors[c] = std::current_exception();
    }
  };
  std::vector<std::thread> workers;
  workers.reserve(chunks - 1);
  size_t started = 1;
  try {
    for (; started < chunks; ++started) workers.emplace_back(run, started);
  } catch (const std::system_error&) {
    // No more threads to be had: the chunks left run here.
  }
  run(0);
  for (size_t c = started; c < chunks; ++c) run(c);
  for (std::thread& t : workers) t.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace orchc
