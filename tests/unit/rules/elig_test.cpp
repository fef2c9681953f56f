// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The ELIG worked cases of the domain document (section 4.13) that are about rule evaluation:
// unit conversions, multiples of ULN, conditional ULN branches, performance-status ranges,
// inclusive washouts and treated, stable brain metastases. Deriving the facts themselves
// (Karnofsky-to-ECOG conversion, class membership, RECIST measurability, Cockcroft-Gault) is the
// history module's job; here the fake source answers as history would.
#include "support/rules_fixtures.hpp"

#include <ctm/rules/program.hpp>

#include <doctest/doctest.h>

#include <string>

using ctm::truth;
using ctm::unit;
using namespace ctm::rules;
using ctm::test::day;
using ctm::test::fake_fact_source;

namespace {

const ctm::date as_of = day(2026, 10, 1);

evaluation run(const std::string& rule, const fake_fact_source& facts) {
  auto p = compile(rule, ctm::test::rules_environment());
  REQUIRE_MESSAGE(p.has_value(), (p ? "" : to_string(p.error())));
  evaluation_context ctx;
  return p->evaluate(facts, as_of, ctx);
}

constexpr const char* anc_rule = "lab(anc) >= 1.5 [10*9/L]";
constexpr const char* ast_rule = "lab(ast) <= (if liver_metastases then 5 else 2.5) x uln";

}  // namespace

