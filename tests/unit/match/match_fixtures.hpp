// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// A synthetic lung-cancer patient and a small synthetic catalog for the match tests. Dates are
// relative to the as-of date 2026-11-01.
#include <ctm/history/derive.hpp>
#include <ctm/io/vocabulary.hpp>
#include <ctm/patient/patient.hpp>
#include <ctm/trial/trial.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace ctm::test::match {

inline date as_of() { return std::chrono::year{2026} / 11 / 1; }

inline partial_date on(int y, unsigned m, unsigned d) {
  return partial_date::exact(std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d});
}

inline history::vocabularies bundled_vocab() {
  history::vocabularies v;
  v.diseases = io::bundled_ontology().value();
  v.drugs = io::bundled_drug_catalog().value();
  v.labs = io::bundled_lab_catalog().value();
  return v;
}

/// Lung adenocarcinoma, EGFR exon 19 deletion, progressed on osimertinib (last dose 2026-10-22),
/// ANC 2.1 on 2026-10-25, liver metastases, no ECOG on record, in Minneapolis, travels 300 km.
inline patient lung_patient() {
  patient p;
  p.id = "SYN-TEST-LUNG";
  p.birth_date = on(1961, 4, 12);
  p.sex = sex::female;
  p.location = geo_point{44.98, -93.27};
  p.max_travel_km = 300;
  diagnosis d;
  d.code = "LUAD";
  d.system = "oncotree";
  d.date = on(2024, 12, 1);
  d.stage = "IVA";
  d.advanced_date = on(2024, 12, 1);
  p.diagnoses.push_back(d);
  metastasis liver;
  liver.site = metastatic_site::liver;
  liver.date = on(2024, 12, 1);
  p.metastases.push_back(liver);
  biomarker_result egfr;
  egfr.gene = "EGFR";
  egfr.alteration = "exon 19 deletion";
  egfr.kind = biomarker_kind::mutation;
  egfr.status = test_status::detected;
  egfr.date = on(2024, 12, 10);
  p.biomarkers.push_back(egfr);
  biomarker_result tmb;
  tmb.kind = biomarker_kind::tmb;
  tmb.status = test_status::detected;
  tmb.value = quantity{4.0, parse_unit("{mutations}/Mb").value()};
  tmb.date = on(2024, 12, 10);
  p.biomarkers.push_back(tmb);
  lab_result anc;
  anc.analyte = "anc";
  anc.loinc = "751-8";
  anc.value = quantity{2.1, parse_unit("10*9/L").value()};
  anc.date = on(2026, 10, 25);
  p.labs.push_back(anc);
  condition hiv;
  hiv.kind = condition_kind::hiv;
  hiv.status = condition_status::absent;
  hiv.date = on(2026, 10, 25);
  p.conditions.push_back(hiv);
  drug_administration osi;
  osi.drug.name = "osimertinib";
  osi.start = on(2025, 1, 5);
  osi.end = on(2026, 10, 22);
  osi.setting = therapy_setting::advanced;
  osi.stop_reason = stop_reason::progression;
  p.treatments.push_back(osi);
  progression_event pd;
  pd.date = on(2026, 10, 20);
  p.progressions.push_back(pd);
  return p;
}

inline criterion crit(std::string id, criterion_kind kind, std::optional<std::string> rule) {
  criterion c;
  c.id = std::move(id);
  c.kind = kind;
  c.text = "text of " + c.id;
  c.rule = std::move(rule);
  return c;
}

inline site site_at(double lat, double lon, std::optional<trial_status> status = std::nullopt) {
  site s;
  s.name = "site";
  s.location = geo_point{lat, lon};
  s.recruitment_status = status;
  return s;
}

inline trial make_trial(std::string id, std::vector<std::string> codes, trial_status status,
                        std::vector<criterion> criteria) {
  trial t;
  t.id = std::move(id);
  t.title = "Synthetic trial " + t.id;
  t.phases = {trial_phase::phase2};
  t.status = status;
  t.conditions.codes = std::move(codes);
  t.criteria = std::move(criteria);
  return t;
}

// About 40 km from Minneapolis (St Cloud direction) and about 3,000 km away (Seattle-ish).
inline site near_site() { return site_at(45.30, -93.50); }
inline site far_site() { return site_at(47.61, -122.33); }

}  // namespace ctm::test::match
