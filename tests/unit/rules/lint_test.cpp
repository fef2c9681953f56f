// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "support/rules_fixtures.hpp"

#include <ctm/rules/lint.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace ctm::rules;

namespace {

checked_rule checked(const std::string& text, const std::string& name = "<rule>") {
  return check(parse(text, name), ctm::test::rules_environment());
}

std::vector<std::string> findings(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& d : lint(checked(text))) out.push_back(to_string(d));
  return out;
}

}  // namespace

TEST_SUITE("rules.lint") {
  TEST_CASE("a clean rule has no findings") {
    CHECK(findings("age >= 18 and ecog in 0..1 and adequate_organ_function").empty());
  }

  TEST_CASE("tests no value can pass are errors") {
    CHECK(
        findings("ecog > 5") ==
        std::vector<std::string>{
            "<rule>:1:1: error: [ctm.rules.never_met.609] ECOG > 5 can never be met (ECOG is 0-5)",
            "<rule>:1:1: error: [ctm.rules.never_met.609] the criterion can never be met"});
    const auto range = findings("age in 80..18");
    REQUIRE_FALSE(range.empty());
    CHECK(range[0] ==
          "<rule>:1:1: error: [ctm.rules.never_met.609] age 80-18 can never be met (age is 0-120)");
  }

  TEST_CASE("contradictory ranges in one and are errors") {
    const auto f = findings("ecog >= 2 and age >= 18 and ecog <= 1");
    REQUIRE(f.size() == 1);
    CHECK(f[0] ==
          "<rule>:1:1: error: [ctm.rules.never_met.609] ECOG >= 2 and <= 1 cannot both hold");
    CHECK(findings("lab(anc) >= 2 [10*9/L] and lab(anc) < 1500 [/uL]").size() == 1);
    CHECK(findings("lab(anc) >= 1 [10*9/L] and lab(anc) < 1500 [/uL]").empty());
    CHECK(findings("sex == female and sex == male").size() == 1);
    CHECK(findings("ecog >= 2 or ecog <= 1").empty());
  }

  TEST_CASE("vacuous tests and criteria are warnings") {
    const auto f = findings("ecog <= 5");
    REQUIRE(f.size() == 2);
    CHECK(
        f[0] ==
        "<rule>:1:1: warning: [ctm.rules.always_met.610] ECOG <= 5 holds for every value (ECOG is "
        "0-5)");
    CHECK(f[1] ==
          "<rule>:1:1: warning: [ctm.rules.always_met.610] the criterion is met by every patient "
          "whose facts are known");
    CHECK(findings("true").size() == 1);
    CHECK(findings("false") ==
          std::vector<std::string>{
              "<rule>:1:1: error: [ctm.rules.never_met.609] the criterion can never be met"});
  }

  TEST_CASE("suspicious thresholds: ECOG above 5, negative ages, Karnofsky off the scale") {
    CHECK(findings("ecog <= 7").size() == 3);  // suspicious, always met, criterion always met
    const auto age = findings("age >= -1");
    bool negative = false;
    for (const auto& s : age) negative |= s.find("a negative age") != std::string::npos;
    CHECK(negative);
    const auto kps = findings("karnofsky >= 75");
    REQUIRE(kps.size() == 1);
    CHECK(kps[0] ==
          "<rule>:1:1: warning: [ctm.rules.suspicious_threshold.614] Karnofsky runs from 0 to 100 "
          "in steps of 10; 75 is not on it");
    CHECK(findings("pd_l1(tps) >= 150 [%]").size() >= 1);
    CHECK(findings("lab(anc) >= -1 [10*9/L]").size() == 1);
  }

  TEST_CASE("dead conditional branches") {
    const auto constant = findings("if true then ecog <= 1 else ecog <= 2");
    REQUIRE(constant.size() == 1);
    CHECK(constant[0] ==
          "<rule>:1:1: warning: [ctm.rules.dead_branch.612] the condition is never false, so the "
          "'else' branch is never taken");
    const auto same = findings("if liver_metastases then ecog <= 1 else ecog <= 1");
    REQUIRE(same.size() == 1);
    CHECK(same[0].find("both branches are the same") != std::string::npos);
    const auto nested = findings(
        "if liver_metastases then (if liver_metastases then ecog <= 1 else ecog <= 2) else age >= "
        "18");
    REQUIRE(nested.size() == 1);
    CHECK(nested[0] ==
          "<rule>:1:27: warning: [ctm.rules.dead_branch.612] this condition was already decided "
          "by an enclosing 'if'; its 'else' branch is never taken");
  }

  TEST_CASE("unused definitions are reported when criteria are linted with them") {
    definition_library lib;
    const parsed_rule defs =
        parse("define used = ecog <= 1\ndefine spare = age >= 18", "defs.rules");
    REQUIRE(lib.add(defs).empty());
    environment env = ctm::test::rules_environment();
    env.definitions = lib;
    const std::vector<checked_rule> criteria{
        check(parse("used and true", "c1"), env),
        check(parse("define local = true\nage >= 18", "c2"), env)};
    std::vector<std::string> out;
    for (const auto& d : lint_unused(lib, criteria)) out.push_back(to_string(d));
    CHECK(out == std::vector<std::string>{
                     "c2:1:8: warning: [ctm.rules.unused_definition.613] definition 'local' is "
                     "never used",
                     "defs.rules:2:8: warning: [ctm.rules.unused_definition.613] definition "
                     "'spare' is never used by any criterion"});
    // A definitions file linted alone is a library: nothing is reported as unused.
    const std::vector<checked_rule> alone{check(defs, env)};
    CHECK(lint_unused(lib, alone).empty());
  }

  TEST_CASE("inclusions and exclusions that overlap") {
    const std::vector<lint_criterion> trial{
        {"inc-1", criterion_kind::inclusion, checked("ecog in 0..2 and age >= 18", "inc-1")},
        {"exc-1", criterion_kind::exclusion, checked("ecog >= 2", "exc-1")},
        {"exc-2", criterion_kind::exclusion, checked("age >= 12 or sex == male", "exc-2")},
        {"exc-3", criterion_kind::exclusion, checked("karnofsky < 50", "exc-3")},
    };
    std::vector<std::string> out;
    for (const auto& d : lint_criteria(trial)) out.push_back(to_string(d));
    CHECK(out == std::vector<std::string>{
                     "exc-1:1:1: warning: [ctm.rules.overlap.611] inc-1 and exc-1 overlap: ECOG "
                     "0-2 is admitted and >= 2 excluded",
                     "exc-2:1:1: error: [ctm.rules.never_met.609] every patient inc-1 admits (age "
                     ">= 18) is excluded by exc-2 (>= 12)"});
  }
}
