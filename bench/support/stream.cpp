// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "support/stream.hpp"

#include <ctm/rules/status.hpp>

#include <algorithm>
#include <chrono>
#include <utility>

namespace ctm::bench {
namespace {

using clock_type = std::chrono::steady_clock;

double since(clock_type::time_point t) {
  return std::chrono::duration<double>(clock_type::now() - t).count();
}

constexpr std::array statuses{rules::eligibility::ineligible, rules::eligibility::possibly_eligible,
                              rules::eligibility::eligible};

}  // namespace

std::uint64_t fnv1a64(std::string_view s) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::uint64_t fmix64(std::uint64_t x) noexcept {
  x ^= x >> 33U;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33U;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33U;
  return x;
}

pair_tally& pair_tally::operator+=(const pair_tally& o) noexcept {
  pairs += o.pairs;
  for (std::size_t s = 0; s < by_status.size(); ++s) by_status[s] += o.by_status[s];
  checksum += o.checksum;
  return *this;
}

std::string describe(const pair_tally& t) {
  return "eligible " + std::to_string(t.count(rules::eligibility::eligible)) +
         ", possibly eligible " + std::to_string(t.count(rules::eligibility::possibly_eligible)) +
         ", ineligible " + std::to_string(t.count(rules::eligibility::ineligible));
}

triple_hasher::triple_hasher(std::span<const std::string> patient_ids,
                             std::span<const std::string> trial_ids) {
  static_assert(statuses.size() == 3);
  patient_.reserve(patient_ids.size());
  for (const auto& id : patient_ids) patient_.push_back(fmix64(fnv1a64(id)));
  trial_status_.resize(trial_ids.size() * statuses.size());
  for (std::size_t t = 0; t < trial_ids.size(); ++t) {
    const std::uint64_t h = fnv1a64(trial_ids[t]);
    for (const auto s : statuses) {
      trial_status_[t * statuses.size() + static_cast<std::size_t>(s)] =
          fmix64(h ^ fnv1a64(rules::to_string(s)));
    }
  }
}

pair_tally triple_hasher::tally(std::span<const batch::pair_status> pairs) const noexcept {
  pair_tally t;
  t.pairs = pairs.size();
  for (const auto& p : pairs) {
    ++t.by_status[static_cast<std::size_t>(p.status)];
    t.checksum += (*this)(p);
  }
  return t;
}

tally_sink::tally_sink(const triple_hasher& hasher, const coverage& sample)
    : hasher_(hasher), sample_patients_(sample.patients) {
  sample_trials_.reserve(sample.trials.size());
  for (const bool b : sample.trials) sample_trials_.push_back(b ? 1 : 0);
  if (std::none_of(sample_trials_.begin(), sample_trials_.end(),
                   [](std::uint8_t b) { return b != 0; }))
    sample_patients_ = 0;
}

batch::pair_sink tally_sink::sink() {
  return [this](std::span<const batch::pair_status> pairs) { add(pairs); };
}

void tally_sink::add(std::span<const batch::pair_status> pairs) {
  const pair_tally t = hasher_.tally(pairs);
  std::vector<batch::pair_status> kept;
  if (sample_patients_ != 0) {
    for (const auto& p : pairs) {
      if (p.patient < sample_patients_ && p.trial < sample_trials_.size() &&
          sample_trials_[p.trial] != 0)
        kept.push_back(p);
    }
  }
  const std::scoped_lock lock(mutex_);
  tally_ += t;
  ++blocks_;
  sample_.insert(sample_.end(), kept.begin(), kept.end());
}

pair_tally tally_sink::tally() const {
  const std::scoped_lock lock(mutex_);
  return tally_;
}

std::vector<batch::pair_status> tally_sink::sample_pairs() const {
  std::vector<batch::pair_status> out;
  {
    const std::scoped_lock lock(mutex_);
    out = sample_;
  }
  std::sort(out.begin(), out.end(), [](const batch::pair_status& a, const batch::pair_status& b) {
    return a.patient != b.patient ? a.patient < b.patient : a.trial < b.trial;
  });
  return out;
}

std::uint64_t tally_sink::blocks() const {
  const std::scoped_lock lock(mutex_);
  return blocks_;
}

streamed_cohort load_in_parts(const batch::engine& e, const workload& catalog, std::uint64_t seed,
                              std::size_t patients, std::size_t part, unsigned threads,
                              std::size_t keep, const std::function<void(std::size_t)>& on_part) {
  streamed_cohort out;
  part = std::max<std::size_t>(1, part);
  batch::batch_options o;
  o.threads = threads;
  auto builder = e.builder(catalog.as_of, o);
  for (std::size_t begin = 0; begin < patients; begin += part) {
    const std::size_t end = std::min(patients, begin + part);
    auto t0 = clock_type::now();
    auto records = generate_patients(catalog.data.vocab, seed, catalog.as_of, begin, end, threads);
    out.generate_seconds += since(t0);
    for (std::size_t i = begin; i < std::min(end, keep); ++i)
      out.kept.push_back(records[i - begin]);
    t0 = clock_type::now();
    builder.add(records);
    out.load_seconds += since(t0);
    ++out.parts;
    if (on_part) on_part(end);
  }
  const auto t0 = clock_type::now();
  out.cohort.emplace(builder.finish());
  out.load_seconds += since(t0);
  out.peak_rss_bytes = peak_rss_bytes();
  return out;
}

}  // namespace ctm::bench
