// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// derive_facts as a whole: provenance, notes, bad input, the as-of date and the query API.
#include "support/patient_samples.hpp"
#include "unit/history/history_support.hpp"

#include <ctm/history/derive.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace ctm;
using namespace ctm::history;
using ctm::test::history_builder;
using ctm::test::on;
using ctm::test::preset;

TEST_SUITE("history.derive") {
  TEST_CASE("every line, status and fact carries its rule, preset and records") {
    history_builder h("PCM");
    h.give("bortezomib", 0, 120, stop_reason::completed, therapy_setting::induction, 4, "VRd");
    h.give("lenalidomide", 0, 120, stop_reason::completed, therapy_setting::induction, 4, "VRd");
    h.assessment(response_system::imwg, "VGPR", 100);
    h.progression(150);
    const auto f = h.derive(200);
    REQUIRE(f.lines.size() == 1);
    CHECK(f.lines[0].source.rule == "lot.imwg-myeloma");
    CHECK(f.lines[0].source.records == std::vector<std::string>{"/treatments/0", "/treatments/1"});
    CHECK(f.lines[0].best_response.value == response::very_good_partial_response);
    CHECK(f.lines[0].progression_record == std::string("/progressions/0"));
    const auto& st = f.line_statuses[0];
    CHECK(st.refractory.value == truth::yes);
    CHECK(st.refractory.preset == "auto");
    CHECK(st.refractory.source.rule == "imwg.refractory");
    CHECK(std::find(st.refractory.source.records.begin(), st.refractory.source.records.end(),
                    "/progressions/0") != st.refractory.source.records.end());
    for (const auto& nf : f.disease_facts) {
      CAPTURE(nf.name);
      CHECK_FALSE(nf.fact.source.rule.empty());
      CHECK_FALSE(nf.fact.source.reason.empty());
    }
    CHECK(f.responses.size() == 1);
    CHECK(f.responses[0].line == 1);
    CHECK(f.best_response(1) == response::very_good_partial_response);
    CHECK_FALSE(f.best_response(2).has_value());
  }

  TEST_CASE("progression measured by RECIST 1.1 from the lesions counts without a recorded one") {
    history_builder h("LUAD");
    h.give("osimertinib", 0, 240, stop_reason::progression);
    auto scan = [&](int day, double diameter) {
      tumour_assessment a;
      a.date = on(day);
      lesion l;
      l.id = "T1";
      l.site = "lung";
      l.role = lesion_role::target;
      l.diameter_mm = diameter;
      a.lesions.push_back(l);
      h.record().tumour_assessments.push_back(a);
    };
    scan(-10, 50.0);  // baseline
    scan(90, 40.0);   // nadir: -20%, stable disease
    scan(200, 60.0);  // +50% and +20 mm over the nadir: progressive disease (RECIST 1.1, 1.4)
    const auto before = h.derive(150);
    CHECK(before.agent("osimertinib")->progressed_on.value == truth::no);
    const auto after = h.derive(250);
    CHECK(after.agent("osimertinib")->progressed_on.value == truth::yes);
    CHECK(after.agent("osimertinib")->refractory.value == truth::yes);
    REQUIRE(after.lines.size() == 1);
    CHECK(after.lines[0].progression_record == std::string("/tumour_assessments/2"));
  }

  TEST_CASE("the as-of date hides later records: refractoriness as it was then") {
    history_builder h("PCM");
    h.give("bortezomib", 0, 120).assessment(response_system::imwg, "PR", 60).progression(150);
    CHECK(h.derive(100).agent("bortezomib")->refractory.value == truth::no);
    CHECK(h.derive(100).agent("bortezomib")->ongoing);
    CHECK(h.derive(200).agent("bortezomib")->refractory.value == truth::yes);
  }

  TEST_CASE("bad input never crashes and notes carry pointers but no values") {
    patient p = ctm::test::full_patient();
    drug_administration undated;
    undated.drug.name = "Secret-Drug-Name-42";
    p.treatments.push_back(undated);
    drug_administration backwards;
    backwards.drug.name = "docetaxel";
    backwards.start = on(100);
    backwards.end = on(50);
    p.treatments.push_back(backwards);
    progression_event no_date;
    p.progressions.push_back(no_date);
    const auto f = derive_facts(p, ctm::test::ymd(2024, 6, 1), ctm::test::test_vocab());
    const auto n = p.treatments.size();
    bool undated_noted = false;
    bool backwards_noted = false;
    for (const auto& d : f.notes) {
      CHECK(d.error.message.find("Secret") == std::string::npos);
      CHECK(d.error.message.find("SYN-TEST") == std::string::npos);
      CHECK_FALSE(d.error.where.pointer.empty());
      undated_noted = undated_noted ||
                      d.error.where.pointer == "/treatments/" + std::to_string(n - 2) + "/start";
      backwards_noted = backwards_noted ||
                        d.error.where.pointer == "/treatments/" + std::to_string(n - 1) + "/end";
    }
    CHECK(undated_noted);
    CHECK(backwards_noted);
    const agent_status* secret = f.agent("Secret-Drug-Name-42");
    REQUIRE(secret != nullptr);
    CHECK(secret->exposed.value == truth::yes);
    // An empty record and no vocabularies at all.
    const auto empty = derive_facts(patient{}, ctm::test::ymd(2024, 6, 1), vocabularies{});
    CHECK(empty.lines.empty());
    CHECK(empty.fact("refractory_to_last_line")->value == truth::no);
    CHECK(empty.count_lines(line_scope::any) == count_range{0, 0});
    CHECK(empty.ecog_at_most(1).value == truth::unknown);
    CHECK(empty.ecog_at_most(9).value == truth::unknown);
  }

  TEST_CASE("exposure minimums, intolerance and class answers") {
    history_builder h;
    h.give("pembrolizumab", 0, 42, stop_reason::toxicity, therapy_setting::advanced, 3);
    const auto f = h.derive(100);
    const auto pd1 = *f.catalog->find_code("anti_pd1");
    CHECK(f.exposed(pd1).value == truth::yes);
    CHECK(f.exposed(pd1, {2, std::nullopt}).value == truth::yes);
    CHECK(f.exposed(pd1, {4, std::nullopt}).value == truth::no);
    CHECK(f.exposed(pd1, {std::nullopt, weeks(6)}).value == truth::yes);
    CHECK(f.exposed(pd1, {std::nullopt, weeks(7)}).value == truth::no);
    CHECK(f.intolerant(pd1).value == truth::yes);
    CHECK(f.exposed(*f.catalog->find_code("platinum_compound")).value == truth::no);
    history_builder unexplained;
    unexplained.give("docetaxel", 0, 42, std::nullopt);
    const auto u = unexplained.derive(100);
    CHECK(u.agent("docetaxel")->intolerant.value == truth::unknown);
  }

  TEST_CASE("line setting is inferred from the advanced date when not recorded") {
    history_builder h("LUAD");  // advanced since day -30
    h.give("docetaxel", 0, 42);
    const auto f = h.derive(100);
    REQUIRE(f.lines.size() == 1);
    CHECK(f.lines[0].setting == therapy_setting::advanced);
    CHECK(f.lines[0].setting_inferred);
    CHECK(f.count_lines(line_scope::advanced) == count_range{1, 1});
    history_builder unknown;  // no diagnosis, no setting
    unknown.give("docetaxel", 0, 42);
    CHECK(unknown.derive(100).count_lines(line_scope::advanced) == count_range{0, 1});
  }

  TEST_CASE("presets by name set the line and disease rules") {
    const auto o = preset("imwg-myeloma");
    CHECK_FALSE(o.lines_auto);
    CHECK(o.lines.planned_sequences);
    CHECK(o.refractory.disease == disease_family::myeloma);
    CHECK(preset("gcig-ovarian").refractory.disease == disease_family::ovarian);
    CHECK(preset("auto").lines_auto);
    history_builder h;
    h.give("bortezomib", 0, 100).assessment(response_system::imwg, "SD", 50);
    CHECK(h.derive(120).disease == disease_family::unspecified);
    CHECK(h.derive(120, o).disease == disease_family::myeloma);
    CHECK(h.derive(120, o).fact("imwg.primary_refractory") != nullptr);
  }
}
