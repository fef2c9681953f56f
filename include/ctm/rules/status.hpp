// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/truth.hpp>
#include <ctm/export.hpp>

#include <cstdint>
#include <span>
#include <string_view>

namespace ctm::rules {

/// What to do when a criterion is unknown because facts are missing.
enum class missing_data_policy : std::uint8_t {
  unknown,           ///< report unknown (the default, and the honest answer)
  treat_as_met,      ///< the trial says missing data does not count against the patient
  treat_as_not_met,  ///< the trial requires the fact to be documented
};

/// Whether a criterion admits or excludes patients.
enum class criterion_kind : std::uint8_t { inclusion, exclusion };

/// A patient's status for a whole trial (or arm).
enum class eligibility : std::uint8_t {
  ineligible,         ///< some inclusion is not met or some exclusion is met
  possibly_eligible,  ///< nothing rules the patient out, but something is unknown
  eligible,           ///< every inclusion met and every exclusion not met
};

CTM_EXPORT std::string_view to_string(missing_data_policy p) noexcept;
CTM_EXPORT std::string_view to_string(criterion_kind k) noexcept;
CTM_EXPORT std::string_view to_string(eligibility e) noexcept;

/// The verdict after the policy: `unknown` becomes `yes`/`no` under `treat_as_met`/
/// `treat_as_not_met` only when `has_missing_facts` (branches that disagree stay unknown).
constexpr truth apply_policy(truth verdict, missing_data_policy policy,
                             bool has_missing_facts) noexcept {
  if (verdict != truth::unknown || !has_missing_facts) return verdict;
  switch (policy) {
    case missing_data_policy::treat_as_met:
      return truth::yes;
    case missing_data_policy::treat_as_not_met:
      return truth::no;
    case missing_data_policy::unknown:
      break;
  }
  return truth::unknown;
}

/// Whether the patient passes a criterion: the verdict for an inclusion, its negation for an
/// exclusion. An unknown exclusion is unknown, never "not excluded".
constexpr truth passes(criterion_kind kind, truth verdict) noexcept {
  return kind == criterion_kind::inclusion ? verdict : negate(verdict);
}

/// The trial status from each criterion's `passes` value: ineligible when any is `no`, possibly
/// eligible when any is `unknown`, else eligible (also for no criteria at all).
CTM_EXPORT eligibility aggregate(std::span<const truth> passes) noexcept;

}  // namespace ctm::rules
