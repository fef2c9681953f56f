// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Time since the last therapy of each kind (washout questions).
#include "unit/history/history_support.hpp"

#include <ctm/history/derive.hpp>

#include <doctest/doctest.h>

using namespace ctm;
using namespace ctm::history;
using ctm::test::history_builder;
using ctm::test::on;

TEST_SUITE("history.time_since") {
  TEST_CASE("last dose of a drug, a class and any anticancer therapy") {
    history_builder h;
    h.give("carboplatin", 0, 63).give("paclitaxel", 0, 70);
    h.give("dexamethasone", 0, 90);  // supportive: not anticancer therapy
    const auto f = h.derive(100);
    const auto& any = f.last(event_kind::anticancer_therapy);
    REQUIRE(any.happened());
    CHECK(*any.date == on(70));
    CHECK_FALSE(any.ongoing);
    CHECK(any.days_until(add_days(ctm::test::day0(), 100)) == day_range{30, 30});
    CHECK(any.source.records.front() == "/treatments/1");
    const auto platinum = f.last_dose(*f.catalog->find_code("platinum_compound"));
    REQUIRE(platinum.happened());
    CHECK(*platinum.date == on(63));
    const date as_of = add_days(ctm::test::day0(), 100);
    CHECK(platinum.at_least(weeks(4), as_of) == truth::yes);  // 37 days
    CHECK(any.at_least(days(30), as_of) == truth::yes);       // exactly 30: inclusive
    CHECK(any.at_least(days(31), as_of) == truth::no);
    CHECK_FALSE(f.last_dose(*f.catalog->find_code("anti_pd1")).happened());
  }

  TEST_CASE("an ongoing drug has no elapsed washout, a drug never given has any washout") {
    history_builder h;
    h.give("osimertinib", 0, std::nullopt, std::nullopt);
    const auto f = h.derive(100);
    const date as_of = add_days(ctm::test::day0(), 100);
    CHECK(f.last(event_kind::anticancer_therapy).ongoing);
    CHECK(f.last(event_kind::anticancer_therapy).at_least(days(14), as_of) == truth::no);
    CHECK(f.last(event_kind::radiotherapy).at_least(weeks(2), as_of) == truth::yes);
  }

  TEST_CASE("radiotherapy from its last fraction, surgery, transplant and CAR-T by kind") {
    history_builder h;
    h.procedure(procedure_kind::radiotherapy, 10, 24);
    h.procedure(procedure_kind::major_surgery, 30);
    h.procedure(procedure_kind::minor_surgery, 50);
    h.procedure(procedure_kind::allogeneic_transplant, 60);
    h.procedure(procedure_kind::car_t_infusion, 80);
    h.procedure(procedure_kind::radiotherapy, 200);  // after the as-of date
    const auto f = h.derive(100);
    CHECK(*f.last(event_kind::radiotherapy).date == on(24));
    CHECK(*f.last(event_kind::major_surgery).date == on(30));
    CHECK(*f.last(event_kind::surgery).date == on(50));
    CHECK(*f.last(event_kind::transplant).date == on(60));
    CHECK_FALSE(f.last(event_kind::autologous_transplant).happened());
    CHECK(*f.last(event_kind::car_t).date == on(80));
    // The CAR-T infusion is anticancer therapy (a product the catalog does not name).
    CHECK(*f.last(event_kind::anticancer_therapy).date == on(80));
    CHECK(to_string(event_kind::car_t) == "car_t");
  }

  TEST_CASE("a month-precision last dose gives a three-valued washout") {
    history_builder h;
    drug_administration a;
    a.drug.name = "docetaxel";
    a.start = partial_date::of_month(std::chrono::year{2024}, std::chrono::month{1});
    a.end = partial_date::of_month(std::chrono::year{2024}, std::chrono::month{2});
    a.stop_reason = stop_reason::completed;
    h.record().treatments.push_back(a);
    const auto f = h.derive(74);  // 2024-03-15
    const date as_of = ctm::test::ymd(2024, 3, 15);
    const auto& t = f.last(event_kind::anticancer_therapy);
    CHECK(t.days_until(as_of) == day_range{15, 43});
    CHECK(t.at_least(days(14), as_of) == truth::yes);
    CHECK(t.at_least(days(28), as_of) == truth::unknown);
    CHECK(t.at_least(days(44), as_of) == truth::no);
  }
}
