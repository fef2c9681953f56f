// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// End-to-end matching scenarios over a synthetic catalog: candidates, statuses, ranking with
// reasons, closed trials and arms, near misses and washouts, what to test next, batch and
// feasibility.
#include "unit/match/match_fixtures.hpp"

#include <ctm/match/matcher.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace {

using namespace ctm;
using namespace ctm::test::match;
using ctm::match::match_options;
using rules::eligibility;
constexpr auto inc = criterion_kind::inclusion;
constexpr auto exc = criterion_kind::exclusion;

std::vector<trial> catalog() {
  std::vector<trial> out;
  // A: requires the very progression the patient has; site ~40 km away.
  auto a = make_trial(
      "NCT90000001", {"LUAD"}, trial_status::recruiting,
      {crit("inc-01", inc, "age >= 18"), crit("inc-02", inc, "progressed_on(class \"egfr_tki\")"),
       crit("exc-01", exc, "brain_metastases is active")});
  a.sites = {near_site()};
  out.push_back(a);
  // B: merely allows the patient; same site.
  auto b = make_trial(
      "NCT90000002", {"NSCLC"}, trial_status::recruiting,
      {crit("inc-01", inc, "age >= 18"), crit("exc-01", exc, "brain_metastases is active")});
  b.sites = {near_site()};
  out.push_back(b);
  // J: as B, but its only site is about 2,300 km away (and its id sorts first).
  auto j = make_trial(
      "NCT90000000", {"NSCLC"}, trial_status::recruiting,
      {crit("inc-01", inc, "age >= 18"), crit("exc-01", exc, "brain_metastases is active")});
  j.sites = {far_site()};
  out.push_back(j);
  // C: a basket trial that needs an ECOG score the record lacks.
  out.push_back(make_trial("NCT90000003", {"_SOLID_"}, trial_status::recruiting,
                           {crit("inc-01", inc, "ecog in 0..1")}));
  // D: closed.
  out.push_back(make_trial("NCT90000004", {"LUAD"}, trial_status::completed,
                           {crit("inc-01", inc, "age >= 18")}));
  // E: one suspended arm, one open arm.
  auto e = make_trial("NCT90000005", {"LUAD"}, trial_status::recruiting, {});
  arm closed;
  closed.id = "A";
  closed.status = trial_status::suspended;
  closed.criteria = {crit("A-inc-01", inc, "age >= 18")};
  arm open;
  open.id = "B";
  open.criteria = {crit("B-inc-01", inc, "biomarker(\"EGFR\") is detected")};
  e.arms = {closed, open};
  out.push_back(e);
  // F: another disease.
  out.push_back(make_trial("NCT90000006", {"BRCA"}, trial_status::recruiting,
                           {crit("inc-01", inc, "age >= 18")}));
  // G: a 28-day washout the patient has not completed (last dose 2026-10-22).
  out.push_back(
      make_trial("NCT90000007", {"LUAD"}, trial_status::recruiting,
                 {crit("inc-01", inc, "age >= 18"),
                  crit("inc-02", inc, "time_since(last_dose(any anticancer)) >= 28 days")}));
  // H: a criterion without a rule, and one whose rule does not check.
  out.push_back(make_trial("NCT90000008", {"LUAD"}, trial_status::recruiting,
                           {crit("inc-01", inc, std::nullopt), crit("inc-02", inc, "ecgo <= 1")}));
  // K: needs a KRAS G12C result the patient never had.
  out.push_back(make_trial("NCT90000009", {"LUAD"}, trial_status::recruiting,
                           {crit("inc-01", inc, "age >= 18"),
                            crit("inc-02", inc, "biomarker(\"KRAS\", \"G12C\") is detected")}));
  return out;
}

ctm::match::matcher make_matcher() {
  ctm::match::matcher_config config;
  config.vocab = bundled_vocab();
  return ctm::match::matcher::create(catalog(), config);
}

const ctm::match::trial_result* find(const ctm::match::match_result& r, const std::string& id) {
  for (const auto& t : r.results) {
    if (t.trial_id == id) return &t;
  }
  return nullptr;
}

