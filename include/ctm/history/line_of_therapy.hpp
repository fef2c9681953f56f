// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/truth.hpp>
#include <ctm/export.hpp>
#include <ctm/history/provenance.hpp>
#include <ctm/history/response.hpp>
#include <ctm/patient/treatment.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctm::history {

/// The parameters of the line-of-therapy algorithm (domain definitions, section 3.3) and its named
/// presets.
///
/// Drug lists hold catalog codes of drugs or classes ("pemetrexed", "anti_pd1"): an agent matches
/// an entry when it is that drug or belongs to that class. Codes the catalog does not know are
/// ignored. Windows are inclusive ("within 28 days" includes day 28); the gap rule is strict ("more
/// than 120 days"). Thread-safety: a value type.
struct lot_options {
  /// The preset these options came from, recorded in every line's provenance.
  std::string name = "rwd-default";
  /// Merck LoT algorithm (Meng et al., J Biomed Inform 2019) and Hess et al. (Future Oncol 2021):
  /// drugs first given within 28 days of the line's first drug, inclusive, form its regimen.
  duration regimen_window = days(28);
  /// Merck NSCLC (pre-refinement): more than 120 days without treatment ends the line and the
  /// next administration opens a new one, even of the same drug.
  duration gap = days(120);
  /// Hess et al. NSCLC: single-agent maintenance restarted after a gap opens a new line only when
  /// the gap exceeds this (90 days); nullopt = the ordinary `gap` applies to maintenance too.
  std::optional<duration> maintenance_gap;
  /// Merck (post-refinement): a gap does not end a line whose regimen holds one of these (oral
  /// targeted agents dispensed intermittently).
  std::vector<std::string> gap_exempt;
  /// Interchangeable drugs: one replacing the other is not a new line (section 3.3 defaults:
  /// cisplatin/carboplatin, paclitaxel/nab-paclitaxel, fluorouracil/capecitabine).
  std::vector<std::pair<std::string, std::string>> substitutions;
  /// Drugs whose addition after the regimen window does not start a new line (Hess NSCLC:
  /// biologics and targeted agents added late stay in the line).
  std::vector<std::string> allowed_late_additions;
  /// Continuation maintenance (Merck NSCLC): when the other drugs stop and only these continue,
  /// the line goes on as a maintenance segment, not a new line.
  std::vector<std::string> continuation_maintenance;
  /// Switch maintenance (Merck NSCLC): one of these started after the line's other drugs ended,
  /// without a recorded progression in between, is maintenance of the same line.
  std::vector<std::string> switch_maintenance;
  /// Merck: switch maintenance applies only after the first line.
  bool switch_maintenance_first_line_only = true;
  /// Merck option: dropping a drug from a combination starts a new line (default: it does not).
  bool drop_advances_line = false;
  /// IMWG 2011 (Rajkumar et al., Blood 2011): induction, high-dose therapy with transplant,
  /// consolidation and maintenance given as one plan are one line. A record continues the plan
  /// when its recorded setting is consolidation or maintenance, or it falls within
  /// `conditioning_before_transplant` before (or `maintenance_after_transplant` after) an
  /// autologous transplant, with no progression recorded since the line began.
  bool planned_sequences = false;
  /// ctm convention: high-dose therapy given up to 14 days before an autologous transplant is its
  /// conditioning.
  duration conditioning_before_transplant = days(14);
  /// ctm convention: a drug started up to 180 days after an autologous transplant continues the
  /// planned sequence (post-transplant consolidation or maintenance).
  duration maintenance_after_transplant = days(180);
  /// IMWG 2011: a change of drug because of toxicity starts a new line; the RWD rules treat an
  /// interchangeable substitution (cisplatin -> carboplatin) as the same line (default).
  bool toxicity_switch_new_line = false;
  /// Section 2.9: progression within this time of the end of (neo)adjuvant therapy makes that
  /// therapy count as a line for advanced disease (commonly 6 or 12 months); nullopt = never.
  std::optional<duration> adjuvant_relapse_window = months(6);
  /// Drugs the catalog does not know are kept as their own agents but do not build lines (they
  /// may be supportive care); set to true to treat them as anticancer therapy.
  bool unknown_agents_build_lines = false;

  /// The default: section 3.3's reference parameters (Merck-style RWD rules, NSCLC maintenance
  /// and substitution lists). Name "rwd-default".
  CTM_EXPORT static lot_options rwd_default();
  /// Hess et al. 2021, recommended NSCLC options: 60-day gap, biologic/targeted additions never
  /// start a line, cisplatin/carboplatin and fluorouracil/capecitabine interchangeable, 90-day
  /// gap for maintenance restarts. Name "hess-nsclc".
  CTM_EXPORT static lot_options hess_nsclc();
  /// IMWG 2011 myeloma lines: planned sequences are one line and toxicity switches start a new
  /// line. Name "imwg-myeloma".
  CTM_EXPORT static lot_options imwg_myeloma();
  /// The preset with this name, or nullopt.
  CTM_EXPORT static std::optional<lot_options> preset(std::string_view name);
  /// The names `preset` accepts.
  CTM_EXPORT static std::vector<std::string_view> preset_names();
};

