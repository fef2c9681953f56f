// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Small text helpers shared by the printer, the checker and the evaluator. Private to src/rules.
#include <array>
#include <charconv>
#include <string>

namespace ctm::rules::detail {

/// The shortest text that reads back as `v` ("1.5", "100", "0.1"); "-0" prints as "0".
/// Plain decimal notation between 1e-6 and 1e15 ("100000", not "1e+05").
inline std::string format_number(double v) {
  if (v == 0.0) return "0";
  std::array<char, 64> buf{};
  const double magnitude = v < 0 ? -v : v;
  const auto format =
      magnitude >= 1e-6 && magnitude < 1e15 ? std::chars_format::fixed : std::chars_format::general;
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v, format);
  return {buf.data(), r.ptr};
}

}  // namespace ctm::rules::detail
