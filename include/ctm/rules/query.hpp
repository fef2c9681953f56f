// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/ids.hpp>
#include <ctm/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

/// The questions a compiled rule asks about a patient. The checker turns every fact name and
/// function call of the rule language into one of these small value types; a `fact_source`
/// answers them. Codes are already resolved against the vocabularies (concept, drug and analyte
/// ids), so answering needs no string matching.
namespace ctm::rules {

/// Sites of metastatic disease the language can name (`liver_metastases`, `metastases(bone)`).
enum class metastatic_site : std::uint8_t {
  brain,
  leptomeningeal,
  liver,
  bone,
  lung,
  lymph_node,
  adrenal,
  peritoneum,
  pleura,
  skin,
};

/// Comorbid conditions with a dated status (absent, active, controlled, resolved).
enum class condition_kind : std::uint8_t {
  hiv,
  hepatitis_b,
  hepatitis_c,
  pregnancy,
  lactation,
  autoimmune_disease,
  organ_transplant,
  second_malignancy,
  gilbert_syndrome,
  interstitial_lung_disease,
};

/// The kind of a genomic or protein biomarker; `any` matches every kind.
enum class biomarker_kind : std::uint8_t {
  any,
  mutation,
  amplification,
  deletion,
  fusion,
  expression,
  msi,
  mmr,
};

/// Numeric biomarkers: TMB in {mutations}/Mb, PD-L1 scores (TPS in %, CPS and IC unitless).
enum class biomarker_score : std::uint8_t { tmb, pd_l1_tps, pd_l1_cps, pd_l1_ic };

/// Treatment settings for counting lines; `any` counts every line.
enum class therapy_setting : std::uint8_t {
  any,
  neoadjuvant,
  adjuvant,
  definitive,
  induction,
  consolidation,
  maintenance,
  advanced,  ///< advanced, metastatic or relapsed disease (`metastatic` is accepted as a synonym)
};

/// What a patient's history says about a drug, class or line.
enum class agent_status : std::uint8_t {
  exposed,        ///< received at least one dose (or the stated minimum exposure)
  refractory,     ///< no response on it, or progression on it or within the disease's window
  intolerant,     ///< stopped for toxicity
  progressed_on,  ///< progression at any time after starting it (on or after)
};

/// Named disease-specific status definitions derived by the history module.
enum class preset : std::uint8_t {
  primary_refractory,
  relapsed,
  relapsed_refractory,
  triple_class_exposed,
  triple_class_refractory,
  penta_refractory,
  platinum_sensitive,
  platinum_resistant,
  platinum_refractory,
  castration_resistant,
  anti_pd1_primary_resistance,
  anti_pd1_secondary_resistance,
};

/// Dated events that `time_since(...)` measures from.
enum class event_kind : std::uint8_t {
  last_dose,  ///< last dose of a drug, a class, or any anticancer therapy
  radiotherapy,
  surgery,  ///< major or minor
  major_surgery,
  minor_surgery,
  transplant,  ///< autologous or allogeneic stem-cell transplant
  autologous_transplant,
  allogeneic_transplant,
  car_t_infusion,
  progression,  ///< the most recent progression
  diagnosis,    ///< the initial diagnosis of the cancer
};

CTM_EXPORT std::string_view to_string(metastatic_site v) noexcept;
CTM_EXPORT std::string_view to_string(condition_kind v) noexcept;
CTM_EXPORT std::string_view to_string(biomarker_kind v) noexcept;
CTM_EXPORT std::string_view to_string(biomarker_score v) noexcept;
CTM_EXPORT std::string_view to_string(therapy_setting v) noexcept;
CTM_EXPORT std::string_view to_string(agent_status v) noexcept;
CTM_EXPORT std::string_view to_string(preset v) noexcept;
CTM_EXPORT std::string_view to_string(event_kind v) noexcept;

/// Age in completed years on the as-of date. Answer: `number_range` (a range when the birth date
/// is partial).
struct age_query {
  friend bool operator==(const age_query&, const age_query&) = default;
};
/// Administrative sex. Answer: `symbol` "female", "male" or "other".
struct sex_query {
  friend bool operator==(const sex_query&, const sex_query&) = default;
};
/// ECOG performance status 0-5. Answer: `number_range` (a range when converted from Karnofsky
/// and the two conventions disagree, domain section 4.2).
struct ecog_query {
  friend bool operator==(const ecog_query&, const ecog_query&) = default;
};
/// Karnofsky performance status 0-100. Answer: `number_range`.
struct karnofsky_query {
  friend bool operator==(const karnofsky_query&, const karnofsky_query&) = default;
};
/// Overall stage group. Answer: `symbol` "0", "I", "IIB", "IVA", ...
struct stage_query {
  friend bool operator==(const stage_query&, const stage_query&) = default;
};
/// Measurable disease per RECIST 1.1 (or the disease's own criteria). Answer: `truth`.
struct measurable_disease_query {
  friend bool operator==(const measurable_disease_query&,
                         const measurable_disease_query&) = default;
};
/// The most recent result of an analyte, within `within` before the as-of date when given.
/// Answer: `measurement` (value, unit, and the result's own ULN/LLN when recorded, else a default).
struct lab_query {
  analyte_id analyte;
  std::string code;  ///< the analyte's catalog code, for names and explanations
  std::optional<ctm::duration> within;
  friend bool operator==(const lab_query&, const lab_query&) = default;
};
/// The patient's cancer diagnoses. Answer: `concepts` (ids of the checker's ontology); the
/// evaluator decides `is_a` with the ontology the program was compiled against.
struct diagnosis_query {
  friend bool operator==(const diagnosis_query&, const diagnosis_query&) = default;
};
/// Metastases at a site. Answer: `truth`.
struct metastasis_query {
  metastatic_site site = metastatic_site::liver;
  friend bool operator==(const metastasis_query&, const metastasis_query&) = default;
};
/// A qualitative biomarker result. Answer: `symbol` "detected", "not_detected", "indeterminate"
/// or "untested" (no test of this gene/alteration on record is a known fact, not missing data).
struct biomarker_query {
  std::string gene;        ///< HGNC symbol as written ("EGFR"); empty for MSI/MMR
  std::string alteration;  ///< e.g. "exon 19 deletion", "V600E"; empty for any alteration
  biomarker_kind kind = biomarker_kind::any;
  friend bool operator==(const biomarker_query&, const biomarker_query&) = default;
};
/// A numeric biomarker. Answer: `measurement` ({mutations}/Mb for TMB, % for TPS, 1 otherwise).
struct biomarker_score_query {
  biomarker_score score = biomarker_score::tmb;
  friend bool operator==(const biomarker_score_query&, const biomarker_score_query&) = default;
};
/// Brain metastases. Answer: `symbol` "absent", "active" or "treated_stable", with
/// `fact_answer::date` the date stability was established (for `for >= 4 weeks`).
struct brain_metastases_query {
  friend bool operator==(const brain_metastases_query&, const brain_metastases_query&) = default;
};
/// Current corticosteroid dose, prednisone equivalent. Answer: `measurement` in mg/d.
struct steroid_dose_query {
  friend bool operator==(const steroid_dose_query&, const steroid_dose_query&) = default;
};
/// A comorbid condition, optionally "within" a period before the as-of date. Answer: `symbol`
/// "absent", "active", "controlled" or "resolved", with the date the status was established.
struct condition_query {
  condition_kind kind = condition_kind::hiv;
  std::optional<ctm::duration> within;
  friend bool operator==(const condition_query&, const condition_query&) = default;
};
/// Number of prior lines of therapy in a setting. Answer: `number_range`.
struct prior_lines_query {
  therapy_setting setting = therapy_setting::any;
  friend bool operator==(const prior_lines_query&, const prior_lines_query&) = default;
};
/// Exposure, refractoriness, intolerance or progression for a drug or a class (`is_class`).
/// Answer: `truth`.
struct agent_status_query {
  drug_id agent;
  std::string code;  ///< the catalog code, for names and explanations
  bool is_class = false;
  agent_status status = agent_status::exposed;
  std::optional<ctm::duration> min_exposure;  ///< `exposure >= 6 weeks`
  friend bool operator==(const agent_status_query&, const agent_status_query&) = default;
};
/// The status of the most recent line of therapy. Answer: `truth`.
struct last_line_query {
  agent_status status = agent_status::refractory;
  friend bool operator==(const last_line_query&, const last_line_query&) = default;
};
/// A named disease-specific definition. Answer: `truth`.
struct preset_query {
  rules::preset name = preset::primary_refractory;
  friend bool operator==(const preset_query&, const preset_query&) = default;
};
/// Best overall response to a line (1-based; 0 = the last line). Answer: `symbol` "sCR", "CR",
/// "VGPR", "PR", "MR", "SD", "PD" or "NE".
struct best_response_query {
  std::uint32_t line = 0;
  friend bool operator==(const best_response_query&, const best_response_query&) = default;
};
/// The date of an event (`time_since(...)`). For `last_dose`, `agent` is a drug or class, or
/// invalid for any anticancer therapy. Answer: `event` (no date = it never happened).
struct time_since_query {
  event_kind event = event_kind::last_dose;
  drug_id agent;
  std::string code;  ///< the drug or class code; empty for any anticancer therapy
  bool is_class = false;
  friend bool operator==(const time_since_query&, const time_since_query&) = default;
};

/// How many terminal half-lives have passed since the last dose of every drug matching `agent`
/// (a drug or class; invalid for any anticancer therapy): the smallest count over those drugs,
/// for washouts written "5 half-lives" (domain definitions ELIG-10). Answer: `number_range`;
/// +infinity when no matching drug was given; a range from 0 when a matching drug has no
/// half-life in the catalog (missing when no matching drug has one).
struct half_lives_query {
  drug_id agent;
  std::string code;  ///< the drug or class code; empty for any anticancer therapy
  bool is_class = false;
  friend bool operator==(const half_lives_query&, const half_lives_query&) = default;
};

/// Every question a program can ask; a closed set, so a `fact_source` can `std::visit` it.
using query =
    std::variant<age_query, sex_query, ecog_query, karnofsky_query, stage_query,
                 measurable_disease_query, lab_query, diagnosis_query, metastasis_query,
                 biomarker_query, biomarker_score_query, brain_metastases_query, steroid_dose_query,
                 condition_query, prior_lines_query, agent_status_query, last_line_query,
                 preset_query, best_response_query, time_since_query, half_lives_query>;

/// The query in rule-language spelling, used as the name of a missing fact and as the key of
/// test fact sources: "ecog", "lab(anc, within 14 days)", "refractory_to(class \"anti_cd38\")",
/// "time_since(last_dose(any anticancer))".
CTM_EXPORT std::string describe(const query& q);

}  // namespace ctm::rules
