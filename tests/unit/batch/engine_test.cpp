// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The batch engine against the scalar matcher: random cohorts and catalogs with unknowns
// everywhere must give the same (patient, trial, status) pairs and the same feasibility counts.
#include "unit/batch/batch_support.hpp"

#include <ctm/batch/engine.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace {

using namespace ctm;
using namespace ctm::test::batch;

std::string describe(const batch::pair_status& p, const batch::engine& e) {
  return std::to_string(p.patient) + " " + e.trial_ids()[p.trial] + " " +
         std::string(rules::to_string(p.status));
}

/// Runs the engine with 1 and 2 threads and compares with the scalar matcher.
void check_same(const match::matcher& m, const std::vector<patient>& ps,
                const batch::batch_options& base) {
  const auto e = batch::engine::create(m);
  const auto expected = scalar_pairs(m, ps, base);
  for (const unsigned threads : {1U, 2U}) {
    CAPTURE(threads);
    batch::batch_options o = base;
    o.threads = threads;
    const auto c = e.load(inputs(ps), as_of(), o);
    REQUIRE(c.size() == ps.size());
    const auto r = e.run(c, o);
    CHECK(r.stats.pairs == r.pairs.size());
    CHECK(r.pairs.size() == expected.size());
    const std::size_t n = std::min(r.pairs.size(), expected.size());
    std::size_t shown = 0;
    for (std::size_t i = 0; i < n && shown < 5; ++i) {
      if (r.pairs[i] != expected[i]) {
        ++shown;
        FAIL_CHECK("pair " << i << ": engine " << describe(r.pairs[i], e) << ", scalar "
                           << describe(expected[i], e));
      }
    }
    CHECK(std::is_sorted(r.pairs.begin(), r.pairs.end(), [](const auto& a, const auto& b) {
      return a.patient != b.patient ? a.patient < b.patient : a.trial < b.trial;
    }));
  }
}

void check_feasibility(const match::matcher& m, const batch::engine& e,
                       const std::vector<match::batch_input>& in, const batch::cohort& c,
                       const std::string& trial_id, const std::string& arm_id, bool closed) {
  CAPTURE(trial_id);
  CAPTURE(arm_id);
  CAPTURE(closed);
  match::match_options mo;
  mo.include_closed = closed;
  mo.threads = 2;
  const auto expected = m.feasibility(trial_id, in, as_of(), mo, arm_id);
  batch::batch_options o;
  o.include_closed = closed;
  o.threads = 2;
  const auto got = e.feasibility(trial_id, c, arm_id, o);
  REQUIRE(expected.has_value() == got.has_value());
  if (!expected) {
    CHECK(expected.error().code == got.error().code);
    return;
  }
  CHECK(got->trial_id == expected->trial_id);
  CHECK(got->arm_id == expected->arm_id);
  CHECK(got->patients == expected->patients);
  CHECK(got->errors == expected->errors);
  CHECK(got->eligible == expected->eligible);
  CHECK(got->possibly_eligible == expected->possibly_eligible);
  CHECK(got->ineligible == expected->ineligible);
  REQUIRE(got->rows.size() == expected->rows.size());
  for (std::size_t k = 0; k < got->rows.size(); ++k) {
    CAPTURE(k);
    CHECK(got->rows[k].criterion_id == expected->rows[k].criterion_id);
    CHECK(got->rows[k].kind == expected->rows[k].kind);
    CHECK(got->rows[k].text == expected->rows[k].text);
    CHECK(got->rows[k].remaining_before == expected->rows[k].remaining_before);
    CHECK(got->rows[k].excluded_in_sequence == expected->rows[k].excluded_in_sequence);
    CHECK(got->rows[k].excluded_alone == expected->rows[k].excluded_alone);
    CHECK(got->rows[k].unknown == expected->rows[k].unknown);
  }
}

}  // namespace

TEST_CASE("the bundled catalog and sample patients give the scalar statuses") {
  REQUIRE_FALSE(bundled().trials.empty());
  REQUIRE_FALSE(bundled().samples.empty());
  const auto m = make_matcher(bundled().trials);
  batch::batch_options o;
  check_same(m, bundled().samples, o);
  o.include_closed = true;
  check_same(m, bundled().samples, o);
}

TEST_CASE("random cohorts against the bundled catalog, under every missing-data policy") {
  const auto ps = random_cohort(11, 200, true);
  for (const auto policy :
       {rules::missing_data_policy::unknown, rules::missing_data_policy::treat_as_met,
        rules::missing_data_policy::treat_as_not_met}) {
    CAPTURE(rules::to_string(policy));
    const auto m = make_matcher(bundled().trials, policy);
    batch::batch_options o;
    check_same(m, ps, o);
    o.include_closed = true;
    o.phases = {trial_phase::phase2, trial_phase::phase3};
    check_same(m, ps, o);
  }
}

TEST_CASE("random catalogs from random rule texts against random cohorts") {
  for (const std::uint64_t seed : {1U, 2U, 3U}) {
    CAPTURE(seed);
    generator g(seed * 7919);
    std::vector<trial> trials;
    for (int k = 0; k < 40; ++k) trials.push_back(g.random_trial(k));
    const auto ps = random_cohort(seed, 150, false);
    const auto policy = static_cast<rules::missing_data_policy>(seed % 3);
    const auto m = make_matcher(trials, policy);
    batch::batch_options o;
    // The catalog and cohort reach every status.
    std::size_t counts[3] = {0, 0, 0};
    for (const auto& p : scalar_pairs(m, ps, o)) ++counts[static_cast<int>(p.status)];
    CHECK(counts[0] > 0);
    CHECK(counts[1] > 0);
    CHECK(counts[2] > 0);
    check_same(m, ps, o);
    o.include_closed = true;
    check_same(m, ps, o);
  }
}

