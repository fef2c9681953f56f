// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/ids.hpp>
#include <ctm/export.hpp>
#include <ctm/history/finding.hpp>
#include <ctm/history/response_category.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctm::history {

/// The disease whose refractoriness definitions apply (domain definitions, section 2).
enum class disease_family : std::uint8_t {
  unspecified,            ///< no recognised diagnosis: the generic definitions
  myeloma,                ///< IMWG (Rajkumar et al., Blood 2011)
  large_b_cell_lymphoma,  ///< SCHOLAR-1 (Crump et al., Blood 2017), ZUMA-1 formalisation
  cll,                    ///< iwCLL 2018 (Hallek et al., Blood 2018)
  aml,                    ///< ELN 2017 / 2022 (Döhner et al.)
  ovarian,                ///< GCIG platinum sensitivity (Stuart et al. 2011)
  prostate,               ///< PCWG3 castration resistance (Scher et al. 2016)
  other_solid,            ///< a solid tumour without disease-specific rules: generic
  other_haematological,   ///< a haematological malignancy without specific rules: generic
};

/// "unspecified", "myeloma", "large_b_cell_lymphoma", ...
CTM_EXPORT std::string_view to_string(disease_family d) noexcept;

/// The thresholds of the refractory, relapsed and resistance definitions, each with its published
/// default. Windows are inclusive at the published number unless the source says "more than" or
/// "less than"; months are calendar months (domain definitions, section 6.1).
/// Thread-safety: a value type.
struct refractory_options {
  /// The preset these options came from ("auto" picks the disease from the diagnoses).
  std::string name = "auto";
  /// The disease whose rules apply; nullopt = recognised from the patient's diagnoses.
  std::optional<disease_family> disease;

  // Generic (section 2.1) -----------------------------------------------------------------------
  /// ctm convention (no published generic window; the IMWG number): refractory = progression on
  /// therapy or within 60 days of the last dose, or no disease control on the line.
  duration generic_window = days(60);
  /// Generic response floor: a best response below it (progressive disease) is non-response.
  response generic_floor = response::stable_disease;

  // IMWG (section 2.2) ------------------------------------------------------------------------
  /// Rajkumar et al. 2011: refractory = non-responsive on therapy or progression within 60 days
  /// of the last dose (inclusive).
  duration imwg_window = days(60);
  /// IMWG: "non-responsive" = failure to reach minimal response.
  response imwg_floor = response::minimal_response;
  std::string proteasome_inhibitor_class = "proteasome_inhibitor";  ///< section 4.9
  std::string imid_class = "imid";                                  ///< section 4.9
  std::string anti_cd38_class = "anti_cd38";                        ///< section 4.9
  /// Penta-refractory (section 2.2): the two named PIs and two named IMiDs.
  std::vector<std::string> penta_proteasome_inhibitors{"bortezomib", "carfilzomib"};
  std::vector<std::string> penta_imids{"lenalidomide", "pomalidomide"};

  // Large B-cell lymphoma (section 2.3) ------------------------------------------------------
  /// SCHOLAR-1 / ZUMA-1: stable disease as best response is refractory after >= 4 cycles of the
  /// first line ...
  std::int32_t lbcl_sd_min_cycles_first_line = 4;
  /// ... or >= 2 cycles of a later line.
  std::int32_t lbcl_sd_min_cycles_later_line = 2;
  /// Open question 2: "> 4" instead of ">= 4" cycles.
  bool lbcl_sd_cycles_strict = false;
  /// SCHOLAR-1: relapse within 12 months of autologous transplant is refractory.
  duration lbcl_post_transplant_window = months(12);
  /// ZUMA-7 / TRANSFORM: relapse within 12 months of completing first-line therapy.
  duration lbcl_early_relapse_window = months(12);
  /// SCHOLAR-1: best response below partial response (SD or PD) is refractory.
  response lbcl_floor = response::partial_response;

  // CLL (section 2.6) -----------------------------------------------------------------------
  /// iwCLL 2018: refractory = treatment failure or progression within 6 months of the last dose.
  duration cll_window = months(6);
  /// iwCLL 2018: treatment failure = no CR or PR.
  response cll_floor = response::partial_response;
  /// iwCLL 2018: relapse = progression after a response that lasted >= 6 months.
  duration cll_relapse_min_response = months(6);

  // AML (section 2.5) -----------------------------------------------------------------------
  /// ELN 2017 and 2022: primary refractory after 2 courses of intensive induction.
  std::int32_t aml_min_intensive_courses = 2;
  /// ELN 2022: the response landmark after starting less-intensive therapy (180 days).
  duration aml_landmark = days(180);
  /// ELN 2022 counts CRh as a response; false = ELN 2017 (CR and CRi only).
  bool aml_eln_2022 = true;
  /// Drugs or classes that make a line intensive induction (7+3: an anthracycline).
  std::vector<std::string> aml_intensive_markers{"anthracycline"};

  // Ovarian (section 2.7) -------------------------------------------------------------------
  std::string platinum_class = "platinum_compound";
  /// GCIG: platinum-refractory = progression during platinum or within 4 weeks of the last dose.
  duration platinum_refractory_window = days(28);
  /// GCIG: platinum-resistant = progression less than 6 months after the last platinum dose.
  duration platinum_resistant_limit = months(6);
  /// GCIG: partially platinum-sensitive = 6 to 12 months; sensitive = more than 12 months.
  duration platinum_sensitive_limit = months(12);

