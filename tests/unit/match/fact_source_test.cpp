// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// rules::patient_fact_source: one rule per query kind over a synthetic patient.
#include "unit/match/match_fixtures.hpp"

#include <ctm/history/derive.hpp>
#include <ctm/rules/patient_fact_source.hpp>
#include <ctm/rules/program.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

namespace {

using namespace ctm;
using namespace ctm::test::match;

struct fixture {
  history::vocabularies vocab = bundled_vocab();
  patient record = lung_patient();
  history::patient_facts facts = history::derive_facts(record, as_of(), vocab);
  rules::patient_fact_source source{record, facts, vocab};
  rules::environment env = [this] {
    rules::environment e;
    e.ontology = vocab.diseases;
    e.drugs = vocab.drugs;
    e.labs = vocab.labs;
    return e;
  }();

  rules::evaluation eval(const std::string& rule) {
    const auto program = rules::compile_or_throw(rule, env);
    rules::evaluation_context context;
    return program.evaluate(source, as_of(), context);
  }
  truth verdict(const std::string& rule) { return eval(rule).value; }
};

bool missing(const rules::evaluation& e, const std::string& fact) {
  return std::find(e.missing.begin(), e.missing.end(), fact) != e.missing.end();
}

}  // namespace

TEST_CASE_FIXTURE(fixture, "demographics: age from the birth date, sex") {
  CHECK(verdict("age >= 65") == truth::yes);  // 65 on 2026-11-01
  CHECK(verdict("age >= 66") == truth::no);
  CHECK(verdict("sex == female") == truth::yes);
  CHECK(verdict("sex == male") == truth::no);
}

TEST_CASE_FIXTURE(fixture, "age changes on the next birthday, and says so") {
  const auto e = eval("age >= 66");  // born 1961-04-12: 65 on 2026-11-01
  CHECK(e.value == truth::no);
  REQUIRE(e.changes_on.has_value());
  CHECK(*e.changes_on == date{std::chrono::year{2027} / 4 / 12});
  CHECK(e.value_after == truth::yes);
  CHECK_FALSE(eval("age >= 18").changes_on.has_value());  // stays met
  // Born on 29 February: the birthday of a common year is reached on 1 March.
  record.birth_date = on(2008, 2, 29);
  const auto leap = eval("age >= 19");
  REQUIRE(leap.changes_on.has_value());
  CHECK(*leap.changes_on == date{std::chrono::year{2027} / 3 / 1});
}

TEST_CASE_FIXTURE(fixture, "a resolved condition leaves a within window on a known date") {
  condition cancer;
  cancer.kind = condition_kind::second_malignancy;
  cancer.status = condition_status::resolved;
  cancer.end = on(2024, 3, 10);
  record.conditions.push_back(cancer);
  const auto e = eval("second_malignancy(within 3 years) is absent");
  CHECK(e.value == truth::no);  // resolved 2024-03-10, inside the 3 years before 2026-11-01
  REQUIRE(e.changes_on.has_value());
  CHECK(*e.changes_on == date{std::chrono::year{2027} / 3 / 11});
  CHECK(e.value_after == truth::yes);
}

TEST_CASE_FIXTURE(fixture, "performance status without a score is missing, not guessed") {
  const auto e = eval("ecog in 0..1");
  CHECK(e.value == truth::unknown);
  CHECK(missing(e, "ecog"));
  CHECK(verdict("karnofsky >= 70") == truth::unknown);
}

TEST_CASE_FIXTURE(fixture, "ecog from a recorded score in the window") {
  record.performance.push_back({performance_scale::ecog, 2, on(2026, 10, 20)});
  facts = history::derive_facts(record, as_of(), vocab);
  CHECK(verdict("ecog in 0..1") == truth::no);
  CHECK(verdict("ecog <= 2") == truth::yes);
}

