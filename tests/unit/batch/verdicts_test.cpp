// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// engine::verdicts against the scalar matcher: every criterion's verdict, `passes` and missing
// flag for candidate and non-candidate pairs of random cohorts and catalogs, and its errors.
#include "unit/batch/batch_support.hpp"

#include <ctm/batch/engine.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace {

using namespace ctm;
using namespace ctm::test::batch;
using batch::criterion_verdict;

criterion_verdict expected_of(std::uint32_t arm, std::uint32_t k,
                              const match::criterion_result& r) {
  criterion_verdict v;
  v.arm = arm;
  v.criterion = k;
  v.verdict = r.verdict;
  v.passes = r.passes;
  v.missing = r.verdict == truth::unknown && !r.missing.empty();
  return v;
}

/// The verdicts `engine::verdicts` must give for trial `ct`, from the matcher's result for it
/// (every arm evaluated: `explain`, or `match` with `include_closed`).
std::vector<criterion_verdict> expected_verdicts(const compiled_trial& ct,
                                                 const match::trial_result& r) {
  std::vector<criterion_verdict> out;
  REQUIRE(r.arms.size() == std::max<std::size_t>(1, ct.arms.size()));
  const std::size_t shared = ct.criteria.size();
  for (std::size_t a = 0; a < r.arms.size(); ++a) {
    const auto& arm = r.arms[a];
    REQUIRE(arm.criteria.size() == shared + (ct.arms.empty() ? 0 : ct.arms[a].criteria.size()));
    for (std::size_t k = 0; k < shared; ++k) {
      const auto v = expected_of(criterion_verdict::trial_wide, static_cast<std::uint32_t>(k),
                                 arm.criteria[k]);
      if (a == 0) {
        out.push_back(v);
      } else {
        CHECK(v == out[k]);  // the trial-wide criteria are the same in every arm
      }
    }
  }
  for (std::size_t a = 0; a < ct.arms.size(); ++a) {
    CHECK(r.arms[a].arm_id == ct.arms[a].id);
    for (std::size_t k = shared; k < r.arms[a].criteria.size(); ++k) {
      out.push_back(expected_of(static_cast<std::uint32_t>(a),
                                static_cast<std::uint32_t>(k - shared), r.arms[a].criteria[k]));
    }
  }
  return out;
}

std::string describe(const criterion_verdict& v) {
  return (v.arm == criterion_verdict::trial_wide ? std::string("trial") : std::to_string(v.arm)) +
         "/" + std::to_string(v.criterion) + " verdict " + std::string(to_string(v.verdict)) +
         " passes " + std::string(to_string(v.passes)) + (v.missing ? " missing" : "");
}

/// What the differential comparisons saw, so that a test can require that they were not vacuous.
struct seen {
  std::size_t pairs = 0;
  std::size_t criteria = 0;
  std::size_t closed_arms = 0;
  std::size_t by_verdict[3] = {0, 0, 0};
  std::size_t unknown_missing = 0;
};

void compare(const batch::engine& e, const batch::cohort& c, std::uint32_t patient,
             std::uint32_t trial, const compiled_trial& ct, const match::trial_result& r, seen& s) {
  CAPTURE(patient);
  CAPTURE(ct.trial.id);
  const auto expected = expected_verdicts(ct, r);
  const auto got = e.verdicts(c, patient, trial);
  REQUIRE(got.has_value());
  REQUIRE(got->size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if ((*got)[i] != expected[i]) {
      FAIL_CHECK("criterion " << i << ": engine " << describe((*got)[i]) << ", scalar "
                              << describe(expected[i]));
    }
    ++s.by_verdict[static_cast<int>(expected[i].verdict)];
    if (expected[i].missing) ++s.unknown_missing;
  }
  ++s.pairs;
  s.criteria += expected.size();
  for (const auto& a : ct.arms) {
    if (!is_open(a.status)) ++s.closed_arms;
  }
}