double component(const ctm::match::arm_result& a, const std::string& name) {
  for (const auto& c : a.score.components) {
    if (c.name == name) return c.contribution;
  }
  return -1e9;
}

}  // namespace

TEST_CASE("candidates: by disease through the hierarchy and groups, closed trials left out") {
  const auto m = make_matcher();
  const auto r = m.match(lung_patient(), as_of());
  CHECK(find(r, "NCT90000006") == nullptr);  // breast cancer
  CHECK(find(r, "NCT90000004") == nullptr);  // completed
  CHECK(find(r, "NCT90000001") != nullptr);  // LUAD
  CHECK(find(r, "NCT90000002") != nullptr);  // NSCLC is above LUAD
  CHECK(find(r, "NCT90000003") != nullptr);  // _SOLID_ group
  CHECK(find(r, "NCT90000007") == nullptr);  // ineligible: hidden by default

  match_options all;
  all.include_closed = true;
  all.include_ineligible = true;
  const auto r2 = m.match(lung_patient(), as_of(), all);
  CHECK(find(r2, "NCT90000004") != nullptr);
  CHECK(find(r2, "NCT90000007") != nullptr);
  CHECK(find(r2, "NCT90000006") == nullptr);
}

TEST_CASE("ranking: a trial that seeks the patient's progression ranks above one that allows it") {
  const auto r = make_matcher().match(lung_patient(), as_of());
  const auto* a = find(r, "NCT90000001");
  const auto* b = find(r, "NCT90000002");
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);
  CHECK(a->best().status == eligibility::eligible);
  CHECK(b->best().status == eligibility::eligible);
  CHECK(a->rank < b->rank);
  // Because of the specificity part: A's inclusion requires progression on an EGFR TKI.
  CHECK(component(a->best(), "specificity") > component(b->best(), "specificity"));
  CHECK(component(a->best(), "distance") == doctest::Approx(component(b->best(), "distance")));
}

TEST_CASE("ranking: the trial 40 km away ranks above the same trial 2,300 km away") {
  const auto r = make_matcher().match(lung_patient(), as_of());
  const auto* b = find(r, "NCT90000002");
  const auto* j = find(r, "NCT90000000");
  REQUIRE(b != nullptr);
  REQUIRE(j != nullptr);
  REQUIRE(b->nearest_site_km.has_value());
  CHECK(*b->nearest_site_km == doctest::Approx(40).epsilon(0.15));
  REQUIRE(j->nearest_site_km.has_value());
  CHECK(*j->nearest_site_km > 2000);
  CHECK(b->rank < j->rank);  // although J's id sorts first
  CHECK(component(b->best(), "distance") > 0);
  CHECK(component(j->best(), "distance") == 0);  // beyond the patient's 300 km
}

TEST_CASE("eligible trials rank above possibly eligible ones, ties break by trial id") {
  const auto r = make_matcher().match(lung_patient(), as_of());
  const auto* c = find(r, "NCT90000003");
  REQUIRE(c != nullptr);
  CHECK(c->best().status == eligibility::possibly_eligible);
  for (const auto& t : r.results) {
    if (t.best().status == eligibility::eligible) CHECK(t.rank < c->rank);
  }
  for (std::size_t i = 0; i < r.results.size(); ++i) CHECK(r.results[i].rank == i + 1);
}

TEST_CASE("missing data gives possibly eligible with the fact that would decide it") {
  const auto r = make_matcher().match(lung_patient(), as_of());
  const auto* c = find(r, "NCT90000003");
  REQUIRE(c != nullptr);
  const auto& a = c->best();
  REQUIRE(a.criteria.size() == 1);
  CHECK(a.criteria[0].verdict == truth::unknown);
  CHECK(a.missing == std::vector<std::string>{"ecog"});

  auto p = lung_patient();
  p.performance.push_back({performance_scale::ecog, 1, on(2026, 10, 25)});
  const auto r2 = make_matcher().match(p, as_of());
  const auto* c2 = find(r2, "NCT90000003");
  REQUIRE(c2 != nullptr);
  CHECK(c2->best().status == eligibility::eligible);
}

