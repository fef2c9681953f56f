// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/core/diagnostic.hpp>

#include <algorithm>

namespace ctm {

std::string_view to_string(severity s) noexcept {
  return s == severity::warning ? "warning" : "error";
}

std::string to_string(const diagnostic& d) {
  std::string out{to_string(d.severity)};
  out += ": ";
  out += to_string(d.error);
  return out;
}

bool has_errors(const std::vector<diagnostic>& diagnostics) noexcept {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const diagnostic& d) { return d.severity == severity::error; });
}

}  // namespace ctm
