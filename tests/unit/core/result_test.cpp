// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/core/result.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <string>

namespace {
ctm::result<int> half(int n) {
  if (n % 2 != 0) return ctm::error{ctm::errc::invalid_value, "odd", {"x", 1, 2, ""}};
  return n / 2;
}
}  // namespace

TEST_SUITE("core.result") {
  TEST_CASE("holds a value or an error") {
    const auto good = half(8);
    REQUIRE(good.has_value());
    CHECK(static_cast<bool>(good));
    CHECK(*good == 4);
    CHECK(good.value() == 4);
    const auto bad = half(3);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == ctm::errc::invalid_value);
    CHECK(bad.error().where == ctm::location{"x", 1, 2, ""});
    CHECK(bad.value_or(-1) == -1);
  }

  TEST_CASE("value() on an error throws ctm::exception with the tagged message") {
    const auto bad = half(3);
    CHECK_THROWS_AS(static_cast<void>(bad.value()), ctm::exception);
    try {
      static_cast<void>(bad.value());
    } catch (const ctm::exception& e) {
      CHECK(std::string(e.what()) == "[ctm.patient.invalid_value.400] x:1:2: odd");
    }
  }

  TEST_CASE("move-only values move out") {
    ctm::result<std::unique_ptr<int>> r(std::make_unique<int>(7));
    std::unique_ptr<int> p = std::move(r).value();
    CHECK(*p == 7);
    const ctm::status s = ctm::ok;
    CHECK(s.has_value());
  }
}
