// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "support/patient_samples.hpp"

#include <ctm/history/response.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace ctm;
using namespace ctm::history;
using ctm::test::day;

namespace {

disease_assessment recorded(response_system s, std::string category, partial_date d) {
  disease_assessment a;
  a.system = s;
  a.category = std::move(category);
  a.date = d;
  return a;
}

lesion target(std::string id, double mm) {
  lesion l;
  l.id = std::move(id);
  l.site = "liver";
  l.role = lesion_role::target;
  l.diameter_mm = mm;
  return l;
}

tumour_assessment scan(partial_date d, double mm) {
  tumour_assessment a;
  a.date = d;
  a.method = imaging_method::ct;
  a.lesions = {target("L1", mm)};
  return a;
}

}  // namespace

TEST_SUITE("history.response") {
  TEST_CASE("the response order puts deeper responses above and NE lowest") {
    CHECK(response::not_evaluable < response::progressive_disease);
    CHECK(response::progressive_disease < response::non_cr_non_pd);
    CHECK(response::non_cr_non_pd < response::stable_disease);
    CHECK(response::stable_disease < response::minimal_response);
    CHECK(response::minimal_response < response::partial_response);
    CHECK(response::partial_response < response::very_good_partial_response);
    CHECK(response::complete_response_incomplete_recovery < response::complete_response);
    CHECK(response::complete_response < response::stringent_complete_response);
    for (int i = 0; i <= static_cast<int>(response::stringent_complete_response); ++i) {
      const auto r = static_cast<response>(i);
      CHECK(parse_response(to_string(r)) == r);
      CHECK_FALSE(abbreviation(r).empty());
    }
  }

  TEST_CASE("normalise knows each system's categories and spellings") {
    CHECK(normalise(response_system::recist, "Non-CR/Non-PD") == response::non_cr_non_pd);
    CHECK(normalise(response_system::recist, "partial response") == response::partial_response);
    CHECK(normalise(response_system::recist, "VGPR") == std::nullopt);
    CHECK(normalise(response_system::imwg, "sCR") == response::stringent_complete_response);
    CHECK(normalise(response_system::imwg, "vgpr") == response::very_good_partial_response);
    CHECK(normalise(response_system::imwg, "MR") == response::minimal_response);
    CHECK(normalise(response_system::lugano, "CMR") == response::complete_response);
    CHECK(normalise(response_system::lugano, "PMR") == response::partial_response);
    CHECK(normalise(response_system::lugano, "NMR") == response::stable_disease);
    CHECK(normalise(response_system::lugano, "PMD") == response::progressive_disease);
    CHECK(normalise(response_system::lugano, "SD") == response::stable_disease);
    CHECK(normalise(response_system::iwcll, "CRi") ==
          response::complete_response_incomplete_recovery);
    CHECK(normalise(response_system::iwcll, "PR-L") == response::partial_response);
    CHECK(normalise(response_system::eln, "CRh") == response::complete_response_partial_recovery);
    CHECK(normalise(response_system::eln, "MLFS") == response::morphologic_leukaemia_free_state);
    CHECK(normalise(response_system::eln, "primary refractory") == response::no_response);
    CHECK(normalise(response_system::eln, "complete remission") == response::complete_response);
    CHECK(normalise(response_system::irecist, "iUPD") == response::not_evaluable);
    CHECK(normalise(response_system::irecist, "iCPD") == response::progressive_disease);
    CHECK(normalise(response_system::pcwg3, "PR") == std::nullopt);
    CHECK(normalise(response_system::pcwg3, "PSA progression") == response::progressive_disease);
    CHECK(normalise(response_system::pcwg3, "radiographic progression") ==
          response::progressive_disease);
    CHECK(normalise(response_system::gcig, "CA-125 progression") == response::progressive_disease);
    CHECK(normalise(response_system::gcig, "CA-125 response") == std::nullopt);
    CHECK(normalise(response_system::imwg, "") == std::nullopt);
  }

  TEST_CASE("Lugano Deauville: 1-3 is CMR by default 3 is not with deauville3_is_cmr off") {
    disease_assessment a;
    a.system = response_system::lugano;
    a.date = day(2024, 3, 1);
    a.deauville = 3;
    response_options o;
    CHECK(normalise(a, o) == response::complete_response);
    o.deauville3_is_cmr = false;
    CHECK(normalise(a, o) == response::partial_response);
    a.deauville = 2;
    CHECK(normalise(a, o) == response::complete_response);
    a.deauville = 4;
    std::vector<diagnostic> notes;
    CHECK(normalise(a, o, &notes, "/disease_assessments/0") == std::nullopt);
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].error.where.pointer == "/disease_assessments/0/category");
    a.category = "CMR";
    a.deauville = 3;
    CHECK(normalise(a, o) == response::partial_response);
    a.deauville = 7;
    notes.clear();
    CHECK(normalise(a, o, &notes, "/disease_assessments/2") == response::complete_response);
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].error.code == errc::invalid_value);
    CHECK(notes[0].error.where.pointer == "/disease_assessments/2/deauville");
  }

  TEST_CASE("window membership is half-open and three-valued for partial dates") {
    const date_window w{day(2024, 2, 1).earliest, day(2024, 3, 1).earliest};
    CHECK(contains(w, day(2024, 2, 1)) == truth::yes);
    CHECK(contains(w, day(2024, 2, 29)) == truth::yes);
    CHECK(contains(w, day(2024, 3, 1)) == truth::no);
    CHECK(contains(w, day(2024, 1, 31)) == truth::no);
    CHECK(contains(w, ctm::test::month_of(2024, 2)) == truth::yes);
    CHECK(contains(w, ctm::test::year_of(2024)) == truth::unknown);
    CHECK(contains(date_window{}, day(1990, 1, 1)) == truth::yes);
  }

  TEST_CASE(
      "best response per line: the best recorded category in from a line start up to the next") {
    patient p;
    p.disease_assessments = {recorded(response_system::imwg, "PR", day(2023, 3, 1)),
                             recorded(response_system::imwg, "VGPR", day(2023, 6, 1)),
                             recorded(response_system::imwg, "PD", day(2023, 9, 1)),
                             recorded(response_system::imwg, "CR", day(2024, 1, 1))};
    const date_window line1{day(2023, 1, 1).earliest, day(2024, 1, 1).earliest};
    const auto f = best_response(p, line1);
    CHECK(f.value == response::very_good_partial_response);
    CHECK(f.date == day(2023, 6, 1));
    CHECK(f.system == response_system::imwg);
    REQUIRE(f.source.records.size() == 1);
    CHECK(f.source.records[0] == "/disease_assessments/1");
    const auto line2 = best_response(p, {day(2024, 1, 1).earliest, std::nullopt});
    CHECK(line2.value == response::complete_response);
  }

  TEST_CASE("best response: no assessment is unknown - partial dates at the edge are unknown") {
    patient p;
    const date_window w{day(2023, 1, 15).earliest, day(2023, 6, 1).earliest};
    auto f = best_response(p, w);
    CHECK_FALSE(f.value.has_value());
    CHECK_FALSE(f.source.reason.empty());
    p.disease_assessments = {
        recorded(response_system::lugano, "PMR", day(2023, 3, 1)),
        recorded(response_system::lugano, "CMR", ctm::test::month_of(2023, 1))};
    f = best_response(p, w);
    CHECK_FALSE(f.value.has_value());
    CHECK(f.lowest == response::partial_response);
    CHECK(f.highest == response::complete_response);
    // When the doubtful one cannot change the answer, the fact is decided.
    p.disease_assessments[1].category = "NMR";
    f = best_response(p, w);
    CHECK(f.value == response::partial_response);
  }

  TEST_CASE("best response ignores undated and unknown categories with notes") {
    patient p;
    p.disease_assessments = {recorded(response_system::eln, "CR", day(2023, 3, 1)),
                             recorded(response_system::eln, "XYZ", day(2023, 4, 1))};
    p.disease_assessments.push_back(recorded(response_system::eln, "CRi", day(2023, 5, 1)));
    p.disease_assessments[2].date.reset();
    const auto f = best_response(p, {});
    CHECK(f.value == response::complete_response);
    const auto has_pointer = [&](const std::string& s) {
      return std::any_of(f.notes.begin(), f.notes.end(),
                         [&](const diagnostic& d) { return d.error.where.pointer == s; });
    };
    CHECK(has_pointer("/disease_assessments/1/category"));
    CHECK(has_pointer("/disease_assessments/2/date"));
  }

  TEST_CASE("best response from tumour measurements uses RECIST with the line start as day 0") {
    patient p;
    p.tumour_assessments = {scan(day(2024, 1, 1), 100), scan(day(2024, 2, 26), 60),
                            scan(day(2024, 3, 25), 60), scan(day(2024, 5, 20), 90)};
    p.tumour_assessments[1].response = "SD";  // disagrees with the derivation (PR): noted
    const date_window line{day(2024, 1, 1).earliest, std::nullopt};
    const auto f = best_response(p, line);
    CHECK(f.value == response::partial_response);
    CHECK(f.system == response_system::recist);
    CHECK(std::any_of(f.notes.begin(), f.notes.end(), [](const diagnostic& d) {
      return d.error.where.pointer == "/tumour_assessments/1/response";
    }));
    // Without confirmation of the second scan (27 days later), the PR is only SD.
    p.tumour_assessments[2].date = day(2024, 3, 24);
    CHECK(best_response(p, line).value == response::stable_disease);
    response_options o;
    o.recist.confirmation_required = false;
    CHECK(best_response(p, line, o).value == response::partial_response);
  }

  TEST_CASE("a tumour assessment without lesions contributes its recorded RECIST category") {
    patient p;
    tumour_assessment a;
    a.date = day(2024, 3, 1);
    a.response = "PR";
    p.tumour_assessments = {a};
    CHECK(best_response(p, {}).value == response::partial_response);
    p.tumour_assessments[0].response = "sCR";
    const auto f = best_response(p, {});
    CHECK_FALSE(f.value.has_value());
    CHECK(f.notes.size() == 1);
  }
}
