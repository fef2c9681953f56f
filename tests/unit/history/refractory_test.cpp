// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Refractory, relapsed, resistant: the REF worked cases of the domain definitions (section 2.10)
// and their boundaries.
#include "unit/history/history_support.hpp"

#include <ctm/history/derive.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace ctm;
using namespace ctm::history;
using ctm::test::exact;
using ctm::test::history_builder;
using ctm::test::on;
using ctm::test::preset;

namespace {

drug_id id_of(const patient_facts& f, std::string_view code) {
  const auto id = f.catalog->find_code(code);
  REQUIRE_MESSAGE(id.has_value(), code);
  return *id;
}

truth fact(const patient_facts& f, std::string_view name) {
  const finding* x = f.fact(name);
  REQUIRE_MESSAGE(x != nullptr, name);
  return x->value;
}

truth refractory_to(const patient_facts& f, std::string_view code) {
  return f.refractory(id_of(f, code)).value;
}

/// Myeloma: bortezomib to day 0 after a partial response, progression on `pd_day`.
patient_facts bortezomib_then_progression(int pd_day) {
  history_builder h("PCM");
  h.give("bortezomib", -120, 0);
  h.assessment(response_system::imwg, "VGPR", -60);
  h.progression(pd_day, progression_basis::biochemical);
  return h.derive(pd_day + 10);
}

void add_lab(history_builder& h, std::string analyte, int day, double value, unit u,
             std::optional<comparator> cmp = std::nullopt) {
  lab_result l;
  l.analyte = std::move(analyte);
  l.date = on(day);
  l.value = quantity{value, u};
  l.comparator = cmp;
  h.record().labs.push_back(std::move(l));
}

history_builder prostate(double testosterone_ng_dl,
                         std::initializer_list<std::pair<int, double>> psa) {
  history_builder h("PRAD");
  h.give("leuprolide", -200, std::nullopt, std::nullopt);
  add_lab(h, "testosterone", 100, testosterone_ng_dl, unit::nanogram_per_decilitre);
  for (const auto& [d, v] : psa) add_lab(h, "psa", d, v, unit::nanogram_per_millilitre);
  return h;
}

}  // namespace

