// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Lines of therapy: the LOT worked cases of the domain definitions (section 3.4) and boundaries.
#include "unit/history/history_support.hpp"

#include <ctm/history/derive.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace ctm;
using namespace ctm::history;
using ctm::test::history_builder;
using ctm::test::on;
using ctm::test::preset;
using ctm::test::regimen_of;
using ctm::test::strings;

namespace {

derive_options with_lines(lot_options lot) {
  derive_options o;
  o.lines = std::move(lot);
  o.lines_auto = false;
  return o;
}

}  // namespace

TEST_SUITE("history.lines.worked_cases") {
  TEST_CASE("LOT-01 a drug added inside the 28-day window joins the regimen") {
    history_builder h;
    h.doses("carboplatin", {0, 21, 42, 63}).doses("paclitaxel", {0, 21, 42, 63});
    h.doses("pembrolizumab", {14, 35, 56});
    const auto f = h.derive(100);
    REQUIRE(f.lines.size() == 1);
    CHECK(regimen_of(f, f.lines[0]) == strings{"carboplatin", "paclitaxel", "pembrolizumab"});
    CHECK(f.lines[0].start == on(0));
    CHECK(f.lines[0].end == on(63));
    CHECK(f.lines[0].closed_by == line_boundary::none);
  }

  TEST_CASE("LOT-02 a late immunotherapy is a new line (Merck) but not under Hess NSCLC") {
    history_builder h;
    h.doses("carboplatin", {0, 21, 42, 63}).doses("pemetrexed", {0, 21, 42, 63});
    h.doses("pembrolizumab", {35, 56});
    const auto merck = h.derive(100, preset("rwd-default"));
    REQUIRE(merck.lines.size() == 2);
    CHECK(regimen_of(merck, merck.lines[0]) == strings{"carboplatin", "pemetrexed"});
    CHECK(merck.lines[0].end == on(21));
    CHECK(merck.lines[0].closed_by == line_boundary::new_drug);
    CHECK(merck.lines[1].start == on(35));
    CHECK(regimen_of(merck, merck.lines[1]) ==
          strings{"carboplatin", "pembrolizumab", "pemetrexed"});
    const auto hess = h.derive(100, preset("hess-nsclc"));
    REQUIRE(hess.lines.size() == 1);
    CHECK(hess.lines[0].late_addition_used);
    CHECK(hess.lines_preset == "hess-nsclc");
  }

  TEST_CASE("LOT-03 the regimen window is inclusive: a drug on day 28 joins") {
    history_builder h;
    h.give("drug_x", 0, 0).give("drug_y", 28, 28);
    const auto f = h.derive(60);
    REQUIRE(f.lines.size() == 1);
    CHECK(regimen_of(f, f.lines[0]) == strings{"drug_x", "drug_y"});
  }

  TEST_CASE("LOT-04 a new drug on day 29 opens line 2") {
    history_builder h;
    h.give("drug_x", 0, 0).give("drug_y", 29, 29);
    const auto f = h.derive(60);
    REQUIRE(f.lines.size() == 2);
    CHECK(regimen_of(f, f.lines[0]) == strings{"drug_x"});
    CHECK(f.lines[1].start == on(29));
    CHECK(regimen_of(f, f.lines[1]) == strings{"drug_y"});
  }

  TEST_CASE("LOT-05 cisplatin to carboplatin is a substitution, not a new line") {
    history_builder h;
    h.doses("cisplatin", {0, 21}).doses("etoposide", {0, 21, 42, 63});
    h.doses("carboplatin", {42, 63});
    const auto f = h.derive(100);
    REQUIRE(f.lines.size() == 1);
    CHECK(f.lines[0].substitution_used);
  }

  TEST_CASE("LOT-06 a gap of 158 days is a new line, not with a 180-day gap") {
    history_builder h;
    h.doses("docetaxel", {0, 21, 42, 200});
    const auto f = h.derive(250);
    REQUIRE(f.lines.size() == 2);
    CHECK(f.lines[0].closed_by == line_boundary::gap);
    CHECK(f.lines[1].start == on(200));
    auto lot = lot_options::rwd_default();
    lot.gap = days(180);
    CHECK(h.derive(250, with_lines(lot)).lines.size() == 1);
  }

  TEST_CASE("LOT-07 a gap of exactly 120 days is not more than 120: one line") {
    history_builder h;
    h.doses("docetaxel", {0, 21, 42, 162});
    CHECK(h.derive(250).lines.size() == 1);
    history_builder longer;
    longer.doses("docetaxel", {0, 21, 42, 163});
    CHECK(longer.derive(250).lines.size() == 2);
  }

  TEST_CASE("LOT-08 intermittent osimertinib dispensings: a 121-day gap unless gap-exempt") {
    history_builder h;
    for (int d = 0; d <= 300; d += 30) h.give("osimertinib", d, d + 29);
    h.give("osimertinib", 450, 479);
    const auto f = h.derive(500);
    REQUIRE(f.lines.size() == 2);
    CHECK(f.lines[1].start == on(450));
    auto lot = lot_options::rwd_default();
    lot.gap_exempt = {"osimertinib"};
    const auto exempt = h.derive(500, with_lines(lot));
    REQUIRE(exempt.lines.size() == 1);
    CHECK(exempt.lines[0].gap_exemption_used);
  }

  TEST_CASE("LOT-09 continuation maintenance after carboplatin stops stays line 1") {
    history_builder h;
    h.doses("carboplatin", {0, 21, 42, 63});
    for (int d = 0; d <= 399; d += 21) h.give("pemetrexed", d, d).give("pembrolizumab", d, d);
    const auto f = h.derive(420);
    REQUIRE(f.lines.size() == 1);
    CHECK(f.lines[0].maintenance == maintenance_kind::continuation);
    CHECK(f.lines[0].maintenance_start == on(84));
  }

  TEST_CASE("LOT-10 switch maintenance with pemetrexed is line 1 (Merck), line 2 without rules") {
    history_builder h;
    h.doses("carboplatin", {0, 21, 42, 63}).doses("paclitaxel", {0, 21, 42, 63});
    h.doses("pemetrexed", {84, 105, 126});
    const auto f = h.derive(200);
    REQUIRE(f.lines.size() == 1);
    CHECK(f.lines[0].maintenance == maintenance_kind::switch_maintenance);
    CHECK(f.lines[0].maintenance_start == on(84));
    auto lot = lot_options::rwd_default();
    lot.switch_maintenance.clear();
    const auto plain = h.derive(200, with_lines(lot));
    REQUIRE(plain.lines.size() == 2);
    CHECK(plain.lines[1].start == on(84));
  }

  TEST_CASE("LOT-11 docetaxel after carboplatin-pemetrexed is line 2") {
    history_builder h;
    h.doses("carboplatin", {0, 21, 42, 63}).doses("pemetrexed", {0, 21, 42, 63});
    h.doses("docetaxel", {200, 221});
    const auto f = h.derive(250);
    REQUIRE(f.lines.size() == 2);
    CHECK(regimen_of(f, f.lines[1]) == strings{"docetaxel"});
  }

  TEST_CASE("LOT-12 dose changes and a three-week hold stay in one line") {
    history_builder h;
    h.doses("gemcitabine", {0, 7, 14, 28, 35, 70, 77});
    CHECK(h.derive(100).lines.size() == 1);
  }

  TEST_CASE("LOT-13 myeloma planned sequence is one line under the IMWG preset, three without") {
    history_builder h("PCM");
    h.give("bortezomib", 0, 120, stop_reason::completed, therapy_setting::induction, 4, "VRd");
    h.give("lenalidomide", 0, 120, stop_reason::completed, therapy_setting::induction, 4, "VRd");
    h.give("dexamethasone", 0, 120, stop_reason::completed, therapy_setting::induction, 4, "VRd");
    h.give("melphalan", 150, 150, stop_reason::completed, therapy_setting::consolidation);
    h.give("lenalidomide", 240, 900, stop_reason::completed, therapy_setting::maintenance);
    const auto imwg = h.derive(950, preset("imwg-myeloma"));
    REQUIRE(imwg.lines.size() == 1);
    CHECK(imwg.lines[0].planned_sequence);
    CHECK(imwg.lines[0].maintenance_start == on(240));
    const auto automatic = h.derive(950);  // myeloma picks the IMWG lines automatically
    CHECK(automatic.lines_preset == "imwg-myeloma");
    CHECK(automatic.lines.size() == 1);
    const auto rwd = h.derive(950, preset("rwd-default"));
    REQUIRE(rwd.lines.size() == 3);
    CHECK(regimen_of(rwd, rwd.lines[1]) == strings{"melphalan"});
    CHECK(rwd.lines[1].start == on(150));
    CHECK(rwd.lines[2].start == on(240));
    // Dexamethasone is supportive care: a companion of the VRd line, not a regimen drug.
    CHECK(regimen_of(rwd, rwd.lines[0]) == strings{"bortezomib", "lenalidomide"});
    REQUIRE(rwd.lines[0].drugs.size() == 3);
    CHECK(rwd.lines[0].drugs[2].role == line_role::companion);
  }

  TEST_CASE("LOT-13 variant: without recorded settings an autologous transplant links the plan") {
    history_builder h("PCM");
    h.give("bortezomib", 0, 120).give("lenalidomide", 0, 120);
    h.give("melphalan", 150, 150);
    h.procedure(procedure_kind::autologous_transplant, 152);
    h.give("lenalidomide", 240, 900);
    const auto f = h.derive(950, preset("imwg-myeloma"));
    REQUIRE(f.lines.size() == 1);
    CHECK(f.lines[0].procedures == strings{"/procedures/0"});
    // A progression before maintenance breaks the plan: maintenance is then a new line.
    h.progression(200);
    CHECK(h.derive(950, preset("imwg-myeloma")).lines.size() == 2);
  }

  TEST_CASE("LOT-14 daratumumab dropped for toxicity: the line goes on") {
    history_builder h("PCM");
    h.give("daratumumab", 0, 400, stop_reason::toxicity);
    h.give("lenalidomide", 0, 700).give("dexamethasone", 0, 700);
    for (const char* name : {"rwd-default", "imwg-myeloma"}) {
      CAPTURE(name);
      CHECK(h.derive(720, preset(name)).lines.size() == 1);
    }
  }

  TEST_CASE("LOT-15 a toxicity switch is a new line only under the IMWG-style flag") {
    history_builder h;
    h.give("cisplatin", 0, 0);
    h.give("cisplatin", 21, 21, stop_reason::toxicity);
    h.doses("pemetrexed", {0, 21, 42, 63});
    h.doses("carboplatin", {42, 63});
    CHECK(h.derive(100).lines.size() == 1);
    auto lot = lot_options::rwd_default();
    lot.toxicity_switch_new_line = true;
    const auto f = h.derive(100, with_lines(lot));
    REQUIRE(f.lines.size() == 2);
    CHECK(f.lines[0].closed_by == line_boundary::toxicity_switch);
    CHECK(f.lines[1].start == on(42));
  }

  TEST_CASE("LOT-16 adjuvant therapy counts as an advanced line only within the relapse window") {
    history_builder h;
    h.give("carboplatin", 0, 63, stop_reason::completed, therapy_setting::adjuvant);
    h.give("paclitaxel", 0, 63, stop_reason::completed, therapy_setting::adjuvant);
    h.progression(300);
    h.give("carboplatin", 310, 400, stop_reason::completed, therapy_setting::advanced);
    h.give("pemetrexed", 310, 400, stop_reason::completed, therapy_setting::advanced);
    const auto f = h.derive(420);
    REQUIRE(f.lines.size() == 2);
    CHECK(f.lines[0].closed_by == line_boundary::gap);
    CHECK(f.count_lines(line_scope::any) == count_range{2, 2});
    CHECK(f.count_lines(line_scope::advanced) == count_range{1, 1});
    CHECK(f.count_lines(line_scope::advanced, months(12)) == count_range{2, 2});
    CHECK(f.count_lines(line_scope::early) == count_range{1, 1});
    CHECK(f.at_least_lines(2, line_scope::advanced).value == truth::no);
    CHECK(f.at_least_lines(2, line_scope::advanced, months(12)).value == truth::yes);
  }
}

