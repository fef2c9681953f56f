// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "support/trial_samples.hpp"

#include <ctm/io/trial_json.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

using ctm::errc;

// Reads `json`, requiring an error; returns it.
ctm::error read_error(const std::string& json, const ctm::io::trial_read_options& options = {}) {
  const auto r = ctm::io::read_trial(json, options);
  REQUIRE_FALSE(r.has_value());
  MESSAGE(ctm::to_string(r.error()));
  return r.error();
}

// A minimal valid document with `members` spliced in.
std::string doc(const std::string& members) {
  return R"({"schema_version": 1, "id": "NCT01234567", "title": "T")" +
         (members.empty() ? "" : ", " + members) + "}";
}

// A minimal document with one criterion whose members are `members`.
std::string with_criterion(const std::string& members) {
  return doc(R"("criteria": [{)" + members + "}]");
}

void check_round_trip(const ctm::trial& t) {
  const std::string once = ctm::io::write_trial(t);
  const auto back = ctm::io::read_trial(once);
  REQUIRE(back.has_value());
  CHECK(back->trial == t);
  CHECK(ctm::io::write_trial(back->trial) == once);
}

}  // namespace

TEST_SUITE("io.trial_json") {
  TEST_CASE("every value type survives write then read, and writing is stable") {
    check_round_trip(ctm::test::full_trial());
    check_round_trip(ctm::trial{});
    ctm::trial minimal;
    minimal.id = "NCT00000001";
    minimal.title = "Minimal";
    check_round_trip(minimal);
  }

  TEST_CASE("every enumerator survives the round trip") {
    auto t = ctm::test::full_trial();
    for (std::uint8_t i = 0; i <= static_cast<std::uint8_t>(ctm::trial_status::unknown); ++i) {
      t.status = static_cast<ctm::trial_status>(i);
      t.arms[0].status = t.status;
      t.sites[0].recruitment_status = t.status;
      check_round_trip(t);
    }
    for (std::uint8_t i = 0; i <= static_cast<std::uint8_t>(ctm::trial_phase::na); ++i) {
      t.phases = {static_cast<ctm::trial_phase>(i)};
      check_round_trip(t);
    }
    t.criteria[0].kind = ctm::criterion_kind::exclusion;
    check_round_trip(t);
  }

  TEST_CASE("the minimal document reads with the documented defaults") {
    const auto r = ctm::io::read_trial(doc(""));
    REQUIRE(r.has_value());
    CHECK(r->diagnostics.empty());
    CHECK(r->trial.id == "NCT01234567");
    CHECK(r->trial.status == ctm::trial_status::unknown);
    CHECK(r->trial.criteria.empty());
  }

  TEST_CASE("a null or absent rule means the criterion needs review") {
    for (const char* rule : {R"(, "rule": null)", ""}) {
      CAPTURE(rule);
      const auto r = ctm::io::read_trial(with_criterion(
          std::string(R"("id": "inc-01", "kind": "inclusion", "text": "x")") + rule));
      REQUIRE(r.has_value());
      REQUIRE(r->trial.criteria.size() == 1);
      CHECK(r->trial.criteria[0].needs_review());
      CHECK(r->trial.criteria[0].provenance.kind == ctm::provenance_kind::curated);
    }
    const auto r = ctm::io::read_trial(
        with_criterion(R"("id": "inc-01", "kind": "inclusion", "text": "x", "rule": "age >= 18")"));
    REQUIRE(r.has_value());
    CHECK(r->trial.criteria[0].rule == "age >= 18");
  }

  TEST_CASE("the writer always writes a criterion's rule, as null when absent") {
    auto t = ctm::test::full_trial();
    const std::string out = ctm::io::write_trial(t);
    CHECK(out.find(R"("rule": null)") != std::string::npos);
    CHECK(out.find(R"("rule": "age >= 18")") != std::string::npos);
    CHECK(out.back() == '\n');
    // Members in the documented order.
    CHECK(out.find("\"schema_version\"") < out.find("\"id\""));
    CHECK(out.find("\"criteria\"") < out.find("\"arms\""));
    CHECK(out.find("\"arms\"") < out.find("\"sites\""));
  }

  TEST_CASE("a curated criterion written with extractor data drops it") {
    auto t = ctm::test::full_trial();
    t.criteria[0].provenance.confidence = 0.5;
    const auto back = ctm::io::read_trial(ctm::io::write_trial(t));
    REQUIRE(back.has_value());
    CHECK_FALSE(back->trial.criteria[0].provenance.confidence.has_value());
  }

  TEST_CASE("bad input gives the exact error code and JSON pointer") {
    struct bad_case {
      const char* name;
      std::string json;
      errc code;
      const char* pointer;
    };
    const std::vector<bad_case> cases{
        {"not an object", "[1]", errc::json_schema, ""},
        {"no schema_version", R"({"id": "NCT01234567", "title": "T"})", errc::json_schema,
         "/schema_version"},
        {"schema_version as text", R"({"schema_version": "1", "id": "x", "title": "T"})",
         errc::json_schema, "/schema_version"},
        {"future schema_version", R"({"schema_version": 2, "id": "x", "title": "T"})",
         errc::unsupported_schema_version, "/schema_version"},
        {"missing id", R"({"schema_version": 1, "title": "T"})", errc::json_schema, "/id"},
        {"missing title", R"({"schema_version": 1, "id": "NCT01234567"})", errc::json_schema,
         "/title"},
        {"id as number", R"({"schema_version": 1, "id": 7, "title": "T"})", errc::json_schema,
         "/id"},
        {"unknown status", doc(R"("status": "RECRUITING")"), errc::json_schema, "/status"},
        {"unknown phase", doc(R"("phases": ["phase2", "phase 3"])"), errc::json_schema,
         "/phases/1"},
        {"phases not an array", doc(R"("phases": "phase2")"), errc::json_schema, "/phases"},
        {"condition code not a string", doc(R"("conditions": {"codes": ["MM", 3]})"),
         errc::json_schema, "/conditions/codes/1"},
        {"bad retrieved date", doc(R"("source": {"retrieved": "2025-13-01"})"), errc::invalid_date,
         "/source/retrieved"},
        {"criterion without kind", with_criterion(R"("id": "inc-01", "text": "x")"),
         errc::json_schema, "/criteria/0/kind"},
        {"criterion with a bad kind",
         with_criterion(R"("id": "inc-01", "kind": "include", "text": "x")"), errc::json_schema,
         "/criteria/0/kind"},
        {"criterion without text", with_criterion(R"("id": "inc-01", "kind": "inclusion")"),
         errc::json_schema, "/criteria/0/text"},
        {"rule as a number",
         with_criterion(R"("id": "a", "kind": "inclusion", "text": "x", "rule": 1)"),
         errc::json_schema, "/criteria/0/rule"},
        {"curated with a confidence",
         with_criterion(
             R"("id": "a", "kind": "inclusion", "text": "x", "provenance": {"kind": "curated", "confidence": 0.5})"),
         errc::json_schema, "/criteria/0/provenance/confidence"},
        {"extracted without a confidence",
         with_criterion(
             R"("id": "a", "kind": "inclusion", "text": "x", "provenance": {"kind": "extracted"})"),
         errc::json_schema, "/criteria/0/provenance/confidence"},
        {"confidence above one",
         with_criterion(
             R"("id": "a", "kind": "inclusion", "text": "x", "provenance": {"kind": "extracted", "confidence": 1.2})"),
         errc::json_schema, "/criteria/0/provenance/confidence"},
        {"negative span offset",
         with_criterion(
             R"("id": "a", "kind": "inclusion", "text": "x", "provenance": {"kind": "extracted", "confidence": 0.2, "span": {"offset": -1, "length": 3}})"),
         errc::json_schema, "/criteria/0/provenance/span/offset"},
        {"arm without id", doc(R"("arms": [{"name": "A"}])"), errc::json_schema, "/arms/0/id"},
        {"arm criterion with a bad kind",
         doc(R"("arms": [{"id": "A", "criteria": [{"id": "a", "kind": 1, "text": "x"}]}])"),
         errc::json_schema, "/arms/0/criteria/0/kind"},
        {"site without name", doc(R"("sites": [{"city": "Lyon"}])"), errc::json_schema,
         "/sites/0/name"},
        {"site latitude as text",
         doc(R"("sites": [{"name": "S", "location": {"latitude": "45", "longitude": 4}}])"),
         errc::json_schema, "/sites/0/location/latitude"},
        {"site status unknown", doc(R"("sites": [{"name": "S", "status": "open"}])"),
         errc::json_schema, "/sites/0/status"},
        {"definition without name", doc(R"("definitions": [{"rule": null}])"), errc::json_schema,
         "/definitions/0/name"},
        {"key with a slash", doc(R"("conditions": {"a/b": 1})"), errc::unknown_field,
         "/conditions/a~1b"},
    };
    ctm::io::trial_read_options strict;
    strict.strict = true;
    for (const auto& c : cases) {
      CAPTURE(c.name);
      const auto e = read_error(c.json, strict);
      CHECK(e.code == c.code);
      CHECK(e.where.pointer == c.pointer);
    }
  }

  TEST_CASE("errors render with their tag, source name and pointer, never the value") {
    ctm::io::trial_read_options options;
    options.source_name = "trial.json";
    const auto e = read_error(doc(R"("status": "SECRET-VALUE")"), options);
    CHECK(ctm::to_string(e) ==
          "[ctm.io.json_schema.202] trial.json#/status: not a known trial status value");
    CHECK(ctm::to_string(e).find("SECRET") == std::string::npos);
    const auto named = ctm::io::read_trial(doc(R"("status": 3)"), "named.json");
    REQUIRE_FALSE(named.has_value());
    CHECK(named.error().where.file == "named.json");
  }

  TEST_CASE("malformed JSON reports its line and column") {
    const auto e = read_error("{\n  \"schema_version\": 1,\n  \"id\": ]\n}");
    CHECK(e.code == errc::json_syntax);
    CHECK(e.where.line == 3);
    CHECK(e.where.column == 9);
    const auto end = read_error("{\"schema_version\": 1");
    CHECK(end.code == errc::json_syntax);
    CHECK(end.message == "malformed JSON: unexpected end of input");
  }

  TEST_CASE("unknown members are warnings, or errors when strict") {
    const std::string text = doc(R"("summary": "s", "sites": [{"name": "S", "phone": "1"}])");
    const auto r = ctm::io::read_trial(text);
    REQUIRE(r.has_value());
    REQUIRE(r->diagnostics.size() == 2);
    CHECK(r->diagnostics[0].severity == ctm::severity::warning);
    CHECK(r->diagnostics[0].error.code == errc::unknown_field);
    CHECK(r->diagnostics[0].error.where.pointer == "/summary");
    CHECK(r->diagnostics[1].error.where.pointer == "/sites/0/phone");
    ctm::io::trial_read_options strict;
    strict.strict = true;
    const auto e = read_error(text, strict);
    CHECK(e.code == errc::unknown_field);
    CHECK(e.where.pointer == "/summary");
  }

  TEST_CASE("validation diagnostics come with the read, and can be turned off") {
    const std::string text = doc(
        R"("criteria": [{"id": "inc-01", "kind": "inclusion", "text": "a"},
                         {"id": "inc-01", "kind": "inclusion", "text": "b"}])");
    const auto r = ctm::io::read_trial(text, "dup.json");
    REQUIRE(r.has_value());
    REQUIRE(r->diagnostics.size() == 1);
    CHECK(r->diagnostics[0].severity == ctm::severity::error);
    CHECK(r->diagnostics[0].error.code == errc::duplicate_id);
    CHECK(r->diagnostics[0].error.where.pointer == "/criteria/1/id");
    CHECK(r->diagnostics[0].error.where.file == "dup.json");
    ctm::io::trial_read_options quiet;
    quiet.validate = false;
    const auto q = ctm::io::read_trial(text, quiet);
    REQUIRE(q.has_value());
    CHECK(q->diagnostics.empty());
  }

  TEST_CASE("validation checks disease codes with the given lookup") {
    ctm::io::trial_read_options options;
    options.validation.is_known_disease = [](std::string_view code) { return code == "MM"; };
    const auto r = ctm::io::read_trial(doc(R"("conditions": {"codes": ["MM", "XYZ"]})"), options);
    REQUIRE(r.has_value());
    REQUIRE(r->diagnostics.size() == 1);
    CHECK(r->diagnostics[0].error.code == errc::unknown_code);
    CHECK(r->diagnostics[0].error.where.pointer == "/conditions/codes/1");
  }

  TEST_CASE("size and depth limits are enforced") {
    ctm::io::trial_read_options small;
    small.max_bytes = 16;
    CHECK(read_error(doc(""), small).code == errc::input_too_large);
    ctm::io::trial_read_options shallow;
    shallow.max_depth = 3;
    const auto e = read_error(
        doc(R"("criteria": [{"id": "a", "kind": "inclusion", "text": "x", "provenance": {"kind": "curated"}}])"),
        shallow);
    CHECK(e.code == errc::input_too_large);
    std::string deep(100, '[');
    deep += std::string(100, ']');
    CHECK(read_error(deep).code == errc::input_too_large);
  }

  TEST_CASE("read_trials reads an object, an array and JSON Lines, keeping failed records") {
    const std::string good = doc("");
    const std::string bad = R"({"schema_version": 1, "id": "NCT01234567"})";
    SUBCASE("single object") {
      const auto records = ctm::io::read_trials(good);
      REQUIRE(records.size() == 1);
      CHECK(records[0].document.has_value());
    }
    SUBCASE("array") {
      const auto records =
          ctm::io::read_trials("[" + good + ", " + bad + ", " + good + "]", "a.json");
      REQUIRE(records.size() == 3);
      CHECK(records[0].document.has_value());
      REQUIRE_FALSE(records[1].document.has_value());
      CHECK(records[1].index == 1);
      CHECK(records[1].document.error().where.pointer == "/1/title");
      CHECK(records[1].document.error().where.file == "a.json");
      CHECK(records[2].document.has_value());
    }
    SUBCASE("JSON Lines with a blank line and a malformed line") {
      const auto records =
          ctm::io::read_trials(good + "\n\n" + bad + "\n{\"schema_version\": \n" + good + "\n");
      REQUIRE(records.size() == 4);
      CHECK(records[0].line == 1);
      CHECK(records[0].document.has_value());
      CHECK(records[1].line == 3);
      REQUIRE_FALSE(records[1].document.has_value());
      CHECK(records[1].document.error().where.line == 3);
      CHECK(records[1].document.error().where.pointer == "/title");
      CHECK(records[2].line == 4);
      REQUIRE_FALSE(records[2].document.has_value());
      CHECK(records[2].document.error().code == errc::json_syntax);
      CHECK(records[2].document.error().where.line == 4);
      CHECK(records[3].index == 3);
      CHECK(records[3].line == 5);
      CHECK(records[3].document.has_value());
    }
    SUBCASE("empty input gives no records, unreadable input gives one failure") {
      CHECK(ctm::io::read_trials("  \n").empty());
      const auto records = ctm::io::read_trials("[{]");
      REQUIRE(records.size() == 1);
      CHECK(records[0].document.error().code == errc::json_syntax);
    }
    SUBCASE("a byte-order mark is skipped") {
      const auto records = ctm::io::read_trials("\xEF\xBB\xBF" + good);
      REQUIRE(records.size() == 1);
      CHECK(records[0].document.has_value());
    }
  }
}
