// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/error.hpp>
#include <ctm/export.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ctm::rules {

/// Where a piece of rule text is: a byte range plus the 1-based line and column of its first
/// byte. Thread-safety: a value type.
struct source_span {
  std::uint32_t offset = 0;  ///< byte offset of the first character
  std::uint32_t length = 0;  ///< length in bytes (0 for a point, e.g. the end of the text)
  std::uint32_t line = 1;    ///< 1-based line
  std::uint32_t column = 1;  ///< 1-based column, counted in bytes

  friend bool operator==(const source_span&, const source_span&) = default;
};

/// How serious a rule diagnostic is. Only `error` stops a rule from compiling; `warning` and
/// `info` come from the checker and the linter (`ctm lint` exits non-zero on errors only).
enum class severity : std::uint8_t { error, warning, info };

/// "error", "warning" or "info".
CTM_EXPORT std::string_view to_string(severity s) noexcept;

/// One finding about rule text, with a stable error id and the span it is about. The message
/// names rule constructs and codes, never a patient's values (rules hold no patient data).
/// Thread-safety: a value type.
struct diagnostic {
  rules::severity severity = severity::error;
  errc code = errc::rule_syntax;
  std::string message;
  source_span span;
  std::string file;  ///< the rule's source name ("<rule>", "defs.rules", a criterion id)

  friend bool operator==(const diagnostic&, const diagnostic&) = default;
};

/// The diagnostic as a `ctm::error` (code, message, file:line:column).
CTM_EXPORT ctm::error to_error(const diagnostic& d);

/// "file:3:7: error: [ctm.rules.syntax.600] expected ')'", one line, no source text.
CTM_EXPORT std::string to_string(const diagnostic& d);

/// The one-line form followed by the offending source line and a caret line under the span:
///
///     defs.rules:2:16: error: [ctm.rules.unit.606] ...
///       lab(anc) >= 1.5 [mg/dL]
///                       ^~~~~~~
///
/// `source` is the full rule text the span refers to. Tabs in the line are kept so the caret
/// lines up; a span past the end of the text points after the last character.
CTM_EXPORT std::string format(const diagnostic& d, std::string_view source);

/// Every diagnostic formatted, separated by newlines (empty for no diagnostics).
CTM_EXPORT std::string format(const std::vector<diagnostic>& diagnostics, std::string_view source);

/// True when any diagnostic has severity `error`.
CTM_EXPORT bool has_errors(const std::vector<diagnostic>& diagnostics) noexcept;

}  // namespace ctm::rules
