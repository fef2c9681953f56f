// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The FHIR R4 / mCODE reader (ctm/io/fhir.hpp).
#include "support/paths.hpp"

#include <ctm/io/fhir.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using ctm::errc;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

fs::path data(const char* name) {
  return ctm::test::source_dir() / "tests" / "data" / "import" / name;
}

ctm::io::fhir_options named(const std::string& name) {
  ctm::io::fhir_options o;
  o.source_name = name;
  return o;
}

bool has_diagnostic(const std::vector<ctm::diagnostic>& ds, errc code, const std::string& pointer) {
  return std::any_of(ds.begin(), ds.end(), [&](const ctm::diagnostic& d) {
    return d.error.code == code && d.error.where.pointer == pointer;
  });
}

// Strings and numbers a bundle holds about its patient: names, identifiers, dates, addresses,
// free text and measured values. None may appear in a diagnostic message.
std::vector<std::string> patient_values(const std::string& bundle) {
  std::vector<std::string> out;
  static const std::regex strings(
      R"re("(family|given|value|birthDate|line|city|postalCode|text|valueString|effectiveDateTime|onsetDateTime|start|end|authoredOn|id)"\s*:\s*(\[\s*)?"([^"]{4,})")re");
  for (auto it = std::sregex_iterator(bundle.begin(), bundle.end(), strings);
       it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[3].str());
  }
  static const std::regex numbers(
      R"re("(valueInteger|valueDecimal|value)"\s*:\s*(-?[0-9][0-9.]*))re");
  for (auto it = std::sregex_iterator(bundle.begin(), bundle.end(), numbers);
       it != std::sregex_iterator(); ++it) {
    if ((*it)[2].length() >= 2) out.push_back((*it)[2].str());
  }
  return out;
}

void check_no_patient_values(const std::string& bundle,
                             const std::vector<ctm::io::fhir_record>& records) {
  const std::vector<std::string> values = patient_values(bundle);
  REQUIRE_FALSE(values.empty());
  for (const auto& r : records) {
    std::vector<std::string> messages;
    if (!r.patient) {
      messages.push_back(r.patient.error().message);
    } else {
      for (const auto& d : r.patient->document.diagnostics) messages.push_back(d.error.message);
      for (const auto& s : r.patient->skipped) messages.push_back(s.reason);
    }
    for (const std::string& m : messages) {
      for (const std::string& v : values) {
        CAPTURE(m);
        CAPTURE(v);
        CHECK(m.find(v) == std::string::npos);
      }
    }
  }
}

}  // namespace

