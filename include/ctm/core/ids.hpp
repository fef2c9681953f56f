// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <limits>

namespace ctm {

/// A typed small integer handle: a `concept_id` can never be passed where a `drug_id` is wanted.
///
/// Ids are dense indices assigned by the object that owns the table (an ontology, a catalog), so
/// they are only meaningful together with that object. The default value is `invalid()`.
template <class Tag>
struct strong_id {
  using underlying_type = std::uint32_t;
  underlying_type value = std::numeric_limits<underlying_type>::max();

  static constexpr strong_id invalid() noexcept { return {}; }
  [[nodiscard]] constexpr bool is_valid() const noexcept { return *this != invalid(); }

  friend constexpr auto operator<=>(strong_id, strong_id) = default;
};

using concept_id = strong_id<struct concept_tag>;  ///< a node of a disease hierarchy
using drug_id = strong_id<struct drug_tag>;        ///< a node of the drug catalog (drug or class)
using analyte_id = strong_id<struct analyte_tag>;  ///< a laboratory analyte

}  // namespace ctm

template <class Tag>
struct std::hash<ctm::strong_id<Tag>> {
  std::size_t operator()(ctm::strong_id<Tag> id) const noexcept {
    return std::hash<std::uint32_t>{}(id.value);
  }
};
