// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// The generator's own random numbers: splitmix64 to derive seeds, xoshiro256** for the streams,
// and distributions built only from integer arithmetic and correctly rounded IEEE operations, so
// the same seed gives the same values on every platform and standard library.
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

namespace ctm::synth::detail {

/// One step of splitmix64 (Steele, Lea and Flood 2014).
constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31U);
}

/// A seed for item `i` of stream `stream` of a generator seeded with `seed`: independent of every
/// other item, so items can be generated in any order and in parallel.
constexpr std::uint64_t item_seed(std::uint64_t seed, std::uint64_t stream,
                                  std::uint64_t i) noexcept {
  std::uint64_t s = seed;
  std::uint64_t a = splitmix64(s) ^ (stream * 0xD1B54A32D192ED03ULL);
  a = splitmix64(a) ^ i;
  return splitmix64(a);
}

/// xoshiro256** (Blackman and Vigna 2018) with helpers. Thread-safety: a value type.
class rng {
 public:
  explicit rng(std::uint64_t seed) noexcept {
    for (auto& w : s_) w = splitmix64(seed);
  }

  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17U;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform in [0, n) (Lemire's multiply-shift; a negligible bias for the small n used here).
  std::uint32_t below(std::uint32_t n) noexcept {
    return static_cast<std::uint32_t>(((next() >> 32U) * static_cast<std::uint64_t>(n)) >> 32U);
  }
  /// Uniform integer in [lo, hi].
  int between(int lo, int hi) noexcept {
    return lo + static_cast<int>(below(static_cast<std::uint32_t>(hi - lo + 1)));
  }
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }
  /// True with probability p.
  bool chance(double p) noexcept { return uniform() < p; }
  /// Approximately normal (Irwin-Hall sum of four uniforms, scaled): mean `mean`, sd `sd`,
  /// within mean +- 3.46 sd. No transcendental functions, so it is the same everywhere.
  double normal(double mean, double sd) noexcept {
    const double s = uniform() + uniform() + uniform() + uniform() - 2.0;
    return mean + sd * s * 1.7320508075688772;  // sqrt(3): the sum has variance 1/3
  }
  /// An index drawn with the given non-negative weights (at least one positive).
  std::size_t weighted(std::span<const double> weights) noexcept {
    double total = 0.0;
    for (const double w : weights) total += w;
    double x = uniform() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.empty() ? 0 : weights.size() - 1;
  }
  template <class T>
  const T& pick(std::span<const T> items) noexcept {
    return items[below(static_cast<std::uint32_t>(items.size()))];
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
    return (x << k) | (x >> (64 - k));
  }
  std::array<std::uint64_t, 4> s_{};
};

/// `v` rounded to `digits` decimals (correctly rounded operations only).
inline double round_to(double v, int digits) noexcept {
  double scale = 1.0;
  for (int i = 0; i < digits; ++i) scale *= 10.0;
  return std::round(v * scale) / scale;
}

}  // namespace ctm::synth::detail
