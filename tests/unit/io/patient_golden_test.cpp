// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Golden files for the patient reader (tests/golden/io/patient/*.json -> *.baseline) and the
// sample patients in data/patients/. Set CTM_UPDATE_BASELINES=1 to rewrite the baselines; review
// the diff before committing it.
#include "support/paths.hpp"

#include <ctm/io/patient_json.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
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
std::string render(const ctm::result<ctm::io::patient_document>& r) {
  if (!r) return "error: " + ctm::to_string(r.error()) + "\n";
  std::string out;
  for (const auto& d : r->diagnostics) out += ctm::to_string(d) + "\n";
  out += ctm::io::write_patient(r->patient);
  return out;
}

}  // namespace

TEST_SUITE("io.patient_json.golden") {
  TEST_CASE("golden inputs give their baselines exactly") {
    const fs::path dir = ctm::test::source_dir() / "tests" / "golden" / "io" / "patient";
    const auto inputs = files_with_extension(dir, ".json");
    REQUIRE(inputs.size() >= 8);
    const bool update = std::getenv("CTM_UPDATE_BASELINES") != nullptr;
    for (const auto& input : inputs) {
      CAPTURE(input.filename().string());
      ctm::io::read_options options;
      options.source_name = input.filename().string();
      const std::string actual = render(ctm::io::read_patient(slurp(input), options));
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

  TEST_CASE("the canonical output of every golden input reads back to the same record") {
    const fs::path dir = ctm::test::source_dir() / "tests" / "golden" / "io" / "patient";
    for (const auto& input : files_with_extension(dir, ".json")) {
      CAPTURE(input.filename().string());
      const auto first = ctm::io::read_patient(slurp(input));
      if (!first) continue;
      const std::string written = ctm::io::write_patient(first->patient);
      const auto second = ctm::io::read_patient(written);
      REQUIRE(second.has_value());
      CHECK(second->patient == first->patient);
      CHECK(ctm::io::write_patient(second->patient) == written);
    }
  }

  TEST_CASE("every sample patient in data/patients reads without any diagnostic") {
    const fs::path dir = ctm::test::source_dir() / "data" / "patients";
    const auto inputs = files_with_extension(dir, ".json");
    CHECK(inputs.size() == 27);
    for (const auto& input : inputs) {
      CAPTURE(input.filename().string());
      ctm::io::read_options options;
      options.strict = true;
      options.source_name = input.filename().string();
      const auto r = ctm::io::read_patient(slurp(input), options);
      if (!r) FAIL(ctm::to_string(r.error()));
      for (const auto& d : r->diagnostics) FAIL_CHECK(ctm::to_string(d));
      CHECK(r->patient.id.rfind("SYN-", 0) == 0);
      const auto again = ctm::io::read_patient(ctm::io::write_patient(r->patient));
      REQUIRE(again.has_value());
      CHECK(again->patient == r->patient);
    }
  }

  TEST_CASE("the sample patients also read as one JSON Lines cohort") {
    const fs::path dir = ctm::test::source_dir() / "data" / "patients";
    std::string cohort;
    std::size_t count = 0;
    for (const auto& input : files_with_extension(dir, ".json")) {
      const auto r = ctm::io::read_patient(slurp(input));
      REQUIRE(r.has_value());
      std::string line = ctm::io::write_patient(r->patient);
      line.erase(std::remove(line.begin(), line.end(), '\n'), line.end());
      cohort += line + "\n";
      ++count;
    }
    const auto records = ctm::io::read_patients(cohort);
    REQUIRE(records.size() == count);
    for (const auto& record : records) CHECK(record.document.has_value());
  }
}

namespace {

// Every name of enumerators 0..count-1 of E, as the native format spells it.
template <class E>
std::vector<std::string> names_of(std::uint8_t count) {
  std::vector<std::string> out;
  for (std::uint8_t i = 0; i < count; ++i) out.emplace_back(ctm::to_string(static_cast<E>(i)));
  return out;
}

}  // namespace

TEST_SUITE("io.patient_json.docs") {
  TEST_CASE("the JSON Schema and the format document list every enumerator") {
    const std::string schema =
        slurp(ctm::test::source_dir() / "docs" / "schemas" / "patient.schema.json");
    const std::string doc = slurp(ctm::test::source_dir() / "docs" / "formats" / "patient.md");
    std::vector<std::vector<std::string>> all{
        names_of<ctm::sex>(4),
        names_of<ctm::diagnosis_kind>(2),
        names_of<ctm::metastatic_site>(11),
        names_of<ctm::biomarker_kind>(10),
        names_of<ctm::test_status>(3),
        names_of<ctm::qualitative_result>(3),
        names_of<ctm::comparator>(4),
        names_of<ctm::performance_scale>(2),
        names_of<ctm::condition_kind>(11),
        names_of<ctm::condition_status>(4),
        names_of<ctm::therapy_setting>(7),
        names_of<ctm::stop_reason>(5),
        names_of<ctm::route>(8),
        names_of<ctm::procedure_kind>(7),
        names_of<ctm::imaging_method>(8),
        names_of<ctm::lesion_role>(3),
        names_of<ctm::lesion_status>(3),
        names_of<ctm::response_system>(10),
        names_of<ctm::progression_basis>(5),
    };
    for (const auto& names : all) {
      for (const auto& name : names) {
        CAPTURE(name);
        CHECK(schema.find("\"" + name + "\"") != std::string::npos);
        CHECK(doc.find("`" + name + "`") != std::string::npos);
      }
    }
  }
}
