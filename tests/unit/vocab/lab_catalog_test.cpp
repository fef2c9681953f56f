// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/vocab/lab_catalog.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using ctm::unit;
using ctm::vocab::analyte;
using ctm::vocab::reference_range;
using ctm::vocab::reference_sex;

namespace {

analyte anc() {
  analyte a;
  a.code = "anc";
  a.name = "Absolute neutrophil count";
  a.synonyms = {"ANC"};
  a.loinc = {"751-8", "26499-4"};
  a.unit = unit::giga_per_litre;
  a.units = {unit::thousand_per_microlitre, unit::per_microlitre};
  a.default_range = reference_range{1.8, 7.7, unit::giga_per_litre};
  a.where = {"l.json", 0, 0, "/analytes/0"};
  return a;
}

analyte creatinine() {
  analyte a;
  a.code = "creatinine";
  a.name = "Creatinine";
  a.loinc = {"2160-0"};
  a.unit = unit::milligram_per_decilitre;
  a.units = {unit::milligram_per_decilitre, unit::micromole_per_litre};
  a.molar_mass = ctm::molar_mass{10000.0 / 88.4};
  a.default_range = reference_range{0.6, 1.2, unit::milligram_per_decilitre};
  a.default_range_female = reference_range{45.0, 90.0, unit::micromole_per_litre};
  a.where = {"l.json", 0, 0, "/analytes/1"};
  return a;
}

ctm::error build_error(std::vector<analyte> analytes) {
  ctm::vocab::lab_catalog_builder b("l.json");
  for (auto& a : analytes) b.add(std::move(a));
  auto built = b.build();
  REQUIRE_FALSE(built.has_value());
  return built.error();
}

}  // namespace

TEST_SUITE("vocab.lab_catalog") {
  TEST_CASE("analytes are found by code, name, synonym and LOINC") {
    ctm::vocab::lab_catalog_builder b("l.json", "defaults only");
    b.add(anc());
    b.add(creatinine());
    const auto c = b.build().value();
    CHECK(c.size() == 2);
    CHECK(c.default_range_note() == "defaults only");
    CHECK(c.find("ANC") == ctm::analyte_id{0});
    CHECK(c.find("absolute neutrophil count") == ctm::analyte_id{0});
    CHECK(c.find("CREATININE") == ctm::analyte_id{1});
    CHECK(c.find_by_loinc("26499-4") == ctm::analyte_id{0});
    CHECK(c.find_by_loinc("2160-0") == ctm::analyte_id{1});
    CHECK_FALSE(c.find_by_loinc("0000-0").has_value());
    // The canonical unit is always among the allowed ones, first when it was missing.
    CHECK(c[ctm::analyte_id{0}].units ==
          std::vector{unit::giga_per_litre, unit::thousand_per_microlitre, unit::per_microlitre});
  }

  TEST_CASE("sex-specific default ranges win over the general one") {
    ctm::vocab::lab_catalog_builder b("l.json");
    b.add(creatinine());
    const auto c = b.build().value();
    const ctm::analyte_id cr{0};
    CHECK(c.default_range(cr, reference_sex::female)->unit == unit::micromole_per_litre);
    CHECK(c.default_range(cr, reference_sex::male)->high == doctest::Approx(1.2));
    CHECK(c.default_range(cr, reference_sex::unspecified)->low == doctest::Approx(0.6));
  }

  TEST_CASE("bad catalogs are reported with the analyte's location") {
    SUBCASE("duplicate code") {
      auto again = anc();
      again.where.pointer = "/analytes/1";
      again.loinc.clear();
      const auto e = build_error({anc(), again});
      CHECK(e.code == ctm::errc::duplicate_code);
      CHECK(e.where.pointer == "/analytes/1");
    }
    SUBCASE("a LOINC code in two analytes") {
      auto other = creatinine();
      other.loinc.push_back("751-8");
      const auto e = build_error({anc(), other});
      CHECK(e.code == ctm::errc::duplicate_code);
      CHECK(e.message == "LOINC 751-8 of 'creatinine' already belongs to 'anc'");
    }
    SUBCASE("an allowed unit of another dimension") {
      auto a = anc();
      a.units.push_back(unit::milligram_per_decilitre);
      CHECK(build_error({a}).code == ctm::errc::incompatible_units);
    }
    SUBCASE("mass and substance units need the molar mass") {
      auto a = creatinine();
      a.molar_mass.reset();
      const auto e = build_error({a});
      CHECK(e.code == ctm::errc::incompatible_units);
      CHECK(e.where.pointer == "/analytes/1");
    }
    SUBCASE("a range with low above high") {
      auto a = anc();
      a.default_range = reference_range{9.0, 1.0, unit::giga_per_litre};
      CHECK(build_error({a}).code == ctm::errc::invalid_range);
    }
    SUBCASE("empty name, empty code, nothing at all") {
      auto a = anc();
      a.name = "";
      CHECK(build_error({a}).code == ctm::errc::empty_name);
      a = anc();
      a.code = " ";
      CHECK(build_error({a}).code == ctm::errc::invalid_code);
      CHECK(build_error({}).code == ctm::errc::empty_vocabulary);
    }
  }
}
