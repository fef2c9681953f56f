// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/diagnostic.hpp>
#include <ctm/core/ids.hpp>
#include <ctm/core/truth.hpp>
#include <ctm/export.hpp>
#include <ctm/history/finding.hpp>
#include <ctm/history/labs.hpp>
#include <ctm/history/line_of_therapy.hpp>
#include <ctm/history/performance_status.hpp>
#include <ctm/history/refractory.hpp>
#include <ctm/history/response.hpp>
#include <ctm/history/time_since.hpp>
#include <ctm/vocab/drug_catalog.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctm::history {

/// One recorded response assessment, normalised. Thread-safety: a value type.
struct response_observation {
  std::optional<partial_date> date;
  std::optional<response> value;  ///< nullopt: a category the criteria do not define
  std::optional<response_system> system;
  std::string category;   ///< as recorded
  std::string record;     ///< JSON pointer
  std::int32_t line = 0;  ///< the line it falls in (0 = none)

  friend bool operator==(const response_observation&, const response_observation&) = default;
};

/// What an exposure question may require beyond one dose (section 2.1: "at least one full
/// cycle", "at least 2 cycles").
struct exposure_requirement {
  std::optional<std::int32_t> min_cycles;
  std::optional<duration> min_duration;  ///< from first to last dose

  friend bool operator==(const exposure_requirement&, const exposure_requirement&) = default;
};

/// Everything `history` derives for one patient as of one date: computed once by `derive_facts`
/// and read by every trial's rules ("derive once, evaluate many").
///
/// The members are the facts themselves, for display and serialisation; the member functions
/// answer the questions eligibility rules ask (exposed to a class, refractory to the last line,
/// prior lines in the advanced setting, time since the last dose), each as a `finding` with its
/// provenance, a count range, or a date. Class questions take a class's `drug_id` and are answered
/// over the agents that belong to it; an agent the catalog does not know may belong to any class,
/// so it turns a "no" into "unknown". Thread-safety: immutable after `derive_facts`; safe to
/// read from many threads.
struct patient_facts {
  ctm::date as_of{};
  std::string lines_preset;                              ///< the line-of-therapy preset used
  std::string disease_preset;                            ///< the refractoriness preset used
  disease_family disease = disease_family::unspecified;  ///< whose rules applied
  std::optional<vocab::drug_catalog> catalog;            ///< resolves class questions

  std::vector<agent_status> agents;             ///< every drug named in the record
  std::vector<line_of_therapy> lines;           ///< in order; `lines[i].number == i + 1`
  std::vector<line_status> line_statuses;       ///< parallel to `lines`
  std::vector<named_finding> disease_facts;     ///< patient-level facts by name (see docs)
  std::vector<platinum_interval> platinum;      ///< ovarian: one per platinum-containing line
  std::vector<response_observation> responses;  ///< every assessment, by date
  std::array<time_since_fact, event_kind_count> events{};  ///< indexed by `event_kind`
  std::optional<duration> adjuvant_relapse_window;         ///< from the line-of-therapy options
  /// Episodes of drugs the catalog does not know, given outside every line: each may have been a
  /// line of therapy, so line counts may be higher by this much.
  std::int32_t unresolved_drug_episodes = 0;

  std::vector<lab_fact> labs;  ///< most recent value per analyte in the lab window
  /// The record's lab results resolved against the lab catalog they were derived with (empty
  /// without one), kept so that later lab questions about this record (`latest_lab`,
  /// `creatinine_clearance`, `rules::patient_fact_source`) look nothing up again. Not a fact.
  lab_resolution lab_results;
  /// `ecog[n]` answers "ECOG <= n" for n = 0..5 in the performance window.
  std::vector<performance_answer> ecog;

  /// Records ignored or doubtful, unknown drugs, undecidable boundaries: severity, a message
  /// without patient values, and the JSON pointer.
  std::vector<diagnostic> notes;

  // Agents ----------------------------------------------------------------------------------
  /// The agent with this catalog id, or nullptr.
  [[nodiscard]] CTM_EXPORT const agent_status* agent(drug_id id) const noexcept;
  /// The agent with this catalog code or written name (case-insensitive), or nullptr.
  [[nodiscard]] CTM_EXPORT const agent_status* agent(std::string_view code) const noexcept;

  /// Received at least one dose of the drug, or of any drug of the class (and the requirement).
  [[nodiscard]] CTM_EXPORT finding exposed(drug_id drug_or_class,
                                           const exposure_requirement& requirement = {}) const;
  /// Refractory to the drug or to any drug of the class.
  [[nodiscard]] CTM_EXPORT finding refractory(drug_id drug_or_class) const;
  /// Stopped the drug, or a drug of the class, for toxicity.
  [[nodiscard]] CTM_EXPORT finding intolerant(drug_id drug_or_class) const;
  /// Progressed after starting the drug or a drug of the class.
  [[nodiscard]] CTM_EXPORT finding progressed_on(drug_id drug_or_class) const;
  /// Responded to the drug (or class) and then progressed on it or within the window.
  [[nodiscard]] CTM_EXPORT finding acquired_resistance(drug_id drug_or_class) const;

  // Lines -----------------------------------------------------------------------------------
  /// The line with this number, or nullptr.
  [[nodiscard]] CTM_EXPORT const line_of_therapy* line(std::int32_t number) const noexcept;
  /// The status of the line with this number, or nullptr.
  [[nodiscard]] CTM_EXPORT const line_status* status_of_line(std::int32_t number) const noexcept;
  /// How many lines in `scope`; for `advanced`, early lines followed by progression within
  /// `adjuvant_relapse_window` of their end count too (nullopt here = the options' window).
  [[nodiscard]] CTM_EXPORT count_range count_lines(
      line_scope scope, std::optional<duration> adjuvant_relapse_window = std::nullopt) const;
  /// "At least n prior lines in scope": yes, no, or unknown when the count range straddles n.
  [[nodiscard]] CTM_EXPORT finding
  at_least_lines(std::int32_t n, line_scope scope,
                 std::optional<duration> adjuvant_relapse_window = std::nullopt) const;
  /// The best response on the line with this number; nullopt when unknown or no such line.
  [[nodiscard]] CTM_EXPORT std::optional<response> best_response(std::int32_t line) const;

  // Patient-level status --------------------------------------------------------------------
  /// The patient-level fact with this name ("refractory_to_last_line", "primary_refractory",
  /// "relapsed", "imwg.triple_class_refractory", "gcig.platinum_resistant", ...), or nullptr when
  /// it was not derived for this patient's disease.
  [[nodiscard]] CTM_EXPORT const finding* fact(std::string_view name) const noexcept;
  /// `fact(name)`, or an unknown finding saying the fact does not apply.
  [[nodiscard]] CTM_EXPORT finding fact_or_unknown(std::string_view name) const;

  // Time since ------------------------------------------------------------------------------
  /// The last event of this kind.
  [[nodiscard]] const time_since_fact& last(event_kind kind) const noexcept {
    return events[static_cast<std::size_t>(kind)];
  }
  /// The last dose of the drug or of any drug of the class.
  [[nodiscard]] CTM_EXPORT time_since_fact last_dose(drug_id drug_or_class) const;

  // Labs and performance status ----------------------------------------------------------------
  /// The most recent result of the analyte in the lab window, or nullptr.
  [[nodiscard]] CTM_EXPORT const lab_fact* lab(analyte_id analyte) const noexcept;
  /// "ECOG <= n" (n = 0..5) in the performance window; unknown outside that range.
  [[nodiscard]] CTM_EXPORT performance_answer ecog_at_most(std::int32_t n) const;
};

}  // namespace ctm::history
