// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/diagnostic.hpp>
#include <ctm/core/result.hpp>
#include <ctm/export.hpp>
#include <ctm/patient/patient.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

/// The native JSON format of a patient record (docs/formats/patient.md,
/// docs/schemas/patient.schema.json).
namespace ctm::io {

/// The schema version this library reads and writes.
inline constexpr int patient_schema_version = 1;

/// Options of the patient readers.
struct read_options {
  /// Logical name of the input ("patients.jsonl", "<stdin>"), copied into every location.
  std::string source_name;
  /// Members the format does not define are warnings (`errc::unknown_field`) by default; with
  /// `strict` the first one fails the read with the same code.
  bool strict = false;
  /// Run `ctm::validate` on a successfully read record and append its diagnostics.
  bool validate = true;
  /// Largest accepted document (a single object, an array, or one JSON Lines line), in bytes.
  std::size_t max_bytes = std::size_t{64} * 1024 * 1024;
  /// Deepest accepted nesting of JSON arrays and objects (the format itself needs 5).
  std::size_t max_depth = 32;
};

/// A successfully read record and what was found wrong with it. Diagnostics with severity
/// `error` name values that later stages ignore; the record itself keeps them as read.
struct patient_document {
  ctm::patient patient;
  std::vector<diagnostic> diagnostics;

  friend bool operator==(const patient_document&, const patient_document&) = default;
};

/// Reads one patient object. Errors (the record is unusable): `errc::json_syntax` with line and
/// column, `errc::input_too_large`, `errc::json_schema` (wrong type, missing required member,
/// unknown enumeration value), `errc::unsupported_schema_version`, `errc::invalid_date`,
/// `errc::date_out_of_range`, `errc::unknown_unit`, and `errc::unknown_field` when strict; each
/// with the JSON pointer of the offending member. Messages never repeat input values.
/// Thread-safety: reentrant.
CTM_EXPORT result<patient_document> read_patient(std::string_view json,
                                                 const read_options& options = {});

/// Canonical JSON of `p`: members in the documented order, absent optionals and empty strings
/// and lists omitted, two-space indentation, a final newline. Deterministic, and
/// `read_patient(write_patient(p))->patient == p` for every record whose numbers are finite.
CTM_EXPORT std::string write_patient(const patient& p);

/// The same JSON on one line (no indentation) with a final newline: one record of a JSON Lines
/// file, which the readers accept. Deterministic. Thread-safety: reentrant.
CTM_EXPORT std::string write_patient_line(const patient& p);

/// One record of a multi-record input.
struct patient_record {
  std::size_t index = 0;   ///< 0-based position among the records
  std::uint32_t line = 0;  ///< 1-based line where the record starts; 0 when not known
  result<patient_document> document;
};

/// Reads many patients from a single JSON object, a JSON array of objects, or JSON Lines (one
/// object per line; blank lines are skipped). Each record is read independently, so one bad
/// record does not lose the others; a record's errors carry its line (JSON Lines) or a pointer
/// prefixed with its array index. An input that is not readable at all gives one failed record.
/// The size limit applies to the whole text for an object or array and to each line for JSON
/// Lines. Thread-safety: reentrant.
CTM_EXPORT std::vector<patient_record> read_patients(std::string_view text,
                                                     const read_options& options = {});

}  // namespace ctm::io
