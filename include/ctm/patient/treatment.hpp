// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/quantity.hpp>
#include <ctm/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ctm {

/// A drug as the record names it. Resolution against the drug catalog happens later (history
/// module), so a name the catalog does not know is kept as written and reported, never dropped.
struct drug {
  std::string name;    ///< catalog code, ingredient or brand name as written ("lenalidomide")
  std::string rxnorm;  ///< RxNorm concept id; may be empty

  friend bool operator==(const drug&, const drug&) = default;
};

/// The clinical setting a therapy was given in.
enum class therapy_setting : std::uint8_t {
  neoadjuvant,
  adjuvant,
  definitive,     ///< curative-intent therapy of localised disease (chemoradiation)
  induction,      ///< first phase of a planned sequence (myeloma, leukaemia)
  consolidation,  ///< planned consolidation (including high-dose therapy before ASCT)
  maintenance,
  advanced,  ///< therapy for advanced, metastatic or relapsed disease
};

/// Why a drug was stopped.
enum class stop_reason : std::uint8_t {
  progression,
  toxicity,
  completed,  ///< the planned course was completed
  patient_choice,
  other,
};

/// How a drug was given.
enum class route : std::uint8_t {
  oral,
  intravenous,
  subcutaneous,
  intramuscular,
  intrathecal,
  intravesical,
  topical,
  other,
};

/// One drug given over a period: one record per drug, so a regimen of three drugs is three
/// records (sharing `regimen`). `end` is the last dose; absent while ongoing or unknown.
/// Lines of therapy, exposure and refractoriness are derived from these records later.
/// Thread-safety: a value type.
struct drug_administration {
  ctm::drug drug;
  std::string regimen;  ///< regimen label as recorded ("VRd", "R-CHOP"); a grouping hint only
  std::optional<partial_date> start;  ///< first dose
  std::optional<partial_date> end;    ///< last dose
  std::optional<ctm::route> route;
  std::optional<std::int32_t> cycles;  ///< cycles given
  std::optional<quantity> dose;        ///< dose per administration as recorded (mg)
  std::optional<therapy_setting> setting;
  std::optional<ctm::stop_reason> stop_reason;

  friend bool operator==(const drug_administration&, const drug_administration&) = default;
};

CTM_EXPORT std::string_view to_string(therapy_setting s) noexcept;
CTM_EXPORT std::optional<therapy_setting> parse_therapy_setting(std::string_view text) noexcept;
CTM_EXPORT std::string_view to_string(stop_reason r) noexcept;
CTM_EXPORT std::optional<stop_reason> parse_stop_reason(std::string_view text) noexcept;
CTM_EXPORT std::string_view to_string(route r) noexcept;
CTM_EXPORT std::optional<route> parse_route(std::string_view text) noexcept;

}  // namespace ctm
