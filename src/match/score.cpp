// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The default scorer (docs/scoring.md): an N x F feature matrix times a weight vector.
#include <ctm/match/score.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ctm::match {
namespace {

double phase_value(trial_phase p) {
  switch (p) {
    case trial_phase::phase3:
      return 1.0;
    case trial_phase::phase2:
      return 0.8;
    case trial_phase::phase1:
      return 0.5;
    case trial_phase::phase4:
      return 0.4;
    case trial_phase::early_phase1:
      return 0.3;
    case trial_phase::na:
      return 0.2;
  }
  return 0.0;
}

std::string fixed(double v, int digits = 0) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

std::string_view to_string(feature f) noexcept {
  switch (f) {
    case feature::tier:
      return "tier";
    case feature::specificity:
      return "specificity";
    case feature::criteria_met:
      return "criteria_met";
    case feature::unknowns:
      return "unknowns";
    case feature::distance:
      return "distance";
    case feature::phase:
      return "phase";
    case feature::preference:
      return "preference";
  }
  return "?";
}

std::array<double, feature_count> features(const score_input& in, const scorer_config& config) {
  std::array<double, feature_count> x{};
  x[0] = static_cast<double>(static_cast<int>(in.status));
  x[1] = std::min(1.0, static_cast<double>(in.situation_met) / 3.0);
  const double n = std::max<double>(1.0, static_cast<double>(in.criteria));
  x[2] = in.criteria == 0 ? 1.0 : static_cast<double>(in.passed) / n;
  const double unknown =
      static_cast<double>(in.unknown_missing) + 0.5 * static_cast<double>(in.unknown_review);
  x[3] = unknown > 0.0 ? -unknown / n : 0.0;
  const double limit = in.travel_km.value_or(config.default_travel_km);
  if (in.distance_km && limit > 0.0 && *in.distance_km <= limit) {
    x[4] = 1.0 - *in.distance_km / (2.0 * limit);
  }
  double phase = 0.0;
  for (const auto p : in.phases) phase = std::max(phase, phase_value(p));
  const bool p1 =
      std::find(in.phases.begin(), in.phases.end(), trial_phase::phase1) != in.phases.end();
  const bool p2 =
      std::find(in.phases.begin(), in.phases.end(), trial_phase::phase2) != in.phases.end();
  if (p1 && p2) phase = 0.7;
  x[5] = phase;
  bool preferred = std::find(config.preferred_trials.begin(), config.preferred_trials.end(),
                             in.trial_id) != config.preferred_trials.end();
  for (const auto p : in.phases) {
    preferred |= std::find(config.preferred_phases.begin(), config.preferred_phases.end(), p) !=
                 config.preferred_phases.end();
  }
  x[6] = preferred ? 1.0 : 0.0;
  return x;
}

std::vector<score_breakdown> score(const std::vector<score_input>& inputs,
                                   const scorer_config& config) {
  const auto rows = static_cast<Eigen::Index>(inputs.size());
  constexpr auto cols = static_cast<Eigen::Index>(feature_count);
  Eigen::Matrix<double, Eigen::Dynamic, cols, Eigen::RowMajor> x(rows, cols);
  Eigen::Matrix<double, cols, 1> w;
  for (Eigen::Index j = 0; j < cols; ++j) w(j) = config.weights[static_cast<std::size_t>(j)];
  for (Eigen::Index i = 0; i < rows; ++i) {
    const auto f = features(inputs[static_cast<std::size_t>(i)], config);
    for (Eigen::Index j = 0; j < cols; ++j) x(i, j) = f[static_cast<std::size_t>(j)];
  }
  const Eigen::VectorXd totals = x * w;
  // The best feature values: tier 2, every other feature 1 except unknowns (0).
  Eigen::Matrix<double, cols, 1> best;
  best << 2.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0;
  const double max_possible = best.cwiseProduct(w.cwiseMax(0.0)).sum();

  std::vector<score_breakdown> out(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto& in = inputs[i];
    auto& b = out[i];
    b.total = totals(static_cast<Eigen::Index>(i));
    b.max_possible = max_possible;
    for (std::size_t j = 0; j < feature_count; ++j) {
      score_component c;
      c.name = std::string(to_string(static_cast<feature>(j)));
      c.value = x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
      c.weight = config.weights[j];
      c.contribution = c.value * c.weight;
      switch (static_cast<feature>(j)) {
        case feature::tier:
          c.why = std::string(rules::to_string(in.status));
          break;
        case feature::specificity:
          c.why = "inclusion criteria on the patient's treatment situation met: " +
                  std::to_string(in.situation_met);
          break;
        case feature::criteria_met:
          c.why = std::to_string(in.passed) + " of " + std::to_string(in.criteria) + " passed";
          break;
        case feature::unknowns:
          c.why = std::to_string(in.unknown_missing) + " unknown for missing facts, " +
                  std::to_string(in.unknown_review) + " need manual review";
          break;
        case feature::distance: {
          const double limit = in.travel_km.value_or(config.default_travel_km);
          c.why = in.distance_km ? "nearest recruiting site " + fixed(*in.distance_km) +
                                       " km (limit " + fixed(limit) + " km)"
                                 : "distance unknown";
          break;
        }
        case feature::phase:
          c.why = "phase value " + fixed(c.value, 1);
          break;
        case feature::preference:
          c.why = c.value > 0 ? "matches a preference" : "no preference matched";
          break;
      }
      b.components.push_back(std::move(c));
    }
  }
  return out;
}

}  // namespace ctm::match
