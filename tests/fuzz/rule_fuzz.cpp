// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the rule language: parse, check, lint, compile and evaluate arbitrary
// text against the synthetic test vocabulary and a fixed fake patient. Any crash, sanitizer
// report, leak or exception is a bug. Seeds: tests/fuzz/corpus/rule (copies of
// tests/golden/rules/*.rule).
#include "support/rules_fixtures.hpp"

#include <ctm/rules/check.hpp>
#include <ctm/rules/lint.hpp>
#include <ctm/rules/program.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

const ctm::test::fake_fact_source& patient() {
  static const ctm::test::fake_fact_source facts = [] {
    using ctm::test::day;
    ctm::test::fake_fact_source f;
    f.number("age", 64)
        .symbol("sex", "female")
        .number_range("ecog", 1, 2)
        .number("karnofsky", 70)
        .lab("lab(anc)", 1400, ctm::unit::per_microlitre)
        .lab("lab(ast)", 120, ctm::unit::unit_per_litre, 40.0, day(2026, 9, 20))
        .lab("lab(haemoglobin)", 5.5, ctm::unit::millimole_per_litre)
        .truth_value("metastases(liver)", ctm::truth::yes)
        .truth_value("relapsed", ctm::truth::no)
        .symbol("brain_metastases", "treated_stable", day(2026, 9, 1))
        .symbol("stage", "IIIB")
        .symbol("best_response(last_line)", "SD")
        .event("time_since(radiotherapy)",
               ctm::partial_date::of_month(std::chrono::year{2026}, std::chrono::month{9}))
        .event("time_since(last_dose(any anticancer))", std::nullopt)
        .diagnoses("diagnosis", {ctm::concept_id{3}});
    return f;
  }();
  return facts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ctm::rules::environment env = ctm::test::rules_environment();
  ctm::rules::limits limits;
  limits.max_source_bytes = 64 * 1024;
  limits.max_nodes = 4000;
  const std::string_view text(reinterpret_cast<const char*>(data), size);  // NOLINT
  const auto parsed = ctm::rules::parse(text, "fuzz", limits);
  (void)ctm::rules::print(parsed);
  ctm::rules::check_options options;
  options.limits = limits;
  const auto checked = ctm::rules::check(parsed, env, options);
  (void)ctm::rules::format(checked.diagnostics(), parsed.text());
  (void)ctm::rules::lint(checked);
  if (!checked.ok()) return 0;
  (void)checked.print();
  ctm::rules::compile_options copts;
  copts.limits = limits;
  const auto program = ctm::rules::compile(checked, copts);
  if (!program) return 0;
  ctm::rules::evaluation_context context;
  (void)program->evaluate(patient(), ctm::test::day(2026, 10, 1), context);
  return 0;
}
