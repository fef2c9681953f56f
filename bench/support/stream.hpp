// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// The batch engine's streaming path, for workloads whose patient records or pairs do not fit in
// memory (L: 2x10^6 patients, about 6x10^9 pairs; docs/performance.md): the cohort is generated
// and loaded in parts (`load_in_parts`), and the run's pairs go to a sink that counts them per
// status and sums an order-independent checksum (`tally_sink`) instead of being kept.
//
// The order-independent checksum of a set of (patient id, trial id, status) triples is
//
//   sum over the triples of fmix64(fmix64(fnv1a64(patient id)) ^
//                                  fmix64(fnv1a64(trial id) ^ fnv1a64(status name)))  mod 2^64
//
// with fnv1a64 the 64-bit FNV-1a hash of the string's bytes, fmix64 MurmurHash3's 64-bit
// finaliser and the status name as `rules::to_string` spells it. A sum does not depend on the
// order of the triples nor on how they are split into blocks, so it is computed as the engine
// hands blocks over, on any number of threads, with no sorting. It is not `batch::checksum`
// (FNV-1a over the sorted triples, which needs them all in memory); both are printed where both
// can be computed.
#include "support/baselines.hpp"
#include "support/workload.hpp"

#include <ctm/batch/engine.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ctm::bench {

/// 64-bit FNV-1a of the bytes of `s`.
std::uint64_t fnv1a64(std::string_view s) noexcept;

/// MurmurHash3's 64-bit finaliser (fmix64).
std::uint64_t fmix64(std::uint64_t x) noexcept;

/// Status counts and the order-independent checksum of a multiset of triples (see above).
/// Tallies of disjoint parts add up to the tally of the whole.
struct pair_tally {
  std::uint64_t pairs = 0;
  std::array<std::uint64_t, 3> by_status{};  ///< indexed by `rules::eligibility`
  std::uint64_t checksum = 0;

  pair_tally& operator+=(const pair_tally& o) noexcept;
  [[nodiscard]] std::uint64_t count(rules::eligibility e) const noexcept {
    return by_status[static_cast<std::size_t>(e)];
  }
  friend bool operator==(const pair_tally&, const pair_tally&) = default;
};

/// "eligible N, possibly eligible N, ineligible N".
std::string describe(const pair_tally& t);

/// The per-triple hash of the checksum, with the id hashes computed once: a few operations per
/// pair. Thread-safety: immutable after construction.
class triple_hasher {
 public:
  /// `patient_ids` by cohort position (`cohort::patient_ids()`), `trial_ids` by trial position.
  triple_hasher(std::span<const std::string> patient_ids, std::span<const std::string> trial_ids);

  [[nodiscard]] std::uint64_t operator()(const batch::pair_status& p) const noexcept {
    return fmix64(patient_[p.patient] ^
                  trial_status_[p.trial * std::size_t{3} + static_cast<std::size_t>(p.status)]);
  }
  /// The tally of `pairs`.
  [[nodiscard]] pair_tally tally(std::span<const batch::pair_status> pairs) const noexcept;

 private:
  std::vector<std::uint64_t> patient_;       ///< fmix64(fnv1a64(id)) per patient
  std::vector<std::uint64_t> trial_status_;  ///< fmix64(fnv1a64(id) ^ fnv1a64(status)) per pair
};

/// The target of `batch::engine::run`'s streaming form: tallies every block it is handed, and
/// keeps the pairs of a sample (patients below `sample.patients` whose trial is marked in
/// `sample.trials`) for comparing with the baselines. Thread-safety: `sink()`'s function may be
/// called from several threads at once (each block is tallied apart, then added under a mutex);
/// read `tally()` and `sample_pairs()` after the run.
class tally_sink {
 public:
  /// Keeps `hasher` by reference; `sample` may cover nothing (no pairs kept).
  tally_sink(const triple_hasher& hasher, const coverage& sample);
  tally_sink(const tally_sink&) = delete;
  tally_sink& operator=(const tally_sink&) = delete;

  /// A sink that adds to this object; valid while this object lives.
  [[nodiscard]] batch::pair_sink sink();
  [[nodiscard]] pair_tally tally() const;
  /// The sample's pairs sorted by (patient, trial).
  [[nodiscard]] std::vector<batch::pair_status> sample_pairs() const;
  /// Calls of the sink (blocks handed over).
  [[nodiscard]] std::uint64_t blocks() const;

 private:
  void add(std::span<const batch::pair_status> pairs);

  const triple_hasher& hasher_;
  std::size_t sample_patients_ = 0;
  std::vector<std::uint8_t> sample_trials_;
  mutable std::mutex mutex_;
  pair_tally tally_;
  std::vector<batch::pair_status> sample_;
  std::uint64_t blocks_ = 0;
};

/// A cohort loaded in parts, and what it cost.
struct streamed_cohort {
  std::optional<batch::cohort> cohort;
  double generate_seconds = 0;  ///< generating the records, all parts
  double load_seconds = 0;      ///< `cohort_builder::add` of every part and `finish` (derive +
                                ///< columns)
  std::size_t parts = 0;
  std::size_t peak_rss_bytes = 0;        ///< after `finish`
  std::vector<match::batch_input> kept;  ///< the first `keep` records, for the baselines
};

/// Generates the cohort of `seed` (`patients` patients, as `make_workload` would) `part` patients
/// at a time, adds each part to a builder of `e` and drops its records, keeping only the first
/// `keep` records. Generation and loading run on `threads` workers. `on_part`, when given, is
/// called after each part with the patients added so far.
streamed_cohort load_in_parts(const batch::engine& e, const workload& catalog, std::uint64_t seed,
                              std::size_t patients, std::size_t part, unsigned threads,
                              std::size_t keep,
                              const std::function<void(std::size_t)>& on_part = {});

}  // namespace ctm::bench
