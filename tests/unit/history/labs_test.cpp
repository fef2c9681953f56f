// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "support/patient_samples.hpp"

#include <ctm/history/labs.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

using namespace ctm;
using namespace ctm::history;
using ctm::test::day;

namespace {

vocab::analyte make(std::string code, std::vector<std::string> loinc, unit canonical,
                    std::vector<unit> units, std::optional<double> uln = std::nullopt) {
  vocab::analyte a;
  a.code = code;
  a.name = code + " (test)";
  a.loinc = std::move(loinc);
  a.unit = canonical;
  a.units = std::move(units);
  if (uln) a.default_range = vocab::reference_range{std::nullopt, uln, canonical};
  return a;
}

// A small synthetic catalogue (the bundled one is tested by the io module).
vocab::lab_catalog catalog() {
  vocab::lab_catalog_builder b("test");
  b.add(make("anc", {"751-8", "26499-4", "753-4"}, unit::giga_per_litre,
             {unit::thousand_per_microlitre, unit::per_microlitre}));
  b.add(make("ast", {"1920-8"}, unit::unit_per_litre, {unit::microkatal_per_litre}, 40.0));
  auto bili = make("bilirubin", {"1975-2"}, unit::milligram_per_decilitre,
                   {unit::micromole_per_litre}, 1.2);
  bili.molar_mass = molar_mass{584.66};
  b.add(bili);
  auto hb = make("haemoglobin", {"718-7"}, unit::gram_per_decilitre,
                 {unit::gram_per_litre, unit::millimole_per_litre});
  hb.molar_mass = molar_mass{16114.5};
  b.add(hb);
  auto crea =
      make("creatinine", {"2160-0"}, unit::milligram_per_decilitre, {unit::micromole_per_litre});
  crea.molar_mass = molar_mass{10000.0 / 88.4};
  crea.default_range_female = vocab::reference_range{0.5, 1.0, unit::milligram_per_decilitre};
  crea.default_range_male = vocab::reference_range{0.7, 1.2, unit::milligram_per_decilitre};
  b.add(crea);
  b.add(make("creatinine_clearance", {"2164-2"}, unit::millilitre_per_minute, {}));
  auto alt = make("alt", {"1742-6"}, unit::unit_per_litre, {}, 40.0);
  alt.default_range_female = vocab::reference_range{std::nullopt, 40.0, unit::unit_per_litre};
  alt.default_range_male = vocab::reference_range{std::nullopt, 40.0, unit::unit_per_litre};
  b.add(alt);
  auto built = b.build();
  REQUIRE(built.has_value());
  return *built;
}

lab_result lab(std::string loinc, double value, unit u, partial_date d) {
  lab_result l;
  l.loinc = std::move(loinc);
  l.value = quantity{value, u};
  l.date = d;
  return l;
}

analyte_id id_of(const vocab::lab_catalog& c, std::string_view code) {
  const auto id = c.find(code);
  REQUIRE(id.has_value());
  return *id;
}

const date as_of = date{std::chrono::year{2024}, std::chrono::month{3}, std::chrono::day{1}};

bool noted(const std::vector<diagnostic>& notes, const std::string& pointer) {
  return std::any_of(notes.begin(), notes.end(),
                     [&](const diagnostic& d) { return d.error.where.pointer == pointer; });
}

patient adult(sex s, double kg, double scr, unit scr_unit, int age_years) {
  patient p;
  p.sex = s;
  p.birth_date = day(2024 - age_years, 1, 1);
  p.weights = {{quantity{kg, unit::kilogram}, day(2024, 2, 20)}};
  p.labs = {lab("2160-0", scr, scr_unit, day(2024, 2, 25))};
  return p;
}

// ELIG-03 to 05: AST 120 U/L with its own ULN 40 against "<= 2.5 x ULN, or <= 5 x ULN with liver
// metastases", i.e. (liver and <= 5) or (not liver and <= 2.5) with the Kleene operators.
truth ast_criterion(truth liver) {
  const auto c = catalog();
  patient p;
  p.labs = {lab("1920-8", 120, unit::unit_per_litre, day(2024, 2, 20))};
  p.labs[0].range = reference_range{std::nullopt, 40.0};
  const auto f = latest_lab(p, id_of(c, "ast"), c, as_of);
  REQUIRE(f.uln_multiple.has_value());
  CHECK(f.uln_from == uln_source::result_range);
  CHECK(f.uln_multiple->low == doctest::Approx(3.0));
  CHECK(f.uln_multiple->is_exact());
  return any_of(all_of(liver, at_most(*f.uln_multiple, 5.0)),
                all_of(negate(liver), at_most(*f.uln_multiple, 2.5)));
}

}  // namespace

