// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "support/patient_samples.hpp"

#include <ctm/io/patient_json.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

using ctm::errc;

// Reads `json`, requiring an error; returns it.
ctm::error read_error(const std::string& json, const ctm::io::read_options& options = {}) {
  const auto r = ctm::io::read_patient(json, options);
  REQUIRE_FALSE(r.has_value());
  return r.error();
}

// A minimal valid document with `members` spliced in.
std::string doc(const std::string& members) {
  return R"({"schema_version": 1, "id": "SYN-1")" + (members.empty() ? "" : ", " + members) + "}";
}

void check_round_trip(const ctm::patient& p) {
  const std::string once = ctm::io::write_patient(p);
  const auto back = ctm::io::read_patient(once);
  REQUIRE(back.has_value());
  CHECK(back->patient == p);
  CHECK(ctm::io::write_patient(back->patient) == once);
}

}  // namespace

TEST_SUITE("io.patient_json") {
  TEST_CASE("every value type survives write then read, and writing is stable") {
    check_round_trip(ctm::test::full_patient());
    check_round_trip(ctm::patient{});
    ctm::patient minimal;
    minimal.id = "SYN-2";
    check_round_trip(minimal);
  }

  TEST_CASE("every enumerator survives the round trip") {
    auto p = ctm::test::full_patient();
    for (std::uint8_t i = 0; i < 4; ++i) {
      p.sex = static_cast<ctm::sex>(i);
      check_round_trip(p);
    }
    for (std::uint8_t i = 0; i < 11; ++i) {
      p.metastases[1].site = static_cast<ctm::metastatic_site>(i);
      p.conditions[0].kind = static_cast<ctm::condition_kind>(i);
      check_round_trip(p);
    }
    for (std::uint8_t i = 0; i < 10; ++i) {
      p.biomarkers[1].kind = static_cast<ctm::biomarker_kind>(i);
      p.disease_assessments[0].system = static_cast<ctm::response_system>(i);
      p.progressions[0].criteria = static_cast<ctm::response_system>(i);
      check_round_trip(p);
    }
    for (std::uint8_t i = 0; i < 8; ++i) {
      p.treatments[0].route = static_cast<ctm::route>(i);
      p.tumour_assessments[0].method = static_cast<ctm::imaging_method>(i);
      check_round_trip(p);
    }
    for (std::uint8_t i = 0; i < 7; ++i) {
      p.treatments[0].setting = static_cast<ctm::therapy_setting>(i);
      p.procedures[1].kind = static_cast<ctm::procedure_kind>(i);
      check_round_trip(p);
    }
    for (std::uint8_t i = 0; i < 5; ++i) {
      p.treatments[0].stop_reason = static_cast<ctm::stop_reason>(i);
      p.progressions[1].basis = static_cast<ctm::progression_basis>(i);
      check_round_trip(p);
    }
    for (std::uint8_t i = 0; i < 4; ++i) {
      p.labs[1].comparator = static_cast<ctm::comparator>(i);
      p.conditions[1].status = static_cast<ctm::condition_status>(i);
      check_round_trip(p);
    }
    for (std::uint8_t i = 0; i < 3; ++i) {
      p.biomarkers[0].status = static_cast<ctm::test_status>(i);
      p.labs[2].qualitative = static_cast<ctm::qualitative_result>(i);
      p.tumour_assessments[0].lesions[0].role = static_cast<ctm::lesion_role>(i);
      p.tumour_assessments[0].lesions[2].status = static_cast<ctm::lesion_status>(i);
      p.metastases[0].treated = static_cast<ctm::truth>(i);
      check_round_trip(p);
    }
    p.diagnoses[0].kind = ctm::diagnosis_kind::recurrence;
    p.performance[1].scale = ctm::performance_scale::ecog;
    check_round_trip(p);
  }

  TEST_CASE("numbers keep their exact value") {
    auto p = ctm::test::full_patient();
    p.labs[0].value->value = 0.1 + 0.2;
    p.tumour_assessments[0].lesions[0].diameter_mm = 1e-7;
    p.location = ctm::geo_point{-33.868820000000001, 151.20929};
    check_round_trip(p);
  }

  TEST_CASE("canonical output: fixed member order, omitted empties, final newline") {
    ctm::patient p;
    p.id = "SYN-3";
    p.performance = {{ctm::performance_scale::ecog, 1, ctm::test::day(2024, 2, 29)}};
    CHECK(ctm::io::write_patient(p) ==
          "{\n"
          "  \"schema_version\": 1,\n"
          "  \"id\": \"SYN-3\",\n"
          "  \"sex\": \"unknown\",\n"
          "  \"performance_status\": [\n"
          "    {\n"
          "      \"date\": \"2024-02-29\",\n"
          "      \"scale\": \"ecog\",\n"
          "      \"value\": 1\n"
          "    }\n"
          "  ]\n"
          "}\n");
  }

  TEST_CASE("partial dates are read at their precision") {
    const auto r = ctm::io::read_patient(
        doc(R"("birth_date": "1958", "diagnoses": [{"code": "PCM", "date": "2019-03"}])"));
    REQUIRE(r.has_value());
    CHECK(r->patient.birth_date == ctm::test::year_of(1958));
    CHECK(r->patient.diagnoses.at(0).date == ctm::test::month_of(2019, 3));
  }

  TEST_CASE("schema_version is required and must be 1") {
    auto e = read_error(R"({"id": "SYN-1"})");
    CHECK(e.code == errc::json_schema);
    CHECK(e.where.pointer == "/schema_version");
    e = read_error(R"({"schema_version": 2, "id": "SYN-1"})");
    CHECK(e.code == errc::unsupported_schema_version);
    CHECK(e.where.pointer == "/schema_version");
    e = read_error(R"({"schema_version": "1", "id": "SYN-1"})");
    CHECK(e.code == errc::json_schema);
    e = read_error(R"([1, 2])");
    CHECK(e.code == errc::json_schema);
    CHECK(e.message == "a patient record must be a JSON object");
  }

  TEST_CASE("type errors name the JSON pointer and the source") {
    ctm::io::read_options options;
    options.source_name = "cohort/p1.json";
    const auto e = read_error(doc(R"("treatments": [{"drug": {"name": "a"}}, {"drug": {"name": "b"},
                          "cycles": "four"}])"),
                              options);
    CHECK(e.code == errc::json_schema);
    CHECK(e.where.pointer == "/treatments/1/cycles");
    CHECK(e.where.file == "cohort/p1.json");
    CHECK(e.message == "expected an integer");
    CHECK(ctm::to_string(e) ==
          "[ctm.io.json_schema.202] cohort/p1.json#/treatments/1/cycles: expected an integer");
  }

  TEST_CASE("structural errors") {
    SUBCASE("missing id") {
      const auto e = read_error(R"({"schema_version": 1})");
      CHECK(e.code == errc::json_schema);
      CHECK(e.where.pointer == "/id");
    }
    SUBCASE("unknown enumeration value") {
      const auto e = read_error(doc(R"("performance_status": [{"scale": "zubrod", "value": 1}])"));
      CHECK(e.code == errc::json_schema);
      CHECK(e.where.pointer == "/performance_status/0/scale");
      CHECK(e.message.find("zubrod") == std::string::npos);
    }
    SUBCASE("fractional ECOG") {
      const auto e = read_error(doc(R"("performance_status": [{"scale": "ecog", "value": 1.5}])"));
      CHECK(e.where.pointer == "/performance_status/0/value");
    }
    SUBCASE("bad date") {
      const auto e =
          read_error(doc(R"("treatments": [{"drug": {"name": "x"}, "start": "2024-02-30"}])"));
      CHECK(e.code == errc::invalid_date);
      CHECK(e.where.pointer == "/treatments/0/start");
    }
    SUBCASE("date out of range") {
      const auto e = read_error(doc(R"("birth_date": "1700-01-01")"));
      CHECK(e.code == errc::date_out_of_range);
      CHECK(e.where.pointer == "/birth_date");
    }
    SUBCASE("unknown unit") {
      const auto e = read_error(doc(R"("weights": [{"value": 150, "unit": "lb"}])"));
      CHECK(e.code == errc::unknown_unit);
      CHECK(e.where.pointer == "/weights/0/unit");
    }
    SUBCASE("lab value without unit") {
      const auto e = read_error(doc(R"("labs": [{"analyte": "psa", "value": 3.1}])"));
      CHECK(e.code == errc::json_schema);
      CHECK(e.where.pointer == "/labs/0/unit");
    }
    SUBCASE("null is not an absent member") {
      const auto e = read_error(doc(R"("birth_date": null)"));
      CHECK(e.code == errc::json_schema);
      CHECK(e.where.pointer == "/birth_date");
    }
    SUBCASE("list that is not an array") {
      const auto e = read_error(doc(R"("labs": {})"));
      CHECK(e.where.pointer == "/labs");
    }
    SUBCASE("integer out of range") {
      const auto e =
          read_error(doc(R"("performance_status": [{"scale": "ecog", "value": 99999999999}])"));
      CHECK(e.message == "integer out of range");
    }
  }

  TEST_CASE("malformed JSON gives line and column, never the text") {
    const auto e =
        read_error("{\n  \"schema_version\": 1,\n  \"id\": \"SYN-1\",\n  \"x\": 12345.678x\n}");
    CHECK(e.code == errc::json_syntax);
    CHECK(e.where.line == 4);
    CHECK(e.where.column == 17);
    CHECK(e.message.find("12345") == std::string::npos);
    const auto end = read_error("{\"schema_version\": 1,\n");
    CHECK(end.code == errc::json_syntax);
    CHECK(end.where.line == 2);
    CHECK(end.message == "malformed JSON: unexpected end of input");
    CHECK(read_error("").code == errc::json_syntax);
    CHECK(read_error("{\"id\": \"\xff\"}").code == errc::json_syntax);
  }

  TEST_CASE("unknown members warn by default and fail when strict") {
    const std::string text = doc(R"("favourite_colour": "blue", "labs": [{"analyte": "psa",
        "value": 1, "unit": "ng/mL", "date": "2024-01-01", "flag": "H"}])");
    const auto r = ctm::io::read_patient(text);
    REQUIRE(r.has_value());
    REQUIRE(r->diagnostics.size() == 2);
    CHECK(r->diagnostics[0].severity == ctm::severity::warning);
    CHECK(r->diagnostics[0].error.code == errc::unknown_field);
    CHECK(r->diagnostics[0].error.where.pointer == "/favourite_colour");
    CHECK(r->diagnostics[1].error.where.pointer == "/labs/0/flag");
    ctm::io::read_options strict;
    strict.strict = true;
    const auto e = read_error(text, strict);
    CHECK(e.code == errc::unknown_field);
    CHECK(e.where.pointer == "/favourite_colour");
    const auto escaped = ctm::io::read_patient(doc(R"("a/b~c": 1)"));
    REQUIRE(escaped.has_value());
    CHECK(escaped->diagnostics.at(0).error.where.pointer == "/a~1b~0c");
  }

  TEST_CASE("semantic problems are diagnostics, the record is still read") {
    const auto r = ctm::io::read_patient(doc(R"(
      "performance_status": [{"scale": "ecog", "value": 7, "date": "2024-01-01"}],
      "tumour_assessments": [{"method": "ct", "lesions": [
          {"id": "T1", "role": "target", "diameter_mm": -4}]}],
      "treatments": [{"drug": {"name": "unlisted-drug-x"}, "start": "2024-03-01",
                      "end": "2024-02-01"}])"));
    REQUIRE(r.has_value());
    CHECK(r->patient.performance.at(0).value == 7);
    CHECK(r->patient.treatments.at(0).drug.name == "unlisted-drug-x");
    std::vector<std::string> seen;
    for (const auto& d : r->diagnostics) {
      seen.push_back(std::string(ctm::error_name(d.error.code)) + " " + d.error.where.pointer);
    }
    CHECK(seen == std::vector<std::string>{
                      "invalid_value /performance_status/0/value",
                      "inconsistent_dates /treatments/0/end",
                      "missing_value /tumour_assessments/0/date",
                      "invalid_value /tumour_assessments/0/lesions/0/diameter_mm",
                  });
    ctm::io::read_options no_checks;
    no_checks.validate = false;
    CHECK(ctm::io::read_patient(doc(R"("performance_status": [{"scale": "ecog", "value": 7}])"),
                                no_checks)
              ->diagnostics.empty());
  }

  TEST_CASE("size and depth limits") {
    ctm::io::read_options small;
    small.max_bytes = 16;
    CHECK(read_error(doc(""), small).code == errc::input_too_large);
    std::string deep = doc(R"("x": )");
    deep.pop_back();
    for (int i = 0; i < 100; ++i) deep += "[";
    for (int i = 0; i < 100; ++i) deep += "]";
    deep += "}";
    const auto e = read_error(deep);
    CHECK(e.code == errc::input_too_large);
    std::string ok_depth = doc(R"("x": [[[[1]]]])");
    CHECK(ctm::io::read_patient(ok_depth).has_value());
  }

  TEST_CASE("no patient value appears in any message") {
    const std::string text = R"({"schema_version": 1, "id": "PHI-QX-55321",
      "birth_date": "1969-08-14", "sex": "femme",
      "labs": [{"analyte": "creatinine", "value": 12345.678, "unit": "U/L", "date": "1950-05-05"}]})";
    auto e = read_error(text);
    CHECK(e.where.pointer == "/sex");
    std::vector<std::string> messages{ctm::to_string(e)};
    std::string fixed = text;
    fixed.replace(fixed.find("femme"), 5, "female");
    const auto r = ctm::io::read_patient(fixed);
    REQUIRE(r.has_value());
    CHECK(r->diagnostics.size() >= 2);
    for (const auto& d : r->diagnostics) messages.push_back(ctm::to_string(d));
    for (const std::string& bad : {std::string("{\"schema_version\": 1, \"id\": \"PHI-QX-55321\", "
                                               "\"labs\": [{\"value\": 12345.678x}]}"),
                                   std::string("{\"schema_version\": \"PHI-QX-55321\"}"),
                                   std::string("{\"schema_version\": 1, \"id\": 12345.678}")}) {
      messages.push_back(ctm::to_string(read_error(bad)));
    }
    for (const auto& m : messages) {
      CAPTURE(m);
      for (const char* value :
           {"PHI-QX", "55321", "1969", "08-14", "femme", "12345", "678", "1950"}) {
        CHECK(m.find(value) == std::string::npos);
      }
    }
  }

  TEST_CASE("read_patients: a single object, an array, or JSON Lines") {
    SUBCASE("single object over several lines") {
      const auto records = ctm::io::read_patients("{\n\"schema_version\": 1,\n\"id\": \"a\"\n}\n");
      REQUIRE(records.size() == 1);
      REQUIRE(records[0].document.has_value());
      CHECK(records[0].document->patient.id == "a");
    }
    SUBCASE("array: a bad element does not lose the others") {
      const auto records = ctm::io::read_patients(
          R"([{"schema_version": 1, "id": "a"}, {"schema_version": 1, "id": 5},
              {"schema_version": 1, "id": "c"}])");
      REQUIRE(records.size() == 3);
      CHECK(records[0].document.has_value());
      REQUIRE_FALSE(records[1].document.has_value());
      CHECK(records[1].index == 1);
      CHECK(records[1].document.error().where.pointer == "/1/id");
      REQUIRE(records[2].document.has_value());
      CHECK(records[2].document->patient.id == "c");
    }
    SUBCASE("JSON Lines: errors name the line") {
      ctm::io::read_options options;
      options.source_name = "cohort.jsonl";
      const auto records = ctm::io::read_patients(
          "{\"schema_version\": 1, \"id\": \"a\"}\n"
          "\n"
          "{\"schema_version\": 1, \"id\": \"b\", \"sex\": 3}\r\n"
          "{\"schema_version\": 1, \"id\": \"c\", oops}\n"
          "{\"schema_version\": 1, \"id\": \"d\", \"performance_status\": "
          "[{\"scale\": \"ecog\", \"value\": 9, \"date\": \"2024-01-01\"}]}\n",
          options);
      REQUIRE(records.size() == 4);
      CHECK(records[0].line == 1);
      CHECK(records[0].document.has_value());
      CHECK(records[1].index == 1);
      CHECK(records[1].line == 3);
      REQUIRE_FALSE(records[1].document.has_value());
      CHECK(ctm::to_string(records[1].document.error().where) == "cohort.jsonl:3#/sex");
      REQUIRE_FALSE(records[2].document.has_value());
      CHECK(records[2].document.error().code == errc::json_syntax);
      CHECK(records[2].document.error().where.line == 4);
      CHECK(records[2].document.error().where.column == 34);
      REQUIRE(records[3].document.has_value());
      CHECK(ctm::to_string(records[3].document->diagnostics.at(0).error.where) ==
            "cohort.jsonl:5#/performance_status/0/value");
    }
    SUBCASE("empty input has no records, an unreadable array one failed record") {
      CHECK(ctm::io::read_patients(" \n ").empty());
      const auto records = ctm::io::read_patients("[{\"schema_version\": 1,");
      REQUIRE(records.size() == 1);
      CHECK(records[0].document.error().code == errc::json_syntax);
    }
  }
}
