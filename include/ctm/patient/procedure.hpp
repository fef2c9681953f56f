// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/export.hpp>
#include <ctm/patient/treatment.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ctm {

/// The kinds of procedure that washout, transplant and cell-therapy criteria name.
enum class procedure_kind : std::uint8_t {
  radiotherapy,
  major_surgery,
  minor_surgery,
  autologous_transplant,  ///< autologous stem-cell transplant (ASCT)
  allogeneic_transplant,  ///< allogeneic stem-cell transplant
  car_t_infusion,
  other,
};

/// A dated procedure. For a transplant or a CAR-T infusion `start` is the infusion date (day 0).
/// Thread-safety: a value type.
struct procedure {
  procedure_kind kind = procedure_kind::other;
  std::string text;  ///< description as recorded ("SRS", "WBRT", "lobectomy"); may be empty
  std::optional<partial_date> start;
  std::optional<partial_date> end;   ///< last fraction of radiotherapy; absent for one-day events
  std::string field;                 ///< radiotherapy field or site ("brain", "T10-L2")
  std::optional<ctm::drug> product;  ///< the cell product of a CAR-T infusion ("axicabtagene ...")
  std::optional<therapy_setting> setting;

  friend bool operator==(const procedure&, const procedure&) = default;
};

CTM_EXPORT std::string_view to_string(procedure_kind k) noexcept;
CTM_EXPORT std::optional<procedure_kind> parse_procedure_kind(std::string_view text) noexcept;

}  // namespace ctm
