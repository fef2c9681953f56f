// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/patient/patient.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <set>
#include <string>

namespace {

// Every enumerator 0..count-1 has a distinct name that parses back to it; the next value
// outside the enum is "unknown" (or at least not a name that parses to itself).
template <class E, class Parse>
void check_names(std::uint8_t count, Parse parse) {
  std::set<std::string> seen;
  for (std::uint8_t i = 0; i < count; ++i) {
    const auto e = static_cast<E>(i);
    const std::string name{ctm::to_string(e)};
    CAPTURE(name);
    CHECK(seen.insert(name).second);
    const auto back = parse(name);
    REQUIRE(back.has_value());
    CHECK(*back == e);
  }
  CHECK_FALSE(parse("").has_value());
  CHECK_FALSE(parse("no such value").has_value());
}

}  // namespace

TEST_SUITE("patient.enums") {
  TEST_CASE("every enumerator has a distinct name that parses back") {
    check_names<ctm::sex>(4, ctm::parse_sex);
    check_names<ctm::diagnosis_kind>(2, ctm::parse_diagnosis_kind);
    check_names<ctm::metastatic_site>(11, ctm::parse_metastatic_site);
    check_names<ctm::biomarker_kind>(10, ctm::parse_biomarker_kind);
    check_names<ctm::test_status>(3, ctm::parse_test_status);
    check_names<ctm::qualitative_result>(3, ctm::parse_qualitative_result);
    check_names<ctm::comparator>(4, ctm::parse_comparator);
    check_names<ctm::performance_scale>(2, ctm::parse_performance_scale);
    check_names<ctm::condition_kind>(11, ctm::parse_condition_kind);
    check_names<ctm::condition_status>(4, ctm::parse_condition_status);
    check_names<ctm::therapy_setting>(7, ctm::parse_therapy_setting);
    check_names<ctm::stop_reason>(5, ctm::parse_stop_reason);
    check_names<ctm::route>(8, ctm::parse_route);
    check_names<ctm::procedure_kind>(7, ctm::parse_procedure_kind);
    check_names<ctm::imaging_method>(8, ctm::parse_imaging_method);
    check_names<ctm::lesion_role>(3, ctm::parse_lesion_role);
    check_names<ctm::lesion_status>(3, ctm::parse_lesion_status);
    check_names<ctm::response_system>(10, ctm::parse_response_system);
    check_names<ctm::progression_basis>(5, ctm::parse_progression_basis);
  }

  TEST_CASE("the documented spellings of the native format") {
    CHECK(ctm::to_string(ctm::lesion_role::new_lesion) == "new");
    CHECK(ctm::to_string(ctm::test_status::not_detected) == "not_detected");
    CHECK(ctm::to_string(ctm::comparator::less_or_equal) == "<=");
    CHECK(ctm::to_string(ctm::stop_reason::patient_choice) == "patient_choice");
    CHECK(ctm::to_string(ctm::biomarker_kind::pd_l1) == "pd_l1");
    CHECK(ctm::to_string(ctm::procedure_kind::car_t_infusion) == "car_t_infusion");
    CHECK(ctm::to_string(static_cast<ctm::route>(200)) == "unknown");
  }

  TEST_CASE("parsing is exact: case and spacing matter") {
    CHECK_FALSE(ctm::parse_sex("Female").has_value());
    CHECK_FALSE(ctm::parse_performance_scale(" ecog").has_value());
    CHECK_FALSE(ctm::parse_lesion_role("new_lesion").has_value());
  }

  TEST_CASE("value types compare member-wise") {
    ctm::lesion a{"T1", "liver", ctm::lesion_role::target, false, 12.0, 5.0, std::nullopt, false};
    ctm::lesion b = a;
    CHECK(a == b);
    b.diameter_mm = 12.5;
    CHECK_FALSE(a == b);
    ctm::patient p;
    CHECK(p.sex == ctm::sex::unknown);
    CHECK(p == ctm::patient{});
  }
}