TEST_SUITE("history.refractory.myeloma") {
  TEST_CASE("REF-01 progression on lenalidomide maintenance: refractory to it and to IMiDs") {
    history_builder h("PCM");
    h.give("lenalidomide", 0, std::nullopt, std::nullopt, therapy_setting::maintenance);
    h.assessment(response_system::imwg, "VGPR", 60);
    h.progression(300, progression_basis::biochemical);
    const auto f = h.derive(320);
    CHECK(f.disease == disease_family::myeloma);
    CHECK(refractory_to(f, "lenalidomide") == truth::yes);
    CHECK(refractory_to(f, "imid") == truth::yes);
    CHECK(refractory_to(f, "proteasome_inhibitor") == truth::no);
    CHECK(f.refractory(id_of(f, "lenalidomide")).source.rule == "refractory");
    CHECK(f.agent("lenalidomide")->refractory.source.rule == "imwg.refractory");
  }

  TEST_CASE("REF-02 progression 45 days after the last bortezomib dose is refractory") {
    CHECK(refractory_to(bortezomib_then_progression(45), "bortezomib") == truth::yes);
  }

  TEST_CASE("REF-03 progression on day 60 is refractory: the boundary is inclusive") {
    const auto f = bortezomib_then_progression(60);
    CHECK(refractory_to(f, "bortezomib") == truth::yes);
    CHECK(f.status_of_line(1)->acquired_resistance.value == truth::yes);
  }

  TEST_CASE("REF-04 progression on day 61 after a VGPR is relapse, not refractory") {
    const auto f = bortezomib_then_progression(61);
    CHECK(refractory_to(f, "bortezomib") == truth::no);
    CHECK(f.status_of_line(1)->relapsed.value == truth::yes);
    CHECK(fact(f, "relapsed") == truth::yes);
    CHECK(fact(f, "imwg.relapsed") == truth::yes);
    CHECK(fact(f, "imwg.refractory") == truth::no);
  }

  TEST_CASE("REF-05 stable disease (below MR) on daratumumab without progression is refractory") {
    history_builder h("PCM");
    h.give("daratumumab", 0, std::nullopt, std::nullopt);
    h.assessment(response_system::imwg, "SD", 60);
    const auto f = h.derive(90);
    CHECK(refractory_to(f, "daratumumab") == truth::yes);
    CHECK(f.status_of_line(1)->primary_refractory.value == truth::yes);
  }

  TEST_CASE("REF-06 never reaching MR on any line is primary refractory") {
    history_builder h("PCM");
    h.give("bortezomib", 0, 100).assessment(response_system::imwg, "SD", 60);
    h.give("carfilzomib", 200, 300).assessment(response_system::imwg, "PD", 260);
    const auto f = h.derive(320);
    REQUIRE(f.lines.size() == 2);
    CHECK(fact(f, "imwg.primary_refractory") == truth::yes);
    CHECK(fact(f, "primary_refractory") == truth::yes);
    CHECK(fact(f, "imwg.relapsed_and_refractory") == truth::no);
  }

  TEST_CASE("REF-07 VGPR on line 1, progression during line 3: relapsed and refractory") {
    history_builder h("PCM");
    h.give("bortezomib", 0, 100).assessment(response_system::imwg, "VGPR", 80);
    h.progression(300);
    h.give("carfilzomib", 310, 500).progression(480);
    h.give("pomalidomide", 520, std::nullopt, std::nullopt).progression(600);
    const auto f = h.derive(620);
    REQUIRE(f.lines.size() == 3);
    CHECK(f.status_of_line(3)->refractory.value == truth::yes);
    CHECK(fact(f, "imwg.relapsed_and_refractory") == truth::yes);
    CHECK(fact(f, "imwg.primary_refractory") == truth::no);
  }

  TEST_CASE("REF-08 refractory to bortezomib, lenalidomide, daratumumab: TCR but not penta") {
    history_builder h("PCM");
    h.give("bortezomib", 0, 200).give("lenalidomide", 0, 200).progression(190);
    h.give("daratumumab", 210, 400).progression(380);
    const auto f = h.derive(420);
    CHECK(fact(f, "imwg.triple_class_exposed") == truth::yes);
    CHECK(fact(f, "imwg.triple_class_refractory") == truth::yes);
    CHECK(fact(f, "imwg.double_refractory") == truth::yes);
    CHECK(fact(f, "imwg.quad_refractory") == truth::no);
    CHECK(fact(f, "imwg.penta_refractory") == truth::no);
  }

  TEST_CASE("REF-09 adding carfilzomib and pomalidomide refractoriness gives penta-refractory") {
    history_builder h("PCM");
    h.give("bortezomib", 0, 200).give("lenalidomide", 0, 200).progression(190);
    h.give("daratumumab", 210, 400).progression(380);
    h.give("carfilzomib", 410, 600).give("pomalidomide", 410, 600).progression(590);
    const auto f = h.derive(620);
    CHECK(fact(f, "imwg.quad_refractory") == truth::yes);
    CHECK(fact(f, "imwg.penta_refractory") == truth::yes);
  }

  TEST_CASE(
      "REF-10 daratumumab stopped for toxicity after one dose: exposed, intolerant, not TCR") {
    history_builder h("PCM");
    h.give("bortezomib", 0, 200).give("lenalidomide", 0, 200).progression(190);
    h.give("daratumumab", 210, 210, stop_reason::toxicity);
    h.give("pomalidomide", 210, std::nullopt, std::nullopt);
    h.assessment(response_system::imwg, "PR", 270);
    const auto f = h.derive(400);
    CHECK(fact(f, "imwg.triple_class_exposed") == truth::yes);
    CHECK(fact(f, "imwg.triple_class_refractory") == truth::no);
    CHECK(f.intolerant(id_of(f, "daratumumab")).value == truth::yes);
    CHECK(refractory_to(f, "daratumumab") == truth::no);
    CHECK(f.intolerant(id_of(f, "bortezomib")).value == truth::no);
  }

  TEST_CASE("a progression date known only to the month straddling day 60 is unknown") {
    history_builder h("PCM");
    h.give("bortezomib", -100, 14);  // last dose 2024-01-15; +60 days = 2024-03-15
    h.assessment(response_system::imwg, "PR", -20);
    progression_event e;
    e.date = partial_date::of_month(std::chrono::year{2024}, std::chrono::month{3});
    h.record().progressions.push_back(e);
    const auto f = h.derive(120);
    const finding r = f.agent("bortezomib")->refractory;
    CHECK(r.value == truth::unknown);
    CHECK(r.source.reason.find("undecided") != std::string::npos);
    CHECK(f.agent("bortezomib")->progressed_on.value == truth::yes);
  }

  TEST_CASE("a drug stopped early is judged by its own last dose (section 6.1)") {
    history_builder h("PCM");
    h.give("daratumumab", 0, 10, stop_reason::toxicity);
    h.give("lenalidomide", 0, 300);
    h.assessment(response_system::imwg, "PR", 60);
    h.progression(200);
    const auto f = h.derive(320);
    CHECK(refractory_to(f, "lenalidomide") == truth::yes);
    CHECK(refractory_to(f, "daratumumab") == truth::no);
    CHECK(f.status_of_line(1)->refractory.value == truth::yes);
  }
}

