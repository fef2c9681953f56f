// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/export.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace ctm {

/// The scale of a performance-status score: ECOG (= WHO, Zubrod) 0-5, Karnofsky 0-100 in steps of
/// 10 (domain definitions, section 4.2). The record keeps the scale as measured; conversion
/// between scales is a derived fact.
enum class performance_scale : std::uint8_t { ecog, karnofsky };

/// One performance-status score as recorded. `value` is stored even when impossible for the scale
/// (ECOG 7) so that `validate` can report it; later stages ignore such values.
/// Thread-safety: a value type.
struct performance_status {
  performance_scale scale = performance_scale::ecog;
  std::int32_t value = 0;
  std::optional<partial_date> date;

  friend bool operator==(const performance_status&, const performance_status&) = default;
};

CTM_EXPORT std::string_view to_string(performance_scale s) noexcept;
CTM_EXPORT std::optional<performance_scale> parse_performance_scale(std::string_view text) noexcept;

}  // namespace ctm
