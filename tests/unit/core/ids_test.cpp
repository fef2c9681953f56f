// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/core/ids.hpp>

#include <doctest/doctest.h>

#include <type_traits>
#include <unordered_set>

static_assert(!std::is_convertible_v<ctm::concept_id, ctm::drug_id>,
              "ids of different kinds must not convert into each other");

TEST_SUITE("core.ids") {
  TEST_CASE("ids default to invalid, compare and hash") {
    ctm::concept_id none;
    CHECK_FALSE(none.is_valid());
    CHECK(none == ctm::concept_id::invalid());
    const ctm::concept_id a{1};
    const ctm::concept_id b{2};
    CHECK(a.is_valid());
    CHECK(a < b);
    std::unordered_set<ctm::concept_id> set{a, b, a};
    CHECK(set.size() == 2);
  }
}
