// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// A minimal parallel loop for the tools' own per-record work (parsing lines, formatting results)
// around the matcher's batch, which has its own workers.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace ctm::cli {

/// Calls `f(i)` for every i in [0, n) on up to `threads` threads (the calling thread included)
/// and returns when all are done. Items are taken in order by whichever thread is free, so `f`
/// must only touch item i. The first exception thrown by `f` (std::bad_alloc, say) is rethrown
/// here after every thread has stopped.
template <class F>
void parallel_for(std::size_t n, unsigned threads, F&& f) {
  const auto workers = static_cast<std::size_t>(std::max(1U, threads));
  if (workers == 1 || n < 2) {
    for (std::size_t i = 0; i < n; ++i) f(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    try {
      for (std::size_t i = next++; i < n; i = next++) f(i);
    } catch (...) {
      const std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = n;
    }
  };
  std::vector<std::thread> pool;
  const std::size_t extra = std::min(workers, n) - 1;
  pool.reserve(extra);
  try {
    for (std::size_t t = 0; t < extra; ++t) pool.emplace_back(work);
  } catch (const std::system_error&) {
    // No more threads to be had: the ones started and this one share the work.
  }
  work();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace ctm::cli
