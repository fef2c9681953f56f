// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The leaf kernels' storage forms: numeric views whose bounds need 16-bit codes (more than 127
// distinct bounds) and views with ranges (ages from partial birth dates) give the scalar
// statuses, through the banded range checks and the table alike.
#include "unit/batch/batch_support.hpp"

#include <ctm/batch/engine.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

using namespace ctm;
using namespace ctm::test::batch;

/// `n` trials open to every solid or liquid cancer, each asking one threshold of `rule` with
/// `{n}` replaced by a value from `values(k)`.
template <class Values>
std::vector<trial> threshold_trials(int n, const std::string& prefix, const std::string& rule,
                                    Values values) {
  std::vector<trial> out;
  for (int k = 0; k < n; ++k) {
    trial t;
    t.id = prefix + std::to_string(100000 + k);
    t.title = "threshold trial";
    t.status = trial_status::recruiting;
    t.phases = {trial_phase::phase2};
    t.conditions.codes = {"_SOLID_", "_LIQUID_"};
    criterion c;
    c.id = "c0";
    c.kind = k % 3 == 0 ? criterion_kind::exclusion : criterion_kind::inclusion;
    c.text = "threshold";
    std::string r = rule;
    r.replace(r.find("{n}"), 3, values(k));
    c.rule = r;
    t.criteria.push_back(std::move(c));
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

TEST_CASE("views with 16-bit codes and with ranges give the scalar statuses") {
  const std::vector<patient> ps = random_cohort(41, 400, true);
  // 300 distinct platelet bounds (16-bit codes), 200 hemoglobin bounds in another unit, and
  // 150 age windows (number views keep ranges for partial birth dates).
  auto trials = threshold_trials(300, "NCTPLT", "lab(platelets) >= {n} [/mm3]",
                                 [](int k) { return std::to_string(20000 + 997 * k); });
  for (auto& t : threshold_trials(200, "NCTHGB", "lab(hemoglobin) <= {n} [g/dL]", [](int k) {
         return std::to_string(6 + k / 20) + "." + std::to_string(k % 10);
       })) {
    trials.push_back(std::move(t));
  }
  for (auto& t : threshold_trials(150, "NCTAGE", "age in {n}", [](int k) {
         return std::to_string(18 + k % 40) + ".." + std::to_string(50 + k);
       })) {
    trials.push_back(std::move(t));
  }
  const auto m = make_matcher(trials);
  const auto e = batch::engine::create(m);
  const auto expected = scalar_pairs(m, ps, {});
  std::size_t counts[3] = {0, 0, 0};
  for (const auto& p : expected) ++counts[static_cast<int>(p.status)];
  CHECK(counts[0] > 100);  // eligible, possibly eligible and ineligible all reached
  CHECK(counts[1] > 100);
  CHECK(counts[2] > 100);
  const auto got = e.run(e.load(inputs(ps), as_of()));
  REQUIRE(got.pairs.size() == expected.size());
  std::size_t differ = 0;
  for (std::size_t i = 0; i < expected.size(); ++i)
    if (got.pairs[i] != expected[i]) ++differ;
  CHECK(differ == 0);
}
