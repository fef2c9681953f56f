// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/diagnostic.hpp>
#include <ctm/core/result.hpp>
#include <ctm/export.hpp>
#include <ctm/io/disease_mapping.hpp>
#include <ctm/io/trial_json.hpp>
#include <ctm/trial/eligibility_text.hpp>
#include <ctm/trial/trial.hpp>
#include <ctm/vocab/drug_catalog.hpp>
#include <ctm/vocab/lab_catalog.hpp>
#include <ctm/vocab/ontology.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// Readers for clinical-trial registry records (docs/import.md): ClinicalTrials.gov API v2 study
/// JSON, the legacy ClinicalTrials.gov `clinical_study` XML, NCI Clinical Trials Search (CTS) API
/// trial JSON and TrialGPT per-trial JSON, all into native trial documents.
namespace ctm::io {

/// The shapes of trial input the readers tell apart.
enum class trial_format : std::uint8_t {
  native,        ///< ctm's own trial JSON (docs/formats/trial.md)
  ctgov_json,    ///< ClinicalTrials.gov API v2: a study, an array, `{"studies": [...]}`, JSON Lines
  ctgov_xml,     ///< legacy ClinicalTrials.gov `<clinical_study>` XML
  nci_cts_json,  ///< NCI CTS API v2 trial, or its `{"data": [...]}` search response
  trialgpt_json,  ///< TrialGPT per-trial JSON (`nctid`, `raw_criteria`, ...)
  unknown,
};

/// "native", "ctgov_json", "ctgov_xml", "nci_cts_json", "trialgpt_json", "unknown".
CTM_EXPORT std::string_view to_string(trial_format f) noexcept;

/// Guesses the format of a file's text from its first bytes and top-level members (for JSON
/// Lines, from the first line). Never fails; `unknown` when nothing fits.
CTM_EXPORT trial_format detect_trial_format(std::string_view text);

/// Which sexes a trial enrols.
enum class sex_eligibility : std::uint8_t { all, female, male };

/// An intervention as the registry lists it, with its drug-catalog code when one was found.
struct registry_intervention {
  std::string type;  ///< "DRUG", "BIOLOGICAL", "PROCEDURE", ... as written
  std::string name;
  std::vector<std::string> other_names;  ///< synonyms and development codes
  std::string drug;                      ///< drug-catalog code; empty when not mapped
  std::vector<std::string> arms;         ///< labels of the arms that give it

  friend bool operator==(const registry_intervention&, const registry_intervention&) = default;
};

/// What a registry record says that the trial document has no member for, kept for review.
struct registry_details {
  std::string study_type;               ///< "INTERVENTIONAL", "OBSERVATIONAL", "EXPANDED_ACCESS"
  std::vector<std::string> keywords;    ///< the record's keywords
  std::vector<std::string> mesh_terms;  ///< condition MeSH terms (derived section), when present
  std::optional<duration> minimum_age;  ///< absent: no lower limit given
  std::optional<duration> maximum_age;  ///< absent: no upper limit ("N/A", or 120 years or more)
  std::optional<sex_eligibility> sex;
  std::optional<bool> healthy_volunteers;
  std::string eligibility_text;   ///< the free text, as in the record
  eligibility_split eligibility;  ///< the free text split into items
  std::vector<registry_intervention> interventions;
  /// Conditions that no mapping reached; they stay in `trial.conditions.registry`.
  std::vector<std::string> unmapped_conditions;

  friend bool operator==(const registry_details&, const registry_details&) = default;
};

/// One imported registry record: the native document (with diagnostics) and the registry detail.
struct imported_trial {
  trial_document document;
  registry_details registry;
  trial_format format = trial_format::unknown;

