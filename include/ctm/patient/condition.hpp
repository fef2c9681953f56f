// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/quantity.hpp>
#include <ctm/core/truth.hpp>
#include <ctm/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ctm {

/// Comorbidities and states that eligibility criteria name (domain definitions, 4.11-4.12).
/// Stem-cell transplants and CAR-T infusions are procedures, not conditions.
enum class condition_kind : std::uint8_t {
  hiv,
  hepatitis_b,
  hepatitis_c,
  pregnancy,
  lactation,
  autoimmune_disease,
  organ_transplant,  ///< a prior solid-organ transplant
  second_malignancy,
  active_infection,
  graft_versus_host_disease,
  other,
};

/// The recorded status of a condition.
enum class condition_status : std::uint8_t {
  active,      ///< present and not controlled (HIV with detectable viral load, HBV DNA positive)
  controlled,  ///< present but controlled by treatment (HIV on ART with undetectable load)
  resolved,    ///< no longer present (HCV cured, infection cleared, malignancy in remission)
  absent,      ///< known not to be present (tested negative, negative pregnancy test)
};

/// A dated condition. `date` is when the status was established or last confirmed (for an
/// `absent` pregnancy, the date of the negative test). Thread-safety: a value type.
struct condition {
  condition_kind kind = condition_kind::other;
  condition_status status = condition_status::active;
  std::string code;  ///< a code as written (SNOMED, ICD-10); may be empty
  std::string text;  ///< description as recorded; may be empty
  std::optional<partial_date> onset;
  std::optional<partial_date> end;  ///< when it resolved
  std::optional<partial_date> date;
  truth on_treatment = truth::unknown;
  std::optional<quantity> viral_load;  ///< HIV RNA ({copies}/mL) or HBV/HCV ([IU]/mL)
  std::optional<quantity> cd4_count;   ///< CD4+ T cells (/uL)

  friend bool operator==(const condition&, const condition&) = default;
};

CTM_EXPORT std::string_view to_string(condition_kind k) noexcept;
CTM_EXPORT std::optional<condition_kind> parse_condition_kind(std::string_view text) noexcept;
CTM_EXPORT std::string_view to_string(condition_status s) noexcept;
CTM_EXPORT std::optional<condition_status> parse_condition_status(std::string_view text) noexcept;

}  // namespace ctm
