// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Golden files for the trial reader (tests/golden/io/trial/*.json -> *.baseline). Set
// CTM_UPDATE_BASELINES=1 to rewrite the baselines; review the diff before committing it.
#include "support/paths.hpp"

#include <ctm/io/trial_json.hpp>

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

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<fs::path> files_with_extension(const fs::path& dir, const std::string& ext) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ext) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The baseline text: one line per diagnostic (or the error), then the canonical JSON.
std::string render(const ctm::result<ctm::io::trial_document>& r) {
  if (!r) return "error: " + ctm::to_string(r.error()) + "\n";
  std::string out;
  for (const auto& d : r->diagnostics) out += ctm::to_string(d) + "\n";
  out += ctm::io::write_trial(r->trial);
  return out;
}

fs::path golden_dir() { return ctm::test::source_dir() / "tests" / "golden" / "io" / "trial"; }

}  // namespace

TEST_SUITE("io.trial_json.golden") {
  TEST_CASE("golden inputs give their baselines exactly") {
    const auto inputs = files_with_extension(golden_dir(), ".json");
    REQUIRE(inputs.size() >= 6);
    const bool update = std::getenv("CTM_UPDATE_BASELINES") != nullptr;
    for (const auto& input : inputs) {
      CAPTURE(input.filename().string());
      const std::string actual =
          render(ctm::io::read_trial(slurp(input), input.filename().string()));
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

  TEST_CASE("canonical golden inputs are their own output") {
    // Files named canonical_*.json are written exactly as write_trial writes them.
    std::size_t count = 0;
    for (const auto& input : files_with_extension(golden_dir(), ".json")) {
      if (input.filename().string().rfind("canonical_", 0) != 0) continue;
      CAPTURE(input.filename().string());
      const std::string text = slurp(input);
      const auto r = ctm::io::read_trial(text);
      REQUIRE(r.has_value());
      CHECK(r->diagnostics.empty());
      CHECK(ctm::io::write_trial(r->trial) == text);
      ++count;
    }
    CHECK(count >= 2);
  }

  TEST_CASE("the canonical output of every golden input reads back to the same trial") {
    for (const auto& input : files_with_extension(golden_dir(), ".json")) {
      CAPTURE(input.filename().string());
      const auto first = ctm::io::read_trial(slurp(input));
      if (!first) continue;
      const std::string written = ctm::io::write_trial(first->trial);
      const auto second = ctm::io::read_trial(written);
      REQUIRE(second.has_value());
      CHECK(second->trial == first->trial);
      CHECK(ctm::io::write_trial(second->trial) == written);
    }
  }

  TEST_CASE("the JSON Lines golden file keeps every record in place") {
    const fs::path input = golden_dir() / "catalog_mixed.jsonl";
    const auto records = ctm::io::read_trials(slurp(input), "catalog_mixed.jsonl");
    REQUIRE(records.size() == 4);
    CHECK(records[0].document.has_value());
    REQUIRE_FALSE(records[1].document.has_value());
    CHECK(ctm::to_string(records[1].document.error()) ==
          "[ctm.io.json_schema.202] catalog_mixed.jsonl:2#/criteria/0/kind: not a known criterion "
          "kind value");
    REQUIRE_FALSE(records[2].document.has_value());
    CHECK(records[2].document.error().code == ctm::errc::json_syntax);
    CHECK(records[2].line == 4);
    REQUIRE(records[3].document.has_value());
    CHECK(records[3].document->trial.id == "NCT00000004");
  }
}