TEST_CASE("criteria without a rule or with a broken rule need review, none is dropped") {
  const auto r = make_matcher().match(lung_patient(), as_of());
  const auto* h = find(r, "NCT90000008");
  REQUIRE(h != nullptr);
  const auto& a = h->best();
  REQUIRE(a.criteria.size() == 2);
  CHECK(a.status == eligibility::possibly_eligible);
  CHECK(a.criteria[0].needs_review);
  CHECK(a.criteria[0].reason == "needs manual review");
  CHECK(a.criteria[1].needs_review);
  CHECK(a.criteria[1].reason.find("unknown_name") != std::string::npos);
}

TEST_CASE("closed arms are skipped unless asked for, the best arm is reported") {
  const auto m = make_matcher();
  const auto r = m.match(lung_patient(), as_of());
  const auto* e = find(r, "NCT90000005");
  REQUIRE(e != nullptr);
  REQUIRE(e->arms.size() == 1);
  CHECK(e->best().arm_id == "B");
  CHECK(e->best().status == eligibility::eligible);
  match_options closed;
  closed.include_closed = true;
  const auto r2 = m.match(lung_patient(), as_of(), closed);
  CHECK(find(r2, "NCT90000005")->arms.size() == 2);
}

TEST_CASE("explain: a near miss and the date the washout is complete") {
  const auto t = make_matcher().explain(lung_patient(), "NCT90000007", as_of());
  REQUIRE(t.has_value());
  const auto& a = t->best();
  CHECK(a.status == eligibility::ineligible);
  REQUIRE(a.near_miss.has_value());
  CHECK(*a.near_miss == "inc-02");
  REQUIRE(a.eligible_from.has_value());
  CHECK(*a.eligible_from == date{std::chrono::year{2026} / 11 / 19});
  CHECK(a.criteria[1].reason.find("28 days") != std::string::npos);
  CHECK_FALSE(make_matcher().explain(lung_patient(), "NCT99999999", as_of()).has_value());
}

TEST_CASE("index filters: phase and distance to a site") {
  const auto m = make_matcher();
  match_options near;
  near.within_km = 100;
  const auto r = m.match(lung_patient(), as_of(), near);
  CHECK(find(r, "NCT90000002") != nullptr);  // 40 km
  CHECK(find(r, "NCT90000000") == nullptr);  // 2,300 km
  CHECK(find(r, "NCT90000003") == nullptr);  // no located site
  match_options phase3;
  phase3.phases = {trial_phase::phase3};
  CHECK(m.match(lung_patient(), as_of(), phase3).results.empty());
}

TEST_CASE("top-k keeps the best k") {
  match_options o;
  o.top_k = 2;
  const auto r = make_matcher().match(lung_patient(), as_of(), o);
  REQUIRE(r.results.size() == 2);
  CHECK(r.results[0].trial_id == "NCT90000001");
}

TEST_CASE("what to test next: the ECOG score decides the basket trial") {
  const auto r = make_matcher().match(lung_patient(), as_of());
  const auto tests = ctm::match::next_tests(r);
  const auto ecog =
      std::find_if(tests.begin(), tests.end(), [](const auto& t) { return t.fact == "ecog"; });
  REQUIRE(ecog != tests.end());
  CHECK(ecog->trial_ids == std::vector<std::string>{"NCT90000003"});
}

TEST_CASE("an untested biomarker leaves the trial possibly eligible and is the test to order") {
  const auto r = make_matcher().match(lung_patient(), as_of());
  const auto* k = find(r, "NCT90000009");
  REQUIRE(k != nullptr);
  CHECK(k->best().status == eligibility::possibly_eligible);
  const auto& missing = k->best().missing;
  CHECK(std::any_of(missing.begin(), missing.end(),
                    [](const std::string& m) { return m.find("KRAS") != std::string::npos; }));
  const auto tests = ctm::match::next_tests(r);
  const auto kras = std::find_if(tests.begin(), tests.end(), [](const auto& t) {
    return t.fact.find("KRAS") != std::string::npos;
  });
  REQUIRE(kras != tests.end());
  CHECK(kras->trial_ids == std::vector<std::string>{"NCT90000009"});
  // The washout trial is ineligible for a reason no test can change: not suggested.
  for (const auto& t : tests) {
    CHECK(std::find(t.trial_ids.begin(), t.trial_ids.end(), "NCT90000007") == t.trial_ids.end());
  }
}