TEST_SUITE("io.fhir") {
  TEST_CASE("an mCODE bundle becomes a patient record") {
    const auto records = ctm::io::read_fhir(slurp(data("bundle.json")), named("bundle.json"));
    REQUIRE(records.size() == 1);
    REQUIRE(records[0].patient.has_value());
    const ctm::io::fhir_patient& fp = *records[0].patient;
    const ctm::patient& p = fp.document.patient;
    CHECK(p.id == "p1");
    CHECK(ctm::to_string(*p.birth_date) == "1960-04-02");
    CHECK(p.sex == ctm::sex::female);
    REQUIRE(p.location.has_value());
    CHECK(p.location->latitude == doctest::Approx(42.36));

    // Diagnoses: SNOMED breast refined by the IDC histology; ICD-10-CM by category; unmapped kept.
    REQUIRE(p.diagnoses.size() == 3);
    CHECK(p.diagnoses[0].code == "IDC");
    CHECK(p.diagnoses[0].system == "oncotree");
    CHECK(p.diagnoses[0].histology == "408643008");
    CHECK(p.diagnoses[0].stage == "IIB");
    CHECK(ctm::to_string(*p.diagnoses[0].date) == "2019-03-10");
    CHECK(p.diagnoses[1].code == "LUNG");
    CHECK(ctm::to_string(*p.diagnoses[1].date) == "2021-06");
    CHECK(p.diagnoses[2].code == "999999999");
    CHECK(p.diagnoses[2].system == "snomed");
    CHECK(has_diagnostic(fp.document.diagnostics, errc::unknown_code, "/entry/3/resource/code"));
    REQUIRE(p.metastases.size() == 1);
    CHECK(p.metastases[0].site == ctm::metastatic_site::bone);

    REQUIRE(p.performance.size() == 1);
    CHECK(p.performance[0].scale == ctm::performance_scale::ecog);
    CHECK(p.performance[0].value == 1);

    // ANC in /uL with a range in 10*9/L: the range is converted to the result's unit.
    REQUIRE(p.labs.size() == 1);
    CHECK(p.labs[0].analyte == "anc");
    CHECK(p.labs[0].loinc == "751-8");
    CHECK(p.labs[0].value == ctm::quantity{1800, ctm::unit::per_microlitre});
    REQUIRE(p.labs[0].range.has_value());
    CHECK(*p.labs[0].range->low == doctest::Approx(1500));
    CHECK(*p.labs[0].range->high == doctest::Approx(8000));

    REQUIRE(p.biomarkers.size() == 2);
    CHECK(p.biomarkers[0].gene == "ERBB2");
    CHECK(p.biomarkers[0].status == ctm::test_status::detected);
    CHECK(p.biomarkers[1].gene == "PIK3CA");
    CHECK(p.biomarkers[1].alteration == "p.H1047R");
    CHECK(p.biomarkers[1].kind == ctm::biomarker_kind::mutation);

    REQUIRE(p.disease_assessments.size() == 1);
    CHECK(p.disease_assessments[0].category == "worsened");
    REQUIRE(p.progressions.size() == 1);
    CHECK(p.progressions[0].basis == ctm::progression_basis::radiographic);
    REQUIRE(p.tumour_assessments.size() == 1);
    CHECK(*p.tumour_assessments[0].lesions[0].diameter_mm == doctest::Approx(24.0));
    REQUIRE(p.weights.size() == 1);
    CHECK(p.weights[0].value == ctm::quantity{61.5, ctm::unit::kilogram});

    // Medications: name fallback, RxNorm through a Medication reference, an unknown one kept.
    REQUIRE(p.treatments.size() == 3);
    CHECK(p.treatments[0].drug.name == "paclitaxel");
    CHECK(p.treatments[0].drug.rxnorm == "583214");
    CHECK(ctm::to_string(*p.treatments[0].end) == "2019-07-15");
    CHECK(p.treatments[1].drug.name == "palbociclib");
    CHECK(ctm::to_string(*p.treatments[1].start) == "2022-10-01");
    CHECK(p.treatments[2].drug.name == "Synthetic herbal tea");
    CHECK(has_diagnostic(fp.document.diagnostics, errc::unknown_code,
                         "/entry/15/resource/medicationCodeableConcept"));

    REQUIRE(p.procedures.size() == 2);
    CHECK(p.procedures[0].kind == ctm::procedure_kind::radiotherapy);
    CHECK(p.procedures[0].field == "Left breast");
    CHECK(ctm::to_string(*p.procedures[0].end) == "2019-09-10");
    CHECK(p.procedures[1].kind == ctm::procedure_kind::major_surgery);

    // The Encounter is reported as left out; the referenced Medication is not.
    REQUIRE(fp.skipped.size() == 1);
    CHECK(fp.skipped[0].resource_type == "Encounter");
    CHECK(fp.skipped[0].pointer == "/entry/18/resource");
    CHECK(fp.resources == 19);
    // Everything read is valid for the native record.
    CHECK_FALSE(ctm::has_errors(fp.document.diagnostics));
  }

  TEST_CASE(
      "impossible scores become unknown with a diagnostic, a missing birth date leaves age "
      "unknown") {
    const std::string text = slurp(data("bundle_broken.json"));
    const auto records = ctm::io::read_fhir(text, named("broken.json"));
    REQUIRE(records.size() == 1);
    REQUIRE(records[0].patient.has_value());
    const auto& fp = *records[0].patient;
    CHECK_FALSE(fp.document.patient.birth_date.has_value());
    CHECK(fp.document.patient.performance.empty());
    const auto& ds = fp.document.diagnostics;
    CHECK(has_diagnostic(ds, errc::missing_value, "/entry/0/resource/birthDate"));
    CHECK(has_diagnostic(ds, errc::invalid_value, "/entry/2/resource/valueInteger"));
    CHECK(has_diagnostic(ds, errc::invalid_value, "/entry/3/resource/valueInteger"));
    CHECK(has_diagnostic(ds, errc::json_schema, "/entry/4/resource/code/coding"));
    const auto missing = std::find_if(fp.skipped.begin(), fp.skipped.end(), [](const auto& s) {
      return s.pointer == "/entry/1/resource";
    });
    REQUIRE(missing != fp.skipped.end());
    CHECK(missing->reason == "entry without a resource");
    check_no_patient_values(text, records);
  }

  TEST_CASE("a bundle without a Patient, a non-FHIR object and malformed JSON are rejected") {
    const auto none = ctm::io::read_fhir(slurp(data("not_a_study.json")), named("n.json"));
    REQUIRE(none.size() == 1);
    CHECK(ctm::to_string(none[0].patient.error()) ==
          "[ctm.io.unsupported_format.207] n.json#/entry: the bundle has no Patient resource");
    CHECK(ctm::io::read_fhir(R"({"a": 1})", named("x"))[0].patient.error().code ==
          errc::unsupported_format);
    CHECK(ctm::io::read_fhir(R"([{"a": 1}, {"b": 2}])", named("x")).size() == 1);
    const auto syntax = ctm::io::read_fhir("{\"resourceType\": \n", named("s.json"));
    CHECK(syntax[0].patient.error().code == errc::json_syntax);
    CHECK(syntax[0].patient.error().where.line == 2);
    CHECK(ctm::io::read_fhir(R"({"resourceType": "Bundle", "entry": {}})", named("x"))[0]
              .patient.error()
              .code == errc::json_schema);
    CHECK(ctm::io::read_fhir("", named("x")).empty());
  }

  TEST_CASE("a bundle with two patients gives one record each, resources by subject") {
    const std::string two = R"({"resourceType": "Bundle", "type": "collection", "entry": [
      {"fullUrl": "urn:uuid:a", "resource": {"resourceType": "Patient", "id": "a", "birthDate": "1950"}},
      {"fullUrl": "urn:uuid:b", "resource": {"resourceType": "Patient", "id": "b", "birthDate": "1970-02"}},
      {"resource": {"resourceType": "Observation", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "89247-1"}]},
                    "subject": {"reference": "Patient/b"}, "valueInteger": 2}},
      {"resource": {"resourceType": "Observation", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "89247-1"}]},
                    "subject": {"reference": "Patient/nobody"}, "valueInteger": 0}}]})";
    const auto records = ctm::io::read_fhir(two, named("two.json"));
    REQUIRE(records.size() == 2);
    CHECK(records[0].patient->document.patient.performance.empty());
    REQUIRE(records[1].patient->document.patient.performance.size() == 1);
    CHECK(records[1].patient->document.patient.performance[0].value == 2);
    CHECK(ctm::to_string(*records[1].patient->document.patient.birth_date) == "1970-02");
    CHECK(records[1].index == 1);
  }

  TEST_CASE("read_patients_any reads native and FHIR files alike") {
    const auto native = ctm::io::read_patients_any(ctm::test::source_dir() / "data" / "patients" /
                                                   "syn_mm_001_myeloma.json");
    REQUIRE(native.size() == 1);
    CHECK(native[0].document.has_value());
    const auto fhir = ctm::io::read_patients_any(data("bundle.json"));
    REQUIRE(fhir.size() == 1);
    REQUIRE(fhir[0].document.has_value());
    CHECK(fhir[0].document->patient.diagnoses.size() == 3);
    CHECK(ctm::io::is_fhir_json(slurp(data("bundle.json"))));
    CHECK_FALSE(ctm::io::is_fhir_json(R"({"schema_version": 1})"));
    CHECK(ctm::io::read_patients_any("no/such.json")[0].document.error().code ==
          errc::io_open_failed);
  }

  TEST_CASE("a JSON Lines file may exceed the size limit, which then applies per record") {
    const std::string one =
        slurp(ctm::test::source_dir() / "data" / "patients" / "syn_mm_001_myeloma.json");
    std::string line;
    for (const char c : one) {
      if (c != '\n') line += c;
    }
    const fs::path dir = fs::temp_directory_path() / "ctm_io_large_file_test";
    fs::create_directories(dir);
    ctm::io::fhir_options small;
    small.max_bytes = line.size() + 16;  // one record fits, the file does not
    {
      std::ofstream(dir / "cohort.jsonl") << line << '\n' << line << '\n' << line << '\n';
      std::ofstream(dir / "cohort.json") << "[" << line << ",\n" << line << "]\n";
    }
    const auto lines = ctm::io::read_patients_any(dir / "cohort.jsonl", small);
    REQUIRE(lines.size() == 3);
    for (const auto& r : lines) CHECK(r.document.has_value());
    const auto array = ctm::io::read_patients_any(dir / "cohort.json", small);
    REQUIRE(array.size() == 1);
    CHECK(array[0].document.error().code == errc::input_too_large);
    CHECK(array[0].document.error().where.file == (dir / "cohort.json").string());
    fs::remove_all(dir);
  }
}

