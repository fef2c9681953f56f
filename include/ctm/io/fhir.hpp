// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/diagnostic.hpp>
#include <ctm/core/result.hpp>
#include <ctm/export.hpp>
#include <ctm/io/disease_mapping.hpp>
#include <ctm/io/patient_json.hpp>
#include <ctm/patient/patient.hpp>
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

/// Reading FHIR R4 / mCODE bundles into patient records (docs/import.md).
namespace ctm::io {

/// Options of the FHIR reader.
struct fhir_options {
  /// Logical name of the input, copied into every location.
  std::string source_name;
  /// Maps Condition codes (SNOMED CT, ICD-10-CM, ICD-O-3) to OncoTree; absent: the bundled table.
  std::optional<disease_mapper> mappings;
  /// The disease hierarchy codes are checked against and names looked up in; absent: bundled.
  std::optional<vocab::ontology> diseases;
  /// Medications are mapped to this catalog by RxNorm code, then by name; absent: bundled.
  std::optional<vocab::drug_catalog> drugs;
  /// Laboratory results are kept when their LOINC code is in this catalog; absent: bundled.
  std::optional<vocab::lab_catalog> labs;
  /// Run `ctm::validate` on the imported record and append its diagnostics (their pointers name
  /// members of the native patient document, e.g. `/performance/0/value`).
  bool validate = true;
  /// Largest accepted bundle (a whole text, or one JSON Lines line), in bytes.
  std::size_t max_bytes = std::size_t{64} * 1024 * 1024;
  /// Deepest accepted nesting of JSON arrays and objects.
  std::size_t max_depth = 64;
};

/// A bundle resource that was read but not turned into any part of the record, and why.
struct skipped_resource {
  std::string pointer;        ///< "/entry/12/resource"
  std::string resource_type;  ///< "Encounter", "Observation", ...
  std::string reason;         ///< "resource type not used", "observation code not recognised", ...

  friend bool operator==(const skipped_resource&, const skipped_resource&) = default;
};

/// One imported patient: the record with its diagnostics, and what was left out.
struct fhir_patient {
  patient_document document;
  std::vector<skipped_resource> skipped;
  std::size_t resources = 0;  ///< resources in the bundle that belong to this patient

  friend bool operator==(const fhir_patient&, const fhir_patient&) = default;
};

/// One patient of a FHIR input: imported, or the reason it was not.
struct fhir_record {
  std::size_t index = 0;   ///< 0-based position among the patients of the input
  std::uint32_t line = 0;  ///< 1-based line (JSON Lines), 0 otherwise
  result<fhir_patient> patient;
};

/// Reads FHIR R4 JSON: a Bundle (collection, transaction, batch, searchset, document), an array of
/// bundles, JSON Lines of bundles, or a bare Patient resource. Each Patient in a bundle gives one
/// record holding the resources whose `subject`/`patient` refers to it (every resource, when the
/// bundle has one Patient). What is read: Patient (birth date, gender, address geolocation),
/// Condition (primary and secondary cancers, other conditions), Observation (labs by LOINC with
/// UCUM units and reference ranges; ECOG 89247-1 and Karnofsky 89243-0; tumour markers; genomic
/// variants and reports; cancer disease status 97509-4; stage and TNM; tumour size; weight and
/// height), MedicationAdministration/Request/Statement (RxNorm or name mapped to the drug catalog;
/// dates), Procedure (radiotherapy, surgery, transplant, CAR-T) and the references between them.
/// Errors (nothing imported): `errc::json_syntax`, `errc::input_too_large`, `errc::json_schema`
/// (not a Bundle, entry not an array), `errc::unsupported_format` (no Patient resource).
/// Diagnostics (imported): impossible scores made unknown, unreadable dates and units, a missing
/// birth date, unmapped codes and medications; messages never contain patient values.
/// Thread-safety: reentrant.
CTM_EXPORT std::vector<fhir_record> read_fhir(std::string_view text,
                                              const fhir_options& options = {});

/// Patients from a file of either ctm's native patient JSON (`read_patients`) or FHIR
/// (`read_fhir`), detected from the content (`"resourceType"` at the top level means FHIR); a
/// directory gives every `.json`, `.jsonl` and `.ndjson` file below it, in path order. A file
/// that cannot be read gives one failed record. For the matcher: `ctm match --patients` accepts
/// FHIR bundles through this.
CTM_EXPORT std::vector<patient_record> read_patients_any(const std::filesystem::path& path,
                                                         const fhir_options& options = {});

/// True when `text` looks like FHIR JSON (a top-level `resourceType` member).
CTM_EXPORT bool is_fhir_json(std::string_view text);

}  // namespace ctm::io
