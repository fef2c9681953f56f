// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reading the example data with the public API (shared by the matching examples).
#include <ctm/io/patient_json.hpp>
#include <ctm/io/trial_json.hpp>
#include <ctm/io/vocabulary.hpp>
#include <ctm/match/matcher.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace example {

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A matcher over data/match_trials.jsonl with the bundled vocabularies.
inline ctm::match::matcher make_matcher() {
  std::vector<ctm::trial> trials;
  for (auto& r : ctm::io::read_trials(slurp("data/match_trials.jsonl"), "match_trials.jsonl")) {
    trials.push_back(r.document.value().trial);
  }
  ctm::match::matcher_config config;
  config.vocab.diseases = ctm::io::bundled_ontology().value();
  config.vocab.drugs = ctm::io::bundled_drug_catalog().value();
  config.vocab.labs = ctm::io::bundled_lab_catalog().value();
  return ctm::match::matcher::create(std::move(trials), config);
}

inline ctm::patient read_patient(const std::string& path) {
  return ctm::io::read_patient(slurp(path)).value().patient;
}

}  // namespace example
