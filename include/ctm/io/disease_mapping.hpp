// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/result.hpp>
#include <ctm/export.hpp>
#include <ctm/vocab/ontology.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

/// Mapping registry condition text and clinical codes to OncoTree disease codes
/// (data/mappings/diseases.tsv, docs/import.md).
namespace ctm::io {

/// The code systems a mapping table row can name.
enum class mapping_system : std::uint8_t {
  phrase,   ///< registry condition wording, matched after normalisation
  mesh,     ///< a MeSH descriptor term ("Breast Neoplasms")
  snomed,   ///< a SNOMED CT concept id ("254837009")
  icd10cm,  ///< an ICD-10-CM code or category ("C50.911", "C50")
  icdo3,    ///< an ICD-O-3 morphology code ("8500/3")
};

/// "phrase", "mesh", "snomed", "icd10cm", "icdo3".
CTM_EXPORT std::string_view to_string(mapping_system s) noexcept;
CTM_EXPORT std::optional<mapping_system> parse_mapping_system(std::string_view text) noexcept;

/// The code system named by a FHIR `Coding.system` URI: SNOMED CT, ICD-10-CM (and ICD-10),
/// ICD-O-3. Empty for other systems.
CTM_EXPORT std::optional<mapping_system> mapping_system_of_uri(std::string_view uri) noexcept;

/// Lower case, letters and digits only, words separated by one space; British spellings made
/// American ("leukaemia", "tumour", "oesophageal") so either matches.
CTM_EXPORT std::string normalize_condition(std::string_view text);

/// `normalize_condition`, then without the qualifiers that do not change the disease: relapsed,
/// refractory, recurrent, advanced, metastatic, unresectable, stage N, AJCC vN, previously
/// treated, newly diagnosed, adult, childhood, biomarker qualifiers ("EGFR mutant", "HER2
/// positive") and the like, and with a plural disease word made singular ("tumors" -> "tumor").
/// "Relapsed/Refractory Multiple Myeloma" -> "multiple myeloma".
CTM_EXPORT std::string strip_condition_qualifiers(std::string_view text);

namespace detail {
struct disease_mapper_impl;
}

/// A table of code and phrase mappings to OncoTree codes, read from a TSV file.
/// Thread-safety: immutable; copies share state and may be used from any thread.
class CTM_EXPORT disease_mapper {
 public:
  /// An empty table: every lookup falls through to the ontology.
  disease_mapper();

  /// Number of rows.
  [[nodiscard]] std::size_t size() const noexcept;

  /// The OncoTree code for a code of `system`. ICD-10-CM codes fall back to shorter prefixes
  /// ("C50.911" -> "C50.91" -> "C50.9" -> "C50"); codes compare without case or dots.
  [[nodiscard]] std::optional<std::string> map_code(mapping_system system,
                                                    std::string_view code) const;

  /// The OncoTree code for a registry condition ("Relapsed/Refractory Multiple Myeloma",
  /// "NSCLC (Advanced Non-small Cell Lung Cancer)"), trying in turn the whole text, the text
  /// without parenthesised parts, the parenthesised part, and each part of a '/' or ',' list,
  /// each as written and with qualifiers stripped; for each, the table's phrases, the table's
  /// MeSH terms, then `ontology->find_by_name` (names and synonyms) when an ontology is given.
  /// A code from the table that `ontology` does not know is skipped.
  [[nodiscard]] std::optional<std::string> map_condition(std::string_view text,
                                                         const vocab::ontology* ontology) const;

  /// Returns this table with `other`'s rows added; on a key both define, `other` wins.
  [[nodiscard]] disease_mapper extended(const disease_mapper& other) const;

 private:
  friend result<disease_mapper> read_disease_mappings(std::string_view, std::string_view);
  explicit disease_mapper(std::shared_ptr<const detail::disease_mapper_impl> impl);
  std::shared_ptr<const detail::disease_mapper_impl> impl_;
};

/// Reads a mapping table (columns `system`, `key`, `code`, optional `label`; '#' comments).
/// Errors: `errc::tsv_syntax` (no header, a missing column, a row with too few fields, an unknown
/// system, an empty key or code, each with its line), `errc::input_too_large` (over 16 MiB).
CTM_EXPORT result<disease_mapper> read_disease_mappings(std::string_view text,
                                                        std::string_view source_name);
/// Reads a mapping table file. Errors: `errc::io_open_failed` and the reader's errors.
CTM_EXPORT result<disease_mapper> load_disease_mappings(const std::filesystem::path& file);
/// The table built into the library (data/mappings/diseases.tsv), parsed once.
CTM_EXPORT result<disease_mapper> bundled_disease_mappings();

}  // namespace ctm::io
