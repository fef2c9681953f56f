// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/export.hpp>
#include <ctm/patient/patient.hpp>
#include <ctm/trial/criterion.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctm {

/// A trial's, arm's or site's recruitment status: the ClinicalTrials.gov API v2 `Status`
/// enumeration (overall status and per-location status use the same list). The native format
/// spells each as the registry's name in lower case ("RECRUITING" -> "recruiting").
enum class trial_status : std::uint8_t {
  not_yet_recruiting,
  recruiting,
  enrolling_by_invitation,
  active_not_recruiting,
  suspended,
  terminated,
  completed,
  withdrawn,
  available,                  ///< expanded access
  no_longer_available,        ///< expanded access
  temporarily_not_available,  ///< expanded access
  approved_for_marketing,     ///< expanded access
  withheld,
  unknown,  ///< the registry's UNKNOWN: status not verified for two years
};

/// True for the statuses under which a new patient can be enrolled now: recruiting, enrolling
/// by invitation, and expanded access "available".
CTM_EXPORT bool is_open(trial_status s) noexcept;

/// A trial phase, as ClinicalTrials.gov API v2 `Phase` (spelled in lower case: "phase2", "na").
enum class trial_phase : std::uint8_t { early_phase1, phase1, phase2, phase3, phase4, na };

/// What a trial studies: disease codes the matcher uses, and the registry's own condition terms.
struct trial_conditions {
  /// OncoTree codes ("LUAD", "MM") or the groups "_SOLID_" and "_LIQUID_" for basket trials.
  std::vector<std::string> codes;
  /// The conditions as listed in the registry record, for display and review.
  std::vector<std::string> registry;

  friend bool operator==(const trial_conditions&, const trial_conditions&) = default;
};

/// Where a trial enrols. Everything is optional except the name; `location` is the registry's
/// geocode when it has one. Thread-safety: a value type.
struct site {
  std::string name;
  std::string city;
  std::string state;    ///< state or province
  std::string country;  ///< as the registry writes it ("United States")
  std::optional<geo_point> location;
  std::optional<trial_status> recruitment_status;

  friend bool operator==(const site&, const site&) = default;
};

/// An arm, cohort or sub-study. Its criteria apply in addition to the trial's own, and its status
/// (when given) overrides the trial's for this arm. Thread-safety: a value type.
struct arm {
  std::string id;  ///< stable within the trial, e.g. "A", "cohort-2", "EAY131-Z1D"
  std::string name;
  std::string description;
  std::optional<trial_status> status;
  std::vector<std::string> interventions;  ///< drug or procedure names, as the registry has them
  std::vector<criterion> criteria;

  friend bool operator==(const arm&, const arm&) = default;
};

/// A named rule fragment that criteria refer to through `criterion::uses` ("adequate organ
/// function" defined once for a trial). `rule` is ctm rule-language text; absent means the
/// definition is still to be written and every criterion using it needs review.
struct definition {
  std::string name;  ///< an identifier: letters, digits and '_', not starting with a digit
  std::string text;
  std::optional<std::string> rule;

  friend bool operator==(const definition&, const definition&) = default;
};

/// Where a trial document's content came from.
struct trial_source {
  std::string registry;                     ///< "ClinicalTrials.gov", "NCI CTS"
  std::string record;                       ///< the record file or URL it was built from
  std::optional<partial_date> retrieved;    ///< when the record was downloaded
  std::optional<partial_date> last_update;  ///< the record's own last-update date

  friend bool operator==(const trial_source&, const trial_source&) = default;
};

/// A clinical trial as ctm matches against it.
///
/// `criteria` are the trial-wide criteria in the registry's order; each arm may add its own. The
/// trial's rules are text here; the rules module compiles them. Thread-safety: a value type.
struct trial {
  std::string id;                          ///< the NCT id, e.g. "NCT02465060"
  std::vector<std::string> secondary_ids;  ///< other registry or sponsor ids
  std::string title;
  std::vector<trial_phase> phases;
  trial_status status = trial_status::unknown;
  std::string sponsor;
  trial_conditions conditions;
  std::vector<criterion> criteria;
  std::vector<arm> arms;
  std::vector<definition> definitions;
  std::vector<site> sites;
  trial_source source;

  friend bool operator==(const trial&, const trial&) = default;
};

CTM_EXPORT std::string_view to_string(trial_status s) noexcept;
CTM_EXPORT std::optional<trial_status> parse_trial_status(std::string_view text) noexcept;
CTM_EXPORT std::string_view to_string(trial_phase p) noexcept;
CTM_EXPORT std::optional<trial_phase> parse_trial_phase(std::string_view text) noexcept;

/// True for "NCT" followed by exactly eight digits.
CTM_EXPORT bool is_nct_id(std::string_view text) noexcept;

}  // namespace ctm