TEST_CASE_FIXTURE(fixture, "stage, diagnosis and metastases") {
  CHECK(verdict("stage >= \"IV\"") == truth::yes);
  CHECK(verdict("diagnosis is_a \"NSCLC\"") == truth::yes);
  CHECK(verdict("diagnosis is_a \"_SOLID_\"") == truth::yes);
  CHECK(verdict("diagnosis is_a \"BRCA\"") == truth::no);
  CHECK(verdict("liver_metastases") == truth::yes);
  CHECK(verdict("metastases(bone)") == truth::no);  // other sites are listed: bone is absent
  CHECK(verdict("brain_metastases is absent") == truth::yes);
}

TEST_CASE_FIXTURE(fixture, "labs: recent values in the rule's unit, windows, ULN") {
  CHECK(verdict("lab(anc, within 14 days) >= 1.5 [10*9/L]") == truth::yes);
  CHECK(verdict("lab(anc) >= 2500 [/uL]") == truth::no);
  CHECK(verdict("lab(anc, within 3 days) >= 1.5 [10*9/L]") == truth::unknown);
  const auto e = eval("lab(ast) <= 2.5 x uln");
  CHECK(e.value == truth::unknown);
  CHECK(!e.missing.empty());
}

TEST_CASE_FIXTURE(fixture,
                  "lab queries read the results as the facts resolved them, same answers") {
  lab_result conflicting;  // the LOINC code says AST, the text says ANC
  conflicting.analyte = "anc";
  conflicting.loinc = "1920-8";
  conflicting.value = quantity{30.0, parse_unit("U/L").value()};
  conflicting.date = on(2026, 10, 28);
  lab_result creatinine;  // by name only, in umol/L
  creatinine.analyte = "Creatinine";
  creatinine.value = quantity{80.0, parse_unit("umol/L").value()};
  creatinine.date = on(2026, 10, 26);
  lab_result undated = creatinine;
  undated.date.reset();
  lab_result wrong_unit = creatinine;
  wrong_unit.value = quantity{1.0, parse_unit("kg").value()};
  record.labs.push_back(conflicting);
  record.labs.push_back(creatinine);
  record.labs.push_back(undated);
  record.labs.push_back(wrong_unit);
  record.weights.push_back(
      body_measurement{quantity{70.0, parse_unit("kg").value()}, on(2026, 10, 20)});
  facts = history::derive_facts(record, as_of(), vocab);
  REQUIRE(vocab.labs.has_value());
  CHECK(facts.lab_results == history::lab_resolution(record, *vocab.labs));
  // Facts without the resolution (built by hand) are answered by looking the results up.
  history::patient_facts unresolved = facts;
  unresolved.lab_results = {};
  const rules::patient_fact_source looked_up{record, unresolved, vocab};
  std::size_t answered = 0;
  for (std::uint32_t a = 0; a < vocab.labs->size(); ++a) {
    for (const std::optional<duration> within :
         {std::optional<duration>{}, std::optional<duration>{days(3)},
          std::optional<duration>{duration{1, time_unit::year}}}) {
      const rules::query q =
          rules::lab_query{analyte_id{a}, vocab.labs->get(analyte_id{a}).code, within};
      const rules::fact_answer resolved = source.answer(q, as_of());
      CAPTURE(a);
      CHECK(resolved == looked_up.answer(q, as_of()));
      if (!resolved.is_missing()) ++answered;
    }
  }
  CHECK(answered >= 6);  // anc, ast, creatinine and creatinine clearance (Cockcroft-Gault)
  CHECK(verdict("lab(creatinine_clearance) >= 30 [mL/min]") == truth::yes);
  CHECK(verdict("lab(ast) <= 1 x uln") == truth::yes);
}

TEST_CASE_FIXTURE(fixture, "labs: multiples of the LLN from the bundled default for the sex") {
  lab_result hb;
  hb.loinc = "718-7";
  hb.value = quantity{11.0, unit::gram_per_decilitre};
  hb.date = on(2026, 10, 25);
  record.labs.push_back(hb);
  facts = history::derive_facts(record, as_of(), vocab);
  // Female default range 12.0-15.5 g/dL: 11.0 is 0.92 x LLN.
  CHECK(verdict("lab(haemoglobin) >= 0.9 x lln") == truth::yes);
  CHECK(verdict("lab(haemoglobin) >= 1 x lln") == truth::no);
  // The result's own range wins.
  record.labs.back().range = reference_range{10.0, 14.0};
  facts = history::derive_facts(record, as_of(), vocab);
  CHECK(verdict("lab(haemoglobin) >= 1 x lln") == truth::yes);
}

