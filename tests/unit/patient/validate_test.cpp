// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "support/patient_samples.hpp"

#include <ctm/patient/validate.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace {

using ctm::errc;
using ctm::severity;
using ctm::test::day;
using ctm::test::month_of;

// The one diagnostic at `pointer`; fails the test when there is not exactly one.
ctm::diagnostic only_at(const std::vector<ctm::diagnostic>& all, const std::string& pointer) {
  std::vector<ctm::diagnostic> hits;
  std::copy_if(all.begin(), all.end(), std::back_inserter(hits),
               [&](const ctm::diagnostic& d) { return d.error.where.pointer == pointer; });
  INFO("pointer: " << pointer << ", diagnostics: " << all.size());
  REQUIRE(hits.size() == 1);
  return hits.front();
}

void check_one(const ctm::patient& p, severity s, errc code, const std::string& pointer) {
  const auto all = ctm::validate(p);
  std::string rendered;
  for (const auto& d : all) rendered += ctm::to_string(d) + "\n";
  INFO(rendered);
  REQUIRE(all.size() == 1);
  const auto d = only_at(all, pointer);
  CHECK(d.severity == s);
  CHECK(d.error.code == code);
}

}  // namespace

TEST_SUITE("patient.validate") {
  TEST_CASE("a complete, plausible record has no diagnostics") {
    const auto all = ctm::validate(ctm::test::full_patient());
    for (const auto& d : all) MESSAGE(ctm::to_string(d));
    CHECK(all.empty());
    CHECK(ctm::validate(ctm::patient{}).empty());
  }

  TEST_CASE("impossible performance scores are errors at the value") {
    auto p = ctm::test::full_patient();
    SUBCASE("ECOG 7") {
      p.performance[0].value = 7;
      check_one(p, severity::error, errc::invalid_value, "/performance_status/0/value");
    }
    SUBCASE("ECOG -1") {
      p.performance[0].value = -1;
      check_one(p, severity::error, errc::invalid_value, "/performance_status/0/value");
    }
    SUBCASE("ECOG 5 is possible") {
      p.performance[0].value = 5;
      CHECK(ctm::validate(p).empty());
    }
    SUBCASE("Karnofsky 55") {
      p.performance[1].value = 55;
      check_one(p, severity::error, errc::invalid_value, "/performance_status/1/value");
    }
    SUBCASE("Karnofsky 110") {
      p.performance[1].value = 110;
      check_one(p, severity::error, errc::invalid_value, "/performance_status/1/value");
    }
  }

  TEST_CASE("lesion checks: negative diameter, slice thickness, duplicate and missing ids") {
    auto p = ctm::test::full_patient();
    auto& lesions = p.tumour_assessments[0].lesions;
    SUBCASE("negative diameter") {
      lesions[1].diameter_mm = -3.0;
      check_one(p, severity::error, errc::invalid_value,
                "/tumour_assessments/0/lesions/1/diameter_mm");
    }
    SUBCASE("zero diameter is a disappeared lesion, not an error") {
      lesions[0].diameter_mm = 0.0;
      CHECK(ctm::validate(p).empty());
    }
    SUBCASE("zero slice thickness") {
      lesions[0].slice_thickness_mm = 0.0;
      check_one(p, severity::error, errc::invalid_value,
                "/tumour_assessments/0/lesions/0/slice_thickness_mm");
    }
    SUBCASE("duplicate id") {
      lesions[2].id = "T1";
      check_one(p, severity::error, errc::invalid_value, "/tumour_assessments/0/lesions/2/id");
    }
    SUBCASE("empty id") {
      lesions[3].id.clear();
      check_one(p, severity::error, errc::missing_value, "/tumour_assessments/0/lesions/3/id");
    }
  }

  TEST_CASE("an end before its start is an error at the end, overlapping partial dates are not") {
    auto p = ctm::test::full_patient();
    SUBCASE("treatment") {
      p.treatments[0].end = day(2021, 3, 31);
      check_one(p, severity::error, errc::inconsistent_dates, "/treatments/0/end");
    }
    SUBCASE("same month, unknown order") {
      p.treatments[0].end = month_of(2021, 4);
      CHECK(ctm::validate(p).empty());
    }
    SUBCASE("procedure") {
      p.procedures[0].end = day(2022, 6, 1);
      check_one(p, severity::error, errc::inconsistent_dates, "/procedures/0/end");
    }
    SUBCASE("condition") {
      p.conditions[2].end = ctm::test::year_of(2004);
      check_one(p, severity::error, errc::inconsistent_dates, "/conditions/2/end");
    }
  }

  TEST_CASE("assessments and progressions without dates are errors, other facts warn") {
    auto p = ctm::test::full_patient();
    SUBCASE("tumour assessment") {
      p.tumour_assessments[0].date.reset();
      check_one(p, severity::error, errc::missing_value, "/tumour_assessments/0/date");
    }
    SUBCASE("disease assessment") {
      p.disease_assessments[1].date.reset();
      check_one(p, severity::error, errc::missing_value, "/disease_assessments/1/date");
    }
    SUBCASE("progression") {
      p.progressions[0].date.reset();
      check_one(p, severity::error, errc::missing_value, "/progressions/0/date");
    }
    SUBCASE("lab") {
      p.labs[0].date.reset();
      check_one(p, severity::warning, errc::missing_value, "/labs/0/date");
    }
    SUBCASE("treatment start") {
      p.treatments[1].start.reset();
      check_one(p, severity::warning, errc::missing_value, "/treatments/1/start");
    }
  }

  TEST_CASE("dates before birth are inconsistent") {
    auto p = ctm::test::full_patient();
    p.tumour_assessments[0].date = day(1960, 1, 1);
    check_one(p, severity::error, errc::inconsistent_dates, "/tumour_assessments/0/date");
    p.tumour_assessments[0].date = day(1961, 7, 15);  // in the birth month: order unknown
    CHECK(ctm::validate(p).empty());
  }

  TEST_CASE("units that do not fit the field or the analyte") {
    auto p = ctm::test::full_patient();
    SUBCASE("weight in mg/dL") {
      p.weights[0].value.unit = ctm::unit::milligram_per_decilitre;
      check_one(p, severity::error, errc::incompatible_units, "/weights/0/unit");
    }
    SUBCASE("creatinine by LOINC in U/L") {
      p.labs[0].value->unit = ctm::unit::unit_per_litre;
      check_one(p, severity::error, errc::incompatible_units, "/labs/0/unit");
    }
    SUBCASE("creatinine in umol/L fits") {
      p.labs[0].value = ctm::quantity{81, ctm::unit::micromole_per_litre};
      p.labs[0].range = ctm::reference_range{44, 97};
      CHECK(ctm::validate(p).empty());
    }
    SUBCASE("ALT by analyte name in g/dL") {
      p.labs[3].value->unit = ctm::unit::gram_per_decilitre;
      check_one(p, severity::error, errc::incompatible_units, "/labs/3/unit");
    }
    SUBCASE("an analyte ctm has no expectation for is not checked") {
      p.labs[0].loinc = "99999-9";
      p.labs[0].analyte = "local_marker";
      p.labs[0].value->unit = ctm::unit::unit_per_litre;
      CHECK(ctm::validate(p).empty());
    }
    SUBCASE("steroid dose in mg/dL") {
      p.metastases[0].steroid_dose->unit = ctm::unit::milligram_per_decilitre;
      check_one(p, severity::error, errc::incompatible_units, "/metastases/0/steroid_dose/unit");
    }
    SUBCASE("TMB in percent") {
      p.biomarkers[3].value->unit = ctm::unit::percent;
      check_one(p, severity::error, errc::incompatible_units, "/biomarkers/3/value/unit");
    }
  }

  TEST_CASE("other impossible values") {
    auto p = ctm::test::full_patient();
    SUBCASE("negative lab value") {
      p.labs[0].value->value = -0.1;
      check_one(p, severity::error, errc::invalid_value, "/labs/0/value");
    }
    SUBCASE("reference range upside down") {
      p.labs[0].range = ctm::reference_range{2.0, 1.0};
      check_one(p, severity::error, errc::invalid_value, "/labs/0/reference_range");
    }
    SUBCASE("PD-L1 above 100 percent") {
      p.biomarkers[2].value->value = 130;
      check_one(p, severity::error, errc::invalid_value, "/biomarkers/2/value/value");
    }
    SUBCASE("Deauville 6") {
      p.disease_assessments[0].deauville = 6;
      check_one(p, severity::error, errc::invalid_value, "/disease_assessments/0/deauville");
    }
    SUBCASE("latitude 91") {
      p.location->latitude = 91;
      check_one(p, severity::error, errc::invalid_value, "/location/latitude");
    }
    SUBCASE("weight 900 kg warns") {
      p.weights[0].value = ctm::quantity{900, ctm::unit::kilogram};
      check_one(p, severity::warning, errc::invalid_value, "/weights/0/value");
    }
    SUBCASE("height 1.65 m is fine") {
      p.heights[0].value = ctm::quantity{1.65, ctm::unit::metre};
      CHECK(ctm::validate(p).empty());
    }
    SUBCASE("negative cycles") {
      p.treatments[1].cycles = -2;
      check_one(p, severity::error, errc::invalid_value, "/treatments/1/cycles");
    }
    SUBCASE("mutation without a gene") {
      p.biomarkers[0].gene.clear();
      check_one(p, severity::error, errc::missing_value, "/biomarkers/0/gene");
    }
    SUBCASE("drug without a name") {
      p.treatments[0].drug = ctm::drug{};
      check_one(p, severity::error, errc::missing_value, "/treatments/0/drug/name");
    }
  }

  TEST_CASE("unknown drugs and codes are reported as warnings and kept") {
    auto p = ctm::test::full_patient();
    p.treatments[1].drug.name = "zz-unlisted-compound";
    ctm::validate_options options;
    options.is_known_drug = [](std::string_view name, std::string_view) {
      return name != "zz-unlisted-compound";
    };
    options.is_known_diagnosis = [](std::string_view code, std::string_view) {
      return code == "LUAD";
    };
    const auto all = ctm::validate(p, options);
    REQUIRE(all.size() == 2);
    const auto drug = only_at(all, "/treatments/1/drug/name");
    CHECK(drug.severity == severity::warning);
    CHECK(drug.error.code == errc::unknown_code);
    CHECK(drug.error.message.find("zz-unlisted") == std::string::npos);
    const auto code = only_at(all, "/diagnoses/1/code");
    CHECK(code.error.code == errc::unknown_code);
    CHECK(p.treatments[1].drug.name == "zz-unlisted-compound");
  }

  TEST_CASE("messages never contain recorded values") {
    ctm::patient p = ctm::test::full_patient();
    p.id = "PHI-ZX-998877";
    p.birth_date = day(1977, 11, 23);
    p.labs[0].value->value = 12345.678;
    p.labs[0].value->unit = ctm::unit::unit_per_litre;  // wrong unit for creatinine
    p.labs[0].range = ctm::reference_range{9876.5, 4321.5};
    p.performance[0].value = 77;
    p.tumour_assessments[0].lesions[0].diameter_mm = -4321.25;
    p.treatments[0].end = day(1999, 9, 19);
    p.weights[0].value.value = 987.6;
    const auto all = ctm::validate(p);
    CHECK(all.size() >= 6);
    for (const auto& d : all) {
      const std::string text = ctm::to_string(d);
      CAPTURE(text);
      for (const char* value :
           {"PHI-ZX", "998877", "1977", "12345", "678", "9876", "4321", "77", "1999", "987"}) {
        CHECK(text.find(value) == std::string::npos);
      }
    }
  }
}
