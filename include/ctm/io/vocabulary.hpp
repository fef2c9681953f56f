// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/result.hpp>
#include <ctm/export.hpp>
#include <ctm/vocab/drug_catalog.hpp>
#include <ctm/vocab/lab_catalog.hpp>
#include <ctm/vocab/ontology.hpp>

#include <cstddef>
#include <filesystem>
#include <string_view>

/// Readers for the vocabulary files (docs/vocabularies.md) and the bundled defaults.
///
/// Every reader returns either the whole vocabulary or the first error, whose location names the
/// source (`source_name`) and the line (TSV) or JSON pointer (JSON); it never throws and never
/// returns a partial vocabulary. Thread-safety: every function is safe to call concurrently.
namespace ctm::io {

/// Inputs larger than this are rejected with `errc::input_too_large`.
inline constexpr std::size_t max_vocabulary_bytes = std::size_t{64} << 20;

/// Reads a disease hierarchy from tab-separated text: ctm's `diseases.tsv` or OncoTree's flat
/// TSV. Lines starting with '#' are comments; the first other line is the header. Columns are
/// found by name: `code`, `name`, `parent` are required; `main_type`, `tissue`, `group`
/// (solid|liquid), `nci`, `umls` (',' or '|' separated) and `synonyms` ('|' separated) are
/// optional; other columns are ignored. Without a `group` column the group comes from the tissue:
/// Myeloid and Lymphoid are liquid, every other tissue solid.
/// Errors: `errc::tsv_syntax` (no header, a missing column, a row with the wrong number of
/// fields, a bad group), `errc::input_too_large`, and the `ontology_builder` errors.
CTM_EXPORT result<vocab::ontology> read_disease_tsv(std::string_view text,
                                                    std::string_view source_name);

/// Reads OncoTree's nested JSON release format (`{"TISSUE": {"code": ..., "children": {...}}}`).
/// Groups are derived from the tissue as for the flat TSV.
/// Errors: `errc::json_syntax` (with line and column), `errc::json_schema` (with the JSON
/// pointer), `errc::input_too_large`, and the `ontology_builder` errors.
CTM_EXPORT result<vocab::ontology> read_oncotree_json(std::string_view text,
                                                      std::string_view source_name);

/// Reads a drug catalog (schema_version 1). Errors: `errc::json_syntax`, `errc::json_schema`,
/// `errc::unsupported_schema_version`, `errc::input_too_large`, and the `drug_catalog_builder`
/// errors, each with the JSON pointer of the entry.
CTM_EXPORT result<vocab::drug_catalog> read_drug_catalog(std::string_view text,
                                                         std::string_view source_name);

/// Reads a drug catalog that extends `base`: its entries are added to the base's and may name the
/// base's classes as parents. A code the base already defines is `errc::duplicate_code`
/// (extending never silently overrides). The result's source name is "<base> + <source_name>".
CTM_EXPORT result<vocab::drug_catalog> read_drug_catalog(std::string_view text,
                                                         std::string_view source_name,
                                                         const vocab::drug_catalog& base);

/// Reads a lab catalog (schema_version 1); units are UCUM codes read with `ctm::parse_unit`.
/// Errors: as for the drug catalog, plus `errc::unknown_unit` and the `lab_catalog_builder`
/// errors.
CTM_EXPORT result<vocab::lab_catalog> read_lab_catalog(std::string_view text,
                                                       std::string_view source_name);

/// Reads a disease hierarchy file: OncoTree JSON when the file name ends in ".json" or the text
/// starts with '{', a TSV otherwise. Errors: `errc::io_open_failed` and the readers' errors.
CTM_EXPORT result<vocab::ontology> load_ontology(const std::filesystem::path& file);
CTM_EXPORT result<vocab::drug_catalog> load_drug_catalog(const std::filesystem::path& file);
/// Loads `file` as an extension of `base` (see `read_drug_catalog`).
CTM_EXPORT result<vocab::drug_catalog> load_drug_catalog(const std::filesystem::path& file,
                                                         const vocab::drug_catalog& base);
CTM_EXPORT result<vocab::lab_catalog> load_lab_catalog(const std::filesystem::path& file);

/// The vocabularies built into the library (data/vocab/), parsed on first use and then shared.
/// Their source name is "bundled". An error here means the library was built with broken data.
CTM_EXPORT result<vocab::ontology> bundled_ontology();
CTM_EXPORT result<vocab::drug_catalog> bundled_drug_catalog();
CTM_EXPORT result<vocab::lab_catalog> bundled_lab_catalog();

}  // namespace ctm::io