TEST_CASE("scores explain themselves: parts sum to the total, within the maximum") {
  const auto r = make_matcher().match(lung_patient(), as_of());
  for (const auto& t : r.results) {
    const auto& s = t.best().score;
    double sum = 0;
    for (const auto& c : s.components) sum += c.contribution;
    CHECK(sum == doctest::Approx(s.total));
    CHECK(s.total <= s.max_possible);
    CHECK(s.components.size() == ctm::match::feature_count);
  }
}

TEST_CASE("batch: input order kept, errors kept, identical across thread counts") {
  const auto m = make_matcher();
  std::vector<ctm::match::batch_input> in;
  for (int i = 0; i < 7; ++i) {
    ctm::match::batch_input b;
    b.record = lung_patient();
    b.record->id = "P" + std::to_string(i);
    b.record->birth_date = on(1950 + i * 10, 1, 1);  // P6 is 16: some trials rule P6 out
    b.label = b.record->id;
    in.push_back(b);
  }
  ctm::match::batch_input broken;
  broken.label = "record 4 of cohort.jsonl";
  broken.error = ctm::error{errc::json_syntax, "expected a value", {}};
  in.insert(in.begin() + 3, broken);

  match_options one;
  one.threads = 1;
  match_options four;
  four.threads = 4;
  const auto x = m.match_batch(in, as_of(), one);
  const auto y = m.match_batch(in, as_of(), four);
  REQUIRE(x.size() == in.size());
  REQUIRE(y.size() == in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    CHECK(x[i].label == in[i].label);
    CHECK(y[i].label == in[i].label);
    CHECK(x[i].error.has_value() == (i == 3));
    if (!x[i].result) continue;
    REQUIRE(y[i].result.has_value());
    REQUIRE(x[i].result->results.size() == y[i].result->results.size());
    for (std::size_t k = 0; k < x[i].result->results.size(); ++k) {
      CHECK(x[i].result->results[k].trial_id == y[i].result->results[k].trial_id);
      CHECK(x[i].result->results[k].best().score.total ==
            y[i].result->results[k].best().score.total);
    }
  }
  CHECK(x[3].error->code == errc::json_syntax);
}

TEST_CASE("feasibility: counts per status and attrition in sequence and alone") {
  const auto m = make_matcher();
  std::vector<ctm::match::batch_input> cohort(4);
  cohort[0].record = lung_patient();
  cohort[1].record = lung_patient();
  cohort[1].record->birth_date = on(2015, 1, 1);  // a child: fails inc-01
  cohort[2].record = lung_patient();
  cohort[2].record->birth_date = on(2015, 1, 1);
  cohort[2].record->treatments.clear();  // also never had an EGFR TKI: fails inc-02
  cohort[2].record->progressions.clear();
  cohort[3].error = ctm::error{errc::json_syntax, "expected a value", {}};
  const auto f = m.feasibility("NCT90000001", cohort, as_of());
  REQUIRE(f.has_value());
  CHECK(f->patients == 3);
  CHECK(f->errors == 1);
  CHECK(f->eligible == 1);
  CHECK(f->ineligible == 2);
  REQUIRE(f->rows.size() == 3);
  CHECK(f->rows[0].criterion_id == "inc-01");
  CHECK(f->rows[0].excluded_in_sequence == 2);
  CHECK(f->rows[0].excluded_alone == 2);
  CHECK(f->rows[1].remaining_before == 1);
  CHECK(f->rows[1].excluded_in_sequence == 0);
  CHECK(f->rows[1].excluded_alone == 1);
  CHECK(f->rows[2].unknown == 0);
  CHECK_FALSE(m.feasibility("NCT99999999", cohort, as_of()).has_value());
}

TEST_CASE("haversine: a degree of latitude is about 111 km") {
  CHECK(ctm::match::haversine_km({0, 0}, {1, 0}) == doctest::Approx(111.19).epsilon(0.001));
  CHECK(ctm::match::haversine_km({44.98, -93.27}, {44.98, -93.27}) == doctest::Approx(0));
}