TEST_CASE_FIXTURE(fixture, "QTcF in milliseconds") {
  lab_result qtc;
  qtc.analyte = "QTcF";
  qtc.value = quantity{472.0, unit::millisecond};
  qtc.date = on(2026, 10, 25);
  record.labs.push_back(qtc);
  facts = history::derive_facts(record, as_of(), vocab);
  CHECK(verdict("lab(qtcf) > 470 [ms]") == truth::yes);
  CHECK(verdict("lab(qtcf) <= 1 x uln") == truth::no);  // female default ULN 460 ms
}

TEST_CASE_FIXTURE(fixture,
                  "biomarkers: detected, tested negative elsewhere in the gene, untested") {
  CHECK(verdict("biomarker(\"EGFR\", \"exon 19 deletion\") is detected") == truth::yes);
  CHECK(verdict("biomarker(\"EGFR\", \"T790M\") is detected") == truth::no);
  CHECK(verdict("biomarker(\"KRAS\") is untested") == truth::yes);
  CHECK(verdict("tmb >= 10 [{mutations}/Mb]") == truth::no);
  CHECK(verdict("pd_l1(tps) >= 50 [%]") == truth::unknown);
}

TEST_CASE_FIXTURE(fixture, "conditions") {
  CHECK(verdict("hiv is absent") == truth::yes);
  CHECK(verdict("hepatitis_b is absent") == truth::unknown);
  // Pregnancy is not recorded: unknown for a woman, absent for a man, unknown without a sex.
  CHECK(verdict("pregnancy is absent") == truth::unknown);
  record.sex = sex::male;
  CHECK(verdict("pregnancy is absent and lactation is absent") == truth::yes);
  record.sex = sex::unknown;
  CHECK(verdict("pregnancy is absent") == truth::unknown);
}

TEST_CASE_FIXTURE(fixture, "treatment history: lines, exposure, last line, washout") {
  CHECK(verdict("prior_lines(setting: advanced) >= 1") == truth::yes);
  CHECK(verdict("prior_lines >= 2") == truth::no);
  CHECK(verdict("exposed_to(class \"egfr_tki\")") == truth::yes);
  CHECK(verdict("exposed_to(drug \"carboplatin\")") == truth::no);
  CHECK(verdict("progressed_on(drug \"osimertinib\")") == truth::yes);
  CHECK(verdict("refractory_to(last_line)") == truth::yes);
  CHECK(verdict("time_since(last_dose(any anticancer)) >= 7 days") == truth::yes);
  const auto washout = eval("time_since(last_dose(any anticancer)) >= 28 days");
  CHECK(washout.value == truth::no);
  REQUIRE(washout.changes_on.has_value());
  CHECK(*washout.changes_on == date{std::chrono::year{2026} / 11 / 19});  // 2026-10-22 + 28 days
  CHECK(verdict("time_since(radiotherapy) >= 14 days") == truth::yes);    // never happened
  CHECK(verdict("time_since(progression) <= 30 days") == truth::yes);
  CHECK(verdict("time_since(diagnosis) >= 1 year") == truth::yes);
}

