// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/core/assert.hpp>
#include <ctm/core/error.hpp>
#include <ctm/version.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace ctm {

const char* version_string() noexcept {
#define CTM_STR2(x) #x
#define CTM_STR(x) CTM_STR2(x)
  return CTM_STR(CTM_VERSION_MAJOR) "." CTM_STR(CTM_VERSION_MINOR) "." CTM_STR(CTM_VERSION_PATCH);
#undef CTM_STR
#undef CTM_STR2
}

std::string_view error_module(errc code) noexcept {
  const auto n = static_cast<unsigned>(code);
  switch (n / 100) {
    case 1:
      return "core";
    case 2:
      return "io";
    case 3:
      return "vocab";
    case 4:
      return "patient";
    case 5:
      return "history";
    case 6:
      return "rules";
    case 7:
      return "trial";
    case 8:
      return "match";
    default:
      return "unknown";
  }
}

std::string_view error_name(errc code) noexcept {
  switch (code) {
    case errc::invalid_date:
      return "invalid_date";
    case errc::date_out_of_range:
      return "date_out_of_range";
    case errc::unknown_unit:
      return "unknown_unit";
    case errc::incompatible_units:
      return "incompatible_units";
    case errc::needs_molar_mass:
      return "needs_molar_mass";
    case errc::not_a_number:
      return "not_a_number";
    case errc::invalid_duration:
      return "invalid_duration";
    case errc::io_open_failed:
      return "open_failed";
    case errc::json_syntax:
      return "json_syntax";
    case errc::json_schema:
      return "json_schema";
    case errc::unsupported_schema_version:
      return "unsupported_schema_version";
    case errc::tsv_syntax:
      return "tsv_syntax";
    case errc::input_too_large:
      return "input_too_large";
    case errc::unknown_field:
      return "unknown_field";
    case errc::unsupported_format:
      return "unsupported_format";
    case errc::xml_syntax:
      return "xml_syntax";
    case errc::duplicate_code:
      return "duplicate_code";
    case errc::unknown_parent:
      return "unknown_parent";
    case errc::vocabulary_cycle:
      return "cycle";
    case errc::empty_name:
      return "empty_name";
    case errc::unknown_code:
      return "unknown_code";
    case errc::multiple_roots:
      return "multiple_roots";
    case errc::invalid_code:
      return "invalid_code";
    case errc::empty_vocabulary:
      return "empty_vocabulary";
    case errc::invalid_range:
      return "invalid_range";
    case errc::invalid_value:
      return "invalid_value";
    case errc::inconsistent_dates:
      return "inconsistent_dates";
    case errc::missing_value:
      return "missing_value";
    case errc::ignored_record:
      return "ignored_record";
    case errc::ambiguous_date:
      return "ambiguous_date";
    case errc::invalid_id:
      return "invalid_id";
    case errc::duplicate_id:
      return "duplicate_id";
    case errc::value_out_of_range:
      return "value_out_of_range";
    case errc::missing_text:
      return "missing_text";
    case errc::unknown_trial:
      return "unknown_trial";
    case errc::rule_syntax:
      return "syntax";
    case errc::rule_type:
      return "type";
    case errc::rule_unknown_name:
      return "unknown_name";
    case errc::rule_too_deep:
      return "too_deep";
    case errc::rule_too_large:
      return "too_large";
    case errc::rule_unknown_code:
      return "unknown_code";
    case errc::rule_unit:
      return "unit";
    case errc::rule_definition_cycle:
      return "definition_cycle";
    case errc::rule_duplicate_definition:
      return "duplicate_definition";
    case errc::rule_never_met:
      return "never_met";
    case errc::rule_always_met:
      return "always_met";
    case errc::rule_overlap:
      return "overlap";
    case errc::rule_dead_branch:
      return "dead_branch";
    case errc::rule_unused_definition:
      return "unused_definition";
    case errc::rule_suspicious_threshold:
      return "suspicious_threshold";
    case errc::rule_no_vocabulary:
      return "no_vocabulary";
  }
  return "unknown";
}

std::string error_tag(errc code) {
  std::string tag = "ctm.";
  tag += error_module(code);
  tag += '.';
  tag += error_name(code);
  tag += '.';
  tag += std::to_string(static_cast<unsigned>(code));
  return tag;
}

std::string to_string(const location& where) {
  std::string out = where.file;
  if (where.line != 0) {
    out += out.empty() ? "" : ":";
    out += std::to_string(where.line);
    if (where.column != 0) {
      out += ':';
      out += std::to_string(where.column);
    }
  }
  if (!where.pointer.empty()) {
    out += '#';
    out += where.pointer;
  }
  return out;
}

std::string to_string(const error& e) {
  std::string out = "[" + error_tag(e.code) + "] ";
  const std::string where = to_string(e.where);
  if (!where.empty()) out += where + ": ";
  out += e.message;
  return out;
}

exception::exception(ctm::error e) : std::runtime_error(to_string(e)), error_(std::move(e)) {}

namespace detail {
void assert_fail(const char* condition, const char* file, int line) noexcept {
  std::fprintf(stderr, "ctm: assertion failed: %s (%s:%d)\n", condition, file, line);
  std::abort();
}
}  // namespace detail

}  // namespace ctm
