// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/core/date.hpp>
#include <ctm/core/quantity.hpp>
#include <ctm/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ctm {

/// A qualitative laboratory result ("HBsAg negative").
enum class qualitative_result : std::uint8_t { positive, negative, indeterminate };

/// The comparator of a censored numeric result: "< 20 {copies}/mL" is `less` with value 20.
enum class comparator : std::uint8_t { less, less_or_equal, greater, greater_or_equal };

/// A reference range in the unit of the result's value; either bound may be absent. The upper
/// bound is the upper limit of normal (ULN) that "<= 1.5 x ULN" criteria use.
struct reference_range {
  std::optional<double> low;
  std::optional<double> high;

  friend bool operator==(const reference_range&, const reference_range&) = default;
};

/// One laboratory result. At least one of `analyte` and `loinc` names what was measured, and at
/// least one of `value` and `qualitative` holds the result. Thread-safety: a value type.
struct lab_result {
  std::string analyte;  ///< local analyte code or name ("creatinine", "m_protein"); may be empty
  std::string loinc;    ///< LOINC code ("2160-0"); may be empty
  std::optional<quantity> value;
  std::optional<ctm::comparator> comparator;  ///< set only for censored values ("< 20")
  std::optional<qualitative_result> qualitative;
  std::optional<reference_range> range;
  std::optional<partial_date> date;  ///< specimen collection date

  friend bool operator==(const lab_result&, const lab_result&) = default;
};

CTM_EXPORT std::string_view to_string(qualitative_result r) noexcept;
CTM_EXPORT std::optional<qualitative_result> parse_qualitative_result(
    std::string_view text) noexcept;
/// "<", "<=", ">", ">=".
CTM_EXPORT std::string_view to_string(comparator c) noexcept;
CTM_EXPORT std::optional<comparator> parse_comparator(std::string_view text) noexcept;

}  // namespace ctm