TEST_CASE_FIXTURE(fixture, "ELIG-10: 28 days or 5 half-lives, whichever is shorter") {
  const std::string rule =
      "time_since(last_dose(any anticancer)) >= 28 days or "
      "half_lives_since(last_dose(any anticancer)) >= 5";
  // Osimertinib (half-life 2 days) last given 10 days before: 5 half-lives, though not 28 days.
  CHECK(verdict("half_lives_since(last_dose(drug \"osimertinib\")) >= 5") == truth::yes);
  CHECK(verdict(rule) == truth::yes);
  // The domain's worked case: pembrolizumab (22 days) 21 days ago: min(28, 110) = 28 > 21.
  drug_administration pembro;
  pembro.drug.name = "pembrolizumab";
  pembro.start = on(2026, 6, 1);
  pembro.end = on(2026, 10, 11);
  record.treatments.push_back(pembro);
  facts = history::derive_facts(record, as_of(), vocab);
  const auto e = eval(rule);
  CHECK(e.value == truth::no);
  REQUIRE(e.changes_on.has_value());  // the 28-day arm: 10 days after osimertinib's last dose + 18
  CHECK(*e.changes_on == date{std::chrono::year{2026} / 11 / 19});
  CHECK(verdict("half_lives_since(last_dose(class \"anti_pd1\")) >= 0.9") == truth::yes);
  CHECK(verdict("half_lives_since(last_dose(class \"anti_pd1\")) >= 1") == truth::no);
  // A class never given: no dose to wait for.
  CHECK(verdict("half_lives_since(last_dose(class \"anti_cd38\")) >= 5") == truth::yes);
  // A drug without a half-life in the catalog could have had any number from none upwards:
  // pembrolizumab's 0.95 still decides "no", and alone it is missing.
  drug_administration carbo;
  carbo.drug.name = "carboplatin";
  carbo.start = on(2026, 9, 1);
  carbo.end = on(2026, 9, 22);
  carbo.setting = therapy_setting::advanced;
  record.treatments.push_back(carbo);
  facts = history::derive_facts(record, as_of(), vocab);
  CHECK(verdict("half_lives_since(last_dose(any anticancer)) >= 5") == truth::no);
  const auto m = eval("half_lives_since(last_dose(drug \"carboplatin\")) >= 5");
  CHECK(m.value == truth::unknown);
  CHECK(std::find(m.missing.begin(), m.missing.end(),
                  "half_lives_since(last_dose(drug \"carboplatin\"))") != m.missing.end());
}

TEST_CASE_FIXTURE(fixture, "karnofsky from a recorded score, ecog converted from it") {
  record.performance.push_back({performance_scale::karnofsky, 80, on(2026, 10, 20)});
  facts = history::derive_facts(record, as_of(), vocab);
  CHECK(verdict("karnofsky >= 70") == truth::yes);
  CHECK(verdict("karnofsky >= 90") == truth::no);
  CHECK(verdict("ecog <= 2") == truth::yes);
}

TEST_CASE_FIXTURE(fixture, "best response of the last line") {
  disease_assessment pr;
  pr.system = response_system::recist;
  pr.category = "PR";
  pr.date = on(2025, 4, 1);
  record.disease_assessments.push_back(pr);
  facts = history::derive_facts(record, as_of(), vocab);
  CHECK(verdict("best_response(last_line) >= PR") == truth::yes);
  CHECK(verdict("best_response(last_line) >= CR") == truth::no);
}

TEST_CASE_FIXTURE(fixture, "disease presets that do not apply are missing, not no") {
  const auto e = eval("triple_class_refractory");
  CHECK(e.value == truth::unknown);
  CHECK_FALSE(e.missing.empty());
}

TEST_CASE_FIXTURE(fixture, "brain metastases treated and stable, with the steroid dose") {
  metastasis brain;
  brain.site = metastatic_site::brain;
  brain.date = on(2025, 6, 1);
  brain.treated = truth::yes;
  brain.symptomatic = truth::no;
  brain.stable_since = on(2026, 9, 1);
  brain.steroid_dose = quantity{4.0, parse_unit("mg/d").value()};
  record.metastases.push_back(brain);
  CHECK(verdict("brain_metastases is treated_stable for >= 4 weeks") == truth::yes);
  CHECK(verdict("brain_metastases is treated_stable for >= 12 weeks") == truth::no);
  CHECK(verdict("steroid_dose <= 10 [mg/d]") == truth::yes);
  CHECK(verdict("metastases(brain)") == truth::yes);
}

TEST_CASE_FIXTURE(fixture, "a record without any metastasis says nothing about a site") {
  record.metastases.clear();
  CHECK(verdict("liver_metastases") == truth::unknown);
  CHECK(verdict("brain_metastases is absent") == truth::unknown);
}
