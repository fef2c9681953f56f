// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/export.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ctm {

/// Stable error ids. The number is part of the public contract: it appears in messages as
/// `[ctm.<module>.<name>.<number>]`, is documented in docs/errors.md and is never reused.
/// Ranges: 1xx core, 2xx io, 3xx vocab, 4xx patient, 5xx history, 6xx rules, 7xx trial, 8xx match.
enum class errc : std::uint16_t {
  // core
  invalid_date = 100,        ///< a date string is not an ISO 8601 calendar date
  date_out_of_range = 101,   ///< a date is valid text but outside the supported years
  unknown_unit = 110,        ///< a unit code is not one ctm knows
  incompatible_units = 111,  ///< two units measure different things
  needs_molar_mass = 112,    ///< mass <-> substance conversion without the analyte's molar mass
  not_a_number = 113,        ///< a numeric field holds no finite number
  invalid_duration = 114,    ///< a duration string is not "<n> <unit>"
  // io
  io_open_failed = 200,  ///< a file or directory cannot be read
  json_syntax = 201,     ///< malformed JSON text
  json_schema = 202,     ///< JSON that does not have the documented shape
  unsupported_schema_version = 203,
  tsv_syntax = 204,       ///< a malformed row in a tab-separated file
  input_too_large = 205,  ///< an input exceeds a documented size limit
  // vocab
  duplicate_code = 300,    ///< a code is defined twice
  unknown_parent = 301,    ///< a parent code is not defined
  vocabulary_cycle = 302,  ///< the parent links form a cycle
  empty_name = 303,        ///< a concept without a name
  unknown_code = 304,      ///< a code is not in the vocabulary
  // patient
  invalid_value = 400,       ///< a recorded value is impossible (ECOG 7, a negative diameter)
  inconsistent_dates = 401,  ///< an end before its start, an assessment before birth
  // rules
  rule_syntax = 600,
  rule_type = 601,
  rule_unknown_name = 602,
  rule_too_deep = 603,
  rule_too_large = 604,
};

/// The module part of the tag, e.g. "core" for errc::invalid_date.
CTM_EXPORT std::string_view error_module(errc code) noexcept;
/// The name part of the tag, e.g. "invalid_date".
CTM_EXPORT std::string_view error_name(errc code) noexcept;
/// The full tag, e.g. "ctm.core.invalid_date.100".
CTM_EXPORT std::string error_tag(errc code);

/// Where an input problem is: a file, a line and column (1-based; 0 = not known) and/or a JSON
/// pointer. Never holds the value found there, so it can be logged without leaking patient data.
struct location {
  std::string file;          ///< path or logical name ("<stdin>", "bundled:diseases"); may be empty
  std::uint32_t line = 0;    ///< 1-based line, 0 when not known
  std::uint32_t column = 0;  ///< 1-based column, 0 when not known
  std::string pointer;       ///< RFC 6901 JSON pointer, e.g. "/treatments/3/start"; may be empty

  friend bool operator==(const location&, const location&) = default;
};

/// "file:line:column", "file#/pointer", "file:line:column#/pointer" or "" as the fields allow.
CTM_EXPORT std::string to_string(const location& where);

/// A failure to read or interpret input. The message says what is wrong and the location says
/// where; neither may contain a patient's values or identifiers.
struct error {
  errc code{};
  std::string message;
  ctm::location where;

  friend bool operator==(const error&, const error&) = default;
};

/// "[ctm.core.invalid_date.100] file:3:7: expected a date as YYYY-MM-DD".
CTM_EXPORT std::string to_string(const error& e);

/// The one exception type ctm throws, only from `*_or_throw` wrappers and `result::value()`.
class CTM_EXPORT exception : public std::runtime_error {
 public:
  explicit exception(ctm::error e);
  [[nodiscard]] const ctm::error& error() const noexcept { return error_; }
  [[nodiscard]] errc code() const noexcept { return error_.code; }

 private:
  ctm::error error_;
};

}  // namespace ctm