/// The cohort with one unreadable record, loaded for `m`.
std::vector<match::batch_input> with_error(const std::vector<patient>& ps) {
  auto in = inputs(ps);
  match::batch_input bad;
  bad.label = "record 0 of nowhere";
  bad.error = ctm::error{errc::missing_value, "unreadable", {}};
  in.insert(in.begin() + 3, bad);
  return in;
}

TEST_CASE("feasibility equals the scalar matcher's counts and attrition") {
  const auto ps = random_cohort(5, 100, true);
  const auto in = with_error(ps);
  {
    const auto m = make_matcher(bundled().trials, rules::missing_data_policy::treat_as_met);
    const auto e = batch::engine::create(m);
    const auto c = e.load(in, as_of());
    std::size_t checked = 0;
    for (const auto& t : m.trials()) {
      if (checked++ % 7 != 0) continue;
      check_feasibility(m, e, in, c, t.trial.id, "", false);
      check_feasibility(m, e, in, c, t.trial.id, "", true);
      for (const auto& a : t.arms) check_feasibility(m, e, in, c, t.trial.id, a.id, false);
    }
    check_feasibility(m, e, in, c, "NCT-NO-SUCH-TRIAL", "", false);
    check_feasibility(m, e, in, c, m.trials().front().trial.id, "no-such-arm", false);
  }
  generator g(99);
  std::vector<trial> trials;
  for (int k = 0; k < 8; ++k) trials.push_back(g.random_trial(k));
  const auto m = make_matcher(trials, rules::missing_data_policy::treat_as_not_met);
  const auto e = batch::engine::create(m);
  const auto c = e.load(in, as_of());
  for (const auto& t : m.trials()) check_feasibility(m, e, in, c, t.trial.id, "", true);
}

TEST_CASE("unusable inputs are reported apart and have no position in the cohort") {
  const auto m = make_matcher(bundled().trials);
  const auto e = batch::engine::create(m);
  auto in = inputs(bundled().samples);
  match::batch_input bad;
  bad.label = "record 3 of somewhere";
  bad.error = ctm::error{errc::missing_value, "unreadable", {}};
  in.insert(in.begin() + 1, bad);
  match::batch_input empty;
  empty.label = "record 4 of somewhere";
  in.push_back(empty);
  const auto c = e.load(in, as_of());
  CHECK(c.size() == bundled().samples.size());
  REQUIRE(c.errors().size() == 2);
  CHECK(c.errors()[0].label == "record 3 of somewhere");
  CHECK(c.errors()[1].label == "record 4 of somewhere");
  CHECK(c.errors()[1].error.has_value());
  CHECK(c.patient_ids().front() == bundled().samples.front().id);
  CHECK(c.as_of() == as_of());
  CHECK(c.bytes() > 0);
  CHECK(e.trial_ids().size() == m.trials().size());
}

TEST_CASE("the checksum ignores order and sees every field") {
  const std::vector<std::string> patients = {"P1", "P2"};
  const std::vector<std::string> trials = {"T1", "T2"};
  std::vector<batch::pair_status> a = {{0, 0, rules::eligibility::eligible},
                                       {1, 1, rules::eligibility::ineligible}};
  std::vector<batch::pair_status> b = {a[1], a[0]};
  CHECK(batch::checksum(a, patients, trials) == batch::checksum(b, patients, trials));
  b[0].status = rules::eligibility::possibly_eligible;
  CHECK(batch::checksum(a, patients, trials) != batch::checksum(b, patients, trials));
  std::vector<batch::pair_status> c = {{0, 1, rules::eligibility::eligible},
                                       {1, 0, rules::eligibility::ineligible}};
  CHECK(batch::checksum(a, patients, trials) != batch::checksum(c, patients, trials));
  CHECK(batch::checksum({}, patients, trials) != batch::checksum(a, patients, trials));
}

TEST_CASE("perf smoke: a few thousand patients x the bundled catalog" *
          doctest::test_suite("perf")) {
  const auto ps = random_cohort(2026, 2000, false);
  const auto m = make_matcher(bundled().trials);
  const auto e = batch::engine::create(m);
  batch::batch_options o;
  o.threads = 2;
  const auto c = e.load(inputs(ps), as_of(), o);
  const auto r = e.run(c, o);
  const auto expected = scalar_pairs(m, ps, o);
  CHECK(r.pairs == expected);
  CHECK(r.stats.pairs == expected.size());
  CHECK(r.stats.evaluations >= r.stats.pairs);
  // Linear: each 64-patient word computes each atom at most once.
  std::size_t leaves = 0;
  for (const auto& t : m.trials()) {
    for (const auto& k : t.criteria) leaves += k.program ? k.program->lower().leaves.size() : 0;
    for (const auto& a : t.arms) {
      for (const auto& k : a.criteria) leaves += k.program ? k.program->lower().leaves.size() : 0;
    }
  }
  const std::size_t words = (ps.size() + 63) / 64;
  CHECK(r.stats.kernel_words > 0);
  CHECK(r.stats.kernel_words <= words * leaves);
  std::size_t counts[3] = {0, 0, 0};
  for (const auto& p : r.pairs) ++counts[static_cast<int>(p.status)];
  CHECK(counts[0] > 0);
  CHECK(counts[1] > 0);
  MESSAGE("batch store: " << c.bytes() / ps.size() << " bytes per patient; pairs ineligible "
                          << counts[0] << ", possibly " << counts[1] << ", eligible " << counts[2]
                          << "; kernel words " << r.stats.kernel_words << " of " << words * leaves);
}
