// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/rules/diagnostic.hpp>

#include <algorithm>

namespace ctm::rules {

std::string_view to_string(severity s) noexcept {
  switch (s) {
    case severity::error:
      return "error";
    case severity::warning:
      return "warning";
    case severity::info:
      break;
  }
  return "info";
}

ctm::error to_error(const diagnostic& d) {
  return ctm::error{d.code, d.message, ctm::location{d.file, d.span.line, d.span.column, {}}};
}

std::string to_string(const diagnostic& d) {
  std::string out = d.file;
  out += ':' + std::to_string(d.span.line) + ':' + std::to_string(d.span.column) + ": ";
  out += to_string(d.severity);
  out += ": [" + error_tag(d.code) + "] " + d.message;
  return out;
}

std::string format(const diagnostic& d, std::string_view source) {
  std::string out = to_string(d);
  if (source.empty()) return out;
  const std::size_t offset = std::min<std::size_t>(d.span.offset, source.size());
  const std::size_t newline = offset == 0 ? std::string_view::npos : source.rfind('\n', offset - 1);
  const std::size_t begin = newline == std::string_view::npos ? 0 : newline + 1;
  std::size_t end = source.find('\n', offset);
  if (end == std::string_view::npos) end = source.size();
  std::string_view line = source.substr(begin, end - begin);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  out += "\n  ";
  out += line;
  out += "\n  ";
  for (std::size_t i = begin; i < offset; ++i) out += source[i] == '\t' ? '\t' : ' ';
  out += '^';
  const std::size_t line_end = begin + line.size();
  const std::size_t span_end = std::min<std::size_t>(offset + d.span.length, line_end);
  for (std::size_t i = offset + 1; i < span_end; ++i) out += '~';
  return out;
}

std::string format(const std::vector<diagnostic>& diagnostics, std::string_view source) {
  std::string out;
  for (const diagnostic& d : diagnostics) {
    if (!out.empty()) out += '\n';
    out += format(d, source);
  }
  return out;
}

bool has_errors(const std::vector<diagnostic>& diagnostics) noexcept {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const diagnostic& d) { return d.severity == severity::error; });
}

}  // namespace ctm::rules