TEST_SUITE("io.fhir.shared_data") {
  TEST_CASE("every FHIR bundle under ../shared/data imports without a crash") {
    CTM_REQUIRE_SHARED_DATA();
    const fs::path root = ctm::test::shared_data_dir();
    struct tally {
      std::size_t read = 0, imported = 0, warnings = 0, rejected = 0;
    };
    std::map<std::string, tally> folders;
    for (const char* folder :
         {"mcode-trial-matching-service", "mcode-trial-matching-app", "synthea-mcode-breast"}) {
      std::vector<fs::path> files;
      for (const auto& e : fs::recursive_directory_iterator(root / folder)) {
        if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
      }
      std::sort(files.begin(), files.end());
      for (const fs::path& file : files) {
        CAPTURE(file.string());
        const std::string text = slurp(file);
        const auto records = ctm::io::read_fhir(text, named(file.filename().string()));
        tally& t = folders[folder];
        for (const auto& r : records) {
          ++t.read;
          if (!r.patient) {
            ++t.rejected;
            CHECK(r.patient.error().code == errc::unsupported_format);
            continue;
          }
          ++t.imported;
          if (!r.patient->document.diagnostics.empty()) ++t.warnings;
        }
        if (ctm::io::is_fhir_json(text) && text.find("\"Patient\"") != std::string::npos) {
          check_no_patient_values(text, records);
        }
      }
    }
    for (const auto& [folder, t] : folders) {
      MESSAGE(folder << ": read " << t.read << ", imported " << t.imported << ", with warnings "
                     << t.warnings << ", rejected " << t.rejected
                     << " (rejected = not a patient bundle)");
    }
    CHECK(folders["mcode-trial-matching-service"].imported == 4);
    CHECK(folders["mcode-trial-matching-app"].imported == 3);
    CHECK(folders["synthea-mcode-breast"].imported == 3);
    CHECK(folders["synthea-mcode-breast"].rejected == 0);
  }

  TEST_CASE("the deliberately broken bundle: invalid ECOG and Karnofsky unknown, no birth date") {
    CTM_REQUIRE_SHARED_DATA();
    const fs::path file = ctm::test::shared_data_dir() / "mcode-trial-matching-service" /
                          "patient_data_missing_birthdate_invalid_ecog_karnofsky.json";
    const auto records = ctm::io::read_fhir(slurp(file), named("broken.json"));
    REQUIRE(records.size() == 1);
    REQUIRE(records[0].patient.has_value());
    const ctm::patient& p = records[0].patient->document.patient;
    CHECK_FALSE(p.birth_date.has_value());
    CHECK(p.performance.empty());
    const auto& ds = records[0].patient->document.diagnostics;
    CHECK(std::count_if(ds.begin(), ds.end(), [](const ctm::diagnostic& d) {
            return d.error.code == errc::invalid_value;
          }) == 2);
    CHECK(std::any_of(ds.begin(), ds.end(), [](const ctm::diagnostic& d) {
      return d.error.code == errc::missing_value;
    }));
    REQUIRE_FALSE(p.diagnoses.empty());
    CHECK(p.diagnoses[0].code == "BREAST");
  }

  TEST_CASE("the Synthea breast-cancer bundles: diagnoses, labs and chemotherapy") {
    CTM_REQUIRE_SHARED_DATA();
    for (const auto& e :
         fs::directory_iterator(ctm::test::shared_data_dir() / "synthea-mcode-breast")) {
      if (e.path().extension() != ".json") continue;
      CAPTURE(e.path().filename().string());
      const auto records = ctm::io::read_fhir(slurp(e.path()), named("synthea.json"));
      REQUIRE(records.size() == 1);
      REQUIRE(records[0].patient.has_value());
      const ctm::patient& p = records[0].patient->document.patient;
      CHECK(p.birth_date.has_value());
      CHECK(std::any_of(p.diagnoses.begin(), p.diagnoses.end(),
                        [](const ctm::diagnosis& d) { return d.system == "oncotree"; }));
      CHECK_FALSE(p.treatments.empty());
      CHECK_FALSE(p.weights.empty());
    }
  }
}
