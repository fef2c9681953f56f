// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/truth.hpp>
#include <ctm/export.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace ctm::history {

/// A response category normalised across criteria, ordered so that `<` means "worse".
///
/// The order follows RECIST 1.1 (CR > PR > SD > NON-CR/NON-PD > PD > NE, domain definitions
/// section 1.8) and slots the haematological categories in by depth of response: IMWG MR below
/// PR and VGPR above it, ELN MLFS < CRi < CRh < CR, IMWG sCR above CR. `not_evaluable` is the
/// lowest, so a best-response search never prefers it to a real category; callers that must tell
/// "no response" from "not known" test for it explicitly. Categories from different criteria
/// compare only as far as this order goes: it is for choosing a best response within one
/// disease's assessments, not for comparing diseases.
enum class response : std::uint8_t {
  not_evaluable = 0,                 ///< NE; also iRECIST iUPD (unconfirmed progression)
  progressive_disease,               ///< PD, Lugano PMD, IMWG PD, ELN relapse
  no_response,                       ///< ELN refractory / resistant disease / treatment failure
  non_cr_non_pd,                     ///< RECIST non-target-only disease that is neither CR nor PD
  stable_disease,                    ///< SD, Lugano NMR
  minimal_response,                  ///< IMWG MR
  partial_response,                  ///< PR, Lugano PMR, iwCLL PR-L and nPR
  very_good_partial_response,        ///< IMWG VGPR
  morphologic_leukaemia_free_state,  ///< ELN MLFS
  complete_response_incomplete_recovery,  ///< ELN and iwCLL CRi
  complete_response_partial_recovery,     ///< ELN 2022 CRh
  complete_response,                      ///< CR, Lugano CMR, ELN CR (with or without MRD)
  stringent_complete_response,            ///< IMWG sCR
};

/// "not_evaluable", "progressive_disease", ... (the enumerator's name).
CTM_EXPORT std::string_view to_string(response r) noexcept;

/// The usual abbreviation: "NE", "PD", "NR", "NON-CR/NON-PD", "SD", "MR", "PR", "VGPR", "MLFS",
/// "CRi", "CRh", "CR", "sCR".
CTM_EXPORT std::string_view abbreviation(response r) noexcept;

/// Parses an enumerator name as written by `to_string`.
CTM_EXPORT std::optional<response> parse_response(std::string_view text) noexcept;

/// A half-open date window [start, end): "the assessments of a line of therapy" are those on or
/// after the line's start and before the next line's start. Either end may be open.
struct date_window {
  std::optional<date> start;  ///< first day inside (inclusive); nullopt = from the beginning
  std::optional<date> end;    ///< first day outside (exclusive); nullopt = no end

  friend bool operator==(const date_window&, const date_window&) = default;
};

/// Whether every possible day of `d` lies in `window`: yes, no, or unknown when a partial date
/// straddles an end of the window.
CTM_EXPORT truth contains(const date_window& window, const partial_date& d) noexcept;

}  // namespace ctm::history
