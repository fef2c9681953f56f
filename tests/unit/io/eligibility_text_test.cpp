// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The eligibility-text splitter (ctm/trial/eligibility_text.hpp), with golden listings:
// tests/golden/import/*.txt -> *.baseline. Set CTM_UPDATE_BASELINES=1 to rewrite the baselines;
// review the diff before committing it.
#include "support/paths.hpp"

#include <ctm/trial/eligibility_text.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using ctm::eligibility_section;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// One line per item (indented by depth), then one line per criterion.
std::string listing(std::string_view text) {
  const ctm::eligibility_split split = ctm::split_eligibility_text(text);
  std::ostringstream out;
  out << "sections: " << (split.has_sections ? "yes" : "no") << "\n";
  for (const auto& item : split.items) {
    out << std::string(2 * item.depth, ' ') << "[" << ctm::to_string(item.section) << "] line "
        << item.line << " marker '" << item.marker << "'" << (item.is_note ? " note" : "");
    if (!item.heading.empty()) out << " under '" << item.heading << "'";
    out << " bytes " << item.span.offset << "+" << item.span.length << ": " << item.text << "\n";
    // The span must cover the item's words exactly as written.
    CHECK(item.span.offset + item.span.length <= text.size());
  }
  out << "criteria:\n";
  for (const auto& c : ctm::eligibility_criteria(split)) {
    out << c.id << " (" << ctm::to_string(c.kind) << "): " << c.text << "\n";
  }
  return out.str();
}

fs::path golden_dir() { return ctm::test::source_dir() / "tests" / "golden" / "import"; }

}  // namespace

TEST_SUITE("io.eligibility_text") {
  TEST_CASE("golden eligibility texts give their listings exactly") {
    std::vector<fs::path> inputs;
    for (const auto& e : fs::directory_iterator(golden_dir())) {
      if (e.path().extension() == ".txt") inputs.push_back(e.path());
    }
    std::sort(inputs.begin(), inputs.end());
    REQUIRE(inputs.size() >= 4);
    const bool update = std::getenv("CTM_UPDATE_BASELINES") != nullptr;
    for (const auto& input : inputs) {
      CAPTURE(input.filename().string());
      const std::string actual = listing(slurp(input));
      fs::path baseline = input;
      baseline.replace_extension(".baseline");
      if (update) {
        std::ofstream(baseline, std::ios::binary) << actual;
        continue;
      }
      REQUIRE_MESSAGE(fs::exists(baseline), "missing " << baseline);
      CHECK(actual == slurp(baseline));
    }
  }

  TEST_CASE("headings in their many spellings switch the section") {
    for (const char* heading : {"Inclusion Criteria:", "INCLUSION CRITERIA",
                                "Key Inclusion Criteria:", "**Inclusion Criteria:**",
                                "Inclusion criteria:-", "Main inclusion criteria", "Inclusion"}) {
      CAPTURE(heading);
      const auto split =
          ctm::split_eligibility_text(std::string(heading) + "\n* a\n\nExclusion criteria\n* b");
      REQUIRE(split.items.size() == 2);
      CHECK(split.has_sections);
      CHECK(split.items[0].section == eligibility_section::inclusion);
      CHECK(split.items[1].section == eligibility_section::exclusion);
    }
    const auto non = ctm::split_eligibility_text("Non-inclusion criteria:\n- x");
    REQUIRE(non.items.size() == 1);
    CHECK(non.items[0].section == eligibility_section::exclusion);
  }

  TEST_CASE("a heading followed by text on the same line starts an item with that text") {
    const auto split = ctm::split_eligibility_text("Exclusion Criteria: prior therapy with drug X");
    REQUIRE(split.items.size() == 1);
    CHECK(split.items[0].section == eligibility_section::exclusion);
    CHECK(split.items[0].text == "prior therapy with drug X");
  }

  TEST_CASE("the span gives back the original words and the text undoes markdown escapes") {
    const std::string text = "Inclusion Criteria:\n\n* ANC \\>= 1.5 x 10^9/L\n* Age \\< 75";
    const auto split = ctm::split_eligibility_text(text);
    REQUIRE(split.items.size() == 2);
    CHECK(split.items[0].text == "ANC >= 1.5 x 10^9/L");
    CHECK(text.substr(split.items[0].span.offset, split.items[0].span.length) ==
          "ANC \\>= 1.5 x 10^9/L");
    CHECK(split.items[1].line == 4);
  }

  TEST_CASE("wrapped lines continue their item, a blank line and no indent starts a new one") {
    const auto split = ctm::split_eligibility_text(
        "  -  first item that wraps\n     onto a second line\n  -  second\n\nA paragraph\nthat "
        "wraps\n\nAnother");
    REQUIRE(split.items.size() == 4);
    CHECK(split.items[0].text == "first item that wraps onto a second line");
    CHECK(split.items[2].text == "A paragraph that wraps");
    CHECK(split.items[3].text == "Another");
    CHECK_FALSE(split.has_sections);
  }

  TEST_CASE("decimals and abbreviations are not list markers") {
    const auto split = ctm::split_eligibility_text("1.5 x ULN is the limit\ne.g. bilirubin");
    REQUIRE(split.items.size() == 1);
    CHECK(split.items[0].marker.empty());
    CHECK(split.items[0].text == "1.5 x ULN is the limit e.g. bilirubin");
  }

  TEST_CASE("a note attaches to the item before it and folds into its criterion") {
    const auto split = ctm::split_eligibility_text("* a\n* b\n* NOTE: about b\n* c");
    REQUIRE(split.items.size() == 4);
    CHECK(split.items[2].is_note);
    REQUIRE(split.items[2].parent.has_value());
    CHECK(*split.items[2].parent == 1);
    CHECK_FALSE(split.items[3].parent.has_value());
    const auto criteria = ctm::eligibility_criteria(split);
    REQUIRE(criteria.size() == 3);
    CHECK(criteria[1].text == "b\n- NOTE: about b");
    CHECK(criteria[2].id == "inc-03");
  }

  TEST_CASE("criteria have no rule, so they need manual review, and ids count per kind") {
    const auto criteria = ctm::eligibility_criteria(ctm::split_eligibility_text(
        "Inclusion Criteria:\n* a\n* b\nExclusion Criteria:\n* c\n* Not specified"));
    REQUIRE(criteria.size() == 3);
    CHECK(criteria[0].id == "inc-01");
    CHECK(criteria[1].id == "inc-02");
    CHECK(criteria[2].id == "exc-01");
    CHECK(criteria[2].kind == ctm::criterion_kind::exclusion);
    for (const auto& c : criteria) {
      CHECK(c.needs_review());
      CHECK(c.provenance.kind == ctm::provenance_kind::curated);
    }
  }

  TEST_CASE("empty and blank texts give no items") {
    CHECK(ctm::split_eligibility_text("").items.empty());
    CHECK(ctm::split_eligibility_text(" \n\n\t\n").items.empty());
    CHECK(ctm::eligibility_criteria(ctm::split_eligibility_text("")).empty());
  }
}
