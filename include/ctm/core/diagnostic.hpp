// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/error.hpp>
#include <ctm/export.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ctm {

/// How serious a diagnostic is. An `error` marks a value that later stages must ignore (an ECOG of
/// 7, an end date before its start); a `warning` marks something suspicious that is still used.
enum class severity : std::uint8_t { warning, error };

/// "warning" or "error".
CTM_EXPORT std::string_view to_string(severity s) noexcept;

/// One finding about otherwise readable input: a severity plus an `error` (code, message without
/// patient values, location). Thread-safety: a value type.
struct diagnostic {
  ctm::severity severity = severity::error;
  ctm::error error;

  friend bool operator==(const diagnostic&, const diagnostic&) = default;
};

/// "error: [ctm.patient.invalid_value.400] file#/performance_status/0/value: ECOG must be 0-5".
CTM_EXPORT std::string to_string(const diagnostic& d);

/// True when any diagnostic in `diagnostics` has severity `error`.
CTM_EXPORT bool has_errors(const std::vector<diagnostic>& diagnostics) noexcept;

}  // namespace ctm