  // Prostate (section 2.8) ------------------------------------------------------------------
  /// PCWG3 / EAU: castrate testosterone < 50 ng/dL.
  double castrate_testosterone_ng_dl = 50.0;
  /// PCWG3 PSA progression: >= 25% above the nadir ...
  double psa_rise_fraction = 0.25;
  /// ... and >= 2 ng/mL above it ...
  double psa_rise_ng_ml = 2.0;
  /// ... confirmed by a second value >= 3 weeks later.
  duration psa_confirmation = weeks(3);
  /// PCWG3 PSA response: a decline of at least 50% from the value before the line, confirmed
  /// 3 weeks later (counts as a partial response when no better response is recorded).
  double psa_response_fraction = 0.50;
  std::string psa_analyte = "psa";                    ///< lab catalog code
  std::string testosterone_analyte = "testosterone";  ///< lab catalog code

  // Anti-PD-(L)1 resistance, SITC (section 2.9) -----------------------------------------------
  std::string pd1_pdl1_class = "pd1_pdl1_inhibitor";
  /// Kluger et al. 2020: primary resistance needs >= 6 weeks of exposure.
  duration sitc_primary_min_exposure = weeks(6);
  /// Kluger et al. 2020: secondary resistance needs >= 6 months of exposure.
  duration sitc_secondary_min_exposure = months(6);
  /// SD shorter than 6 months is primary resistance; longer than 6 months secondary; exactly 6
  /// months is not classifiable (section 6.1).
  duration sitc_sd_duration = months(6);
  /// Progression confirmed by a scan >= 4 weeks after the first (not needed when the
  /// progression was clinical).
  duration sitc_confirmation = weeks(4);
  /// Progression within 12 weeks of the last dose still counts as resistance on therapy.
  duration sitc_after_last_dose = weeks(12);

  /// Automatic: the disease is recognised from the diagnoses. Name "auto".
  CTM_EXPORT static refractory_options automatic();
  /// Forces one disease's rules. Names: "imwg-myeloma", "scholar-1", "iwcll", "eln",
  /// "gcig-ovarian", "pcwg3-prostate", "generic".
  CTM_EXPORT static refractory_options for_disease(disease_family d);
  /// The preset with this name, or nullopt.
  CTM_EXPORT static std::optional<refractory_options> preset(std::string_view name);
  /// The names `preset` accepts.
  CTM_EXPORT static std::vector<std::string_view> preset_names();
};

/// Refractory, relapsed and resistance status of one line of therapy, kept as separate facts.
/// Thread-safety: a value type.
struct line_status {
  std::int32_t line = 0;  ///< the line's number
  /// Refractory by the disease's definition (PD on therapy or within the window, or no response).
  finding refractory;
  /// Refractory without having responded on the line (best response below the disease's floor).
  finding primary_refractory;
  /// Responded on the line, then progressed on therapy or within the window.
  finding acquired_resistance;
  /// Responded on the line, then progressed after the window.
  finding relapsed;
  /// Progressed at any time after the line began ("progressed on or after").
  finding progressed;
  /// SCHOLAR-1: stable disease after fewer cycles than the rule needs.
  bool insufficient_cycles = false;

  friend bool operator==(const line_status&, const line_status&) = default;
};

/// Everything known about one agent (a drug, or a name the catalog does not know).
/// Thread-safety: a value type.
struct agent_status {
  drug_id id;               ///< invalid when the name is not in the catalog
  std::string code;         ///< catalog code, or the name as written
  std::string name;         ///< display name
  bool anticancer = false;  ///< the catalog says anticancer (unknown agents: false)
  bool supportive = false;  ///< the catalog says supportive care
  std::optional<partial_date> first_dose;
  std::optional<partial_date> last_dose;  ///< the as-of date while ongoing
  bool ongoing = false;
  std::optional<std::int32_t> cycles;  ///< recorded cycles over all its records
  std::vector<std::int32_t> lines;     ///< numbers of the lines it belongs to
  std::vector<std::string> records;    ///< JSON pointers of its records
  finding exposed;                     ///< received at least one dose
  finding refractory;                  ///< refractory on a line containing it, by its own last dose
  finding primary_refractory;          ///< refractory without responding
  finding acquired_resistance;         ///< responded, then progressed on it or within the window
  finding intolerant;                  ///< stopped for toxicity, not progression
  finding progressed_on;               ///< progression after its first dose

  [[nodiscard]] bool is_resolved() const noexcept { return id.is_valid(); }
  friend bool operator==(const agent_status&, const agent_status&) = default;
};

/// GCIG platinum sensitivity categories, worst first (section 2.7).
enum class platinum_sensitivity : std::uint8_t {
  refractory,           ///< progression during platinum or within 4 weeks of the last dose
  resistant,            ///< within 6 months
  partially_sensitive,  ///< 6 to 12 months
  sensitive,            ///< more than 12 months
};

/// "refractory", "resistant", "partially_sensitive", "sensitive".
CTM_EXPORT std::string_view to_string(platinum_sensitivity s) noexcept;

/// The platinum-free interval after one platinum-containing line. Thread-safety: a value type.
struct platinum_interval {
  std::int32_t line = 0;
  partial_date last_platinum_dose;
  std::optional<partial_date> progression;       ///< first progression on or after the line's start
  std::optional<day_range> days;                 ///< progression - last platinum dose
  std::optional<platinum_sensitivity> category;  ///< nullopt = unknown (see `source.reason`)
  provenance source;

  friend bool operator==(const platinum_interval&, const platinum_interval&) = default;
};

}  // namespace ctm::history