/// What ended a line: the event that opened the next one.
enum class line_boundary : std::uint8_t {
  none,             ///< the last line (ongoing or finished)
  gap,              ///< no treatment for longer than the gap
  new_drug,         ///< a drug outside the regimen, not an allowed substitute/addition/maintenance
  toxicity_switch,  ///< a substitute for a drug stopped for toxicity (`toxicity_switch_new_line`)
  drug_dropped,     ///< a regimen drug was dropped (`drop_advances_line`)
  progression,      ///< IMWG: a drug of the line restarted after a recorded progression
};

/// How a line continues into maintenance without a new line number.
enum class maintenance_kind : std::uint8_t {
  none,
  continuation,        ///< the other drugs stopped; the maintenance drugs went on
  switch_maintenance,  ///< a maintenance drug started after the others ended
};

/// How a drug joined its line.
enum class line_role : std::uint8_t {
  regimen,             ///< first given within the regimen window
  carried,             ///< still being given when the line opened
  substitution,        ///< an interchangeable replacement for a drug of the line
  late_addition,       ///< an allowed late addition
  switch_maintenance,  ///< switch maintenance
  planned_sequence,    ///< a later phase of a planned sequence (consolidation, maintenance)
  companion,  ///< not anticancer (dexamethasone in VRd): shares a regimen label with the line
};

/// One drug within one line. Thread-safety: a value type.
struct line_drug {
  std::uint32_t agent = 0;  ///< index into `patient_facts::agents`
  line_role role = line_role::regimen;
  partial_date first_dose;                  ///< within this line
  partial_date last_dose;                   ///< within this line; the as-of date while ongoing
  bool ongoing = false;                     ///< still given on the as-of date
  std::optional<std::int32_t> cycles;       ///< recorded cycles, summed over its records
  std::optional<ctm::stop_reason> stopped;  ///< the recorded reason its last record stopped
  std::vector<std::string> records;         ///< JSON pointers ("/treatments/3")

  friend bool operator==(const line_drug&, const line_drug&) = default;
};

/// A line of therapy derived from the drug records. Thread-safety: a value type.
///
/// `number` counts every line in every setting; `advanced` says whether it counts as a line for
/// advanced (metastatic, relapsed) disease, the count most trials ask for.
struct line_of_therapy {
  std::int32_t number = 0;
  partial_date start;  ///< first dose
  partial_date end;    ///< last dose (the as-of date while ongoing)
  bool ongoing = false;
  std::vector<line_drug> drugs;  ///< regimen drugs first, then later ones, then companions
  std::string regimen_label;     ///< the recorded regimen label of its first record, if any
  std::optional<therapy_setting> setting;  ///< recorded (first record with one) or inferred
  bool setting_inferred = false;           ///< from the diagnosis's advanced date, not a record
  truth advanced = truth::unknown;  ///< counts as a line for advanced disease (no adjuvant rule)
  maintenance_kind maintenance = maintenance_kind::none;
  std::optional<partial_date> maintenance_start;
  bool substitution_used = false;
  bool gap_exemption_used = false;
  bool late_addition_used = false;
  bool planned_sequence = false;  ///< joined a later phase of a planned sequence
  line_boundary closed_by = line_boundary::none;
  /// Split decisions inside this line that partial dates left undecided; each was resolved as
  /// "same line", so the true number of lines may be higher by this much.
  std::int32_t uncertain_splits = 0;
  std::vector<std::string> procedures;      ///< transplants and CAR-T infusions within the line
  std::optional<partial_date> progression;  ///< first progression on the line
  std::optional<std::string> progression_record;
  /// First progression or recurrence after the line began (used by the adjuvant-relapse rule).
  std::optional<partial_date> relapse;
  response_fact best_response;              ///< best response on the line (response module)
  std::optional<ctm::stop_reason> stopped;  ///< why the line stopped, when recorded
  provenance source;  ///< rule "lot.<preset>", the records, how the line began

  friend bool operator==(const line_of_therapy&, const line_of_therapy&) = default;
};

/// Which lines to count.
enum class line_scope : std::uint8_t {
  any,       ///< every line
  advanced,  ///< lines for advanced disease, plus early lines caught by the adjuvant-relapse rule
  early,     ///< (neo)adjuvant and definitive lines
};

/// A count the record may not pin down: the true value is in [min, max].
struct count_range {
  std::int32_t min = 0;
  std::int32_t max = 0;

  [[nodiscard]] bool is_exact() const noexcept { return min == max; }
  friend bool operator==(const count_range&, const count_range&) = default;
};

/// "gap", "new_drug", ...
CTM_EXPORT std::string_view to_string(line_boundary b) noexcept;
/// "none", "continuation", "switch".
CTM_EXPORT std::string_view to_string(maintenance_kind k) noexcept;
/// "regimen", "carried", ...
CTM_EXPORT std::string_view to_string(line_role r) noexcept;
/// "any", "advanced", "early".
CTM_EXPORT std::string_view to_string(line_scope s) noexcept;

}  // namespace ctm::history
