// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/export.hpp>
#include <ctm/rules/status.hpp>
#include <ctm/trial/trial.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctm::match {

/// The features of the default scorer, in feature-vector order (docs/scoring.md).
enum class feature : std::uint8_t {
  tier,          ///< eligible 2, possibly eligible 1, ineligible 0
  specificity,   ///< met inclusion criteria that seek the patient's treatment situation, /3, <= 1
  criteria_met,  ///< share of criteria the patient passes
  unknowns,      ///< minus the weighted share of unknown criteria (manual review weighs half)
  distance,      ///< 1 - d / (2 x limit) within the travel limit, 0 beyond it or unknown
  phase,         ///< phase 3: 1, 2: 0.8, 1/2: 0.7, 1: 0.5, 4: 0.4, early 1: 0.3, n/a: 0.2
  preference,    ///< 1 when the trial matches a user preference, else 0
};
inline constexpr std::size_t feature_count = 7;

/// "tier", "specificity", ...
CTM_EXPORT std::string_view to_string(feature f) noexcept;

/// The scorer's weights (one per feature) and the user preferences it rewards.
/// Thread-safety: a value type.
struct scorer_config {
  std::string name = "ctm-linear-1";
  std::array<double, feature_count> weights{100.0, 20.0, 10.0, 10.0, 8.0, 4.0, 5.0};
  /// Used when the patient has no `max_travel_km`.
  double default_travel_km = 500.0;
  std::vector<trial_phase> preferred_phases;
  std::vector<std::string> preferred_trials;  ///< trial ids
};

/// What the scorer knows about one trial result; `features` builds the feature vector from it.
struct score_input {
  rules::eligibility status = rules::eligibility::ineligible;
  std::size_t criteria = 0;           ///< criteria evaluated (trial-wide + arm)
  std::size_t passed = 0;             ///< passes == yes
  std::size_t unknown_missing = 0;    ///< unknown because facts are missing
  std::size_t unknown_review = 0;     ///< unknown because the criterion needs manual review
  std::size_t situation_met = 0;      ///< met inclusion criteria with `targets_situation`
  std::optional<double> distance_km;  ///< nearest recruiting site
  std::optional<double> travel_km;    ///< the patient's limit
  std::vector<trial_phase> phases;
  std::string trial_id;
};

/// One named part of a score: feature value x weight = contribution.
struct score_component {
  std::string name;
  double value = 0.0;
  double weight = 0.0;
  double contribution = 0.0;
  std::string why;  ///< "2 of 3 situation criteria met", "site 42 km away (limit 300 km)"
};

/// A score that explains itself. Thread-safety: a value type.
struct score_breakdown {
  double total = 0.0;
  double max_possible = 0.0;  ///< the score of a perfect trial under these weights
  std::vector<score_component> components;
};

/// The feature vector of one input, in `feature` order.
CTM_EXPORT std::array<double, feature_count> features(const score_input& in,
                                                      const scorer_config& config);

/// Scores many inputs at once: an N x F feature matrix times the weight vector (Eigen), with the
/// parts of each score. Deterministic. Thread-safety: reentrant.
CTM_EXPORT std::vector<score_breakdown> score(const std::vector<score_input>& inputs,
                                              const scorer_config& config);

}  // namespace ctm::match
