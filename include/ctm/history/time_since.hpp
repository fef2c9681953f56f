// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/truth.hpp>
#include <ctm/export.hpp>
#include <ctm/history/provenance.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ctm::history {

/// The kinds of prior treatment washout criteria measure time from (domain definitions, 4.6).
enum class event_kind : std::uint8_t {
  anticancer_therapy,  ///< the last dose of any anticancer drug (catalog: anticancer)
  radiotherapy,        ///< the end (last fraction) of radiotherapy
  major_surgery,
  minor_surgery,
  surgery,                ///< major or minor
  autologous_transplant,  ///< infusion day
  allogeneic_transplant,
  transplant,  ///< autologous or allogeneic
  car_t,       ///< CAR-T infusion day
};
inline constexpr std::size_t event_kind_count = 9;

/// "anticancer_therapy", "radiotherapy", ...
CTM_EXPORT std::string_view to_string(event_kind k) noexcept;

/// When something last happened, as of the derivation date: the last dose of a drug, a class or
/// any anticancer therapy, or the end of the last procedure of a kind.
///
/// `date` is absent when it never happened (as far as the record shows); `ongoing` is true for a
/// drug still given on the as-of date (its `date` is then the as-of date). Thread-safety: a value
/// type.
struct time_since_fact {
  std::optional<partial_date> date;
  bool ongoing = false;
  provenance source;

  /// Whether it ever happened (before or on the as-of date).
  [[nodiscard]] bool happened() const noexcept { return date.has_value(); }
  /// The possible numbers of days from it to `as_of`; nullopt when it never happened.
  [[nodiscard]] CTM_EXPORT std::optional<day_range> days_until(ctm::date as_of) const noexcept;
  /// Whether at least `span` has passed by `as_of` ("at least 4 weeks since the last dose"): yes
  /// when it never happened, no while ongoing, three-valued over a partial date.
  [[nodiscard]] CTM_EXPORT truth at_least(duration span, ctm::date as_of) const noexcept;

  friend bool operator==(const time_since_fact&, const time_since_fact&) = default;
};

}  // namespace ctm::history
