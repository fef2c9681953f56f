// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/diagnostic.hpp>
#include <ctm/core/truth.hpp>
#include <ctm/export.hpp>
#include <ctm/history/provenance.hpp>
#include <ctm/patient/patient.hpp>
#include <ctm/patient/performance_status.hpp>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace ctm::history {

/// The two published Karnofsky -> ECOG conversions (domain definitions 4.2).
enum class ps_convention : std::uint8_t {
  a,  ///< description-based, most published tables: KPS 90-100 = ECOG 0, 70-80 = 1, 50-60 = 2
  b,  ///< KPS 100 = ECOG 0, 80-90 = 1, 60-70 = 2, 40-50 = 3
};
CTM_EXPORT std::string_view to_string(ps_convention c) noexcept;

/// The ECOG grade of a Karnofsky score under `convention` (Oken MM et al., Am J Clin Oncol 1982;
/// domain 4.2 table). nullopt for a score that is not 0-100 in steps of 10.
CTM_EXPORT std::optional<int> ecog_from_karnofsky(int kps, ps_convention convention) noexcept;

/// The Karnofsky scores that map to ECOG `ecog` under `convention`, as [lowest, highest]; nullopt
/// for an ECOG outside 0-5.
struct karnofsky_span {
  int lowest = 0;
  int highest = 0;
  friend bool operator==(const karnofsky_span&, const karnofsky_span&) = default;
};
CTM_EXPORT std::optional<karnofsky_span> karnofsky_from_ecog(int ecog,
                                                             ps_convention convention) noexcept;

/// Options of the performance-status queries.
struct performance_options {
  /// How old a score may be on the as-of date. 28 days: the screening window most protocols use
  /// (our choice; the domain text gives none); trials pass their own.
  duration window = days(28);
};

/// The answer to a performance-status criterion, with provenance.
struct performance_answer {
  truth value = truth::unknown;
  bool derived = false;  ///< the score was converted from the other scale (domain 4.2)
  std::optional<performance_scale> scale;  ///< scale of the score used
  std::optional<int> score;                ///< the score used (the worst of same-day scores)
  std::optional<partial_date> date;
  provenance source;
  std::vector<diagnostic> notes;

  friend bool operator==(const performance_answer&, const performance_answer&) = default;
};

/// "ECOG <= max_ecog" on `as_of` (domain 4.2 library rule): the most recent ECOG score dated in
/// [as_of - window, as_of]; without one, the most recent Karnofsky score there, converted under
/// both conventions: yes or no when they agree, unknown (with that reason) when they disagree;
/// `derived` is then set. Same-day scores that disagree on the answer give unknown. No score in
/// the window: unknown. Ignored with a note: scores without a date (`/performance_status/N/date`),
/// impossible scores (ECOG outside 0-5, Karnofsky not 0-100 in tens; `/performance_status/N/value`)
/// and partial dates that may fall outside the window. Thread-safety: a pure function.
CTM_EXPORT performance_answer ecog_at_most(const patient& p, int max_ecog, date as_of,
                                           const performance_options& options = {});

/// "Karnofsky >= min_kps" on `as_of`: the most recent Karnofsky score in the window; without one,
/// the most recent ECOG score, whose possible Karnofsky scores under both conventions must all
/// pass (yes) or all fail (no); unknown otherwise. As `ecog_at_most` for everything else.
CTM_EXPORT performance_answer karnofsky_at_least(const patient& p, int min_kps, date as_of,
                                                 const performance_options& options = {});

}  // namespace ctm::history