TEST_SUITE("rules.elig") {
  TEST_CASE("ELIG-01: ANC 1500 /uL meets ANC >= 1.5 x 10^9/L") {
    fake_fact_source f;
    f.lab("lab(anc)", 1500, unit::per_microlitre);
    const evaluation e = run(anc_rule, f);
    CHECK(e.value == truth::yes);
    CHECK(e.reason == "ANC 1500 /uL (1.5 10*9/L); requires >= 1.5 10*9/L");
  }

  TEST_CASE("ELIG-02: ANC 1.49 10*3/uL fails ANC >= 1.5 x 10^9/L") {
    fake_fact_source f;
    f.lab("lab(anc)", 1.49, unit::thousand_per_microlitre);
    CHECK(run(anc_rule, f).value == truth::no);
  }

  TEST_CASE("ELIG-03/04/05: AST <= 2.5 x ULN, or <= 5 x ULN with liver metastases") {
    fake_fact_source f;
    f.lab("lab(ast)", 120, unit::unit_per_litre, 40.0, day(2026, 9, 28));
    SUBCASE("ELIG-03: liver metastases present: 3.0 x ULN passes") {
      f.truth_value("metastases(liver)", truth::yes);
      const evaluation e = run(ast_rule, f);
      CHECK(e.value == truth::yes);
      CHECK(e.reason ==
            "liver metastases yes; requires yes | AST 120 U/L (3 x ULN 40) on 2026-09-28; "
            "requires <= 5 x ULN");
    }
    SUBCASE("ELIG-04: liver metastases absent: fails") {
      f.truth_value("metastases(liver)", truth::no);
      const evaluation e = run(ast_rule, f);
      CHECK(e.value == truth::no);
      CHECK(e.reason ==
            "liver metastases no; requires yes | AST 120 U/L (3 x ULN 40) on 2026-09-28; "
            "requires <= 2.5 x ULN");
    }
    SUBCASE("ELIG-05: liver-metastasis status unknown: the branches disagree") {
      const evaluation e = run(ast_rule, f);
      CHECK(e.value == truth::unknown);
      CHECK(e.missing == std::vector<std::string>{"metastases(liver)"});
    }
    SUBCASE("unknown status but AST low enough for both branches: met") {
      f.lab("lab(ast)", 60, unit::unit_per_litre, 40.0);
      CHECK(run(ast_rule, f).value == truth::yes);
    }
  }

  TEST_CASE("ELIG-06: bilirubin 2.4 mg/dL, ULN 1.2, Gilbert documented: 2.0 x ULN passes") {
    fake_fact_source f;
    f.lab("lab(bilirubin_total)", 2.4, unit::milligram_per_decilitre, 1.2)
        .symbol("gilbert_syndrome", "active");
    const std::string rule =
        "lab(bilirubin_total) <= (if gilbert_syndrome is present then 3 else 1.5) x uln";
    CHECK(run(rule, f).value == truth::yes);
    f.symbol("gilbert_syndrome", "absent");
    CHECK(run(rule, f).value == truth::no);
  }

  TEST_CASE("ELIG-07: haemoglobin 85 g/L fails >= 9 g/dL (8.5 g/dL)") {
    fake_fact_source f;
    f.lab("lab(haemoglobin)", 85, unit::gram_per_litre);
    const evaluation e = run("lab(haemoglobin) >= 9 [g/dL]", f);
    CHECK(e.value == truth::no);
    CHECK(e.reason == "haemoglobin 85 g/L (8.5 g/dL); requires >= 9 g/dL");
    // The same threshold in substance units, through the molar mass (9 g/dL = 5.585 mmol/L).
    f.lab("lab(haemoglobin)", 5.6, unit::millimole_per_litre);
    CHECK(run("lab(haemoglobin) >= 9 [g/dL]", f).value == truth::yes);
  }

  TEST_CASE("ELIG-08/09: ECOG 0-1 from Karnofsky under two conventions") {
    fake_fact_source f;
    SUBCASE("ELIG-08: KPS 80 is ECOG 1 under both conventions: pass") {
      f.number_range("ecog", 1, 1);
      CHECK(run("ecog in 0..1", f).value == truth::yes);
    }
    SUBCASE("ELIG-09: KPS 70 is ECOG 1 or 2: uncertain") {
      f.number_range("ecog", 1, 2);
      const evaluation e = run("ecog in 0..1", f);
      CHECK(e.value == truth::unknown);
      CHECK(e.reason == "ECOG 1-2; requires 0-1");
    }
  }

  TEST_CASE("ELIG-11: radiotherapy ended exactly 14 days ago meets >= 14 days (inclusive)") {
    fake_fact_source f;
    f.event("time_since(radiotherapy)", ctm::partial_date::exact(day(2026, 9, 17)));
    CHECK(run("time_since(radiotherapy) >= 14 days", f).value == truth::yes);
    f.event("time_since(radiotherapy)", ctm::partial_date::exact(day(2026, 9, 18)));
    const evaluation e = run("time_since(radiotherapy) >= 14 days", f);
    CHECK(e.value == truth::no);
    CHECK(*e.changes_on == day(2026, 10, 2));
  }

  TEST_CASE("ELIG-12: >= 2 prior lines in the metastatic setting with a count of 1 fails") {
    fake_fact_source f;
    f.number("prior_lines(setting: advanced)", 1);
    CHECK(run("prior_lines(setting: metastatic) >= 2", f).value == truth::no);
  }

  TEST_CASE("ELIG-13/14: class-level exposure and refractoriness are asked of the fact source") {
    fake_fact_source f;
    f.truth_value("exposed_to(class \"pd1_pdl1_inhibitor\")", truth::yes)
        .truth_value("refractory_to(class \"imid\")", truth::yes);
    CHECK(run("exposed_to(class \"pd1_pdl1_inhibitor\")", f).value == truth::yes);
    CHECK(run("refractory_to(class \"imid\")", f).value == truth::yes);
    CHECK(run("refractory_to(drug \"lenalidomide\")", f).value == truth::unknown);
  }

  TEST_CASE("ELIG-18: SRS 30 days ago, stable, steroids stopped: treated stable >= 4 weeks") {
    fake_fact_source f;
    f.symbol("brain_metastases", "treated_stable", day(2026, 9, 1))
        .lab("steroid_dose", 0, unit::milligram_per_day);
    const std::string rule =
        "brain_metastases is absent or (brain_metastases is treated_stable for >= 4 weeks and "
        "steroid_dose <= 10 [mg/d])";
    CHECK(run(rule, f).value == truth::yes);
    f.symbol("brain_metastases", "treated_stable", day(2026, 9, 10));
    const evaluation e = run(rule, f);
    CHECK(e.value == truth::no);
    CHECK(*e.changes_on == day(2026, 10, 8));
    f.symbol("brain_metastases", "active", day(2026, 9, 1));
    CHECK(run(rule, f).value == truth::no);
  }
}
