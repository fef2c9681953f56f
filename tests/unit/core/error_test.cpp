// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/core/error.hpp>

#include <doctest/doctest.h>

#include <string>

TEST_SUITE("core.error") {
  TEST_CASE("tags name the module, the error and its stable number") {
    CHECK(ctm::error_tag(ctm::errc::invalid_date) == "ctm.core.invalid_date.100");
    CHECK(ctm::error_tag(ctm::errc::json_syntax) == "ctm.io.json_syntax.201");
    CHECK(ctm::error_tag(ctm::errc::vocabulary_cycle) == "ctm.vocab.cycle.302");
    CHECK(ctm::error_tag(ctm::errc::invalid_value) == "ctm.patient.invalid_value.400");
    CHECK(ctm::error_tag(ctm::errc::rule_too_deep) == "ctm.rules.too_deep.603");
    CHECK(ctm::error_module(ctm::errc::unknown_code) == "vocab");
  }

  TEST_CASE("locations render as file:line:column and JSON pointer") {
    CHECK(ctm::to_string(ctm::location{}).empty());
    CHECK(ctm::to_string(ctm::location{"a.tsv", 3, 0, ""}) == "a.tsv:3");
    CHECK(ctm::to_string(ctm::location{"a.rule", 4, 17, ""}) == "a.rule:4:17");
    CHECK(ctm::to_string(ctm::location{"p.json", 0, 0, "/labs/2/value"}) == "p.json#/labs/2/value");
    CHECK(ctm::to_string(ctm::location{"", 0, 0, "/sex"}) == "#/sex");
    CHECK(ctm::to_string(ctm::location{"p.jsonl", 12, 0, "/birth_date"}) ==
          "p.jsonl:12#/birth_date");
  }

  TEST_CASE("errors render tag, place and message") {
    const ctm::error e{ctm::errc::json_schema, "expected a string", {"p.json", 0, 0, "/sex"}};
    CHECK(ctm::to_string(e) == "[ctm.io.json_schema.202] p.json#/sex: expected a string");
    const ctm::exception ex(e);
    CHECK(std::string(ex.what()) == ctm::to_string(e));
    CHECK(ex.code() == ctm::errc::json_schema);
    CHECK(ex.error() == e);
  }
}
