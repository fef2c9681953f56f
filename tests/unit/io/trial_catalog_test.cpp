// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The bundled trial catalog (data/trials/*.json): every document reads strictly, without any
// diagnostic, is written canonically, and together they meet the catalog's documented coverage.
#include "support/paths.hpp"

#include <ctm/io/trial_json.hpp>
#include <ctm/io/vocabulary.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
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

struct catalog {
  std::vector<fs::path> files;
  std::vector<ctm::trial> trials;
};

// Reads every data/trials/*.json strictly, checking each on the way.
catalog read_catalog() {
  catalog c;
  const fs::path dir = ctm::test::source_dir() / "data" / "trials";
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      c.files.push_back(entry.path());
    }
  }
  std::sort(c.files.begin(), c.files.end());
  ctm::io::trial_read_options options;
  options.strict = true;
  for (const auto& file : c.files) {
    options.source_name = file.filename().string();
    const std::string text = slurp(file);
    const auto r = ctm::io::read_trial(text, options);
    if (!r) {
      FAIL_CHECK(ctm::to_string(r.error()));
      continue;
    }
    for (const auto& d : r->diagnostics) FAIL_CHECK(ctm::to_string(d));
    CHECK_MESSAGE(ctm::io::write_trial(r->trial) == text, file.filename().string()
                                                              << " is not in canonical form");
    CHECK_MESSAGE(file.stem().string() == r->trial.id, file.filename().string()
                                                           << " does not hold " << r->trial.id);
    c.trials.push_back(r->trial);
  }
  return c;
}

}  // namespace

TEST_SUITE("io.trial_catalog") {
  TEST_CASE("every bundled trial reads strictly, cleanly and canonically") {
    const catalog c = read_catalog();
    CHECK(c.trials.size() == c.files.size());
    CHECK(c.trials.size() >= 40);
  }

  TEST_CASE("every bundled trial is complete enough to match against") {
    const catalog c = read_catalog();
    std::size_t criteria = 0;
    for (const auto& t : c.trials) {
      CAPTURE(t.id);
      CHECK_FALSE(t.phases.empty());
      CHECK_FALSE(t.conditions.codes.empty());
      CHECK_FALSE(t.conditions.registry.empty());
      CHECK_FALSE(t.source.record.empty());
      CHECK(t.source.retrieved.has_value());
      std::size_t inclusions = 0;
      for (const auto& k : t.criteria) {
        inclusions += k.kind == ctm::criterion_kind::inclusion;
        // Bundled criteria are our own curated paraphrases.
        CHECK(k.provenance.kind == ctm::provenance_kind::curated);
      }
      CHECK(inclusions >= 1);
      criteria += t.criteria.size();
      for (const auto& a : t.arms) criteria += a.criteria.size();
    }
    MESSAGE(c.trials.size() << " trials, " << criteria << " criteria");
    CHECK(criteria >= 40 * 5);
  }

  TEST_CASE("every disease code in the catalog is in the bundled disease vocabulary") {
    const auto ontology = ctm::io::bundled_ontology();
    if (!ontology) {
      MESSAGE("skipped: no bundled disease vocabulary: " << ctm::to_string(ontology.error()));
      return;
    }
    for (const auto& t : read_catalog().trials) {
      for (const auto& code : t.conditions.codes) {
        CAPTURE(t.id);
        CAPTURE(code);
        CHECK(ontology->find(code).has_value());
      }
    }
  }

  TEST_CASE("the relapsed and refractory records of the shared corpus are all in the catalog") {
    // Every oncology record of ../shared/data/ctgov-rr-trials/index.tsv with the R/R keyword flag,
    // plus the relapsed, refractory or previously treated trials of the other shared folders
    // (data/trials/SOURCES.md lists what was left out and why).
    const std::set<std::string> required{
        // index.tsv, r_r_keyword = yes
        "NCT00002814", "NCT00003022", "NCT00069966", "NCT00086840", "NCT00185744", "NCT00401011",
        "NCT00425347", "NCT00612001", "NCT00705198", "NCT01102426", "NCT01171378", "NCT01212380",
        "NCT01313689", "NCT01837862", "NCT01876784", "NCT02138214", "NCT03143036", "NCT02375204",
        "NCT02402244", "NCT02465060", "NCT02671890", "NCT02750826", "NCT03326674", "NCT03834571",
        "NCT04625647", "NCT04681105",
        // other folders: relapsed, refractory, recurrent or previously treated
        "NCT01065844", "NCT01207388", "NCT01642004", "NCT02481830", "NCT02576665", "NCT06382129"};
    std::set<std::string> ids;
    for (const auto& t : read_catalog().trials) ids.insert(t.id);
    for (const auto& id : required) {
      CAPTURE(id);
      CHECK(ids.count(id) == 1);
    }
  }
}