TEST_SUITE("history.refractory.lymphoma") {
  TEST_CASE("REF-11 R-CHOP x6 with stable disease as best response is primary refractory") {
    history_builder h("DLBCLNOS");
    for (auto d : {"rituximab", "cyclophosphamide", "doxorubicin", "vincristine"}) {
      h.give(d, 0, 105, stop_reason::completed, therapy_setting::advanced, 6, "R-CHOP");
    }
    h.assessment(response_system::lugano, "SD", 120);
    const auto f = h.derive(150);
    CHECK(f.disease == disease_family::large_b_cell_lymphoma);
    CHECK(f.status_of_line(1)->refractory.value == truth::yes);
    CHECK(fact(f, "scholar1.primary_refractory") == truth::yes);
    CHECK(fact(f, "scholar1.refractory") == truth::yes);
  }

  TEST_CASE("REF-12 stable disease after 3 cycles is not refractory (insufficient cycles)") {
    history_builder h("DLBCLNOS");
    h.give("rituximab", 0, 42, stop_reason::other, therapy_setting::advanced, 3);
    h.give("doxorubicin", 0, 42, stop_reason::other, therapy_setting::advanced, 3);
    h.assessment(response_system::lugano, "SD", 50);
    h.give("gemcitabine", 60, 120);
    const auto f = h.derive(150);
    const auto* st = f.status_of_line(1);
    CHECK(st->refractory.value == truth::no);
    CHECK(st->insufficient_cycles);
    SUBCASE("it would be refractory with progression as best response") {
      h.record().disease_assessments[0].category = "PD";
      CHECK(h.derive(150).status_of_line(1)->refractory.value == truth::yes);
    }
    SUBCASE("\"> 4\" versus \">= 4\" is a parameter") {
      history_builder four("DLBCLNOS");
      four.give("rituximab", 0, 63, stop_reason::completed, therapy_setting::advanced, 4);
      four.assessment(response_system::lugano, "SD", 70);
      CHECK(four.derive(100).status_of_line(1)->refractory.value == truth::yes);
      auto o = preset("scholar-1");
      o.refractory.lbcl_sd_cycles_strict = true;
      CHECK(four.derive(100, o).status_of_line(1)->refractory.value == truth::no);
    }
  }

  TEST_CASE("REF-13 progression as best response after 2 cycles is refractory") {
    history_builder h("DLBCLNOS");
    h.give("rituximab", 0, 21, stop_reason::progression, therapy_setting::advanced, 2);
    h.give("doxorubicin", 0, 21, stop_reason::progression, therapy_setting::advanced, 2);
    h.progression(35);
    const auto f = h.derive(60);
    CHECK(f.lines[0].best_response.value == response::progressive_disease);
    CHECK(f.status_of_line(1)->refractory.value == truth::yes);
  }

  TEST_CASE("REF-14 relapse 330 days after ASCT is refractory post-transplant") {
    history_builder h("DLBCLNOS");
    h.give("etoposide", -10, -3).procedure(procedure_kind::autologous_transplant, 0);
    h.progression(330);
    CHECK(fact(h.derive(360), "scholar1.refractory_post_transplant") == truth::yes);
  }

  TEST_CASE("REF-15 relapse 400 days after ASCT is relapse, not post-transplant refractory") {
    history_builder h("DLBCLNOS");
    h.give("etoposide", -10, -3).procedure(procedure_kind::autologous_transplant, 0);
    h.assessment(response_system::lugano, "CMR", 60);
    h.progression(400);
    const auto f = h.derive(420);
    CHECK(fact(f, "scholar1.refractory_post_transplant") == truth::no);
    CHECK(fact(f, "relapsed") == truth::yes);
  }

  TEST_CASE("post-transplant window in calendar months: day 366 is 12 months + 1 day in 2024") {
    history_builder h("DLBCLNOS");
    h.give("etoposide", -10, -3).procedure(procedure_kind::autologous_transplant, 0);
    h.progression(366);  // 2025-01-01 = 2024-01-01 + 12 months: inside
    CHECK(fact(h.derive(400), "scholar1.refractory_post_transplant") == truth::yes);
    history_builder later("DLBCLNOS");
    later.give("etoposide", -10, -3).procedure(procedure_kind::autologous_transplant, 0);
    later.progression(367);
    CHECK(fact(later.derive(400), "scholar1.refractory_post_transplant") == truth::no);
  }
}

