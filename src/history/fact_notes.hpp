// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Helpers shared by the response, lab and performance-status derivations (private).
#include <ctm/core/date.hpp>
#include <ctm/core/diagnostic.hpp>
#include <ctm/core/error.hpp>
#include <ctm/core/truth.hpp>

#include <chrono>
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

/// The closed window [as_of - span, as_of] with its ends computed once, for testing many dates
/// against it (the results of one lab analyte).
class lookback {
 public:
  lookback(date as_of, duration span) noexcept
      : first_(std::chrono::sys_days{subtract(as_of, span)}), last_(std::chrono::sys_days{as_of}) {}

  /// Whether every possible day of `d` lies in the window: yes, no, or unknown when some do
  /// (`is_on_or_before` of the first day and `d`, and of `d` and the last day, both yes).
  [[nodiscard]] truth contains(const partial_date& d) const noexcept {
    const std::chrono::sys_days earliest{d.earliest};
    const std::chrono::sys_days latest{d.latest};
    const truth after_start = first_ <= earliest ? truth::yes
                              : first_ > latest  ? truth::no
                                                 : truth::unknown;
    const truth before_end = latest <= last_    ? truth::yes
                             : earliest > last_ ? truth::no
                                                : truth::unknown;
    return all_of(after_start, before_end);
  }

 private:
  std::chrono::sys_days first_;
  std::chrono::sys_days last_;
};

/// Whether every possible day of `d` lies in the closed window [as_of - span, as_of].
inline truth in_lookback(const partial_date& d, date as_of, duration span) {
  return lookback(as_of, span).contains(d);
}

}  // namespace ctm::history::detail
