// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "support/rules_fixtures.hpp"

#include <ctm/rules/check.hpp>
#include <ctm/rules/program.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace ctm::rules;

namespace {

std::vector<diagnostic> diagnostics_of(const std::string& text,
                                       const environment& env = ctm::test::rules_environment()) {
  return check(parse(text), env).diagnostics();
}

std::string first(const std::string& text) {
  const auto d = diagnostics_of(text);
  if (d.empty()) return "";
  return to_string(d.front());
}

}  // namespace

TEST_SUITE("rules.check") {
  TEST_CASE("a unit that cannot convert is a check error, never a silent false") {
    const std::string text = "lab(anc) >= 1.5 [mg/dL]";
    const auto d = diagnostics_of(text);
    REQUIRE(d.size() == 1);
    CHECK(d[0].code == ctm::errc::rule_unit);
    CHECK(format(d[0], text) ==
          "<rule>:1:17: error: [ctm.rules.unit.606] ANC is a number concentration in 10*9/L; "
          "mg/dL (mass concentration) cannot be compared with it\n"
          "  lab(anc) >= 1.5 [mg/dL]\n"
          "                  ^~~~~~~");
  }

  TEST_CASE("unit mistakes: missing, unknown, and units on plain numbers") {
    CHECK(first("lab(anc) >= 1.5") ==
          "<rule>:1:13: error: [ctm.rules.unit.606] ANC needs a unit: write e.g. 1.5 [10*9/L]");
    CHECK(first("lab(anc) >= 1.5 [furlongs]") ==
          "<rule>:1:17: error: [ctm.rules.unit.606] unknown unit 'furlongs'");
    CHECK(first("ecog <= 1 [mg]") ==
          "<rule>:1:11: error: [ctm.rules.unit.606] ECOG is a plain number; remove the unit [mg]");
    CHECK(first("age >= 18 [a]").empty());
    CHECK(first("lab(creatinine) <= 133 [umol/L]").empty());  // through the molar mass
    CHECK(first("lab(inr) <= 1.5").empty());                  // a ratio has no unit
    CHECK(first("tmb >= 10").empty());                        // the fact's own unit
  }

  TEST_CASE("unknown names, functions and codes") {
    CHECK(first("ecgo <= 1") ==
          "<rule>:1:1: error: [ctm.rules.unknown_name.602] unknown fact 'ecgo'");
    CHECK(first("frobnicate(anc)") ==
          "<rule>:1:1: error: [ctm.rules.unknown_name.602] unknown function 'frobnicate'");
    CHECK(first("lab(xyz) >= 1 [g/L]") ==
          "<rule>:1:5: error: [ctm.rules.unknown_code.605] unknown lab analyte 'xyz'");
    CHECK(first("diagnosis is_a \"NSCLX\"") ==
          "<rule>:1:16: error: [ctm.rules.unknown_code.605] unknown disease code 'NSCLX'");
    CHECK(first("exposed_to(drug \"aspirinx\")") ==
          "<rule>:1:12: error: [ctm.rules.unknown_code.605] unknown drug or class 'aspirinx'");
    CHECK(first("exposed_to(class \"lenalidomide\")") ==
          "<rule>:1:12: error: [ctm.rules.type.601] 'lenalidomide' is a drug, not a class");
  }

  TEST_CASE("type errors say what was expected") {
    CHECK(first("ecog") ==
          "<rule>:1:1: error: [ctm.rules.type.601] 'ecog' is not true or false by itself; compare "
          "it, e.g. 'ecog >= ...'");
    CHECK(first("brain_metastases") ==
          "<rule>:1:1: error: [ctm.rules.type.601] 'brain_metastases' is not true or false by "
          "itself; write e.g. 'brain_metastases is absent'");
    CHECK(first("sex >= female") ==
          "<rule>:1:1: error: [ctm.rules.type.601] sex has no order; use ==, != or 'is'");
    CHECK(first("sex == dragon") ==
          "<rule>:1:8: error: [ctm.rules.type.601] 'dragon' is not a value of sex; expected "
          "female, male, other");
    CHECK(first("ecog <= 2.5 x uln") ==
          "<rule>:1:9: error: [ctm.rules.type.601] 'x uln' applies only to lab(...) values");
    CHECK(first("age >= 18 and 5") ==
          "<rule>:1:15: error: [ctm.rules.type.601] expected a condition (something true or "
          "false), found a number");
    CHECK(first("time_since(radiotherapy) >= 14") ==
          "<rule>:1:29: error: [ctm.rules.type.601] time_since(radiotherapy) is a time span; "
          "compare it with a duration such as 28 days");
    CHECK(first("biomarker(\"EGFR\") is positive") ==
          "<rule>:1:1: error: [ctm.rules.type.601] 'positive' is not a state of "
          "biomarker(\"EGFR\"); expected detected, not_detected, untested or present");
  }

  TEST_CASE("every error of a rule is reported, not just the first") {
    const auto d = diagnostics_of("ecgo <= 1 and lab(anc) >= 1 [mg/dL] and diagnosis is_a \"X\"");
    CHECK(d.size() == 3);
  }

  TEST_CASE("a missing vocabulary is an error for codes of its kind only") {
    environment bare;
    CHECK(diagnostics_of("age >= 18 and ecog <= 1", bare).empty());
    const auto d = diagnostics_of("lab(anc) >= 1 [10*9/L]", bare);
    REQUIRE(d.size() == 1);
    CHECK(d[0].code == ctm::errc::rule_no_vocabulary);
  }

  TEST_CASE("definitions: library, own, cycles and duplicates") {
    const auto env = ctm::test::rules_environment();
    const checked_rule c = check(parse("adequate_organ_function and ecog <= 1"), env);
    CHECK(c.ok());
    CHECK(c.used_definitions() ==
          std::vector<std::string>{"adequate_liver", "adequate_marrow", "adequate_organ_function"});
    CHECK(first("define a = b\ndefine b = a\na") ==
          "<rule>:2:12: error: [ctm.rules.definition_cycle.607] definition 'a' refers to itself");
    CHECK(first("define a = true\ndefine a = false\na") ==
          "<rule>:2:8: error: [ctm.rules.duplicate_definition.608] 'a' is defined twice in this "
          "document");
    definition_library lib;
    CHECK(lib.add(parse("define x = true", "one.rules")).empty());
    const auto dup = lib.add(parse("define x = false", "two.rules"));
    REQUIRE(dup.size() == 1);
    CHECK(to_string(dup[0]) ==
          "two.rules:1:8: error: [ctm.rules.duplicate_definition.608] 'x' is already defined at "
          "one.rules:1:8");
  }

  TEST_CASE("an error inside a library definition is reported where it is used") {
    environment env = ctm::test::rules_environment();
    CHECK(env.definitions.add(parse("define broken = ecog >= 1 [mg]", "bad.rules")).empty());
    const auto d = diagnostics_of("broken or age >= 18", env);
    REQUIRE(d.size() == 1);
    CHECK(to_string(d[0]) ==
          "<rule>:1:1: error: [ctm.rules.type.601] definition 'broken' has errors: bad.rules:1:27: "
          "error: [ctm.rules.unit.606] ECOG is a plain number; remove the unit [mg]");
  }

  TEST_CASE("codes resolve to ids and the checked tree shows the resolved tests") {
    const checked_rule c =
        check(parse("diagnosis is_a any of (\"luad\", \"LUSC\") and "
                    "refractory_to(class \"anti_cd38\") and exposed_to(drug \"lenalidomide\")"),
              ctm::test::rules_environment());
    REQUIRE(c.ok());
    CHECK(c.print() ==
          "(and @1:1\n"
          "  (test diagnosis requires is_a LUAD or LUSC @1:1)\n"
          "  (test refractory_to(class \"anti_cd38\") requires yes @1:44)\n"
          "  (test exposed_to(drug \"lenalidomide\") requires yes @1:81))\n");
    CHECK(c.queries().size() == 3);
  }

  TEST_CASE("compile refuses a rule with errors, naming the first") {
    const auto p = compile("ecog <= 1 [mg]", ctm::test::rules_environment());
    REQUIRE_FALSE(p.has_value());
    CHECK(p.error().code == ctm::errc::rule_unit);
    CHECK_THROWS_AS(compile_or_throw("ecog <=", ctm::test::rules_environment()), ctm::exception);
    const auto defs_only = compile("define a = true", ctm::test::rules_environment());
    REQUIRE_FALSE(defs_only.has_value());
    CHECK(defs_only.error().message == "the rule has no criterion expression to compile");
  }
}