TEST_SUITE("history.refractory.leukaemia") {
  TEST_CASE("REF-16 no remission after two intensive 7+3 courses is primary refractory") {
    history_builder h("AML");
    h.give("daunorubicin", 0, 30, stop_reason::completed, therapy_setting::induction, 2);
    h.give("cytarabine", 0, 35, stop_reason::completed, therapy_setting::induction, 2);
    h.assessment(response_system::eln, "refractory", 60);
    const auto f = h.derive(70);
    CHECK(f.disease == disease_family::aml);
    CHECK(fact(f, "eln.primary_refractory") == truth::yes);
  }

  TEST_CASE("REF-17 one intensive course before salvage is not decided under ELN") {
    history_builder h("AML");
    h.give("daunorubicin", 0, 3, stop_reason::other, therapy_setting::induction, 1);
    h.give("cytarabine", 0, 7, stop_reason::other, therapy_setting::induction, 1);
    h.assessment(response_system::eln, "refractory", 28);
    h.give("venetoclax", 40, std::nullopt, std::nullopt);
    const auto f = h.derive(60);
    CHECK(fact(f, "eln.primary_refractory") == truth::unknown);
    auto o = preset("eln");
    o.refractory.aml_min_intensive_courses = 1;  // a trial's one-course rule
    CHECK(fact(h.derive(60, o), "eln.primary_refractory") == truth::yes);
  }

  TEST_CASE("REF-18 no remission at the 180-day landmark of venetoclax-azacitidine is refractory") {
    history_builder h("AML");
    h.give("venetoclax", 0, std::nullopt, std::nullopt)
        .give("azacitidine", 0, std::nullopt, std::nullopt);
    h.assessment(response_system::eln, "refractory", 180);
    CHECK(fact(h.derive(190), "eln.primary_refractory") == truth::yes);
    history_builder early("AML");
    early.give("venetoclax", 0, std::nullopt, std::nullopt);
    early.assessment(response_system::eln, "refractory", 150);
    CHECK(fact(early.derive(170), "eln.primary_refractory") == truth::unknown);
  }

  TEST_CASE("REF-19 death in aplasia is excluded from primary refractoriness") {
    history_builder h("AML");
    h.give("daunorubicin", 0, 3, stop_reason::other, therapy_setting::induction, 1);
    h.give("cytarabine", 0, 7, stop_reason::other, therapy_setting::induction, 1);
    h.assessment(response_system::eln, "death in aplasia", 20);
    CHECK(fact(h.derive(30), "eln.primary_refractory") == truth::no);
  }

  TEST_CASE("REF-20 progression on ibrutinib after a partial response is refractory (iwCLL)") {
    history_builder h("CLLSLL");
    h.give("ibrutinib", 0, std::nullopt, std::nullopt);
    h.assessment(response_system::iwcll, "PR", 90);
    h.progression(500);
    const auto f = h.derive(520);
    CHECK(f.disease == disease_family::cll);
    CHECK(refractory_to(f, "ibrutinib") == truth::yes);
    CHECK(fact(f, "iwcll.refractory") == truth::yes);
  }

  TEST_CASE("REF-21 progression 9 months after completing FCR in PR is relapse (iwCLL)") {
    history_builder h("CLLSLL");
    for (auto d : {"fludarabine", "cyclophosphamide", "rituximab"}) h.give(d, 0, 150);
    h.assessment(response_system::iwcll, "PR", 150);
    h.progression(425);  // last dose 2024-05-30, progression 2025-03-01
    const auto f = h.derive(450);
    CHECK(fact(f, "iwcll.refractory") == truth::no);
    CHECK(fact(f, "iwcll.relapsed") == truth::yes);
  }

  TEST_CASE("iwCLL: the 6-month window after the last dose is calendar months, inclusive") {
    auto at = [](int pd_day) {
      history_builder h("CLLSLL");
      h.give("fludarabine", 0, 59);  // last dose 2024-02-29; + 6 months = 2024-08-29
      h.assessment(response_system::iwcll, "PR", 59);
      h.progression(pd_day);
      return fact(h.derive(400), "iwcll.refractory");
    };
    CHECK(at(241) == truth::yes);  // 2024-08-29
    CHECK(at(242) == truth::no);   // 2024-08-30
  }
}

