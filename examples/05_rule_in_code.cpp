// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Write a trial and its rules in code, then match a patient built in code against it.
#include <ctm/io/vocabulary.hpp>
#include <ctm/match/matcher.hpp>

#include <chrono>
#include <cstdio>

namespace {

ctm::criterion criterion(const char* id, ctm::criterion_kind kind, const char* text,
                         const char* rule) {
  ctm::criterion c;
  c.id = id;
  c.kind = kind;
  c.text = text;
  c.rule = rule;
  return c;
}

ctm::partial_date day(int y, unsigned m, unsigned d) {
  return ctm::partial_date::exact(std::chrono::year{y} / std::chrono::month{m} /
                                  std::chrono::day{d});
}

}  // namespace

int main() {
  using ctm::criterion_kind;
  ctm::trial t;
  t.id = "NCT90000099";
  t.title = "Triple-class refractory myeloma study";
  t.status = ctm::trial_status::recruiting;
  t.phases = {ctm::trial_phase::phase2};
  t.conditions.codes = {"PCM"};
  t.criteria = {
      criterion("inc-01", criterion_kind::inclusion, "Adults", "age >= 18"),
      criterion("inc-02", criterion_kind::inclusion, "At least 3 prior lines", "prior_lines >= 3"),
      criterion("inc-03", criterion_kind::inclusion, "Exposed to a PI, an IMiD and an anti-CD38",
                "exposed_to(class \"proteasome_inhibitor\") and exposed_to(class \"imid\") and "
                "exposed_to(class \"anti_cd38\")"),
      criterion("exc-01", criterion_kind::exclusion, "Prior BCMA-directed therapy",
                "exposed_to(class \"bcma_targeted\")"),
  };

  ctm::match::matcher_config config;
  config.vocab.diseases = ctm::io::bundled_ontology().value();
  config.vocab.drugs = ctm::io::bundled_drug_catalog().value();
  config.vocab.labs = ctm::io::bundled_lab_catalog().value();
  const auto matcher = ctm::match::matcher::create({t}, config);

  ctm::patient p;
  p.id = "EXAMPLE-MM";
  p.birth_date = day(1958, 5, 2);
  p.diagnoses.push_back({});
  p.diagnoses.back().code = "PCM";
  p.diagnoses.back().date = day(2019, 1, 10);
  const auto give = [&](const char* drug, ctm::partial_date start, ctm::partial_date end) {
    ctm::drug_administration a;
    a.drug.name = drug;
    a.start = start;
    a.end = end;
    a.setting = ctm::therapy_setting::advanced;
    a.stop_reason = ctm::stop_reason::progression;
    p.treatments.push_back(a);
  };
  give("bortezomib", day(2019, 2, 1), day(2020, 3, 1));
  give("lenalidomide", day(2020, 6, 1), day(2022, 1, 15));
  give("daratumumab", day(2022, 3, 1), day(2023, 9, 1));
  give("carfilzomib", day(2023, 10, 1), day(2024, 6, 1));

  const auto trial = matcher.explain(p, t.id, ctm::parse_date("2026-11-01").value()).value();
  std::printf("%s: %s\n", trial.trial_id.c_str(),
              ctm::rules::to_string(trial.best().status).data());
  for (const auto& c : trial.best().criteria) {
    std::printf("  %s %s: %s\n", ctm::to_string(c.passes).data(), c.id.c_str(), c.reason.c_str());
  }
  std::printf("compiled %zu criteria, %zu need review\n", matcher.trials().front().criteria.size(),
              matcher.trials().front().review_count);
}
