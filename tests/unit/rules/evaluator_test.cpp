// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "support/rules_fixtures.hpp"

#include <ctm/rules/program.hpp>

#include <doctest/doctest.h>

#include <array>
#include <string>
#include <thread>
#include <vector>

using ctm::truth;
using namespace ctm::rules;
using ctm::test::day;
using ctm::test::fake_fact_source;

namespace {

constexpr std::array all{truth::no, truth::unknown, truth::yes};
const ctm::date as_of = day(2026, 10, 1);

program compiled(const std::string& text, compile_options options = {}) {
  auto r = compile(text, ctm::test::rules_environment(), options);
  if (!r) FAIL("does not compile: " << to_string(r.error()));
  return *r;
}

// Facts a, b, c are the presets primary_refractory, relapsed and platinum_resistant; unknown is
// a missing fact.
fake_fact_source three(truth a, truth b, truth c = truth::unknown) {
  fake_fact_source f;
  const std::array<std::pair<const char*, truth>, 3> facts{
      {{"primary_refractory", a}, {"relapsed", b}, {"platinum_resistant", c}}};
  for (const auto& [name, value] : facts) {
    if (value != truth::unknown) f.truth_value(name, value);
  }
  return f;
}

truth eval(const program& p, const fake_fact_source& f) {
  evaluation_context ctx;
  return p.evaluate(f, as_of, ctx).value;
}

}  // namespace

