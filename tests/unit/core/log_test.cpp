// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "core/logging.hpp"  // private: lets the test emit a record as the library would

#include <ctm/core/log.hpp>

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

TEST_SUITE("core.log") {
  TEST_CASE("records reach the host's handler at or above the level, and nothing else") {
    std::vector<std::string> seen;
    ctm::set_log_handler([&](ctm::log_level, std::string_view m) { seen.emplace_back(m); });
    ctm::set_log_level(ctm::log_level::info);
    CHECK(ctm::get_log_level() == ctm::log_level::info);
    ctm::detail::logger().debug("dropped");
    ctm::detail::logger().info("kept {}", 1);
    REQUIRE(seen.size() == 1);
    CHECK(seen[0] == "kept 1");
    ctm::set_log_handler({});
    ctm::detail::logger().warn("discarded without a handler");
    CHECK(seen.size() == 1);
  }

  TEST_CASE("a throwing handler never escapes into the caller") {
    ctm::set_log_handler([](ctm::log_level, std::string_view) { throw std::runtime_error("x"); });
    CHECK_NOTHROW(ctm::detail::logger().error("boom"));
    ctm::set_log_handler({});
    ctm::set_log_level(ctm::log_level::warn);
  }

  TEST_CASE("level names parse") {
    ctm::log_level level = ctm::log_level::off;
    CHECK(ctm::parse_log_level("DEBUG", level));
    CHECK(level == ctm::log_level::debug);
    CHECK(ctm::parse_log_level("warning", level));
    CHECK(level == ctm::log_level::warn);
    CHECK_FALSE(ctm::parse_log_level("loud", level));
    CHECK(level == ctm::log_level::warn);
  }
}
