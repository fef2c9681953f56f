// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// A synthetic trial that sets every field of the trial model, for round-trip and validation tests.
#include <ctm/trial/trial.hpp>

#include <chrono>

namespace ctm::test {

inline criterion make_criterion(std::string id, criterion_kind kind, std::string text,
                                std::optional<std::string> rule = std::nullopt) {
  criterion c;
  c.id = std::move(id);
  c.kind = kind;
  c.text = std::move(text);
  c.rule = std::move(rule);
  return c;
}

inline trial full_trial() {
  using namespace std::chrono;
  trial t;
  t.id = "NCT09999999";
  t.secondary_ids = {"SYN-2026-001", "SYN/7"};
  t.title = "A synthetic basket study of drug X in relapsed or refractory cancers";
  t.phases = {trial_phase::phase1, trial_phase::phase2};
  t.status = trial_status::recruiting;
  t.sponsor = "Synthetic Sponsor Inc.";
  t.conditions.codes = {"_SOLID_", "MM"};
  t.conditions.registry = {"Advanced Solid Tumor", "Multiple Myeloma, Relapsed"};
  t.source.registry = "ClinicalTrials.gov";
  t.source.record = "synthetic/NCT09999999.json";
  t.source.retrieved = partial_date::exact(year{2026} / 3 / 1);
  t.source.last_update = partial_date::of_month(year{2025}, month{11});
  t.definitions = {{"adequate_marrow", "Blood counts high enough for treatment", "anc >= 1.0"},
                   {"washout", "Enough time since the last therapy", std::nullopt}};

  auto age = make_criterion("inc-01", criterion_kind::inclusion, "Aged 18 or older", "age >= 18");
  auto marrow = make_criterion("inc-02", criterion_kind::inclusion, "Adequate blood counts");
  marrow.uses = {"adequate_marrow"};
  auto brain = make_criterion("exc-01", criterion_kind::exclusion,
                              "Untreated brain metastases (paraphrase, with \"quotes\" and é)");
  brain.provenance.kind = provenance_kind::extracted;
  brain.provenance.confidence = 0.75;
  brain.provenance.span = text_span{120, 48};
  brain.provenance.extractor = "synthetic-extractor 1.0";
  t.criteria = {age, marrow, brain};

  arm a;
  a.id = "cohort-A";
  a.name = "Cohort A: solid tumours";
  a.description = "Drug X once daily";
  a.status = trial_status::suspended;
  a.interventions = {"Drug X"};
  a.criteria = {make_criterion("A-inc-01", criterion_kind::inclusion, "Measurable disease")};
  arm b;
  b.id = "cohort-B";
  t.arms = {a, b};

  site s1;
  s1.name = "Synthetic Cancer Centre";
  s1.city = "Boston";
  s1.state = "Massachusetts";
  s1.country = "United States";
  s1.location = geo_point{42.3601, -71.0589};
  s1.recruitment_status = trial_status::recruiting;
  site s2;
  s2.name = "Second Site";
  t.sites = {s1, s2};
  return t;
}

}  // namespace ctm::test