TEST_SUITE("rules.evaluator") {
  TEST_CASE("and, or and not follow the strong Kleene tables, with missing facts as unknown") {
    const program p_and = compiled("primary_refractory and relapsed");
    const program p_or = compiled("primary_refractory or relapsed");
    const program p_not = compiled("not primary_refractory");
    for (const truth a : all) {
      CHECK(eval(p_not, three(a, truth::no)) == ctm::negate(a));
      for (const truth b : all) {
        CAPTURE(to_string(a));
        CAPTURE(to_string(b));
        CHECK(eval(p_and, three(a, b)) == ctm::all_of(a, b));
        CHECK(eval(p_or, three(a, b)) == ctm::any_of(a, b));
      }
    }
  }

  TEST_CASE("at_least, at_most, all, any and none agree with the core counting functions") {
    const program least2 =
        compiled("at_least 2 of (primary_refractory, relapsed, platinum_resistant)");
    const program most1 =
        compiled("at_most 1 of (primary_refractory, relapsed, platinum_resistant)");
    const program least0 =
        compiled("at_least 0 of (primary_refractory, relapsed, platinum_resistant)");
    const program all3 = compiled("all of (primary_refractory, relapsed, platinum_resistant)");
    const program any3 = compiled("any of (primary_refractory, relapsed, platinum_resistant)");
    const program none3 = compiled("none of (primary_refractory, relapsed, platinum_resistant)");
    for (const truth a : all) {
      for (const truth b : all) {
        for (const truth c : all) {
          CAPTURE(to_string(a));
          CAPTURE(to_string(b));
          CAPTURE(to_string(c));
          const auto f = three(a, b, c);
          CHECK(eval(least2, f) == ctm::at_least(2, {a, b, c}));
          CHECK(eval(most1, f) == ctm::at_most(1, {a, b, c}));
          CHECK(eval(least0, f) == truth::yes);
          CHECK(eval(all3, f) == ctm::all_of({a, b, c}));
          CHECK(eval(any3, f) == ctm::any_of({a, b, c}));
          CHECK(eval(none3, f) == ctm::at_most(0, {a, b, c}));
        }
      }
    }
  }

  TEST_CASE("Kleene laws hold through the evaluator for every assignment") {
    const std::vector<std::pair<std::string, std::string>> laws{
        {"not (primary_refractory and relapsed)", "not primary_refractory or not relapsed"},
        {"not (primary_refractory or relapsed)", "not primary_refractory and not relapsed"},
        {"not not primary_refractory", "primary_refractory"},
        {"primary_refractory and (relapsed or platinum_resistant)",
         "(primary_refractory and relapsed) or (primary_refractory and platinum_resistant)"},
        {"primary_refractory or (relapsed and platinum_resistant)",
         "(primary_refractory or relapsed) and (primary_refractory or platinum_resistant)"},
        {"primary_refractory and (primary_refractory or relapsed)", "primary_refractory"},
        {"primary_refractory or (primary_refractory and relapsed)", "primary_refractory"},
        {"(primary_refractory and relapsed) and platinum_resistant",
         "primary_refractory and (relapsed and platinum_resistant)"},
        {"primary_refractory and relapsed", "relapsed and primary_refractory"},
        {"primary_refractory or relapsed", "relapsed or primary_refractory"},
        {"primary_refractory and true", "primary_refractory"},
        {"primary_refractory or false", "primary_refractory"},
        {"at_most 1 of (primary_refractory, relapsed, platinum_resistant)",
         "not at_least 2 of (primary_refractory, relapsed, platinum_resistant)"},
        {"at_least 1 of (primary_refractory, relapsed)", "primary_refractory or relapsed"},
        {"at_least 2 of (primary_refractory, relapsed)", "primary_refractory and relapsed"},
    };
    for (const auto& law : laws) {
      const std::string& left = law.first;
      const std::string& right = law.second;
      CAPTURE(left);
      CAPTURE(right);
      const program l = compiled(left);
      const program r = compiled(right);
      for (const truth a : all) {
        for (const truth b : all) {
          for (const truth c : all) {
            CHECK(eval(l, three(a, b, c)) == eval(r, three(a, b, c)));
          }
        }
      }
    }
  }

  TEST_CASE("excluded middle is unknown exactly when the fact is") {
    const program p = compiled("primary_refractory or not primary_refractory");
    CHECK(eval(p, three(truth::yes, truth::no)) == truth::yes);
    CHECK(eval(p, three(truth::no, truth::no)) == truth::yes);
    CHECK(eval(p, three(truth::unknown, truth::no)) == truth::unknown);
  }

  TEST_CASE("a conditional with an unknown condition is decided only when both branches agree") {
    const program p = compiled("if primary_refractory then relapsed else platinum_resistant");
    for (const truth c : all) {
      for (const truth a : all) {
        for (const truth b : all) {
          truth expected =
              c == truth::yes ? a : (c == truth::no ? b : (a == b ? a : truth::unknown));
          CAPTURE(to_string(c));
          CAPTURE(to_string(a));
          CAPTURE(to_string(b));
          CHECK(eval(p, three(c, a, b)) == expected);
        }
      }
    }
  }

  TEST_CASE("a failing criterion names the fact, its value and date, and the threshold") {
    const program p = compiled("ecog in 0..1");
    fake_fact_source f;
    f.number("ecog", 2, day(2026, 10, 1));
    evaluation_context ctx;
    const evaluation e = p.evaluate(f, as_of, ctx);
    CHECK(e.value == truth::no);
    CHECK(e.reason == "ECOG 2 on 2026-10-01; requires 0-1");
    CHECK(e.missing.empty());
    REQUIRE(e.leaves.size() == 1);
    CHECK(e.leaves[0].fact == "ecog");
  }

  TEST_CASE("a missing fact makes its test unknown and is named") {
    const program p = compiled("ecog <= 1 and lab(anc, within 14 days) >= 1.5 [10*9/L]");
    fake_fact_source f;
    f.number("ecog", 1);
    evaluation_context ctx;
    const evaluation e = p.evaluate(f, as_of, ctx);
    CHECK(e.value == truth::unknown);
    REQUIRE(e.missing.size() == 1);
    CHECK(e.missing[0] == "lab(anc, within 14 days)");
    CHECK(e.reason == "ANC: missing; requires >= 1.5 10*9/L");
  }

  TEST_CASE("the reason lists only the deciding tests") {
    const program p = compiled("ecog <= 1 or age >= 18");
    fake_fact_source f;
    f.number("ecog", 3).number("age", 40);
    evaluation_context ctx;
    const evaluation e = p.evaluate(f, as_of, ctx);
    CHECK(e.value == truth::yes);
    CHECK(e.reason == "age 40; requires >= 18");
    f.number("age", 12);
    const evaluation g = p.evaluate(f, as_of, ctx);
    CHECK(g.value == truth::no);
    CHECK(g.reason == "ECOG 3; requires <= 1 | age 12; requires >= 18");
  }

  TEST_CASE("the missing-data policy turns a missing-fact unknown into met or not met") {
    fake_fact_source f;  // nothing recorded
    evaluation_context ctx;
    for (const auto& [policy, expected] : std::vector<std::pair<missing_data_policy, truth>>{
             {missing_data_policy::unknown, truth::unknown},
             {missing_data_policy::treat_as_met, truth::yes},
             {missing_data_policy::treat_as_not_met, truth::no}}) {
      compile_options o;
      o.policy = policy;
      const evaluation e = compiled("ecog <= 1", o).evaluate(f, as_of, ctx);
      CHECK(e.raw_value == truth::unknown);
      CHECK(e.value == expected);
      CHECK(e.policy_applied == (expected != truth::unknown));
    }
    // Branches that disagree are not missing data: the policy leaves them unknown.
    compile_options met;
    met.policy = missing_data_policy::treat_as_met;
    f.number("ecog", 1).number("karnofsky", 50);
    fake_fact_source g;
    g.number("ecog", 1).number("karnofsky", 50);
    const evaluation e = compiled("ecog <= 1 and karnofsky >= 70", met).evaluate(g, as_of, ctx);
    CHECK(e.value == truth::no);
  }

  TEST_CASE("a washout not yet complete says when it will be") {
    const program p = compiled("time_since(last_dose(any anticancer)) >= 28 days");
    fake_fact_source f;
    f.event("time_since(last_dose(any anticancer))", ctm::partial_date::exact(day(2026, 9, 20)));
    evaluation_context ctx;
    const evaluation e = p.evaluate(f, as_of, ctx);
    CHECK(e.value == truth::no);
    REQUIRE(e.changes_on.has_value());
    CHECK(*e.changes_on == day(2026, 10, 18));
    CHECK(e.value_after == truth::yes);
    CHECK(e.reason ==
          "time_since(last_dose(any anticancer)): 2026-09-20, 11 days before 2026-10-01; "
          "requires >= 28 days; met from 2026-10-18");
  }

  TEST_CASE("the verdict's change date accounts for the other tests") {
    const program p =
        compiled("time_since(radiotherapy) >= 14 days and time_since(major_surgery) >= 28 days");
    fake_fact_source f;
    f.event("time_since(radiotherapy)", ctm::partial_date::exact(day(2026, 9, 25)));
    f.event("time_since(major_surgery)", ctm::partial_date::exact(day(2026, 9, 10)));
    evaluation_context ctx;
    const evaluation e = p.evaluate(f, as_of, ctx);
    CHECK(e.value == truth::no);
    REQUIRE(e.changes_on.has_value());
    CHECK(*e.changes_on == day(2026, 10, 9));  // both done: RT on 10-09, surgery on 10-08
    CHECK(e.value_after == truth::yes);
  }

  TEST_CASE("a lab result ages out of its window") {
    const program p = compiled("lab(anc, within 14 days) >= 1.5 [10*9/L]");
    fake_fact_source f;
    f.lab("lab(anc, within 14 days)", 2.0, ctm::unit::giga_per_litre, std::nullopt,
          day(2026, 9, 25));
    evaluation_context ctx;
    const evaluation e = p.evaluate(f, as_of, ctx);
    CHECK(e.value == truth::yes);
    REQUIRE(e.changes_on.has_value());
    CHECK(*e.changes_on == day(2026, 10, 10));
    CHECK(e.value_after == truth::unknown);
    CHECK(e.evidence == std::vector<std::string>{"/labs/lab(anc, within 14 days)"});
  }

  TEST_CASE("a partial event date makes an elapsed test unknown for the uncertain days") {
    const program p = compiled("time_since(radiotherapy) >= 14 days");
    fake_fact_source f;
    f.event("time_since(radiotherapy)",
            ctm::partial_date::of_month(std::chrono::year{2026}, std::chrono::month{9}));
    evaluation_context ctx;
    const evaluation e = p.evaluate(f, as_of, ctx);  // 09-01..09-30 + 14 days spans 10-01
    CHECK(e.value == truth::unknown);
    CHECK(*e.changes_on == day(2026, 10, 14));
    CHECK(e.value_after == truth::yes);
    f.event("time_since(radiotherapy)", std::nullopt);  // never had radiotherapy
    CHECK(p.evaluate(f, as_of, ctx).value == truth::yes);
  }

  TEST_CASE("each distinct query is asked once and the trace covers every instruction") {
    const program p = compiled("adequate_marrow and lab(anc) >= 1 [10*9/L] and ecog <= 1");
    fake_fact_source f;
    f.lab("lab(anc)", 2, ctm::unit::giga_per_litre)
        .lab("lab(platelets)", 150, ctm::unit::giga_per_litre)
        .number("ecog", 0);
    evaluation_context ctx;
    const evaluation e = p.evaluate(f, as_of, ctx);
    CHECK(e.value == truth::yes);
    CHECK(f.calls() == 3);
    CHECK(p.queries().size() == 3);
    CHECK(e.trace.size() == p.size());
    CHECK(e.trace.back().value == truth::yes);
    bool saw_definition = false;
    for (const trace_entry& t : e.trace) saw_definition |= t.definition == "adequate_marrow";
    CHECK(saw_definition);
  }

  TEST_CASE("a wrong kind of answer is unknown with a reason, never a crash") {
    const program p = compiled("ecog <= 1 and lab(anc) >= 1 [10*9/L]");
    fake_fact_source f;
    f.symbol("ecog", "one").truth_value("lab(anc)", truth::yes);
    evaluation_context ctx;
    const evaluation e = p.evaluate(f, as_of, ctx);
    CHECK(e.value == truth::unknown);
    CHECK(e.reason.find("wrong kind") != std::string::npos);
  }

  TEST_CASE("a lab value in a unit that cannot be converted is unknown, not a silent no") {
    const program p = compiled("lab(anc) >= 1.5 [10*9/L]");
    fake_fact_source f;
    f.lab("lab(anc)", 3, ctm::unit::milligram_per_decilitre);
    evaluation_context ctx;
    const evaluation e = p.evaluate(f, as_of, ctx);
    CHECK(e.value == truth::unknown);
    CHECK(e.reason == "ANC 3 mg/dL cannot be converted to 10*9/L; requires >= 1.5 10*9/L");
  }

  TEST_CASE("a program is shared across threads, one context each") {
    const program p = compiled("adequate_organ_function and ecog <= 1");
    fake_fact_source f;
    f.lab("lab(anc)", 2, ctm::unit::giga_per_litre)
        .lab("lab(platelets)", 150, ctm::unit::giga_per_litre)
        .lab("lab(ast)", 30, ctm::unit::unit_per_litre, 40.0)
        .truth_value("metastases(liver)", truth::no)
        .number("ecog", 1);
    const evaluation expected = [&] {
      evaluation_context ctx;
      return p.evaluate(f, as_of, ctx);
    }();
    std::vector<std::thread> threads;
    std::array<bool, 4> same{};
    for (std::size_t t = 0; t < same.size(); ++t) {
      threads.emplace_back([&, t] {
        fake_fact_source mine = f;
        evaluation_context ctx;
        bool ok = true;
        for (int i = 0; i < 200; ++i) ok = ok && p.evaluate(mine, as_of, ctx) == expected;
        same[t] = ok;
      });
    }
    for (auto& th : threads) th.join();
    for (const bool s : same) CHECK(s);
    CHECK(expected.value == truth::yes);
  }

  TEST_CASE("exclusions are inverted and an unknown exclusion is unknown") {
    CHECK(passes(criterion_kind::exclusion, truth::yes) == truth::no);
    CHECK(passes(criterion_kind::exclusion, truth::unknown) == truth::unknown);
    CHECK(passes(criterion_kind::inclusion, truth::unknown) == truth::unknown);
    const std::array<truth, 3> mixed{truth::yes, truth::unknown, truth::yes};
    CHECK(aggregate(mixed) == eligibility::possibly_eligible);
    const std::array<truth, 3> failing{truth::yes, truth::unknown, truth::no};
    CHECK(aggregate(failing) == eligibility::ineligible);
    const std::array<truth, 2> passing{truth::yes, truth::yes};
    CHECK(aggregate(passing) == eligibility::eligible);
    CHECK(to_string(eligibility::possibly_eligible) == "possibly_eligible");
    CHECK(apply_policy(truth::unknown, missing_data_policy::treat_as_met, false) == truth::unknown);
  }
}
