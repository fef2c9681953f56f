// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Loading in parts (cohort_builder) and running into a sink give the statuses of one-shot
// loading and running, whatever the parts' sizes and the thread count.
#include "unit/batch/batch_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <mutex>
#include <span>

namespace {

using namespace ctm;
using namespace ctm::test::batch;

std::vector<patient> mixed_cohort() { return random_cohort(23, 300, true); }

bool by_patient_trial(const batch::pair_status& a, const batch::pair_status& b) {
  return a.patient != b.patient ? a.patient < b.patient : a.trial < b.trial;
}

}  // namespace

TEST_CASE("a cohort loaded in parts answers as one loaded at once") {
  const auto m = make_matcher(bundled().trials);
  const auto e = batch::engine::create(m);
  const auto ps = mixed_cohort();
  auto in = inputs(ps);
  // An unreadable input in the middle keeps its place in the errors, not in the positions.
  match::batch_input bad;
  bad.label = "record 5 of test";
  bad.error = ctm::error{errc::missing_value, "unreadable", {}};
  in.insert(in.begin() + 5, bad);
  const auto expected = scalar_pairs(m, ps, {});
  for (const unsigned threads : {1U, 2U}) {
    CAPTURE(threads);
    batch::batch_options o;
    o.threads = threads;
    const auto whole = e.load(in, as_of(), o);
    const auto r = e.run(whole, o);
    CHECK(r.pairs == expected);
    // Parts of 1, 37, 64 and 100 inputs, then the rest: boundaries inside and on words.
    auto b = e.builder(as_of(), o);
    std::size_t at = 0;
    for (const std::size_t n : {1U, 37U, 64U, 100U, 100000U}) {
      const std::size_t k = std::min(n, in.size() - at);
      b.add(std::span(in).subspan(at, k));
      at += k;
    }
    CHECK(b.size() == ps.size());
    const auto parts = b.finish();
    REQUIRE(parts.size() == ps.size());
    CHECK(parts.patient_ids() == whole.patient_ids());
    REQUIRE(parts.errors().size() == 1);
    CHECK(parts.errors()[0].label == "record 5 of test");
    const auto rp = e.run(parts, o);
    CHECK(rp.pairs == expected);
    CHECK(rp.stats.pairs == r.stats.pairs);
    CHECK(rp.stats.evaluations == r.stats.evaluations);
  }
}

TEST_CASE("running into a sink hands over every pair once, each patient's together") {
  const auto m = make_matcher(bundled().trials);
  const auto e = batch::engine::create(m);
  const auto ps = mixed_cohort();
  batch::batch_options o;
  o.threads = 2;
  o.include_closed = true;
  const auto c = e.load(inputs(ps), as_of(), o);
  const auto expected = e.run(c, o);
  std::mutex lock;
  std::vector<batch::pair_status> got;
  std::size_t calls = 0;
  bool grouped = true;
  const auto stats = e.run(
      c,
      [&](std::span<const batch::pair_status> block) {
        // Within a call, a patient's pairs are contiguous and by trial.
        std::vector<std::uint32_t> seen;
        for (std::size_t i = 0; i < block.size(); ++i) {
          if (i > 0 && block[i].patient == block[i - 1].patient) {
            if (block[i].trial <= block[i - 1].trial) grouped = false;
            continue;
          }
          if (std::find(seen.begin(), seen.end(), block[i].patient) != seen.end()) grouped = false;
          seen.push_back(block[i].patient);
        }
        const std::lock_guard<std::mutex> hold(lock);
        ++calls;
        got.insert(got.end(), block.begin(), block.end());
      },
      o);
  CHECK(grouped);
  CHECK(calls >= 1);
  CHECK(stats.pairs == expected.stats.pairs);
  CHECK(stats.evaluations == expected.stats.evaluations);
  std::sort(got.begin(), got.end(), by_patient_trial);
  CHECK(got == expected.pairs);
}

TEST_CASE("an empty builder makes an empty cohort") {
  const auto e = batch::engine::create(make_matcher(bundled().trials));
  auto b = e.builder(as_of());
  CHECK(b.size() == 0);
  b.add({});
  const auto c = b.finish();
  CHECK(c.size() == 0);
  CHECK(e.run(c).pairs.empty());
}

TEST_CASE("run_one gives each patient's statuses of the cohort run") {
  for (const auto policy :
       {rules::missing_data_policy::unknown, rules::missing_data_policy::treat_as_not_met}) {
    CAPTURE(rules::to_string(policy));
    const auto m = make_matcher(bundled().trials, policy);
    const auto e = batch::engine::create(m);
    const auto ps = mixed_cohort();
    for (const bool closed : {false, true}) {
      CAPTURE(closed);
      batch::batch_options o;
      o.include_closed = closed;
      if (closed) o.phases = {trial_phase::phase1, trial_phase::phase2};
      const auto all = e.run(e.load(inputs(ps), as_of(), o), o).pairs;
      std::size_t at = 0;
      for (std::uint32_t i = 0; i < ps.size(); ++i) {
        CAPTURE(i);
        std::vector<batch::pair_status> expected;
        for (; at < all.size() && all[at].patient == i; ++at) {
          expected.push_back(all[at]);
          expected.back().patient = 0;
        }
        CHECK(e.run_one(ps[i], as_of(), o) == expected);
      }
      CHECK(at == all.size());
    }
  }
}
