// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "support/trial_samples.hpp"

#include <ctm/trial/validate.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

using ctm::errc;

// The single diagnostic `validate` gives for `t`.
ctm::diagnostic only(const ctm::trial& t, const ctm::trial_validate_options& options = {}) {
  const auto diags = ctm::validate(t, options);
  for (const auto& d : diags) MESSAGE(ctm::to_string(d));
  REQUIRE(diags.size() == 1);
  return diags.front();
}

}  // namespace

TEST_SUITE("trial.validate") {
  TEST_CASE("the full synthetic trial is clean") {
    CHECK(ctm::validate(ctm::test::full_trial()).empty());
  }

  TEST_CASE("the trial id must be an NCT id") {
    auto t = ctm::test::full_trial();
    t.id = "NCI-2015-00054";
    const auto d = only(t);
    CHECK(d.severity == ctm::severity::error);
    CHECK(d.error.code == errc::invalid_id);
    CHECK(d.error.where.pointer == "/id");
    CHECK(ctm::error_tag(d.error.code) == "ctm.trial.invalid_id.700");
  }

  TEST_CASE("criterion ids are unique across the trial and its arms") {
    auto t = ctm::test::full_trial();
    t.arms[1].criteria.push_back(
        ctm::test::make_criterion("inc-02", ctm::criterion_kind::inclusion, "Repeat of an id"));
    const auto d = only(t);
    CHECK(d.error.code == errc::duplicate_id);
    CHECK(d.error.where.pointer == "/arms/1/criteria/0/id");
    CHECK(ctm::error_tag(d.error.code) == "ctm.trial.duplicate_id.701");
  }

  TEST_CASE("malformed ids and names are reported where they are") {
    SUBCASE("criterion id with a space") {
      auto t = ctm::test::full_trial();
      t.criteria[2].id = "exc 01";
      const auto d = only(t);
      CHECK(d.error.code == errc::invalid_id);
      CHECK(d.error.where.pointer == "/criteria/2/id");
    }
    SUBCASE("empty arm id") {
      auto t = ctm::test::full_trial();
      t.arms[0].id.clear();
      const auto d = only(t);
      CHECK(d.error.code == errc::invalid_id);
      CHECK(d.error.where.pointer == "/arms/0/id");
    }
    SUBCASE("duplicate arm id") {
      auto t = ctm::test::full_trial();
      t.arms[1].id = t.arms[0].id;
      const auto d = only(t);
      CHECK(d.error.code == errc::duplicate_id);
      CHECK(d.error.where.pointer == "/arms/1/id");
    }
    SUBCASE("definition name that is not an identifier") {
      auto t = ctm::test::full_trial();
      t.definitions[1].name = "2nd-washout";
      const auto d = only(t);
      CHECK(d.error.code == errc::invalid_id);
      CHECK(d.error.where.pointer == "/definitions/1/name");
    }
    SUBCASE("duplicate definition name") {
      auto t = ctm::test::full_trial();
      t.definitions[1].name = t.definitions[0].name;
      const auto d = only(t);
      CHECK(d.error.code == errc::duplicate_id);
      CHECK(d.error.where.pointer == "/definitions/1/name");
    }
    SUBCASE("uses naming something that is not an identifier") {
      auto t = ctm::test::full_trial();
      t.criteria[1].uses.push_back("organ function");
      const auto d = only(t);
      CHECK(d.error.code == errc::invalid_id);
      CHECK(d.error.where.pointer == "/criteria/1/uses/1");
    }
  }

  TEST_CASE("missing title, criterion text and site name are reported") {
    auto t = ctm::test::full_trial();
    t.title.clear();
    t.criteria[0].text.clear();
    t.sites[1].name.clear();
    const auto diags = ctm::validate(t);
    REQUIRE(diags.size() == 3);
    CHECK(diags[0].error.code == errc::missing_text);
    CHECK(diags[0].error.where.pointer == "/title");
    CHECK(diags[1].error.where.pointer == "/criteria/0/text");
    CHECK(diags[2].error.where.pointer == "/sites/1/name");
  }

  TEST_CASE("coordinates and confidences out of range are errors") {
    SUBCASE("latitude") {
      auto t = ctm::test::full_trial();
      t.sites[0].location->latitude = 90.5;
      const auto d = only(t);
      CHECK(d.error.code == errc::value_out_of_range);
      CHECK(d.error.where.pointer == "/sites/0/location/latitude");
    }
    SUBCASE("longitude") {
      auto t = ctm::test::full_trial();
      t.sites[0].location->longitude = -180.01;
      const auto d = only(t);
      CHECK(d.error.code == errc::value_out_of_range);
      CHECK(d.error.where.pointer == "/sites/0/location/longitude");
    }
    SUBCASE("confidence above one") {
      auto t = ctm::test::full_trial();
      t.criteria[2].provenance.confidence = 1.5;
      const auto d = only(t);
      CHECK(d.error.code == errc::value_out_of_range);
      CHECK(d.error.where.pointer == "/criteria/2/provenance/confidence");
    }
    SUBCASE("extracted without a confidence") {
      auto t = ctm::test::full_trial();
      t.criteria[2].provenance.confidence.reset();
      const auto d = only(t);
      CHECK(d.error.code == errc::value_out_of_range);
    }
    SUBCASE("the limits themselves are fine") {
      auto t = ctm::test::full_trial();
      t.sites[0].location = ctm::geo_point{-90.0, 180.0};
      t.criteria[2].provenance.confidence = 0.0;
      CHECK(ctm::validate(t).empty());
    }
  }

  TEST_CASE("disease codes are checked only when a lookup is given, as warnings") {
    auto t = ctm::test::full_trial();
    t.conditions.codes.push_back("NOT_A_CODE");
    CHECK(ctm::validate(t).empty());
    ctm::trial_validate_options options;
    options.is_known_disease = [](std::string_view code) { return code != "NOT_A_CODE"; };
    const auto d = only(t, options);
    CHECK(d.severity == ctm::severity::warning);
    CHECK(d.error.code == errc::unknown_code);
    CHECK(d.error.where.pointer == "/conditions/codes/2");
  }
}