TEST_SUITE("history.refractory.ovarian") {
  /// Last carboplatin dose on `last`, progression on `pd`.
  patient_facts platinum(partial_date last, partial_date pd) {
    history_builder h("HGSOC");
    patient& p = h.record();
    drug_administration a;
    a.drug.name = "carboplatin";
    a.start = partial_date::exact(subtract(last.earliest, months(4)));
    a.end = last;
    a.stop_reason = stop_reason::completed;
    p.treatments.push_back(a);
    p.diagnoses[0].code = "OVARY";
    progression_event e;
    e.date = pd;
    p.progressions.push_back(e);
    return derive_facts(p, ctm::test::ymd(2026, 1, 1), ctm::test::test_vocab());
  }

  std::optional<platinum_sensitivity> category(const patient_facts& f) {
    REQUIRE(f.platinum.size() == 1);
    return f.platinum[0].category;
  }

  TEST_CASE("REF-22 progression 20 days after the last carboplatin is platinum-refractory") {
    const auto f = platinum(exact(2024, 1, 1), exact(2024, 1, 21));
    CHECK(category(f) == platinum_sensitivity::refractory);
    CHECK(fact(f, "gcig.platinum_refractory") == truth::yes);
    CHECK(fact(f, "gcig.platinum_resistant") == truth::no);
  }

  TEST_CASE("REF-23 progression 4 months after the last carboplatin is platinum-resistant") {
    const auto f = platinum(exact(2024, 1, 15), exact(2024, 5, 15));
    CHECK(category(f) == platinum_sensitivity::resistant);
    CHECK(fact(f, "gcig.platinum_resistant") == truth::yes);
  }

  TEST_CASE("REF-24 progression 8.5 months after is partially platinum-sensitive") {
    CHECK(category(platinum(exact(2024, 1, 15), exact(2024, 10, 1))) ==
          platinum_sensitivity::partially_sensitive);
  }

  TEST_CASE("REF-25 progression more than 12 months after is platinum-sensitive") {
    const auto f = platinum(exact(2024, 1, 15), exact(2025, 3, 1));
    CHECK(category(f) == platinum_sensitivity::sensitive);
    CHECK(fact(f, "gcig.platinum_sensitive") == truth::yes);
  }

  TEST_CASE("platinum boundaries: 4 weeks, exactly 6 and 12 months, month-end clamping") {
    CHECK(category(platinum(exact(2024, 1, 15), exact(2024, 2, 12))) ==
          platinum_sensitivity::refractory);  // day 28
    CHECK(category(platinum(exact(2024, 1, 15), exact(2024, 2, 13))) ==
          platinum_sensitivity::resistant);  // day 29
    CHECK(category(platinum(exact(2024, 1, 15), exact(2024, 7, 14))) ==
          platinum_sensitivity::resistant);
    CHECK(category(platinum(exact(2024, 1, 15), exact(2024, 7, 15))) ==
          platinum_sensitivity::partially_sensitive);  // exactly 6 months
    CHECK(category(platinum(exact(2024, 1, 15), exact(2025, 1, 15))) ==
          platinum_sensitivity::partially_sensitive);  // exactly 12 months
    CHECK(category(platinum(exact(2024, 1, 15), exact(2025, 1, 16))) ==
          platinum_sensitivity::sensitive);
    // 31 August + 6 months is 28 February.
    CHECK(category(platinum(exact(2024, 8, 31), exact(2025, 2, 27))) ==
          platinum_sensitivity::resistant);
    CHECK(category(platinum(exact(2024, 8, 31), exact(2025, 2, 28))) ==
          platinum_sensitivity::partially_sensitive);
  }

  TEST_CASE("a progression month straddling 6 months leaves the platinum category unknown") {
    const auto f = platinum(exact(2024, 1, 15),
                            partial_date::of_month(std::chrono::year{2024}, std::chrono::month{7}));
    CHECK_FALSE(category(f).has_value());
    CHECK(fact(f, "gcig.platinum_resistant") == truth::unknown);
  }
}

