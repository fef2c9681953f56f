// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "support/patient_samples.hpp"

#include <ctm/history/recist.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace ctm;
using namespace ctm::history;
using ctm::test::day;

namespace {

categorised<target_category> tg(double b, double n, double c, target_measurements m = {},
                                const recist_options& o = {}) {
  m.baseline_sum_mm = b;
  m.nadir_sum_mm = n;
  m.current_sum_mm = c;
  return target_response(m, o);
}

bool has(const std::vector<recist_flag>& flags, recist_flag f) {
  return std::find(flags.begin(), flags.end(), f) != flags.end();
}

lesion target(std::string id, double mm, bool nodal = false) {
  lesion l;
  l.id = std::move(id);
  l.site = nodal ? "mediastinal node" : "liver";
  l.role = lesion_role::target;
  l.nodal = nodal;
  l.diameter_mm = mm;
  return l;
}

lesion non_target(std::string id, lesion_status s) {
  lesion l;
  l.id = std::move(id);
  l.site = "bone";
  l.role = lesion_role::non_target;
  l.status = s;
  return l;
}

lesion new_lesion(std::string id, bool equivocal) {
  lesion l;
  l.id = std::move(id);
  l.site = "lung";
  l.role = lesion_role::new_lesion;
  l.status = lesion_status::present;
  l.equivocal = equivocal;
  return l;
}

tumour_assessment at(partial_date d, std::vector<lesion> lesions) {
  tumour_assessment a;
  a.date = d;
  a.method = imaging_method::ct;
  a.lesions = std::move(lesions);
  return a;
}

date d0() { return date{std::chrono::year{2024}, std::chrono::month{1}, std::chrono::day{1}}; }
dated_response on(int n, response r) { return {add_days(d0(), n), r, {}}; }

constexpr auto CR = response::complete_response;
constexpr auto PR = response::partial_response;
constexpr auto SD = response::stable_disease;
constexpr auto PD = response::progressive_disease;
constexpr auto NE = response::not_evaluable;
constexpr auto NN = response::non_cr_non_pd;

response bor(std::vector<dated_response> tps, recist_options o = {}) {
  return best_overall_response(std::move(tps), d0(), o).value;
}

}  // namespace

