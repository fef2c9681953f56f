// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Helpers shared by the response, lab and performance-status derivations (private).
#include <ctm/core/date.hpp>
#include <ctm/core/diagnostic.hpp>
#include <ctm/core/error.hpp>
#include <ctm/core/truth.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctm::history::detail {

/// "/labs/7", "/labs/7/unit".
inline std::string pointer_to(std::string_view list, std::size_t index,
                              std::string_view field = {}) {
  std::string out = "/";
  out += list;
  out += '/';
  out += std::to_string(index);
  if (!field.empty()) {
    out += '/';
    out += field;
  }
  return out;
}

/// Appends a diagnostic; `message` must hold no recorded value.
inline void add_note(std::vector<diagnostic>& notes, severity level, errc code, std::string message,
                     std::string pointer) {
  notes.push_back(
      diagnostic{level, error{code, std::move(message), location{{}, 0, 0, std::move(pointer)}}});
}

/// Whether every possible day of `d` lies in the closed window [as_of - span, as_of].
inline truth in_lookback(const partial_date& d, date as_of, duration span) {
  const date first = subtract(as_of, span);
  const truth after_start = is_on_or_before(partial_date::exact(first), d);
  const truth before_end = is_on_or_before(d, partial_date::exact(as_of));
  return all_of(after_start, before_end);
}

}  // namespace ctm::history::detail