TEST_SUITE("history.labs") {
  TEST_CASE("ELIG-01: ANC 1500 /uL passes ANC >= 1.5 x 10^9/L after unit conversion") {
    const auto c = catalog();
    patient p;
    p.labs = {lab("751-8", 1500, unit::per_microlitre, day(2024, 2, 20))};
    const auto f = latest_lab(p, id_of(c, "anc"), c, as_of);
    REQUIRE(f.value.has_value());
    CHECK(f.unit == unit::giga_per_litre);
    CHECK(f.value->low == doctest::Approx(1.5));
    CHECK(at_least(*f.value, 1.5) == truth::yes);
  }

  TEST_CASE("ELIG-02: ANC 1.49 10*3/uL fails ANC >= 1.5") {
    const auto c = catalog();
    patient p;
    p.labs = {lab("26499-4", 1.49, unit::thousand_per_microlitre, day(2024, 2, 20))};
    const auto f = latest_lab(p, id_of(c, "anc"), c, as_of);
    REQUIRE(f.value.has_value());
    CHECK(at_least(*f.value, 1.5) == truth::no);
  }

  TEST_CASE("ELIG-03: AST 3.0 x ULN with liver metastases passes <= 5 x ULN") {
    CHECK(ast_criterion(truth::yes) == truth::yes);
  }
  TEST_CASE("ELIG-04: AST 3.0 x ULN without liver metastases fails <= 2.5 x ULN") {
    CHECK(ast_criterion(truth::no) == truth::no);
  }
  TEST_CASE("ELIG-05: AST 3.0 x ULN with liver-metastasis status unknown is unknown") {
    CHECK(ast_criterion(truth::unknown) == truth::unknown);
  }

  TEST_CASE("ELIG-06: bilirubin 2.4 mg/dL with ULN 1.2 is 2.0 x ULN") {
    const auto c = catalog();
    patient p;
    p.labs = {lab("1975-2", 2.4, unit::milligram_per_decilitre, day(2024, 2, 20))};
    p.labs[0].range = reference_range{0.2, 1.2};
    const auto f = latest_lab(p, id_of(c, "bilirubin"), c, as_of);
    REQUIRE(f.uln_multiple.has_value());
    CHECK(f.uln_multiple->low == doctest::Approx(2.0));
    CHECK(at_most(*f.uln_multiple, 3.0) == truth::yes);
    CHECK(at_most(*f.uln_multiple, 1.5) == truth::no);
  }

  TEST_CASE("ELIG-07: haemoglobin 85 g/L is 8.5 g/dL and fails >= 9 g/dL") {
    const auto c = catalog();
    patient p;
    p.labs = {lab("718-7", 85, unit::gram_per_litre, day(2024, 2, 20))};
    const auto f = latest_lab(p, id_of(c, "haemoglobin"), c, as_of);
    REQUIRE(f.value.has_value());
    CHECK(f.value->low == doctest::Approx(8.5));
    CHECK(at_least(*f.value, 9.0) == truth::no);
  }

  TEST_CASE("the default ULN is used without a result range and says so") {
    const auto c = catalog();
    patient p;
    p.labs = {lab("1920-8", 60, unit::unit_per_litre, day(2024, 2, 20))};
    auto f = latest_lab(p, id_of(c, "ast"), c, as_of);
    CHECK(f.uln_from == uln_source::default_range);
    CHECK(f.uln_multiple->low == doctest::Approx(1.5));
    // A converted value keeps the ratio: 1 ukat/L = 60 U/L.
    p.labs[0].value = quantity{1.0, unit::microkatal_per_litre};
    f = latest_lab(p, id_of(c, "ast"), c, as_of);
    CHECK(f.value->low == doctest::Approx(60));
  }

  TEST_CASE("sex-specific default ULN: by recorded sex - unknown sex spans both") {
    const auto c = catalog();
    patient p;
    p.labs = {lab("2160-0", 1.1, unit::milligram_per_decilitre, day(2024, 2, 20))};
    p.sex = sex::female;
    auto f = latest_lab(p, id_of(c, "creatinine"), c, as_of);
    CHECK(f.uln_from == uln_source::default_by_sex);
    CHECK(f.uln->low == doctest::Approx(1.0));
    p.sex = sex::male;
    f = latest_lab(p, id_of(c, "creatinine"), c, as_of);
    CHECK(f.uln->low == doctest::Approx(1.2));
    p.sex = sex::unknown;
    f = latest_lab(p, id_of(c, "creatinine"), c, as_of);
    CHECK(f.uln_from == uln_source::default_any_sex);
    CHECK(f.uln_multiple->low == doctest::Approx(1.1 / 1.2));
    CHECK(f.uln_multiple->high == doctest::Approx(1.1));
    CHECK(at_most(*f.uln_multiple, 1.5) == truth::yes);
    CHECK(at_most(*f.uln_multiple, 1.0) == truth::unknown);
    // Equal sex-specific defaults decide even without the sex.
    p.labs[0] = lab("1742-6", 80, unit::unit_per_litre, day(2024, 2, 20));
    f = latest_lab(p, id_of(c, "alt"), c, as_of);
    CHECK(f.uln_from == uln_source::default_range);
    CHECK(f.uln_multiple->is_exact());
  }

  TEST_CASE("LLN: the result's range low first, else the default by sex, and zero is no LLN") {
    const auto c = catalog();
    patient p;
    p.labs = {lab("2160-0", 0.6, unit::milligram_per_decilitre, day(2024, 2, 20))};
    p.sex = sex::female;
    auto f = latest_lab(p, id_of(c, "creatinine"), c, as_of);
    REQUIRE(f.lln.has_value());
    CHECK(f.lln_from == uln_source::default_by_sex);
    CHECK(f.lln->low == doctest::Approx(0.5));
    p.sex = sex::unknown;
    f = latest_lab(p, id_of(c, "creatinine"), c, as_of);
    CHECK(f.lln_from == uln_source::default_any_sex);
    CHECK(f.lln->low == doctest::Approx(0.5));
    CHECK(f.lln->high == doctest::Approx(0.7));
    // The result's own range wins, converted to the analyte's unit (umol/L -> mg/dL).
    p.labs[0].range = reference_range{44.2, 97.24};
    p.labs[0].value = quantity{53.04, unit::micromole_per_litre};
    f = latest_lab(p, id_of(c, "creatinine"), c, as_of);
    CHECK(f.lln_from == uln_source::result_range);
    CHECK(f.lln->low == doctest::Approx(0.5));
    CHECK(f.uln->low == doctest::Approx(1.1));
    // "0-40 U/L" has no usable lower limit, and ALT's defaults have none either.
    p.labs = {lab("1742-6", 30, unit::unit_per_litre, day(2024, 2, 20))};
    p.labs[0].range = reference_range{0.0, 40.0};
    f = latest_lab(p, id_of(c, "alt"), c, as_of);
    CHECK_FALSE(f.lln.has_value());
    CHECK(f.lln_from == uln_source::none);
    CHECK(f.uln_from == uln_source::result_range);
  }

  TEST_CASE("the window is inclusive at both ends and the most recent result wins") {
    const auto c = catalog();
    patient p;
    p.labs = {lab("751-8", 2.0, unit::giga_per_litre, day(2024, 2, 2)),   // day -28
              lab("751-8", 1.0, unit::giga_per_litre, day(2024, 2, 1)),   // day -29
              lab("751-8", 3.0, unit::giga_per_litre, day(2024, 3, 2))};  // after as_of
    auto f = latest_lab(p, id_of(c, "anc"), c, as_of);
    REQUIRE(f.value.has_value());
    CHECK(f.value->low == doctest::Approx(2.0));
    CHECK(f.source.records == std::vector<std::string>{"/labs/0"});
    p.labs.push_back(lab("753-4", 1.8, unit::giga_per_litre, day(2024, 3, 1)));  // as_of itself
    f = latest_lab(p, id_of(c, "anc"), c, as_of);
    CHECK(f.value->low == doctest::Approx(1.8));
    lab_options narrow;
    narrow.window = days(14);
    p.labs.pop_back();
    CHECK_FALSE(latest_lab(p, id_of(c, "anc"), c, as_of, narrow).value.has_value());
  }

  TEST_CASE("same-day results span by default - last_recorded picks one with a warning") {
    const auto c = catalog();
    patient p;
    p.labs = {lab("751-8", 1.4, unit::giga_per_litre, day(2024, 2, 20)),
              lab("751-8", 1.6, unit::giga_per_litre, day(2024, 2, 20))};
    auto f = latest_lab(p, id_of(c, "anc"), c, as_of);
    CHECK(f.value->low == doctest::Approx(1.4));
    CHECK(f.value->high == doctest::Approx(1.6));
    CHECK(at_least(*f.value, 1.5) == truth::unknown);
    CHECK(at_least(*f.value, 1.0) == truth::yes);
    lab_options o;
    o.ties = same_day_rule::last_recorded;
    f = latest_lab(p, id_of(c, "anc"), c, as_of, o);
    CHECK(f.value->is_exact());
    CHECK(f.value->low == doctest::Approx(1.6));
    CHECK(f.notes.size() == 1);
  }

  TEST_CASE("bad results are skipped with pointers and no values - the derivation goes on") {
    const auto c = catalog();
    patient p;
    p.labs = {lab("751-8", 1.7, unit::gram_per_litre, day(2024, 2, 25)),   // wrong dimension
              lab("751-8", -2.0, unit::giga_per_litre, day(2024, 2, 26)),  // impossible
              lab("751-8", 1.2, unit::giga_per_litre, day(2024, 2, 10))};
    p.labs.push_back(lab("751-8", 9.9, unit::giga_per_litre, day(2024, 2, 27)));
    p.labs[3].date.reset();
    p.labs.push_back(lab("751-8", 9.8, unit::giga_per_litre, ctm::test::month_of(2024, 3)));
    const auto f = latest_lab(p, id_of(c, "anc"), c, as_of);
    REQUIRE(f.value.has_value());
    CHECK(f.value->low == doctest::Approx(1.2));
    CHECK(noted(f.notes, "/labs/0/unit"));
    CHECK(noted(f.notes, "/labs/1/value"));
    CHECK(noted(f.notes, "/labs/3/date"));
    CHECK(noted(f.notes, "/labs/4/date"));
    for (const diagnostic& d : f.notes) {
      CHECK(d.error.message.find("1.7") == std::string::npos);
      CHECK(d.error.message.find("-2") == std::string::npos);
    }
  }

  TEST_CASE("results are matched by LOINC group first else by analyte name") {
    const auto c = catalog();
    patient p;
    lab_result by_name = lab("", 1.9, unit::giga_per_litre, day(2024, 2, 20));
    by_name.analyte = "ANC";
    lab_result wrong = lab("1920-8", 5.0, unit::giga_per_litre, day(2024, 2, 28));
    wrong.analyte = "anc";  // LOINC says AST: not an ANC result
    p.labs = {by_name, wrong};
    const auto f = latest_lab(p, id_of(c, "anc"), c, as_of);
    REQUIRE(f.value.has_value());
    CHECK(f.value->low == doctest::Approx(1.9));
    CHECK(noted(f.notes, "/labs/1/analyte"));
  }

  TEST_CASE("censored results are bounds: < 20 is the interval 0 to 20") {
    const auto c = catalog();
    patient p;
    p.labs = {lab("1920-8", 20, unit::unit_per_litre, day(2024, 2, 20))};
    p.labs[0].comparator = comparator::less;
    const auto f = latest_lab(p, id_of(c, "ast"), c, as_of);
    CHECK(f.comparator == comparator::less);
    CHECK(f.value->low == doctest::Approx(0));
    CHECK(at_most(*f.value, 40) == truth::yes);
    CHECK(at_least(*f.value, 10) == truth::unknown);
  }

  // Domain definitions 4.5 ------------------------------------------------------------------------
  TEST_CASE("ELIG-CG-01: male 65 y 70 kg SCr 1.0 mg/dL: 72.92 mL/min") {
    const auto r = cockcroft_gault(65, 70, 1.0, sex::male);
    REQUIRE(r.has_value());
    CHECK(r->unit == unit::millilitre_per_minute);
    CHECK(r->value == doctest::Approx(5250.0 / 72.0));
    CHECK(r->value == doctest::Approx(72.92).epsilon(0.0001));
  }
  TEST_CASE("ELIG-CG-02: female 65 y 70 kg SCr 1.0 mg/dL: 61.98 mL/min") {
    CHECK(cockcroft_gault(65, 70, 1.0, sex::female)->value ==
          doctest::Approx(61.98).epsilon(0.0001));
  }
  TEST_CASE("ELIG-CG-03: female 75 y 60 kg SCr 1.2 mg/dL: 38.37 mL/min") {
    CHECK(cockcroft_gault(75, 60, 1.2, sex::female)->value ==
          doctest::Approx(38.37).epsilon(0.0001));
  }
  TEST_CASE("ELIG-CG-04: SCr 88.4 umol/L converts exactly to 1.0 mg/dL: 72.92 mL/min") {
    const auto r = cockcroft_gault(65, 70, quantity{88.4, unit::micromole_per_litre}, sex::male);
    REQUIRE(r.has_value());
    CHECK(r->value == doctest::Approx(5250.0 / 72.0).epsilon(1e-9));
  }
  TEST_CASE("ELIG-CG-05: male 50 y 80 kg SCr 1.5 mg/dL: 66.67 mL/min passes CrCl >= 60") {
    const auto r = cockcroft_gault(50, 80, 1.5, sex::male);
    CHECK(r->value == doctest::Approx(66.67).epsilon(0.0001));
    CHECK(at_least(bounds{r->value, r->value}, 60) == truth::yes);
  }

  TEST_CASE("Cockcroft-Gault variants and invalid input") {
    cockcroft_gault_options o;
    o.min_creatinine_mg_dl = 0.8;
    CHECK(cockcroft_gault(65, 70, 0.5, sex::male, o)->value == doctest::Approx(5250.0 / 57.6));
    o = {};
    o.max_clearance_ml_min = 125;
    CHECK(cockcroft_gault(20, 100, 0.5, sex::male, o)->value == doctest::Approx(125));
    o = {};
    o.weight = body_weight_kind::ideal;
    CHECK(cockcroft_gault(65, 70, 1.0, sex::male, o).error().code == errc::missing_value);
    // 180 cm man: IBW = 50 + 2.3 x (70.866 - 60) = 74.99 kg.
    const double ibw = 50 + 2.3 * (180 / 2.54 - 60);
    CHECK(cockcroft_gault(65, 120, 1.0, sex::male, o, 180.0)->value ==
          doctest::Approx(75 * ibw / 72));
    o.weight = body_weight_kind::adjusted;
    CHECK(cockcroft_gault(65, 120, 1.0, sex::male, o, 180.0)->value ==
          doctest::Approx(75 * (ibw + 0.4 * (120 - ibw)) / 72));
    CHECK(cockcroft_gault(65, 60, 1.0, sex::male, o, 180.0)->value ==
          doctest::Approx(75 * 60 / 72.0));
    CHECK(cockcroft_gault(140, 70, 1.0, sex::male).error().code == errc::invalid_value);
    CHECK(cockcroft_gault(65, 0, 1.0, sex::male).error().code == errc::invalid_value);
    CHECK(cockcroft_gault(65, 70, 0, sex::male).error().code == errc::invalid_value);
    CHECK(cockcroft_gault(65, 70, 1.0, sex::unknown).error().code == errc::invalid_value);
    CHECK(cockcroft_gault(65, 70, quantity{1, unit::unit_per_litre}, sex::male).error().code ==
          errc::incompatible_units);
  }

  TEST_CASE("creatinine clearance of a patient: formula from the record unknown naming inputs") {
    const auto c = catalog();
    patient p = adult(sex::male, 70, 88.4, unit::micromole_per_litre, 65);
    auto f = creatinine_clearance(p, c, as_of);
    REQUIRE(f.value.has_value());
    CHECK(f.method == clearance_method::cockcroft_gault);
    CHECK(f.value->low == doctest::Approx(5250.0 / 72.0));
    CHECK(f.value->is_exact());
    // Sex unknown: the interval between the female and male formulas.
    p.sex = sex::unknown;
    f = creatinine_clearance(p, c, as_of);
    CHECK(f.value->low == doctest::Approx(0.85 * 5250.0 / 72.0));
    CHECK(f.value->high == doctest::Approx(5250.0 / 72.0));
    CHECK(at_least(*f.value, 60) == truth::yes);
    CHECK(at_least(*f.value, 70) == truth::unknown);
    // Missing inputs are named.
    p.weights.clear();
    p.birth_date.reset();
    f = creatinine_clearance(p, c, as_of);
    CHECK_FALSE(f.value.has_value());
    CHECK(f.missing == std::vector<std::string>{"body weight", "age (birth date)"});
    // A measured clearance in the window wins.
    p.labs.push_back(lab("2164-2", 55, unit::millilitre_per_minute, day(2024, 2, 28)));
    f = creatinine_clearance(p, c, as_of);
    CHECK(f.method == clearance_method::measured);
    CHECK(f.value->low == doctest::Approx(55));
  }

  // The results resolved once per patient (lab_resolution) ---------------------------------------
  TEST_CASE("lab_resolution: each result's analytes by LOINC and by text, and who names what") {
    const auto c = catalog();
    patient p;
    lab_result by_name = lab("", 1.9, unit::giga_per_litre, day(2024, 2, 20));
    by_name.analyte = "ANC";
    lab_result conflicting = lab("1920-8", 5.0, unit::unit_per_litre, day(2024, 2, 21));
    conflicting.analyte = "anc";  // LOINC says AST
    lab_result unknown = lab("0000-0", 1.0, unit::giga_per_litre, day(2024, 2, 22));
    unknown.analyte = "no such analyte";
    p.labs = {lab("751-8", 1.5, unit::giga_per_litre, day(2024, 2, 19)), by_name, conflicting,
              unknown};
    const lab_resolution r(p, c);
    REQUIRE(r.results().size() == 4);
    CHECK(r.results()[0].by_loinc == id_of(c, "anc"));
    CHECK_FALSE(r.results()[0].by_name.has_value());
    CHECK(r.results()[1].analyte() == id_of(c, "anc"));
    CHECK(r.results()[2].by_loinc == id_of(c, "ast"));
    CHECK(r.results()[2].by_name == id_of(c, "anc"));
    CHECK(r.results()[2].analyte() == id_of(c, "ast"));  // the LOINC code wins
    CHECK_FALSE(r.results()[3].analyte().has_value());
    const auto anc = r.naming(id_of(c, "anc"));
    CHECK(std::vector<std::uint32_t>(anc.begin(), anc.end()) ==
          std::vector<std::uint32_t>{0, 1, 2});
    const auto ast = r.naming(id_of(c, "ast"));
    CHECK(std::vector<std::uint32_t>(ast.begin(), ast.end()) == std::vector<std::uint32_t>{2});
    CHECK(r.naming(id_of(c, "creatinine")).empty());
    CHECK(r.analytes() == std::vector<analyte_id>{id_of(c, "anc"), id_of(c, "ast")});
    CHECK(lab_resolution().results().empty());
    CHECK(lab_resolution().analytes().empty());
  }

  TEST_CASE("latest_lab with the results resolved once gives the same facts as without") {
    const auto c = catalog();
    patient p;
    p.sex = sex::unknown;
    lab_result by_name = lab("", 1.9, unit::giga_per_litre, day(2024, 2, 20));
    by_name.analyte = "anc (test)";  // the name; no LOINC code
    lab_result conflicting = lab("1920-8", 5.0, unit::unit_per_litre, day(2024, 2, 28));
    conflicting.analyte = "anc";  // LOINC says AST: an AST result, noted for both analytes
    lab_result undated = lab("751-8", 9.9, unit::giga_per_litre, day(2024, 2, 27));
    undated.date.reset();
    lab_result censored = lab("1920-8", 20, unit::unit_per_litre, day(2024, 2, 28));
    censored.comparator = comparator::less;
    censored.range = reference_range{5.0, 35.0};
    lab_result bad_range = lab("1742-6", 30, unit::unit_per_litre, day(2024, 2, 26));
    bad_range.range = reference_range{std::nullopt, -1.0};
    lab_result qualitative;
    qualitative.analyte = "creatinine";
    qualitative.qualitative = qualitative_result::positive;
    qualitative.date = day(2024, 2, 26);
    p.labs = {lab("751-8", 1.7, unit::gram_per_litre, day(2024, 2, 25)),  // unit mismatch
              by_name,
              conflicting,
              undated,
              lab("751-8", 2.1, unit::giga_per_litre, ctm::test::month_of(2024, 2)),  // partial
              lab("26499-4", -2.0, unit::giga_per_litre, day(2024, 2, 26)),           // negative
              censored,
              lab("1920-8", 18, unit::unit_per_litre, day(2024, 2, 28)),  // same day as above
              bad_range,
              qualitative,
              lab("2160-0", 90, unit::micromole_per_litre, day(2024, 2, 26)),
              lab("1975-2", 30, unit::micromole_per_litre, day(2023, 1, 1))};  // out of window
    const lab_resolution resolved(p, c);
    std::size_t notes = 0;
    std::size_t values = 0;
    for (std::uint32_t a = 0; a < c.size(); ++a) {
      for (const duration window : {days(7), days(28), duration{2, time_unit::year}}) {
        for (const same_day_rule ties : {same_day_rule::span, same_day_rule::last_recorded}) {
          CAPTURE(a);
          const lab_options o{window, ties};
          const lab_fact plain = latest_lab(p, analyte_id{a}, c, as_of, o);
          const lab_fact once = latest_lab(p, resolved, analyte_id{a}, c, as_of, o);
          CHECK(once == plain);
          notes += plain.notes.size();
          values += plain.value ? 1U : 0U;
        }
      }
    }
    // The patient exercises what the comparison is about.
    CHECK(notes > 20);
    CHECK(values > 10);
    const lab_fact anc = latest_lab(p, resolved, id_of(c, "anc"), c, as_of);
    CHECK(noted(anc.notes, "/labs/0/unit"));
    CHECK(noted(anc.notes, "/labs/2/analyte"));
    CHECK(noted(anc.notes, "/labs/3/date"));
    CHECK(noted(anc.notes, "/labs/4/date"));
    CHECK(noted(anc.notes, "/labs/5/value"));
    CHECK(anc.source.records == std::vector<std::string>{"/labs/1"});
    const lab_fact ast = latest_lab(p, resolved, id_of(c, "ast"), c, as_of);
    CHECK(ast.source.records == std::vector<std::string>{"/labs/2", "/labs/6", "/labs/7"});
    CHECK(noted(ast.notes, "/labs/2/analyte"));
    CHECK(noted(latest_lab(p, resolved, id_of(c, "alt"), c, as_of).notes,
                "/labs/8/reference_range/high"));
  }

  TEST_CASE("creatinine clearance with the results resolved once gives the same fact") {
    const auto c = catalog();
    patient p = adult(sex::female, 70, 88.4, unit::micromole_per_litre, 65);
    p.labs.push_back(lab("2160-0", 1.1, unit::milligram_per_decilitre, day(2024, 2, 25)));
    p.labs.push_back(lab("2160-0", 1.0, unit::gram_per_litre, day(2024, 2, 26)));  // wrong unit
    p.heights = {{quantity{165, unit::centimetre}, day(2023, 5, 1)}};
    for (const bool measured : {false, true}) {
      if (measured)
        p.labs.push_back(lab("2164-2", 55, unit::millilitre_per_minute, day(2024, 2, 28)));
      const lab_resolution resolved(p, c);
      for (const body_weight_kind w :
           {body_weight_kind::actual, body_weight_kind::ideal, body_weight_kind::adjusted}) {
        creatinine_clearance_options o;
        o.formula.weight = w;
        const clearance_fact plain = creatinine_clearance(p, c, as_of, o);
        CHECK(creatinine_clearance(p, resolved, c, as_of, o) == plain);
        CHECK(plain.value.has_value());
        CHECK(plain.method ==
              (measured ? clearance_method::measured : clearance_method::cockcroft_gault));
      }
    }
  }

  TEST_CASE("creatinine clearance with a birth year only spans the possible ages") {
    const auto c = catalog();
    patient p = adult(sex::male, 70, 1.0, unit::milligram_per_decilitre, 65);
    p.birth_date = ctm::test::year_of(1959);  // 64 or 65 on 2024-03-01
    const auto f = creatinine_clearance(p, c, as_of);
    REQUIRE(f.value.has_value());
    CHECK(f.value->low == doctest::Approx(75 * 70 / 72.0));
    CHECK(f.value->high == doctest::Approx(76 * 70 / 72.0));
  }
}
