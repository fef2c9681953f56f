// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The rule pipeline, one stage at a time, on one realistic criterion: parse, check, compile, and
// evaluate a compiled criterion on an in-memory fact source.
#include "support/rules_fixtures.hpp"

#include <ctm/rules/check.hpp>
#include <ctm/rules/program.hpp>

#include <benchmark/benchmark.h>

#include <string>

namespace {

const std::string criterion =
    "age >= 18 and ecog in 0..1 and adequate_organ_function\n"
    "  and lab(haemoglobin, within 14 days) >= 9 [g/dL]\n"
    "  and diagnosis is_a any of (\"NSCLC\", \"SCLC\")\n"
    "  and (brain_metastases is absent or brain_metastases is treated_stable for >= 4 weeks)\n"
    "  and refractory_to(class \"anti_pd1\") and not intolerant_to(drug \"pembrolizumab\")\n"
    "  and time_since(last_dose(any anticancer)) >= 28 days\n"
    "  and at_least 1 of (biomarker(\"EGFR\") is not_detected, tmb >= 10 [{mutations}/Mb])";

const ctm::rules::environment& env() {
  static const ctm::rules::environment e = ctm::test::rules_environment();
  return e;
}

ctm::test::fake_fact_source patient() {
  using ctm::test::day;
  ctm::test::fake_fact_source f;
  f.number("age", 64)
      .number("ecog", 1)
      .lab("lab(anc)", 1800, ctm::unit::per_microlitre)
      .lab("lab(platelets)", 210, ctm::unit::giga_per_litre)
      .lab("lab(ast)", 52, ctm::unit::unit_per_litre, 40.0)
      .lab("lab(haemoglobin, within 14 days)", 11.2, ctm::unit::gram_per_decilitre, std::nullopt,
           day(2026, 9, 24))
      .truth_value("metastases(liver)", ctm::truth::no)
      .diagnoses("diagnosis", {ctm::concept_id{3}})
      .symbol("brain_metastases", "absent")
      .truth_value("refractory_to(class \"anti_pd1\")", ctm::truth::yes)
      .truth_value("intolerant_to(drug \"pembrolizumab\")", ctm::truth::no)
      .event("time_since(last_dose(any anticancer))", ctm::partial_date::exact(day(2026, 8, 20)))
      .symbol("biomarker(\"EGFR\")", "not_detected");
  return f;
}

void BM_rules_parse(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ctm::rules::parse(criterion));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_rules_parse);

void BM_rules_check(benchmark::State& state) {
  const auto parsed = ctm::rules::parse(criterion);
  for (auto _ : state) benchmark::DoNotOptimize(ctm::rules::check(parsed, env()));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_rules_check);

void BM_rules_compile(benchmark::State& state) {
  const auto checked = ctm::rules::check(ctm::rules::parse(criterion), env());
  for (auto _ : state) benchmark::DoNotOptimize(ctm::rules::compile(checked));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_rules_compile);

void BM_rules_evaluate(benchmark::State& state) {
  const auto program = ctm::rules::compile_or_throw(criterion, env());
  const auto facts = patient();
  ctm::rules::evaluation_context context;
  const ctm::date as_of = ctm::test::day(2026, 10, 1);
  for (auto _ : state) benchmark::DoNotOptimize(program.evaluate(facts, as_of, context));
  state.SetItemsProcessed(state.iterations());
  state.counters["instructions"] = static_cast<double>(program.size());
}
BENCHMARK(BM_rules_evaluate);

}  // namespace