TEST_SUITE("history.refractory.prostate") {
  TEST_CASE("REF-26 a PSA rise of 1.2 ng/mL above the nadir is not PCWG3 progression") {
    auto h = prostate(30, {{0, 4.0}, {60, 5.2}, {90, 5.3}});
    const auto f = h.derive(120);
    CHECK(f.disease == disease_family::prostate);
    CHECK(fact(f, "pcwg3.castrate") == truth::yes);
    CHECK(fact(f, "pcwg3.psa_progression") == truth::no);
    CHECK(fact(f, "pcwg3.castration_resistant") == truth::no);
  }

  TEST_CASE("REF-27 nadir 4.0, 6.5, confirmed 7.0 three weeks later: PSA progression, CRPC") {
    auto h = prostate(30, {{0, 4.0}, {60, 6.5}, {81, 7.0}});
    const auto f = h.derive(120);
    CHECK(fact(f, "pcwg3.psa_progression") == truth::yes);
    CHECK(fact(f, "pcwg3.castration_resistant") == truth::yes);
    auto unconfirmed = prostate(30, {{0, 4.0}, {60, 6.5}, {80, 7.0}});  // 20 days later
    CHECK(fact(unconfirmed.derive(120), "pcwg3.psa_progression") == truth::unknown);
  }

  TEST_CASE("REF-28 as REF-27 with testosterone 60 ng/dL: not castrate, not CRPC") {
    auto h = prostate(60, {{0, 4.0}, {60, 6.5}, {81, 7.0}});
    const auto f = h.derive(120);
    CHECK(fact(f, "pcwg3.castrate") == truth::no);
    CHECK(fact(f, "pcwg3.castration_resistant") == truth::no);
  }

  TEST_CASE("castrate testosterone: 1.7 nmol/L converts to 49 ng/dL, a censored value") {
    auto h = prostate(30, {{0, 4.0}});
    h.record().labs[0].value = quantity{1.7, unit::nanomole_per_litre};
    CHECK(fact(h.derive(120), "pcwg3.castrate") == truth::yes);
    h.record().labs[0].value = quantity{1.8, unit::nanomole_per_litre};  // 51.9 ng/dL
    CHECK(fact(h.derive(120), "pcwg3.castrate") == truth::no);
    h.record().labs[0].value = quantity{20, unit::nanogram_per_decilitre};
    h.record().labs[0].comparator = comparator::less;
    CHECK(fact(h.derive(120), "pcwg3.castrate") == truth::yes);
    h.record().labs[0].value = quantity{60, unit::nanogram_per_decilitre};
    CHECK(fact(h.derive(120), "pcwg3.castrate") == truth::unknown);
  }

  TEST_CASE("radiographic progression on hormonal therapy with castrate testosterone is CRPC") {
    auto h = prostate(30, {{0, 4.0}});
    h.give("enzalutamide", 10, 200, stop_reason::progression);
    h.progression(190, progression_basis::radiographic);
    const auto f = h.derive(220);
    CHECK(fact(f, "pcwg3.radiographic_progression") == truth::yes);
    CHECK(fact(f, "pcwg3.castration_resistant") == truth::yes);
    CHECK(f.progressed_on(id_of(f, "enzalutamide")).value == truth::yes);
  }
}