TEST_SUITE("history.recist") {
  // Domain definitions 1.9 ------------------------------------------------------------------------
  TEST_CASE("RECIST-TG-01: a 30.0% decrease from baseline is PR (inclusive)") {
    CHECK(tg(100, 100, 70).category == target_category::partial_response);
  }
  TEST_CASE("RECIST-TG-02: a 29% decrease is SD") {
    CHECK(tg(100, 100, 71).category == target_category::stable_disease);
  }
  TEST_CASE("RECIST-TG-03: +20% and +10 mm from the nadir is PD") {
    CHECK(tg(100, 50, 60).category == target_category::progressive_disease);
  }
  TEST_CASE("RECIST-TG-04: +20% but only +4 mm from the nadir is not PD - -76% is PR") {
    CHECK(tg(100, 20, 24).category == target_category::partial_response);
  }
  TEST_CASE("RECIST-TG-05: +20.0% and +5 mm are both inclusive: PD") {
    CHECK(tg(30, 25, 30).category == target_category::progressive_disease);
  }
  TEST_CASE("RECIST-TG-06: +16% from the nadir is SD") {
    CHECK(tg(30, 25, 29).category == target_category::stable_disease);
  }
  TEST_CASE("RECIST-TG-07: +20% and +8 mm with the nadir at baseline is PD") {
    CHECK(tg(40, 40, 48).category == target_category::progressive_disease);
  }
  TEST_CASE("RECIST-TG-08: non-nodal 0 and every node below 10 mm is CR although the sum is 8") {
    target_measurements m;
    m.non_nodal_all_zero = true;
    m.nodes_all_normal = true;
    CHECK(tg(50, 50, 8, m).category == target_category::complete_response);
    // The same through assess: node 20 + liver 30, then node 8 + liver 0.
    const auto r = assess({at(day(2024, 1, 1), {target("N1", 20, true), target("L1", 30)}),
                           at(day(2024, 3, 1), {target("N1", 8, true), target("L1", 0)})});
    REQUIRE(r.timepoints.size() == 2);
    CHECK(r.timepoints[1].target == target_category::complete_response);
    CHECK(r.timepoints[1].sum_mm == doctest::Approx(8));
    CHECK(r.timepoints[1].overall == response::complete_response);
  }
  TEST_CASE("RECIST-TG-09: a node of 12 mm prevents CR - -76% is PR") {
    target_measurements m;
    m.non_nodal_all_zero = true;
    m.nodes_all_normal = false;
    CHECK(tg(50, 50, 12, m).category == target_category::partial_response);
    const auto r = assess({at(day(2024, 1, 1), {target("N1", 20, true), target("L1", 30)}),
                           at(day(2024, 3, 1), {target("N1", 12, true), target("L1", 0)})});
    CHECK(r.timepoints[1].target == target_category::partial_response);
  }
  TEST_CASE("RECIST-TG-10: a lesion reappearing after a CR time point is PD - flag off gives PR") {
    target_measurements m;
    m.previous_was_cr = true;
    m.non_nodal_reappeared = true;
    const auto on_flag = tg(60, 0, 4, m);
    CHECK(on_flag.category == target_category::progressive_disease);
    CHECK(has(on_flag.flags, recist_flag::reappearance_after_cr));
    recist_options off;
    off.reappearance_after_cr_is_pd = false;
    CHECK(tg(60, 0, 4, m, off).category == target_category::partial_response);
    // Through assess: 60 -> 0 (CR) -> 4.
    const auto r =
        assess({at(day(2024, 1, 1), {target("L1", 60)}), at(day(2024, 3, 1), {target("L1", 0)}),
                at(day(2024, 5, 1), {target("L1", 4)})});
    REQUIRE(r.timepoints.size() == 3);
    CHECK(r.timepoints[1].target == target_category::complete_response);
    CHECK(r.timepoints[2].target == target_category::progressive_disease);
    CHECK(r.timepoints[2].nadir_mm == doctest::Approx(0));
    CHECK_FALSE(r.timepoints[2].change_from_nadir.has_value());
  }
  TEST_CASE("RECIST-TG-11: with a nadir of 0 growth of 5 mm is PD") {
    CHECK(tg(60, 0, 5).category == target_category::progressive_disease);
    CHECK(tg(60, 0, 4.9).category == target_category::partial_response);
  }
  TEST_CASE("RECIST-TG-12: a target not imaged makes the response NE") {
    target_measurements m;
    m.all_measured = false;
    CHECK(tg(80, 60, 50, m).category == target_category::not_evaluable);
    const auto r = assess({at(day(2024, 1, 1), {target("A", 30), target("B", 30), target("C", 20)}),
                           at(day(2024, 3, 1), {target("A", 25), target("B", 20), target("C", 15)}),
                           at(day(2024, 5, 1), {target("A", 25), target("B", 25)})});
    CHECK(r.timepoints[2].target == target_category::not_evaluable);
    CHECK(r.timepoints[2].overall == response::not_evaluable);
  }
  TEST_CASE("RECIST-TG-13: the imaged targets alone already meet PD") {
    target_measurements m;
    m.all_measured = false;
    CHECK(tg(80, 40, 55, m).category == target_category::progressive_disease);
  }
  TEST_CASE("RECIST-TG-14: a lesion too small to measure counts 5 mm so PR and not CR") {
    CHECK(tg(100, 100, 5).category == target_category::partial_response);
    lesion small;
    small.id = "L1";
    small.site = "liver";
    small.role = lesion_role::target;
    small.status = lesion_status::present;
    const auto r = assess({at(day(2024, 1, 1), {target("L1", 100)}), at(day(2024, 3, 1), {small})});
    CHECK(r.timepoints[1].sum_mm == doctest::Approx(5));
    CHECK(r.timepoints[1].target == target_category::partial_response);
  }

  TEST_CASE("target response boundaries: PR and PD thresholds are inclusive just short is not") {
    CHECK(tg(70, 70, 49).category == target_category::partial_response);     // exactly -30%
    CHECK(tg(70, 70, 49.0001).category == target_category::stable_disease);  // just above
    CHECK(tg(50, 25, 30).category == target_category::progressive_disease);  // +20%, +5 mm
    CHECK(tg(30, 25, 29.999).category == target_category::stable_disease);
    CHECK(tg(100, 10.1 + 20.2, 10.1 + 20.2 + 6.06).category ==
          target_category::progressive_disease);  // decimal millimetres at exactly +20%
    CHECK(tg(0, 0, 10).category == target_category::not_evaluable);
  }

  TEST_CASE("nodal growth below 10 mm is PD by the sum rule first with a warning flag") {
    target_measurements m;
    m.non_nodal_all_zero = true;
    m.nodes_all_normal = true;
    const auto r = tg(30, 4, 9, m);
    CHECK(r.category == target_category::progressive_disease);
    CHECK(has(r.flags, recist_flag::nodal_pd_below_10mm));
  }

  // Domain definitions 1.10 -----------------------------------------------------------------------
  TEST_CASE("RECIST-TP-01: CR CR no new lesion: CR") {
    CHECK(timepoint_response(target_category::complete_response,
                             non_target_category::complete_response,
                             new_lesion_category::no) == CR);
  }
  TEST_CASE("RECIST-TP-02: CR with NON-CR/NON-PD non-targets: PR") {
    CHECK(timepoint_response(target_category::complete_response, non_target_category::non_cr_non_pd,
                             new_lesion_category::no) == PR);
  }
  TEST_CASE("RECIST-TP-03: CR with NE non-targets: PR") {
    CHECK(timepoint_response(target_category::complete_response, non_target_category::not_evaluable,
                             new_lesion_category::no) == PR);
  }
  TEST_CASE("RECIST-TP-04: CR without non-targets at baseline: CR") {
    CHECK(timepoint_response(target_category::complete_response, non_target_category::none,
                             new_lesion_category::no) == CR);
  }
  TEST_CASE("RECIST-TP-05: PR with NE non-targets: PR") {
    CHECK(timepoint_response(target_category::partial_response, non_target_category::not_evaluable,
                             new_lesion_category::no) == PR);
  }
  TEST_CASE("RECIST-TP-06: SD with NE non-targets: SD") {
    CHECK(timepoint_response(target_category::stable_disease, non_target_category::not_evaluable,
                             new_lesion_category::no) == SD);
  }
  TEST_CASE("RECIST-TP-07: NE targets: NE") {
    CHECK(timepoint_response(target_category::not_evaluable, non_target_category::non_cr_non_pd,
                             new_lesion_category::no) == NE);
  }
  TEST_CASE("RECIST-TP-08: PR with PD non-targets: PD") {
    CHECK(timepoint_response(target_category::partial_response,
                             non_target_category::progressive_disease,
                             new_lesion_category::no) == PD);
  }
  TEST_CASE("RECIST-TP-09: a new lesion makes CR PD") {
    CHECK(timepoint_response(target_category::complete_response,
                             non_target_category::complete_response,
                             new_lesion_category::yes) == PD);
  }
  TEST_CASE("RECIST-TP-10: a new lesion makes NE PD") {
    CHECK(timepoint_response(target_category::not_evaluable, non_target_category::not_evaluable,
                             new_lesion_category::yes) == PD);
  }
  TEST_CASE("RECIST-TP-11: PD targets: PD") {
    CHECK(timepoint_response(target_category::progressive_disease,
                             non_target_category::not_evaluable, new_lesion_category::no) == PD);
  }
  TEST_CASE("RECIST-TP-12: non-target-only disease gone: CR") {
    CHECK(timepoint_response(target_category::none, non_target_category::complete_response,
                             new_lesion_category::no) == CR);
  }
  TEST_CASE("RECIST-TP-13: non-target-only disease persisting: NON-CR/NON-PD") {
    CHECK(timepoint_response(target_category::none, non_target_category::non_cr_non_pd,
                             new_lesion_category::no) == NN);
  }
  TEST_CASE("RECIST-TP-14: non-target-only disease not assessed: NE") {
    CHECK(timepoint_response(target_category::none, non_target_category::not_evaluable,
                             new_lesion_category::no) == NE);
  }
  TEST_CASE("RECIST-TP-15: non-target-only disease with a new lesion: PD") {
    CHECK(timepoint_response(target_category::none, non_target_category::non_cr_non_pd,
                             new_lesion_category::yes) == PD);
  }
  TEST_CASE("RECIST-TP-16: non-target-only disease progressing: PD") {
    CHECK(timepoint_response(target_category::none, non_target_category::progressive_disease,
                             new_lesion_category::no) == PD);
  }

  TEST_CASE("tables 1 and 2 every row and an equivocal new lesion counts as NO") {
    using T = target_category;
    using N = non_target_category;
    for (const T t : {T::complete_response, T::partial_response, T::stable_disease,
                      T::progressive_disease, T::not_evaluable}) {
      for (const N n : {N::complete_response, N::non_cr_non_pd, N::progressive_disease,
                        N::not_evaluable, N::none}) {
        CAPTURE(to_string(t));
        CAPTURE(to_string(n));
        CHECK(timepoint_response(t, n, new_lesion_category::yes) == PD);
        CHECK(timepoint_response(t, n, new_lesion_category::equivocal) ==
              timepoint_response(t, n, new_lesion_category::no));
      }
    }
    CHECK(timepoint_response(T::stable_disease, N::none, new_lesion_category::no) == SD);
    CHECK(timepoint_response(T::none, N::none, new_lesion_category::no) == NE);
  }

  TEST_CASE("RECIST-TP-17: an equivocal new lesion confirmed later makes the first scan PD") {
    const auto r =
        assess({at(day(2024, 1, 1), {target("T1", 50), non_target("NT1", lesion_status::present)}),
                at(day(2024, 3, 1), {target("T1", 30), non_target("NT1", lesion_status::present),
                                     new_lesion("X", true)}),
                at(day(2024, 5, 1), {target("T1", 30), non_target("NT1", lesion_status::present),
                                     new_lesion("X", false)})});
    REQUIRE(r.timepoints.size() == 3);
    CHECK(r.timepoints[1].target == target_category::partial_response);
    CHECK(r.timepoints[1].non_target == non_target_category::non_cr_non_pd);
    CHECK(r.timepoints[1].new_lesions == new_lesion_category::yes);
    CHECK(r.timepoints[1].overall == PD);
    CHECK(has(r.timepoints[1].flags, recist_flag::equivocal_new_lesion_confirmed));
    const auto b = best_overall_response(r, {});
    CHECK(b.value == PD);
    CHECK(b.date == day(2024, 3, 1).earliest);
  }

  TEST_CASE("an equivocal new lesion never confirmed stays NO") {
    const auto r = assess({at(day(2024, 1, 1), {target("T1", 50)}),
                           at(day(2024, 3, 1), {target("T1", 30), new_lesion("X", true)})});
    CHECK(r.timepoints[1].new_lesions == new_lesion_category::equivocal);
    CHECK(r.timepoints[1].overall == PR);
  }

  TEST_CASE("non-target response: PD NE CR NON-CR/NON-PD and NA") {
    CHECK(non_target_response({true, true, true, false}).category ==
          non_target_category::progressive_disease);
    CHECK(non_target_response({true, false, false, false}).category ==
          non_target_category::not_evaluable);
    CHECK(non_target_response({true, true, false, true}).category ==
          non_target_category::complete_response);
    CHECK(non_target_response({true, true, false, false}).category ==
          non_target_category::non_cr_non_pd);
    CHECK(non_target_response({false, true, false, false}).category == non_target_category::none);
  }

  // Domain definitions 1.11 -----------------------------------------------------------------------
  TEST_CASE("BOR-01: PR confirmed 28 days later is PR") {
    CHECK(bor({on(56, PR), on(84, PR)}) == PR);
  }
  TEST_CASE("BOR-02: PR repeated after 21 days only then PD: SD") {
    CHECK(bor({on(56, PR), on(77, PR), on(112, PD)}) == SD);
  }
  TEST_CASE("BOR-03: an unconfirmed PR before day 42 then PD: PD") {
    CHECK(bor({on(28, PR), on(49, PD)}) == PD);
  }
  TEST_CASE("BOR-04: CR confirmed is CR") { CHECK(bor({on(56, CR), on(84, CR)}) == CR); }
  TEST_CASE("BOR-05: CR then PR is SD and flags cr_followed_by_pr") {
    const auto b = best_overall_response({on(56, CR), on(84, PR)}, d0());
    CHECK(b.value == SD);
    CHECK(has(b.flags, recist_flag::cr_followed_by_pr));
  }
  TEST_CASE("BOR-06: one NE between PR and its confirmation is allowed") {
    CHECK(bor({on(56, PR), on(70, NE), on(98, PR)}) == PR);
  }
  TEST_CASE("BOR-07: two NEs exceed max_ne_between = 1: SD") {
    CHECK(bor({on(56, PR), on(70, NE), on(84, NE), on(112, PR)}) == SD);
  }
  TEST_CASE("BOR-07b: two NEs with max_ne_between = 2: PR") {
    recist_options o;
    o.max_ne_between = 2;
    CHECK(bor({on(56, PR), on(70, NE), on(84, NE), on(112, PR)}, o) == PR);
  }
  TEST_CASE("BOR-08: SD inside the confirmation window is not accepted: SD") {
    CHECK(bor({on(56, PR), on(84, SD), on(112, PR)}) == SD);
  }
  TEST_CASE("BOR-08b: with accept_sd_between one SD is accepted: PR") {
    recist_options o;
    o.accept_sd_between = true;
    CHECK(bor({on(56, PR), on(84, SD), on(112, PR)}, o) == PR);
  }
  TEST_CASE("BOR-09: SD before day 42 then PD: PD") { CHECK(bor({on(35, SD), on(63, PD)}) == PD); }
  TEST_CASE("BOR-10: SD before day 42 and nothing else: NE") { CHECK(bor({on(35, SD)}) == NE); }
  TEST_CASE("BOR-11: SD on day 42 (inclusive): SD") {
    CHECK(bor({on(42, SD)}) == SD);
    CHECK(bor({on(41, SD)}) == NE);
  }
  TEST_CASE("BOR-12: without confirmation an unconfirmed PR is PR") {
    recist_options o;
    o.confirmation_required = false;
    CHECK(bor({on(56, PR), on(112, PD)}, o) == PR);
    CHECK(bor({on(56, PR), on(112, PD)}) == SD);
  }
  TEST_CASE("BOR-13: non-target-only disease: NON-CR/NON-PD") { CHECK(bor({on(56, NN)}) == NN); }
  TEST_CASE("BOR-14: NE only: NE") { CHECK(bor({on(56, NE), on(84, NE)}) == NE); }
  TEST_CASE("BOR-15: assessments after the first PD are ignored") {
    CHECK(bor({on(56, PR), on(84, PR), on(112, PD), on(140, CR)}) == PR);
  }
  TEST_CASE("BOR-16: CR-NE-CR 34 days apart is CR") {
    CHECK(bor({on(56, CR), on(70, NE), on(90, CR)}) == CR);
  }
  TEST_CASE("BOR-17: PR confirmed by a later CR is PR - the CR itself is unconfirmed") {
    CHECK(bor({on(56, PR), on(84, CR)}) == PR);
  }

  TEST_CASE("BOR boundaries: confirmation at 27 vs 28 days early confirmed responses count") {
    CHECK(bor({on(56, PR), on(83, PR)}) == SD);
    CHECK(bor({on(56, PR), on(84, PR)}) == PR);
    // Domain 6.1: an early response that is confirmed stays a response.
    CHECK(bor({on(14, PR), on(42, PR)}) == PR);
    // An early unconfirmed one is NE, not SD.
    CHECK(bor({on(14, PR)}) == NE);
    CHECK(bor({}) == NE);
    // Order of input does not matter; ties go to the earliest date.
    const auto b = best_overall_response({on(84, PR), on(56, PR)}, d0());
    CHECK(b.value == PR);
    CHECK(b.date == add_days(d0(), 56));
  }

  // Measurability (domain 1.1, 4.10, 4.13) --------------------------------------------------------
  TEST_CASE("ELIG-15: a 12 mm node and blastic bone lesions are not measurable disease") {
    lesion node = target("N1", 12, true);
    node.role = lesion_role::non_target;
    lesion bone = non_target("B1", lesion_status::present);
    const auto m = measurable_disease(at(day(2024, 1, 1), {node, bone}));
    CHECK(m.category == truth::no);
  }
  TEST_CASE("ELIG-16: a 10 mm liver lesion on CT with 5 mm slices is measurable") {
    lesion l = target("L1", 10);
    l.slice_thickness_mm = 5;
    CHECK(measurable_disease(at(day(2024, 1, 1), {l})).category == truth::yes);
  }
  TEST_CASE("ELIG-17: a 12 mm lesion on CT with 8 mm slices is not measurable (needs 16 mm)") {
    lesion l = target("L1", 12);
    l.slice_thickness_mm = 8;
    CHECK(measurable_disease(at(day(2024, 1, 1), {l})).category == truth::no);
    l.diameter_mm = 16;
    CHECK(measurable_disease(at(day(2024, 1, 1), {l})).category == truth::yes);
  }
  TEST_CASE("measurability boundaries by method and kind") {
    const recist_options o;
    CHECK(is_measurable(target("N", 15, true), imaging_method::ct, o) == truth::yes);
    CHECK(is_measurable(target("N", 14.9, true), imaging_method::ct, o) == truth::no);
    CHECK(is_measurable(target("L", 9.9), imaging_method::ct, o) == truth::no);
    CHECK(is_measurable(target("L", 19), imaging_method::x_ray, o) == truth::no);
    CHECK(is_measurable(target("L", 20), imaging_method::x_ray, o) == truth::yes);
    CHECK(is_measurable(target("L", 30), imaging_method::ultrasound, o) == truth::no);
    CHECK(is_measurable(target("L", 10), imaging_method::clinical_exam, o) == truth::yes);
    CHECK(is_measurable(target("L", 30), std::nullopt, o) == truth::unknown);
    recist_options strict;
    strict.assume_standard_slice = false;
    CHECK(is_measurable(target("L", 12), imaging_method::ct, strict) == truth::unknown);
  }
  TEST_CASE("measurable disease in a screening window uses the latest assessment there") {
    const std::vector<tumour_assessment> series{at(day(2024, 1, 1), {target("L1", 30)}),
                                                at(day(2024, 3, 1), {target("L1", 8)})};
    const date as_of = day(2024, 3, 20).earliest;
    CHECK(measurable_disease(series, as_of).value == truth::no);
    CHECK(measurable_disease(series, day(2024, 1, 29).earliest).value == truth::yes);  // day 28
    CHECK(measurable_disease(series, day(2024, 1, 30).earliest).value == truth::unknown);
  }

  // Bad input ------------------------------------------------------------------------------------
  TEST_CASE("assessments without a date partial dates and negative diameters are noted") {
    std::vector<tumour_assessment> series{at(day(2024, 1, 1), {target("L1", 50)}),
                                          at(day(2024, 2, 1), {target("L1", -3)}),
                                          at(day(2024, 3, 1), {target("L1", 30)})};
    series.push_back(at(day(2024, 4, 1), {target("L1", 20)}));
    series[3].date.reset();
    series.push_back(at(ctm::test::month_of(2024, 5), {target("L1", 10)}));
    const auto r = assess(series);
    REQUIRE(r.timepoints.size() == 3);
    CHECK(r.timepoints[1].target == target_category::not_evaluable);
    CHECK(r.timepoints[2].target == target_category::partial_response);
    const auto pointer_of = [&](const std::string& p) {
      return std::any_of(r.notes.begin(), r.notes.end(),
                         [&](const diagnostic& d) { return d.error.where.pointer == p; });
    };
    CHECK(pointer_of("/tumour_assessments/1/lesions/0/diameter_mm"));
    CHECK(pointer_of("/tumour_assessments/3/date"));
    CHECK(pointer_of("/tumour_assessments/4/date"));
    for (const diagnostic& d : r.notes) {
      CHECK(d.error.message.find("-3") == std::string::npos);
    }
  }

  TEST_CASE("baseline with a treatment start: latest before it within 28 days") {
    const std::vector<tumour_assessment> series{at(day(2024, 1, 1), {target("L1", 50)}),
                                                at(day(2024, 2, 1), {target("L1", 40)}),
                                                at(day(2024, 4, 1), {target("L1", 20)})};
    date_window w{day(2024, 2, 29).earliest, std::nullopt};  // 28 days after 1 Feb
    auto r = assess(series, {}, w);
    REQUIRE(r.timepoints.size() == 2);
    CHECK(r.timepoints[0].assessment == 1);
    CHECK(r.timepoints[1].change_from_baseline == doctest::Approx(-0.5));
    w.start = day(2024, 3, 1).earliest;  // 29 days: too old
    r = assess(series, {}, w);
    CHECK(r.timepoints.empty());
    CHECK(r.measurable_disease == truth::unknown);
    recist_options any_age;
    any_age.baseline_max_days_before_start.reset();
    CHECK(assess(series, any_age, w).timepoints.size() == 2);
    // The window end is exclusive.
    w.end = day(2024, 4, 1).earliest;
    CHECK(assess(series, any_age, w).timepoints.size() == 1);
  }

  TEST_CASE("too many targets are flagged but kept") {
    std::vector<lesion> many;
    for (int i = 0; i < 6; ++i) many.push_back(target("T" + std::to_string(i), 20));
    const auto r = assess({at(day(2024, 1, 1), many)});
    REQUIRE(r.timepoints.size() == 1);
    CHECK(has(r.timepoints[0].flags, recist_flag::too_many_targets));
    CHECK(r.timepoints[0].sum_mm == doctest::Approx(120));
  }
}