  friend bool operator==(const imported_trial&, const imported_trial&) = default;
};

/// One record of a registry input: imported, or the reason it was not.
struct imported_trial_record {
  std::size_t index = 0;   ///< 0-based position among the records of the input
  std::uint32_t line = 0;  ///< 1-based line (JSON Lines), 0 otherwise
  result<imported_trial> trial;
};

/// Options of the registry readers.
struct registry_options {
  /// Logical name of the input, copied into every location and into `trial.source.record`.
  std::string source_name;
  /// The disease hierarchy conditions are mapped into; absent: the bundled one.
  std::optional<vocab::ontology> diseases;
  /// The drug catalog interventions are mapped to; absent: the bundled one.
  std::optional<vocab::drug_catalog> drugs;
  /// The condition and code mapping table; absent: the bundled data/mappings/diseases.tsv.
  std::optional<disease_mapper> mappings;
  /// The lab analytes extracted lab rules are checked against; absent: the bundled catalog.
  std::optional<vocab::lab_catalog> labs;
  /// Read rules from the criterion text (`ctm::extract_rules`, docs/import.md "Rule
  /// extraction"): extracted criteria get a rule with provenance `extracted`, a confidence and
  /// the span of their text; the registry's structured age and sex limits get exact rules. Off:
  /// every criterion keeps no rule ("needs manual review").
  bool extract = true;
  /// When the record was downloaded, for `trial.source.retrieved` (the legacy XML says so itself).
  std::optional<partial_date> retrieved;
  /// Run `ctm::validate(const trial&)` and append its diagnostics (disease codes checked against
  /// `diseases`).
  bool validate = true;
  /// Largest accepted document (a whole JSON or XML text, or one JSON Lines line), in bytes.
  std::size_t max_bytes = std::size_t{64} * 1024 * 1024;
  /// Deepest accepted nesting of JSON arrays and objects or XML elements.
  std::size_t max_depth = 64;
};

/// Reads registry JSON: a ClinicalTrials.gov API v2 study object, an array of them, a search
/// response `{"studies": [...]}`, JSON Lines of studies, an NCI CTS trial or `{"data": [...]}`
/// response, or a TrialGPT trial; the shape is detected per record. Each record is imported on its
/// own: a record that cannot be imported (no NCT id, not a study, a wrong type where a value was
/// expected) keeps its place with the error. Errors: `errc::json_syntax`,
/// `errc::input_too_large`, `errc::json_schema`, `errc::invalid_id` (no NCT id),
/// `errc::unsupported_format` (a JSON object of no registry shape, e.g. a FHIR bundle or a
/// native trial). Diagnostics (the record is imported): unmapped conditions and interventions,
/// ages and statuses that cannot be read (warnings), and `validate`'s findings.
/// Thread-safety: reentrant.
CTM_EXPORT std::vector<imported_trial_record> read_registry_json(
    std::string_view text, const registry_options& options = {});

/// Reads legacy ClinicalTrials.gov `<clinical_study>` XML (one study per document).
/// Errors: `errc::xml_syntax` (with the byte offset as column 0 and line), `errc::input_too_large`,
/// `errc::unsupported_format` (another root element), `errc::invalid_id`.
/// Thread-safety: reentrant.
CTM_EXPORT std::vector<imported_trial_record> read_ctgov_xml(std::string_view text,
                                                             const registry_options& options = {});

/// Reads registry text of any supported format (`detect_trial_format`); a native trial document
/// or an unknown format gives one failed record with `errc::unsupported_format`.
CTM_EXPORT std::vector<imported_trial_record> read_registry(std::string_view text,
                                                            const registry_options& options = {});

/// Trials from a file of either ctm's native trial JSON (`read_trials`) or any registry format
/// (`read_registry`), detected from the content; a directory gives every `.json`, `.jsonl`,
/// `.ndjson` and `.xml` file below it, in path order. Each record keeps its own result; a file
/// that cannot be read gives one failed record (`errc::io_open_failed`, `errc::input_too_large`).
/// For the matcher: `ctm match --trials` accepts registry files through this.
CTM_EXPORT std::vector<trial_record> read_trials_any(const std::filesystem::path& path,
                                                     const registry_options& options = {});

/// Structured registry age text: "18 Years", "6 Months", "1 Year", "30 Days", "12 Weeks"; hours
/// and minutes count as 0 days. "N/A", "" and ages of 120 years or more give no limit (nullopt in
/// the result). Errors: `errc::invalid_duration`.
CTM_EXPORT result<std::optional<duration>> parse_registry_age(std::string_view text);

}  // namespace ctm::io
