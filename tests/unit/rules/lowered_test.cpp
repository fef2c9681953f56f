// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The lowered form of programs (`program::lower`) and the evaluator's shared pieces: `test_leaf`,
// `fold`, `deciding_missing` and `verdict` give exactly what `program::evaluate` reports.
#include "unit/batch/batch_support.hpp"

#include <ctm/rules/lowered.hpp>
#include <ctm/rules/patient_fact_source.hpp>
#include <ctm/rules/program.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace {

using namespace ctm;
using namespace ctm::rules;

environment bundled_env() {
  const auto& w = ctm::test::batch::bundled();
  environment env;
  env.ontology = w.vocab.diseases;
  env.drugs = w.vocab.drugs;
  env.labs = w.vocab.labs;
  env.definitions = w.definitions;
  return env;
}

}  // namespace

TEST_CASE("lower gives the post-order steps, the leaves' tests and the queries") {
  compile_options o;
  o.policy = missing_data_policy::treat_as_met;
  const program p =
      compile_or_throw("ecog <= 1 and (age >= 18 or not measurable_disease)", bundled_env(), o);
  const lowered_program l = p.lower();
  REQUIRE(l.steps.size() == 6);
  CHECK(l.steps[0] == step{step_op::leaf, truth::unknown, 0, 0, 1});
  CHECK(l.steps[1] == step{step_op::leaf, truth::unknown, 1, 0, 1});
  CHECK(l.steps[2] == step{step_op::leaf, truth::unknown, 2, 0, 1});
  CHECK(l.steps[3] == step{step_op::not_op, truth::unknown, 0, 1, 2});
  CHECK(l.steps[4] == step{step_op::or_op, truth::unknown, 0, 2, 4});
  CHECK(l.steps[5] == step{step_op::and_op, truth::unknown, 0, 2, 6});
  REQUIRE(l.leaves.size() == 3);
  REQUIRE(l.queries.size() == 3);
  CHECK(describe(l.queries[l.leaves[0].query]) == "ecog");
  CHECK(describe(l.queries[l.leaves[1].query]) == "age");
  CHECK(describe(l.queries[l.leaves[2].query]) == "measurable_disease");
  CHECK(l.leaves[0].test.kind == test_kind::interval);
  CHECK(l.leaves[0].test.scale == value_scale::number);
  CHECK(l.leaves[0].test.set.high == 1.0);
  CHECK(l.leaves[1].test.set.low == 18.0);
  CHECK(l.leaves[1].test.set.high == std::numeric_limits<double>::infinity());
  CHECK(l.leaves[2].test.kind == test_kind::truth_is);
  CHECK(l.queries == p.queries());
  CHECK(l.policy == missing_data_policy::treat_as_met);
  CHECK(l.ontology.has_value());
}

TEST_CASE("fold and verdict on a lowered program") {
  const lowered_program l =
      compile_or_throw("at_least 2 of (ecog <= 1, age >= 18, measurable_disease)", bundled_env())
          .lower();
  const std::vector<truth> v = {truth::yes, truth::unknown, truth::yes};
  CHECK(fold(l.steps, v) == truth::yes);
  const std::vector<truth> u = {truth::yes, truth::unknown, truth::no};
  CHECK(fold(l.steps, u) == truth::unknown);
  CHECK(deciding_missing(l.steps, u, std::vector<std::uint8_t>{0, 1, 0}));
  CHECK_FALSE(deciding_missing(l.steps, u, std::vector<std::uint8_t>{1, 0, 1}));
  lowered_program met = l;
  met.policy = missing_data_policy::treat_as_met;
  CHECK(verdict(met, truth::unknown, true) == truth::yes);
  CHECK(verdict(met, truth::unknown, false) == truth::unknown);
  CHECK(verdict(met, truth::no, true) == truth::no);
}

TEST_CASE("interval_truth on open, closed, complemented sets and ranges") {
  interval s;
  s.low = 1.0;
  s.high = 2.0;
  CHECK(interval_truth(s, 1.5, 1.5) == truth::yes);
  CHECK(interval_truth(s, 0.5, 1.5) == truth::unknown);
  CHECK(interval_truth(s, 2.5, 3.0) == truth::no);
  CHECK(interval_truth(s, 3.0, 2.5) == truth::no);
  s.high_open = true;
  CHECK(interval_truth(s, 2.0, 2.0) == truth::no);
  s.complement = true;
  CHECK(interval_truth(s, 2.0, 2.0) == truth::no);  // the hole is closed
  CHECK(interval_truth(s, 3.0, 4.0) == truth::yes);
  CHECK(interval_truth(s, 0.0, 1.5) == truth::unknown);
  CHECK(interval_truth(s, std::nan(""), std::nan("")) == truth::unknown);
}

TEST_CASE("evaluate's leaf values, verdicts and missing facts equal the shared functions") {
  using ctm::test::batch::as_of;
  using ctm::test::batch::bundled;
  using ctm::test::batch::generator;
  const environment env = bundled_env();
  generator g(42);
  std::vector<program> programs;
  for (const auto& t : bundled().trials) {
    for (const auto& c : t.criteria) {
      if (!c.rule) continue;
      for (const auto policy : {missing_data_policy::unknown, missing_data_policy::treat_as_met,
                                missing_data_policy::treat_as_not_met}) {
        compile_options o;
        o.policy = policy;
        if (auto p = compile(*c.rule, env, o)) programs.push_back(*p);
      }
    }
  }
  for (int i = 0; i < 60; ++i) {
    compile_options o;
    o.policy = static_cast<missing_data_policy>(i % 3);
    if (auto p = compile(g.rule(3), env, o)) programs.push_back(*p);
  }
  REQUIRE(programs.size() > 100);
  std::vector<patient> ps = bundled().samples;
  for (int i = 0; i < 40; ++i) ps.push_back(g.random_patient(i));
  evaluation_context context;
  std::size_t leaves = 0;
  std::size_t policy_decided = 0;
  for (const patient& p : ps) {
    const auto facts = history::derive_facts(p, as_of(), bundled().vocab);
    const patient_fact_source source(p, facts, bundled().vocab);
    for (const program& prog : programs) {
      const evaluation e = prog.evaluate(source, as_of(), context);
      const lowered_program l = prog.lower();
      std::vector<truth> values;
      std::vector<std::uint8_t> missing;
      for (std::size_t k = 0; k < l.leaves.size(); ++k) {
        const query& q = l.queries[l.leaves[k].query];
        const fact_answer a = source.answer(q, as_of());
        const leaf_value v = assess_leaf(l.leaves[k].test, q, a, as_of(), l.ontology);
        CHECK(test_leaf(l.leaves[k].test, q, a, as_of(), l.ontology) == v.value);
        REQUIRE(k < e.leaves.size());
        CHECK(e.leaves[k].value == v.value);
        CHECK(e.leaves[k].missing.has_value() == v.missing);
        values.push_back(v.value);
        missing.push_back(v.missing ? 1 : 0);
        ++leaves;
      }
      CHECK(fold(l.steps, values) == e.raw_value);
      const bool has_missing = deciding_missing(l.steps, values, missing);
      CHECK(has_missing == !e.missing.empty());
      CHECK(verdict(l, e.raw_value, has_missing) == e.value);
      if (e.policy_applied) ++policy_decided;
    }
  }
  CHECK(leaves > 10000);
  CHECK(policy_decided > 0);
}
