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
  io_open_failed = 200,              ///< a file or directory cannot be read
  json_syntax = 201,                 ///< malformed JSON text
  json_schema = 202,                 ///< JSON that does not have the documented shape
  unsupported_schema_version = 203,  ///< a document's schema_version this reader does not know
  tsv_syntax = 204,                  ///< a malformed row in a tab-separated file
  input_too_large = 205,             ///< an input exceeds a documented size limit
  unknown_field = 206,               ///< a JSON member the format does not define
  unsupported_format =
      207,           ///< input in a format the reader does not read (a FHIR bundle as a trial)
  xml_syntax = 208,  ///< malformed XML text
  // vocab
  duplicate_code = 300,    ///< a code is defined twice
  unknown_parent = 301,    ///< a parent code is not defined
  vocabulary_cycle = 302,  ///< the parent links form a cycle
  empty_name = 303,        ///< a concept without a name
  unknown_code = 304,      ///< a code is not in the vocabulary
  multiple_roots = 305,    ///< a tree vocabulary with more than one root
  invalid_code = 306,      ///< a code that is empty, malformed or reserved
  empty_vocabulary = 307,  ///< a vocabulary file that defines nothing
  invalid_range = 308,     ///< a reference range with low above high
  // patient
  invalid_value = 400,       ///< a recorded value is impossible (ECOG 7, a negative diameter)
  inconsistent_dates = 401,  ///< an end before its start, an assessment before birth
  missing_value = 402,       ///< a fact the record needs is absent (an assessment without a date)
  // history
  ignored_record = 500,  ///< a record a derivation had to leave out (undated, after the as-of date)
  ambiguous_date = 501,  ///< a partial date leaves a derived boundary or window undecided
  // rules
  rule_syntax = 600,            ///< rule text that does not follow the grammar
  rule_type = 601,              ///< an operand of the wrong type (a unit on ECOG, a number for sex)
  rule_unknown_name = 602,      ///< a fact, function or definition the language does not know
  rule_too_deep = 603,          ///< nesting deeper than the configured limit
  rule_too_large = 604,         ///< rule text or expression larger than the configured limit
  rule_unknown_code = 605,      ///< a disease, drug or analyte code not in the vocabulary
  rule_unit = 606,              ///< a unit that cannot be converted to or from the fact's unit
  rule_definition_cycle = 607,  ///< definitions that refer to themselves
  rule_duplicate_definition = 608,  ///< a name defined twice
  rule_never_met = 609,             ///< a criterion or range that no patient can meet
  rule_always_met = 610,            ///< a criterion every patient meets
  rule_overlap = 611,               ///< an inclusion and an exclusion that overlap
  rule_dead_branch = 612,           ///< a conditional branch that can never be taken
  rule_unused_definition = 613,     ///< a definition no criterion uses
  rule_suspicious_threshold = 614,  ///< a threshold outside the fact's plausible range
  rule_no_vocabulary = 615,         ///< a code given but no vocabulary to check it against
  // trial
  invalid_id = 700,          ///< a trial id that is not an NCT id, a malformed criterion or arm id
  duplicate_id = 701,        ///< a criterion, arm or definition id used twice in one trial
  value_out_of_range = 702,  ///< a latitude, longitude or confidence outside its range
  missing_text = 703,        ///< a trial without a title, a criterion without text
  // match
  unknown_trial = 800,  ///< no trial with this id in the catalog being matched against
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
