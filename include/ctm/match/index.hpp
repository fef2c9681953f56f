// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/ids.hpp>
#include <ctm/export.hpp>
#include <ctm/patient/patient.hpp>
#include <ctm/trial/trial.hpp>
#include <ctm/vocab/ontology.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ctm::match {

/// What a candidate search filters on besides the disease.
struct index_query {
  std::vector<concept_id> diseases;  ///< the patient's resolved diagnoses; empty = any disease
  bool include_closed = false;       ///< also trials that are not open (`ctm::is_open`)
  std::vector<trial_phase> phases;   ///< keep trials with one of these phases; empty = any
  std::optional<geo_point> near;     ///< with `within_km`: keep trials with a site that close
  std::optional<double> within_km;
};

namespace detail {
struct index_impl;
}

/// Trials indexed by disease concept (through the hierarchy and the solid/liquid groups), status,
/// phase and site location, so a patient is evaluated only against trials that could accept
/// their cancer.
///
/// A trial is a candidate for a patient's disease `p` when one of its condition codes `t` gives
/// `ontology::is_a(p, t)` yes or unknown (the patient's diagnosis is less specific than the
/// trial's). Trials without a resolvable condition code are candidates for every patient, and so
/// is every trial for a patient without a resolvable diagnosis: the index narrows, never hides.
/// Thread-safety: immutable after construction; copies share state; safe to query concurrently.
class CTM_EXPORT trial_index {
 public:
  /// Indexes `trials` (positions in the span are the ids `candidates` returns). Without an
  /// ontology every trial is a candidate for every disease.
  trial_index(std::span<const trial> trials, const std::optional<vocab::ontology>& ontology);

  /// Positions of the candidate trials in increasing order.
  [[nodiscard]] std::vector<std::size_t> candidates(const index_query& q) const;
  [[nodiscard]] std::size_t size() const noexcept;

 private:
  std::shared_ptr<const detail::index_impl> impl_;
};

/// The patient's diagnoses as concepts of `diseases` (each by its code, else by its text);
/// diagnoses neither resolves are left out. This is what the matcher (and the batch engine) put
/// in `index_query::diseases`. Thread-safety: a pure function.
CTM_EXPORT std::vector<concept_id> resolve_diagnoses(const patient& p,
                                                     const vocab::ontology& diseases);

/// Great-circle distance in kilometres (haversine, mean Earth radius 6371.0088 km).
CTM_EXPORT double haversine_km(const geo_point& a, const geo_point& b) noexcept;

/// The distance from `from` to the nearest site of `t` that has a location and is recruiting
/// (a site without a status counts when the trial itself is open); nullopt when there is none.
CTM_EXPORT std::optional<double> nearest_site_km(const trial& t, const geo_point& from) noexcept;

}  // namespace ctm::match
