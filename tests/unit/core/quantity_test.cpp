// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/core/quantity.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

using ctm::unit;

namespace {
double conv(double v, const char* from, const char* to) {
  return ctm::convert({v, ctm::parse_unit(from).value()}, ctm::parse_unit(to).value())
      .value()
      .value;
}
double molar(double v, const char* from, const char* to, double grams_per_mole) {
  return ctm::convert({v, ctm::parse_unit(from).value()}, ctm::parse_unit(to).value(),
                      ctm::molar_mass{grams_per_mole})
      .value()
      .value;
}
// Molar masses implied by the published conversion factors (domain definitions, section 5.4).
constexpr double creatinine = 10000.0 / 88.4;
constexpr double bilirubin = 10000.0 / 17.1;
constexpr double haemoglobin = 10000.0 / 0.6206;
constexpr double testosterone = 288.4;
}  // namespace

TEST_SUITE("core.quantity") {
  TEST_CASE("every canonical UCUM code parses to itself") {
    for (int i = 0; i <= static_cast<int>(unit::mutations_per_megabase); ++i) {
      const auto u = static_cast<unit>(i);
      CAPTURE(ctm::ucum_code(u));
      const auto parsed = ctm::parse_unit(ctm::ucum_code(u));
      REQUIRE(parsed.has_value());
      CHECK(*parsed == u);
    }
  }

  TEST_CASE("common spellings are accepted") {
    CHECK(ctm::parse_unit("x10^9/L").value() == unit::giga_per_litre);
    CHECK(ctm::parse_unit("K/uL").value() == unit::thousand_per_microlitre);
    CHECK(ctm::parse_unit("mg/dl").value() == unit::milligram_per_decilitre);
    CHECK(ctm::parse_unit("µmol/L").value() == unit::micromole_per_litre);
    CHECK(ctm::parse_unit("IU/L").value() == unit::international_unit_per_litre);
    CHECK(ctm::parse_unit("mL/min/1.73m2").value() == unit::millilitre_per_minute_per_1_73_m2);
    CHECK(ctm::parse_unit("cells/mm3").value() == unit::per_cubic_millimetre);
    const auto bad = ctm::parse_unit("furlongs");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == ctm::errc::unknown_unit);
  }

  TEST_CASE("cell counts: 1 x 10*9/L = 1 x 10*3/uL = 1000 /uL") {
    CHECK(conv(1.0, "10*9/L", "10*3/uL") == doctest::Approx(1.0));
    CHECK(conv(1.0, "10*9/L", "/uL") == doctest::Approx(1000.0));
    CHECK(conv(1500.0, "/mm3", "10*9/L") == doctest::Approx(1.5));
    CHECK(conv(100.0, "10*3/uL", "10*9/L") == doctest::Approx(100.0));
    CHECK(conv(1500.0, "10*6/L", "10*9/L") == doctest::Approx(1.5));
  }

  TEST_CASE("haemoglobin: g/L / 10 and mmol/L / 0.6206 give g/dL") {
    CHECK(conv(90.0, "g/L", "g/dL") == doctest::Approx(9.0));
    CHECK(molar(6.206, "mmol/L", "g/dL", haemoglobin) == doctest::Approx(10.0));
    CHECK(molar(9.0, "g/dL", "mmol/L", haemoglobin) == doctest::Approx(9.0 * 0.6206));
  }

  TEST_CASE("creatinine: 88.4 umol/L = 1.0 mg/dL") {
    CHECK(molar(88.4, "umol/L", "mg/dL", creatinine) == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(molar(1.5, "mg/dL", "umol/L", creatinine) == doctest::Approx(132.6));
  }

  TEST_CASE("bilirubin: 17.1 umol/L = 1.0 mg/dL") {
    CHECK(molar(17.1, "umol/L", "mg/dL", bilirubin) == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(molar(1.5, "mg/dL", "umol/L", bilirubin) == doctest::Approx(25.65));
  }

  TEST_CASE("enzymes: 1 ukat/L = 60 U/L and [IU]/L = U/L") {
    CHECK(conv(1.0, "ukat/L", "U/L") == doctest::Approx(60.0));
    CHECK(conv(40.0, "[IU]/L", "U/L") == doctest::Approx(40.0));
    CHECK(conv(35.0, "U/mL", "U/L") == doctest::Approx(35000.0));
  }

  TEST_CASE("testosterone: nmol/L x 28.84 = ng/dL, and 50 ng/dL is about 1.73 nmol/L") {
    CHECK(molar(1.0, "nmol/L", "ng/dL", testosterone) == doctest::Approx(28.84));
    CHECK(molar(50.0, "ng/dL", "nmol/L", testosterone) == doctest::Approx(1.7337).epsilon(1e-4));
  }

  TEST_CASE("PSA ng/mL and ug/L are identical, lengths cm x 10 = mm") {
    CHECK(conv(4.0, "ng/mL", "ug/L") == doctest::Approx(4.0));
    CHECK(conv(1.5, "cm", "mm") == doctest::Approx(15.0));
    CHECK(conv(10.0, "mm", "cm") == doctest::Approx(1.0));
  }

  TEST_CASE("time: weeks convert to days, years to months, never months to days") {
    CHECK(conv(4.0, "wk", "d") == doctest::Approx(28.0));
    CHECK(conv(2.0, "a", "mo") == doctest::Approx(24.0));
    const auto r = ctm::convert({6.0, unit::month}, unit::day);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ctm::errc::incompatible_units);
    CHECK(r.error().message == "calendar months and years are not a fixed number of days");
  }

  TEST_CASE("incompatible conversions are errors, never a silent number") {
    SUBCASE("different dimensions") {
      const auto r = ctm::convert({1.0, unit::milligram_per_decilitre}, unit::unit_per_litre);
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().code == ctm::errc::incompatible_units);
      CHECK(ctm::to_string(r.error()) ==
            "[ctm.core.incompatible_units.111] cannot convert mass concentration (mg/dL) to "
            "catalytic concentration (U/L)");
    }
    SUBCASE("clearance and BSA-normalised eGFR do not interconvert") {
      const auto r = ctm::convert({60.0, unit::millilitre_per_minute},
                                  unit::millilitre_per_minute_per_1_73_m2);
      CHECK(r.error().code == ctm::errc::incompatible_units);
    }
    SUBCASE("mass to substance without a molar mass") {
      const auto r = ctm::convert({88.4, unit::micromole_per_litre}, unit::milligram_per_decilitre);
      CHECK(r.error().code == ctm::errc::needs_molar_mass);
      const auto zero = ctm::convert({88.4, unit::micromole_per_litre},
                                     unit::milligram_per_decilitre, ctm::molar_mass{0.0});
      CHECK(zero.error().code == ctm::errc::needs_molar_mass);
    }
    SUBCASE("non-finite values") {
      const auto r = ctm::convert({std::numeric_limits<double>::quiet_NaN(), unit::gram_per_litre},
                                  unit::gram_per_decilitre);
      CHECK(r.error().code == ctm::errc::not_a_number);
    }
  }

  TEST_CASE("formatting") {
    CHECK(ctm::to_string(ctm::quantity{1.5, unit::giga_per_litre}) == "1.5 10*9/L");
    CHECK(ctm::dimension_of(unit::month) == ctm::dimension::calendar_time);
    CHECK(ctm::to_string(ctm::dimension::volume_flow) == "volume flow");
  }
}
