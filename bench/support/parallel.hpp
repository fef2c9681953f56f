// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// parallel_for for the benchmark support code.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace ctm::bench {

template <class F>
void parallel_for(std::size_t n, unsigned threads, F&& f) {
  unsigned t = threads != 0 ? threads : std::thread::hardware_concurrency();
  t = std::max(1U, std::min<unsigned>(t, static_cast<unsigned>(std::max<std::size_t>(n, 1))));
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < n; i = next++) f(i);
  };
  if (t == 1) {
    work();
    return;
  }
  std::vector<std::jthread> pool;
  for (unsigned k = 0; k < t; ++k) pool.emplace_back(work);
}

}  // namespace ctm::bench