TEST_SUITE("history.refractory.prostate_response") {
  TEST_CASE("a confirmed PSA decline of 50% on a line is a partial response (PCWG3)") {
    history_builder h("PRAD");
    add_lab(h, "psa", -10, 48.0, unit::nanogram_per_millilitre);
    h.give("leuprolide", 0, std::nullopt, std::nullopt);
    add_lab(h, "psa", 100, 24.0, unit::nanogram_per_millilitre);  // exactly 50%
    add_lab(h, "psa", 120, 20.0, unit::nanogram_per_millilitre);  // 20 days later: too early
    add_lab(h, "psa", 121, 19.0, unit::nanogram_per_millilitre);  // 21 days after day 100
    h.progression(400, progression_basis::biochemical);
    const auto f = h.derive(420);
    REQUIRE(f.lines.size() == 1);
    CHECK(f.lines[0].best_response.value == response::partial_response);
    CHECK(f.lines[0].best_response.source.rule == "pcwg3.psa_response");
    CHECK(f.status_of_line(1)->primary_refractory.value == truth::no);
    CHECK(f.status_of_line(1)->acquired_resistance.value == truth::yes);
    history_builder small("PRAD");
    add_lab(small, "psa", -10, 48.0, unit::nanogram_per_millilitre);
    small.give("leuprolide", 0, std::nullopt, std::nullopt);
    add_lab(small, "psa", 100, 24.1, unit::nanogram_per_millilitre);
    add_lab(small, "psa", 130, 24.1, unit::nanogram_per_millilitre);
    small.progression(400, progression_basis::biochemical);
    CHECK(small.derive(420).lines[0].best_response.value == response::progressive_disease);
  }
}

