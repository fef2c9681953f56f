// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/diagnostic.hpp>
#include <ctm/export.hpp>
#include <ctm/history/provenance.hpp>
#include <ctm/history/recist.hpp>
#include <ctm/history/response_category.hpp>
#include <ctm/patient/assessment.hpp>
#include <ctm/patient/patient.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctm::history {

/// The options of the response functions: the RECIST parameters used when a window's response is
/// derived from tumour measurements, and the Lugano Deauville rule.
struct response_options {
  /// RECIST 1.1 parameters for tumour assessments (section 1.8 of the domain definitions).
  recist_options recist{};
  /// Lugano 2014 (Cheson et al., J Clin Oncol 2014;32:3059-3068): a Deauville score of 3 is a
  /// complete metabolic response in standard treatment; some trials treat it as inadequate. When
  /// false, a recorded CMR with Deauville 3 counts as a partial metabolic response.
  bool deauville3_is_cmr = true;
};

/// Normalises `category` as recorded under `system` (case and spacing ignored):
///   RECIST 1.1: CR, PR, SD, PD, NE, NON-CR/NON-PD;
///   iRECIST: iCR, iPR, iSD, iCPD, and iUPD (unconfirmed progression) as not evaluable;
///   IMWG (Kumar et al., Lancet Oncol 2016): sCR, CR, VGPR, PR, MR, SD, PD;
///   Lugano 2014: CMR, PMR, NMR, PMD (PET) and CR, PR, SD, PD (CT);
///   iwCLL 2018 (Hallek et al., Blood 2018): CR, CRi, PR, PR-L, nPR, SD, PD;
///   ELN 2017/2022 (Döhner et al.): CR, CR MRD-negative, CRh, CRi, MLFS, PR, SD, PD, relapse,
///   and refractory / resistant disease / treatment failure as `no_response`.
/// Long forms ("complete response", "very good partial response") are accepted.
/// Returns nullopt for a category the system does not define. Thread-safety: a pure function.
CTM_EXPORT std::optional<response> normalise(response_system system, std::string_view category);

/// Normalises a recorded disease assessment, using its Deauville score for Lugano: a recorded
/// category wins; without one, Deauville 1-3 is CMR (1-2 only when `deauville3_is_cmr` is false)
/// and 4-5 alone cannot be classified (they need the comparison with baseline). Notes (pointer
/// `where`) report a Deauville score outside 1-5 and a CMR that the score contradicts.
CTM_EXPORT std::optional<response> normalise(const disease_assessment& assessment,
                                             const response_options& options,
                                             std::vector<diagnostic>* notes = nullptr,
                                             std::string_view where = {});

/// The best response in a window, with provenance.
///
/// `lowest` and `highest` bound the best response: they differ when an assessment whose partial
/// date straddles the window's ends would change it. `value` is set only when they agree (the
/// fact is decided) and the best is evaluable. Thread-safety: a value type.
struct response_fact {
  std::optional<response> value;          ///< the best response; nullopt = unknown
  std::optional<response> lowest;         ///< best response of the assessments surely in the window
  std::optional<response> highest;        ///< best response counting the ones that may be in it
  std::optional<partial_date> date;       ///< date of the assessment that gave `value`
  std::optional<response_system> system;  ///< the criteria it was recorded under
  provenance source;
  std::vector<diagnostic> notes;  ///< records ignored or doubtful, with their JSON pointers

  friend bool operator==(const response_fact&, const response_fact&) = default;
};

/// The best response recorded or derived in `window`, e.g. on one line of therapy.
///
/// Sources: (1) the patient's disease assessments (IMWG, Lugano, iwCLL, ELN, RECIST summaries)
/// normalised by `normalise`; (2) the tumour assessments, through RECIST 1.1 `assess` with the
/// window's start as the treatment start and `best_overall_response` (with or without
/// confirmation, per `options.recist`); when an assessment has no lesions its recorded
/// `response` is used as a RECIST category instead. The best of all sources wins (ties: the
/// earliest). Assessments without a date, with an unknown category, or with impossible values are
/// ignored with a note. Not-evaluable alone gives `value = not_evaluable`; no assessment at all
/// gives an unknown fact (all nullopt) whose reason says so.
CTM_EXPORT response_fact best_response(const patient& p, const date_window& window,
                                       const response_options& options = {});

}  // namespace ctm::history
