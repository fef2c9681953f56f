// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/diagnostic.hpp>
#include <ctm/core/result.hpp>
#include <ctm/export.hpp>
#include <ctm/trial/trial.hpp>
#include <ctm/trial/validate.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

/// The native JSON format of a trial document (docs/formats/trial.md,
/// docs/schemas/trial.schema.json).
namespace ctm::io {

/// The trial schema version this library reads and writes.
inline constexpr int trial_schema_version = 1;

/// Options of the trial readers.
struct trial_read_options {
  /// Logical name of the input ("data/trials/NCT02465060.json", "<stdin>"), copied into every
  /// location.
  std::string source_name;
  /// Members the format does not define are warnings (`errc::unknown_field`) by default; with
  /// `strict` the first one fails the read with the same code.
  bool strict = false;
  /// Run `ctm::validate(const trial&)` on a successfully read trial and append its diagnostics.
  bool validate = true;
  /// Passed to `validate`: checks disease codes when set.
  trial_validate_options validation;
  /// Largest accepted document (a single object, an array, or one JSON Lines line), in bytes.
  std::size_t max_bytes = std::size_t{64} * 1024 * 1024;
  /// Deepest accepted nesting of JSON arrays and objects (the format itself needs 7).
  std::size_t max_depth = 32;
};

/// A successfully read trial and what was found wrong with it.
struct trial_document {
  ctm::trial trial;
  std::vector<diagnostic> diagnostics;

  friend bool operator==(const trial_document&, const trial_document&) = default;
};

/// Reads one trial object. Errors (the document is unusable): `errc::json_syntax` with line and
/// column, `errc::input_too_large`, `errc::json_schema` (wrong type, missing required member,
/// unknown enumeration value, a confidence on a curated criterion),
/// `errc::unsupported_schema_version`, `errc::invalid_date`, `errc::date_out_of_range`, and
/// `errc::unknown_field` when strict; each with the JSON pointer of the offending member.
/// Thread-safety: reentrant.
CTM_EXPORT result<trial_document> read_trial(std::string_view json,
                                             const trial_read_options& options = {});
/// `read_trial` with default options and the given source name.
CTM_EXPORT result<trial_document> read_trial(std::string_view json, std::string_view source_name);

/// Canonical JSON of `t`: members in the documented order, empty strings and lists and absent
/// optionals omitted (except a criterion's `rule`, written as null when absent), two-space
/// indentation, a final newline. Deterministic, and `read_trial(write_trial(t))->trial == t` for
/// every trial whose numbers are finite and whose curated criteria carry no extractor data.
CTM_EXPORT std::string write_trial(const trial& t);

/// The same JSON on one line (no indentation) with a final newline: one record of a JSON Lines
/// file, which the readers accept. Deterministic. Thread-safety: reentrant.
CTM_EXPORT std::string write_trial_line(const trial& t);

/// One record of a multi-record input.
struct trial_record {
  std::size_t index = 0;   ///< 0-based position among the records
  std::uint32_t line = 0;  ///< 1-based line where the record starts; 0 when not known
  result<trial_document> document;
};

/// Reads many trials from a single JSON object, a JSON array of objects, or JSON Lines (one
/// object per line; blank lines are skipped). Each record is read independently, so one bad
/// record does not lose the others; a failed record keeps its place with its error, carrying its
/// line (JSON Lines) or a pointer prefixed with its array index. An input that is not readable
/// at all gives one failed record; an empty input gives none. The size limit applies to the whole
/// text for an object or array and to each line for JSON Lines. Thread-safety: reentrant.
CTM_EXPORT std::vector<trial_record> read_trials(std::string_view text,
                                                 const trial_read_options& options = {});
/// `read_trials` with default options and the given source name.
CTM_EXPORT std::vector<trial_record> read_trials(std::string_view text,
                                                 std::string_view source_name);

}  // namespace ctm::io