/// Every candidate pair (from `match` with every arm) and every `stride`-th non-candidate pair
/// (from `explain`) of `ps` against `m`.
seen check_all(const match::matcher& m, const std::vector<patient>& ps, std::size_t stride) {
  const auto e = batch::engine::create(m);
  const auto c = e.load(inputs(ps), as_of());
  REQUIRE(c.size() == ps.size());
  std::map<std::string, std::uint32_t> index;
  for (std::uint32_t t = 0; t < m.trials().size(); ++t) index[m.trials()[t].trial.id] = t;
  match::match_options mo;
  mo.include_ineligible = true;
  mo.include_closed = true;
  seen s;
  std::size_t others = 0;
  for (std::uint32_t i = 0; i < ps.size(); ++i) {
    const auto r = m.match(ps[i], as_of(), mo);
    std::vector<std::uint8_t> candidate(m.trials().size(), 0);
    for (const auto& t : r.results) {
      const std::uint32_t k = index.at(t.trial_id);
      candidate[k] = 1;
      compare(e, c, i, k, m.trials()[k], t, s);
    }
    for (std::uint32_t k = 0; k < m.trials().size(); ++k) {
      if (candidate[k] != 0 || others++ % stride != 0) continue;
      const auto x = m.explain(ps[i], m.trials()[k].trial.id, as_of());
      REQUIRE(x.has_value());
      compare(e, c, i, k, m.trials()[k], *x, s);
    }
  }
  return s;
}

}  // namespace

TEST_CASE("verdicts equal the scalar matcher's on random catalogs, under every policy") {
  for (const std::uint64_t seed : {1U, 2U, 3U}) {
    const auto policy = static_cast<rules::missing_data_policy>(seed % 3);
    CAPTURE(rules::to_string(policy));
    generator g(seed * 104729);
    std::vector<trial> trials;
    for (int k = 0; k < 30; ++k) trials.push_back(g.random_trial(k));
    const auto m = make_matcher(trials, policy);
    const seen s = check_all(m, random_cohort(seed + 40, 90, false), 7);
    MESSAGE("seed " << seed << ": " << s.pairs << " pairs, " << s.criteria << " criteria ("
                    << s.by_verdict[0] << " no, " << s.by_verdict[1] << " unknown of which "
                    << s.unknown_missing << " missing, " << s.by_verdict[2] << " yes)");
    CHECK(s.pairs > 100);
    CHECK(s.closed_arms > 0);
    CHECK(s.by_verdict[0] > 0);
    CHECK(s.by_verdict[1] > 0);
    CHECK(s.by_verdict[2] > 0);
    if (policy == rules::missing_data_policy::unknown) {
      // Both kinds of unknown: a fact to collect, and one the record cannot settle.
      CHECK(s.unknown_missing > 0);
      CHECK(s.unknown_missing < s.by_verdict[static_cast<int>(truth::unknown)]);
    } else {
      CHECK(s.unknown_missing == 0);  // the policy decides every unknown with a missing fact
    }
  }
}

TEST_CASE("verdicts equal the scalar matcher's on the bundled catalog and samples") {
  const auto ps = random_cohort(77, 40, true);
  for (const auto policy :
       {rules::missing_data_policy::unknown, rules::missing_data_policy::treat_as_not_met}) {
    CAPTURE(rules::to_string(policy));
    const auto m = make_matcher(bundled().trials, policy);
    const seen s = check_all(m, ps, 11);
    CHECK(s.pairs > 0);
    CHECK(s.criteria > s.pairs);
  }
}