TEST_SUITE("history.lines.edges") {
  TEST_CASE("a partial start date straddling the regimen window leaves the line count open") {
    history_builder h;
    h.give("drug_x", 0, 0);  // 2024-01-01; the window ends 2024-01-29
    drug_administration y;
    y.drug.name = "drug_y";
    y.start = partial_date::of_month(std::chrono::year{2024}, std::chrono::month{1});
    y.end = y.start;
    y.stop_reason = stop_reason::completed;
    h.record().treatments.push_back(y);
    const auto f = h.derive(60);
    REQUIRE(f.lines.size() == 1);
    CHECK(f.lines[0].uncertain_splits == 1);
    CHECK(f.count_lines(line_scope::any) == count_range{1, 2});
    CHECK(f.at_least_lines(2, line_scope::any).value == truth::unknown);
    CHECK(f.at_least_lines(1, line_scope::any).value == truth::yes);
    bool noted = false;
    for (const auto& n : f.notes) {
      noted = noted || (n.error.code == errc::ambiguous_date &&
                        n.error.where.pointer == "/treatments/1/start");
    }
    CHECK(noted);
  }

  TEST_CASE("supportive drugs build no line, unknown drugs are kept and reported") {
    history_builder h;
    h.give("docetaxel", 0, 42);
    h.give("dexamethasone", 300, 310);  // supportive: no line
    h.give("XYZ-123 investigational", 500, 540);
    const auto f = h.derive(600);
    CHECK(f.lines.size() == 1);
    const agent_status* xyz = f.agent("XYZ-123 investigational");
    REQUIRE(xyz != nullptr);
    CHECK_FALSE(xyz->is_resolved());
    CHECK(xyz->exposed.value == truth::yes);
    bool noted = false;
    for (const auto& n : f.notes) {
      noted = noted || (n.error.code == errc::unknown_code &&
                        n.error.where.pointer == "/treatments/2/drug" &&
                        n.error.message.find("XYZ") == std::string::npos);
    }
    CHECK(noted);
    // The unknown drug outside every line may have been a line: the count is 1 or 2.
    CHECK(f.count_lines(line_scope::any) == count_range{1, 2});
    // With the option, unknown drugs build lines.
    auto o = derive_options{};
    o.lines.unknown_agents_build_lines = true;
    CHECK(h.derive(600, o).lines.size() == 2);
  }

  TEST_CASE("records after the as-of date are ignored and running drugs are ongoing") {
    history_builder h;
    h.give("docetaxel", 0, 100);
    h.give("gemcitabine", 200, 260);
    const auto f = h.derive(50);
    REQUIRE(f.lines.size() == 1);
    CHECK(f.lines[0].ongoing);
    CHECK(f.lines[0].end == on(50));
    CHECK(f.agent("gemcitabine") == nullptr);
  }

  TEST_CASE("a drug still running when a new line opens is carried into it") {
    history_builder h;
    h.give("leuprolide", 0, std::nullopt, std::nullopt);  // ongoing backbone
    h.give("docetaxel", 100, 200);
    const auto f = h.derive(300);
    REQUIRE(f.lines.size() == 2);
    CHECK(regimen_of(f, f.lines[1]) == strings{"docetaxel", "leuprolide"});
    CHECK(f.lines[0].end == on(99));
    CHECK(f.lines[1].ongoing);
  }

  TEST_CASE("drop_advances_line: a dropped regimen drug opens a new line") {
    history_builder h;
    h.doses("drug_x", {0, 21, 42});
    h.doses("drug_y", {0, 21, 42, 63, 84, 105});
    CHECK(h.derive(150).lines.size() == 1);
    auto lot = lot_options::rwd_default();
    lot.drop_advances_line = true;
    const auto f = h.derive(150, with_lines(lot));
    REQUIRE(f.lines.size() == 2);
    CHECK(f.lines[0].closed_by == line_boundary::drug_dropped);
    CHECK(f.lines[1].start == on(84));
  }

  TEST_CASE("Hess NSCLC ends a line after a 60-day gap, the default after 120 days") {
    history_builder h;
    h.doses("docetaxel", {0, 21, 42, 110});
    CHECK(h.derive(150).lines.size() == 1);
    CHECK(h.derive(150, preset("hess-nsclc")).lines.size() == 2);
  }

  TEST_CASE("line presets are named and listed") {
    for (auto name : lot_options::preset_names()) {
      const auto o = lot_options::preset(name);
      REQUIRE(o.has_value());
      CHECK(o->name == name);
    }
    CHECK_FALSE(lot_options::preset("flatiron").has_value());
    CHECK(lot_options::rwd_default().regimen_window == days(28));
    CHECK(lot_options::rwd_default().gap == days(120));
    CHECK(lot_options::imwg_myeloma().planned_sequences);
    CHECK(to_string(line_boundary::gap) == "gap");
    CHECK(to_string(maintenance_kind::switch_maintenance) == "switch");
  }
}
