// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/export.hpp>
#include <ctm/patient/assessment.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ctm {

/// What a progression was established on.
enum class progression_basis : std::uint8_t {
  radiographic,
  clinical,
  biochemical,  ///< a marker: PSA, M-protein, free light chains, CA-125
  pathological,
  other,
};

/// A recorded progression (or relapse) event. Thread-safety: a value type.
struct progression_event {
  std::optional<partial_date> date;
  progression_basis basis = progression_basis::radiographic;
  std::string marker;  ///< for biochemical progression: "PSA", "M-protein", "CA-125"
  std::optional<response_system> criteria;  ///< the criteria applied, when recorded

  friend bool operator==(const progression_event&, const progression_event&) = default;
};

CTM_EXPORT std::string_view to_string(progression_basis b) noexcept;
CTM_EXPORT std::optional<progression_basis> parse_progression_basis(std::string_view text) noexcept;

}  // namespace ctm