TEST_SUITE("history.refractory.sitc") {
  TEST_CASE("REF-29 8 weeks of pembrolizumab, PD confirmed 4 weeks later: primary resistance") {
    history_builder h("MEL");
    h.give("pembrolizumab", 0, 56, stop_reason::progression);
    h.assessment(response_system::recist, "PD", 60);
    h.progression(60).progression(88);
    const auto f = h.derive(100);
    CHECK(fact(f, "sitc.primary_resistance") == truth::yes);
    CHECK(fact(f, "sitc.secondary_resistance") == truth::no);
  }

  TEST_CASE("REF-30 9 months of pembrolizumab, PR for 7 months, confirmed PD: secondary") {
    history_builder h("MEL");
    h.give("pembrolizumab", 0, 270, stop_reason::progression);
    h.assessment(response_system::recist, "PR", 60).assessment(response_system::recist, "PR", 120);
    h.assessment(response_system::recist, "PR", 240);
    h.progression(265).progression(295);
    const auto f = h.derive(300);
    CHECK(fact(f, "sitc.secondary_resistance") == truth::yes);
    CHECK(fact(f, "sitc.primary_resistance") == truth::no);
  }

  TEST_CASE("REF-31 4 weeks of pembrolizumab then PD: not classifiable, but progressed on it") {
    history_builder h("MEL");
    h.give("pembrolizumab", 0, 28, stop_reason::progression);
    h.progression(35).progression(70);
    const auto f = h.derive(80);
    CHECK(fact(f, "sitc.primary_resistance") == truth::unknown);
    CHECK(fact(f, "sitc.secondary_resistance") == truth::no);
    CHECK(f.progressed_on(id_of(f, "anti_pd1")).value == truth::yes);
  }

  TEST_CASE("SITC: stable disease lasting exactly 6 months is not classifiable, unconfirmed PD") {
    history_builder h("MEL");
    h.give("pembrolizumab", 0, 200, stop_reason::progression);
    h.assessment(response_system::recist, "SD", 60);
    h.progression(182).progression(220);  // 2024-07-01 = day 0 + 6 months
    CHECK(fact(h.derive(230), "sitc.primary_resistance") == truth::unknown);
    history_builder once("MEL");
    once.give("pembrolizumab", 0, 100, stop_reason::progression);
    once.assessment(response_system::recist, "PD", 90);
    once.progression(90);
    const auto f = once.derive(100);
    CHECK(fact(f, "sitc.primary_resistance") == truth::unknown);
    CHECK(f.fact("sitc.primary_resistance")->source.reason.find("not confirmed") !=
          std::string::npos);
  }

  TEST_CASE("SITC: progression more than 12 weeks after the last dose is a separate category") {
    history_builder h("MEL");
    h.give("pembrolizumab", 0, 100, stop_reason::toxicity);
    h.assessment(response_system::recist, "PR", 60);
    h.progression(200).progression(230);
    const auto f = h.derive(240);
    CHECK(fact(f, "sitc.progression_after_discontinuation") == truth::yes);
    CHECK(fact(f, "sitc.secondary_resistance") == truth::no);
  }
}

TEST_SUITE("history.refractory.generic") {
  TEST_CASE("generic: progression on therapy is refractory, presets are listed") {
    history_builder h("LUAD");
    h.give("osimertinib", 0, 500, stop_reason::progression);
    h.assessment(response_system::recist, "PR", 60).assessment(response_system::recist, "PR", 120);
    h.progression(480);
    const auto f = h.derive(520);
    CHECK(refractory_to(f, "osimertinib") == truth::yes);
    CHECK(f.acquired_resistance(id_of(f, "egfr_tki")).value == truth::yes);
    CHECK(fact(f, "refractory_to_last_line") == truth::yes);
    CHECK(fact(f, "primary_refractory") == truth::no);
    CHECK(f.fact_or_unknown("imwg.penta_refractory").value == truth::unknown);
    for (auto name : refractory_options::preset_names()) {
      CAPTURE(name);
      CHECK(refractory_options::preset(name).has_value());
      CHECK(derive_options::preset(name).has_value());
    }
    CHECK_FALSE(derive_options::preset("no-such-preset").has_value());
  }
}
