// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Running units of work on a few threads. Private to src/batch.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace ctm::batch::detail {

inline unsigned worker_count(unsigned wanted, std::size_t units) {
  unsigned n = wanted != 0 ? wanted : std::thread::hardware_concurrency();
  n = std::max(1U, n);
  return static_cast<unsigned>(std::min<std::size_t>(n, std::max<std::size_t>(1, units)));
}

/// Runs `work(state, unit)` for every unit on `threads` workers (each unit once), each worker
/// with its own `state` from `make()`, made once and passed to each of its units (scratch space
/// a unit would otherwise allocate and zero again).
template <class Make, class F>
void parallel_units_with(std::size_t units, unsigned threads, Make&& make, F&& work) {
  std::atomic<std::size_t> next{0};
  const auto loop = [&] {
    std::size_t u = next++;
    if (u >= units) return;
    auto state = make();
    for (; u < units; u = next++) work(state, u);
  };
  const unsigned n = worker_count(threads, units);
  if (n <= 1) {
    loop();
    return;
  }
  std::vector<std::jthread> workers;
  workers.reserve(n);
  for (unsigned k = 0; k < n; ++k) workers.emplace_back(loop);
}

/// Runs `work(unit)` for every unit on `threads` workers (each unit once).
template <class F>
void parallel_units(std::size_t units, unsigned threads, F&& work) {
  parallel_units_with(
      units, threads, [] { return 0; }, [&](int, std::size_t u) { work(u); });
}

}  // namespace ctm::batch::detail
