// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Golden tests: each tests/golden/rules/<name>.rule is parsed, checked against the test
// vocabulary and linted; the printed syntax tree, checked tree and diagnostics must equal
// <name>.baseline exactly. Set CTM_UPDATE_BASELINES=1 to rewrite the baselines (review the diff).
#include "support/paths.hpp"
#include "support/rules_fixtures.hpp"

#include <ctm/rules/check.hpp>
#include <ctm/rules/lint.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace ctm::rules;

namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string render(const std::string& name, const std::string& text) {
  const parsed_rule parsed = parse(text, name);
  const checked_rule checked = check(parsed, ctm::test::rules_environment());
  std::vector<diagnostic> all = checked.diagnostics();
  const auto lints = lint(checked);
  all.insert(all.end(), lints.begin(), lints.end());
  std::string out = "== ast ==\n" + print(parsed);
  out += "== checked ==\n" + (checked.ok() ? checked.print() : std::string("(not checked)\n"));
  out += "== diagnostics ==\n";
  const std::string d = format(all, text);
  out += d.empty() ? "(none)\n" : d + "\n";
  return out;
}

}  // namespace

TEST_SUITE("rules.golden") {
  TEST_CASE("parser and checker output matches the baselines") {
    const auto dir = ctm::test::source_dir() / "tests" / "golden" / "rules";
    std::vector<std::filesystem::path> rules;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().extension() == ".rule") rules.push_back(e.path());
    }
    std::sort(rules.begin(), rules.end());
    REQUIRE(rules.size() >= 10);
    const bool update = std::getenv("CTM_UPDATE_BASELINES") != nullptr;
    for (const auto& rule : rules) {
      CAPTURE(rule.filename().string());
      const std::string actual = render(rule.filename().string(), read(rule));
      auto baseline = rule;
      baseline.replace_extension(".baseline");
      if (update) {
        std::ofstream(baseline, std::ios::binary) << actual;
        continue;
      }
      REQUIRE_MESSAGE(std::filesystem::exists(baseline),
                      "no baseline; run with CTM_UPDATE_BASELINES=1 and review it");
      CHECK(actual == read(baseline));
    }
  }
}