TEST_CASE("verdicts of a hand-made trial, arms open and closed") {
  trial t;
  t.id = "NCT00000001";
  t.title = "hand-made";
  t.status = trial_status::recruiting;
  t.conditions.codes = {"NSCLC"};
  const auto add = [](std::vector<criterion>& to, std::string id, criterion_kind kind,
                      std::optional<std::string> rule) {
    criterion c;
    c.id = std::move(id);
    c.kind = kind;
    c.text = "hand-made criterion";
    c.rule = std::move(rule);
    to.push_back(std::move(c));
  };
  add(t.criteria, "inc-01", criterion_kind::inclusion, "age >= 18");
  add(t.criteria, "exc-01", criterion_kind::exclusion, "ecog >= 2");
  arm open;
  open.id = "A";
  open.name = "open arm";
  add(open.criteria, "a-inc-01", criterion_kind::inclusion, std::nullopt);  // needs review
  arm closed;
  closed.id = "B";
  closed.name = "closed arm";
  closed.status = trial_status::suspended;
  add(closed.criteria, "b-exc-01", criterion_kind::exclusion, "age >= 65");
  add(closed.criteria, "b-inc-01", criterion_kind::inclusion, "lab(anc) >= 1500 [/mm3]");
  t.arms = {open, closed};

  patient p;  // 50 years old; no performance status, no labs
  p.id = "HAND-1";
  p.birth_date = partial_date::exact(add_days(as_of(), -(50 * 365 + 20)));
  patient q = p;  // a second patient, so that the position matters
  q.id = "HAND-2";
  q.birth_date = partial_date::exact(add_days(as_of(), -(70 * 365 + 20)));
  performance_status ecog;
  ecog.scale = performance_scale::ecog;
  ecog.value = 3;
  ecog.date = partial_date::exact(add_days(as_of(), -5));
  q.performance.push_back(ecog);

  const auto tw = criterion_verdict::trial_wide;
  using enum truth;
  {
    const auto m = make_matcher({t});
    const auto e = batch::engine::create(m);
    const auto c = e.load(inputs({p, q}), as_of());
    REQUIRE(c.size() == 2);
    const auto first = e.verdicts(c, 0, 0);
    REQUIRE(first.has_value());
    const std::vector<criterion_verdict> want_first = {
        {tw, 0, yes, yes, false},
        {tw, 1, unknown, unknown, true},  // ecog is missing: a fact to collect
        {0, 0, unknown, unknown, false},  // needs review: nothing to collect
        {1, 0, no, yes, false},           // the closed arm is listed too
        {1, 1, unknown, unknown, true},
    };
    CHECK(*first == want_first);
    const auto second = e.verdicts(c, 1, 0);
    REQUIRE(second.has_value());
    const std::vector<criterion_verdict> want_second = {
        {tw, 0, yes, yes, false}, {tw, 1, yes, no, false},        {0, 0, unknown, unknown, false},
        {1, 0, yes, no, false},   {1, 1, unknown, unknown, true},
    };
    CHECK(*second == want_second);
  }
  {
    // Treat-as-met decides the missing facts; the criterion needing review stays unknown.
    const auto m = make_matcher({t}, rules::missing_data_policy::treat_as_met);
    const auto e = batch::engine::create(m);
    const auto c = e.load(inputs({p}), as_of());
    const auto got = e.verdicts(c, 0, 0);
    REQUIRE(got.has_value());
    const std::vector<criterion_verdict> want = {
        {tw, 0, yes, yes, false}, {tw, 1, yes, no, false}, {0, 0, unknown, unknown, false},
        {1, 0, no, yes, false},   {1, 1, yes, yes, false},
    };
    CHECK(*got == want);
  }
}

TEST_CASE("verdicts reject positions outside the catalog or the cohort") {
  const auto m = make_matcher(bundled().trials);
  const auto e = batch::engine::create(m);
  const auto& samples = bundled().samples;
  const auto c = e.load(inputs(samples), as_of());
  REQUIRE(c.size() > 0);
  const auto trials = static_cast<std::uint32_t>(e.trial_ids().size());
  const auto patients = static_cast<std::uint32_t>(c.size());
  CHECK(e.verdicts(c, 0, trials - 1).has_value());
  CHECK(e.verdicts(c, patients - 1, 0).has_value());

  const auto no_trial = e.verdicts(c, 0, trials);
  REQUIRE_FALSE(no_trial.has_value());
  CHECK(no_trial.error().code == errc::unknown_trial);
  const auto no_patient = e.verdicts(c, patients, 0);
  REQUIRE_FALSE(no_patient.has_value());
  CHECK(no_patient.error().code == errc::invalid_value);
  // The trial is checked first; neither message names a patient.
  const auto neither = e.verdicts(c, patients + 5, trials + 5);
  REQUIRE_FALSE(neither.has_value());
  CHECK(neither.error().code == errc::unknown_trial);
  for (const auto* err : {&no_trial.error(), &no_patient.error()}) {
    for (const auto& s : samples) CHECK(err->message.find(s.id) == std::string::npos);
  }

  const auto empty = e.load({}, as_of());
  const auto none = e.verdicts(empty, 0, 0);
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().code == errc::invalid_value);
}
