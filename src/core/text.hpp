// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private: small text helpers the readers and the rule extractor share. Only src/ may include
// this header.
#include <string>
#include <string_view>

namespace ctm::detail {

/// Whether `c` is ASCII white space (space, tab, line feed, carriage return, form feed,
/// vertical tab), independent of the locale.
constexpr bool is_ascii_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// One-line text: each run of white space made one space, both ends trimmed.
inline std::string collapse_space(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (const char c : text) {
    if (is_ascii_space(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace ctm::detail
