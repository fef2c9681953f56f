// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/trial/trial.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <set>
#include <string>

TEST_SUITE("trial.trial") {
  TEST_CASE("every trial status has a distinct name that parses back") {
    std::set<std::string> names;
    for (std::uint8_t i = 0; i <= static_cast<std::uint8_t>(ctm::trial_status::unknown); ++i) {
      const auto s = static_cast<ctm::trial_status>(i);
      const std::string name(ctm::to_string(s));
      CAPTURE(name);
      CHECK(names.insert(name).second);
      CHECK(ctm::parse_trial_status(name) == s);
    }
    CHECK(names.size() == 14);
    CHECK(ctm::to_string(ctm::trial_status::active_not_recruiting) == "active_not_recruiting");
    CHECK_FALSE(ctm::parse_trial_status("RECRUITING").has_value());
    CHECK_FALSE(ctm::parse_trial_status("").has_value());
  }

  TEST_CASE("phases use the registry names in lower case") {
    CHECK(ctm::to_string(ctm::trial_phase::early_phase1) == "early_phase1");
    CHECK(ctm::to_string(ctm::trial_phase::phase3) == "phase3");
    CHECK(ctm::to_string(ctm::trial_phase::na) == "na");
    for (std::uint8_t i = 0; i <= static_cast<std::uint8_t>(ctm::trial_phase::na); ++i) {
      const auto p = static_cast<ctm::trial_phase>(i);
      CHECK(ctm::parse_trial_phase(ctm::to_string(p)) == p);
    }
    CHECK_FALSE(ctm::parse_trial_phase("phase 2").has_value());
  }

  TEST_CASE("criterion and provenance kinds have their format names") {
    CHECK(ctm::to_string(ctm::criterion_kind::inclusion) == "inclusion");
    CHECK(ctm::to_string(ctm::criterion_kind::exclusion) == "exclusion");
    CHECK(ctm::parse_criterion_kind("exclusion") == ctm::criterion_kind::exclusion);
    CHECK_FALSE(ctm::parse_criterion_kind("Exclusion").has_value());
    CHECK(ctm::to_string(ctm::provenance_kind::curated) == "curated");
    CHECK(ctm::parse_provenance_kind("extracted") == ctm::provenance_kind::extracted);
    CHECK_FALSE(ctm::parse_provenance_kind("manual").has_value());
  }

  TEST_CASE("only recruiting, invitation and available statuses are open") {
    using ctm::trial_status;
    CHECK(ctm::is_open(trial_status::recruiting));
    CHECK(ctm::is_open(trial_status::enrolling_by_invitation));
    CHECK(ctm::is_open(trial_status::available));
    CHECK_FALSE(ctm::is_open(trial_status::not_yet_recruiting));
    CHECK_FALSE(ctm::is_open(trial_status::active_not_recruiting));
    CHECK_FALSE(ctm::is_open(trial_status::completed));
    CHECK_FALSE(ctm::is_open(trial_status::unknown));
  }

  TEST_CASE("an NCT id is NCT and exactly eight digits") {
    CHECK(ctm::is_nct_id("NCT02465060"));
    CHECK_FALSE(ctm::is_nct_id("nct02465060"));
    CHECK_FALSE(ctm::is_nct_id("NCT0246506"));
    CHECK_FALSE(ctm::is_nct_id("NCT024650600"));
    CHECK_FALSE(ctm::is_nct_id("NCT0246506X"));
    CHECK_FALSE(ctm::is_nct_id(""));
  }

  TEST_CASE("a criterion without a rule needs manual review") {
    ctm::criterion c;
    c.id = "inc-01";
    c.text = "Adequate organ function";
    CHECK(c.needs_review());
    c.rule = "ecog <= 1";
    CHECK_FALSE(c.needs_review());
    CHECK(ctm::needs_manual_review == "needs manual review");
  }

  TEST_CASE("a default trial has unknown status and a curated provenance default") {
    const ctm::trial t;
    CHECK(t.status == ctm::trial_status::unknown);
    const ctm::criterion c;
    CHECK(c.kind == ctm::criterion_kind::inclusion);
    CHECK(c.provenance.kind == ctm::provenance_kind::curated);
    CHECK_FALSE(c.provenance.confidence.has_value());
  }
}
