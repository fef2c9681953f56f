// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "support/paths.hpp"

#include <ctm/core/error.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
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

namespace {
std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST_SUITE("core.error") {
  TEST_CASE("every error id has a name and is documented in docs/errors.md") {
    const std::string header = slurp(ctm::test::source_dir() / "include/ctm/core/error.hpp");
    const std::string doc = slurp(ctm::test::source_dir() / "docs/errors.md");
    REQUIRE_FALSE(header.empty());
    REQUIRE_FALSE(doc.empty());
    const auto begin = header.find("enum class errc");
    const auto end = header.find("};", begin);
    REQUIRE(begin != std::string::npos);
    const std::string body = header.substr(begin, end - begin);
    const std::regex entry(R"(\b([a-z_]+)\s*=\s*([0-9]+)\s*,)");
    int count = 0;
    for (auto it = std::sregex_iterator(body.begin(), body.end(), entry);
         it != std::sregex_iterator(); ++it) {
      const auto code = static_cast<ctm::errc>(std::stoi((*it)[2].str()));
      const std::string tag = ctm::error_tag(code);
      CAPTURE(tag);
      CHECK(ctm::error_name(code) != "unknown");
      CHECK(doc.find(tag) != std::string::npos);
      ++count;
    }
    CHECK(count >= 20);
  }
}
