// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/core/date.hpp>

#include <doctest/doctest.h>

#include <string>

using ctm::truth;

namespace {
ctm::date d(const char* iso) { return ctm::parse_date(iso).value(); }
ctm::partial_date p(const char* iso) { return ctm::parse_partial_date(iso).value(); }
std::string s(ctm::date x) { return ctm::to_string(x); }
}  // namespace

TEST_SUITE("core.date") {
  TEST_CASE("ISO dates parse and print back") {
    CHECK(s(d("2024-02-29")) == "2024-02-29");
    CHECK(s(d("1800-01-01")) == "1800-01-01");
    CHECK(s(d("2026-11-27T10:15:00Z")) == "2026-11-27");
  }

  TEST_CASE("malformed dates are errors with stable ids and no echo of the value") {
    for (const char* bad :
         {"", "2024-2-01", "24-02-01", "2024/02/01", "2024-02-01x", "abcd-ef-gh", "2024-13-01",
          "2024-00-10", "2023-02-29", "2024-04-31", "2024-02-01 ", "2024-02-01T", "2024T10:00"}) {
      const std::string text = bad;
      CAPTURE(text);
      const auto r = ctm::parse_date(bad);
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().code == ctm::errc::invalid_date);
      if (std::string(bad).size() > 3) CHECK(r.error().message.find(bad) == std::string::npos);
    }
    const auto old = ctm::parse_date("1799-12-31");
    REQUIRE_FALSE(old.has_value());
    CHECK(old.error().code == ctm::errc::date_out_of_range);
    CHECK(ctm::to_string(old.error()) == "[ctm.core.date_out_of_range.101] year outside 1800-2200");
    const auto partial = ctm::parse_date("2024-03");
    REQUIRE_FALSE(partial.has_value());
    CHECK(ctm::to_string(partial.error()) ==
          "[ctm.core.invalid_date.100] expected a complete date as YYYY-MM-DD");
  }

  TEST_CASE("month arithmetic clamps to the end of the month (domain definitions 6.1)") {
    CHECK(s(ctm::add_months(d("2024-08-31"), 6)) == "2025-02-28");
    CHECK(s(ctm::add_months(d("2023-08-31"), 6)) == "2024-02-29");
    CHECK(s(ctm::add_months(d("2024-01-31"), 1)) == "2024-02-29");
    CHECK(s(ctm::add_months(d("2024-03-31"), -1)) == "2024-02-29");
    CHECK(s(ctm::add_months(d("2024-01-15"), 12)) == "2025-01-15");
    CHECK(s(ctm::add_months(d("2024-11-30"), 3)) == "2025-02-28");
    CHECK(s(ctm::add_months(d("2024-05-31"), 1)) == "2024-06-30");
    CHECK(s(ctm::add_years(d("2024-02-29"), 1)) == "2025-02-28");
    CHECK(s(ctm::add_years(d("2024-02-29"), 4)) == "2028-02-29");
    CHECK(s(ctm::add_days(d("2024-02-28"), 1)) == "2024-02-29");
    CHECK(s(ctm::add_days(d("2023-12-31"), 1)) == "2024-01-01");
    CHECK(s(ctm::add_days(d("2024-03-01"), -1)) == "2024-02-29");
  }

  TEST_CASE("durations add with calendar semantics for months and years") {
    CHECK(s(ctm::add(d("2024-01-01"), ctm::days(60))) == "2024-03-01");
    CHECK(s(ctm::add(d("2024-01-01"), ctm::weeks(4))) == "2024-01-29");
    CHECK(s(ctm::add(d("2024-08-31"), ctm::months(6))) == "2025-02-28");
    CHECK(s(ctm::subtract(d("2025-02-28"), ctm::years(1))) == "2024-02-28");
    CHECK(ctm::to_string(ctm::days(60)) == "60 days");
    CHECK(ctm::to_string(ctm::weeks(1)) == "1 week");
    CHECK(ctm::to_string(ctm::months(6)) == "6 months");
    CHECK(ctm::parse_duration("6 months").value() == ctm::months(6));
    CHECK(ctm::parse_duration("4 wk").value() == ctm::weeks(4));
    CHECK(ctm::parse_duration("1 year").value() == ctm::years(1));
    CHECK(ctm::parse_duration("60 d").value() == ctm::days(60));
    for (const char* bad : {"", "6", "months", "-6 months", "6 fortnights", "1.5 days"}) {
      const std::string text = bad;
      CAPTURE(text);
      const auto r = ctm::parse_duration(bad);
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().code == ctm::errc::invalid_duration);
    }
  }

  TEST_CASE("days between and age in completed years") {
    CHECK(ctm::days_between(d("2024-01-01"), d("2024-03-01")) == 60);
    CHECK(ctm::days_between(d("2024-03-01"), d("2024-01-01")) == -60);
    CHECK(ctm::age_in_years(d("2008-11-27"), d("2026-11-27")) == 18);  // birthday counts
    CHECK(ctm::age_in_years(d("2008-11-28"), d("2026-11-27")) == 17);
    CHECK(ctm::age_in_years(d("2004-02-29"), d("2022-02-28")) == 17);  // leap-day birthday
    CHECK(ctm::age_in_years(d("2004-02-29"), d("2022-03-01")) == 18);
    CHECK(ctm::age_in_years(d("2004-02-29"), d("2024-02-29")) == 20);
  }

  TEST_CASE("partial dates span their whole month or year") {
    const auto year = p("2024");
    CHECK(year.precision == ctm::date_precision::year);
    CHECK(s(year.earliest) == "2024-01-01");
    CHECK(s(year.latest) == "2024-12-31");
    const auto feb = p("2024-02");
    CHECK(feb.precision == ctm::date_precision::month);
    CHECK(s(feb.latest) == "2024-02-29");
    CHECK(s(p("2023-02").latest) == "2023-02-28");
    CHECK(ctm::to_string(feb) == "2024-02");
    CHECK(ctm::to_string(year) == "2024");
    CHECK(ctm::to_string(p("2024-02-10")) == "2024-02-10");
    CHECK(p("2024-02-10").is_exact());
  }

  TEST_CASE("comparisons of partial dates are unknown exactly when possible days disagree") {
    CHECK(ctm::is_before(p("2024-02"), p("2024-03-01")) == truth::yes);
    CHECK(ctm::is_before(p("2024-02"), p("2024-02-15")) == truth::unknown);
    CHECK(ctm::is_before(p("2024-02"), p("2024-02-01")) == truth::no);
    CHECK(ctm::is_before(p("2024"), p("2024")) == truth::unknown);
    CHECK(ctm::is_before(p("2024-02-01"), p("2024-02-01")) == truth::no);
    CHECK(ctm::is_on_or_before(p("2024-02-01"), p("2024-02-01")) == truth::yes);
    CHECK(ctm::is_on_or_before(p("2024-02"), p("2024-02-29")) == truth::yes);
    CHECK(ctm::is_on_or_before(p("2024-03"), p("2024-02-29")) == truth::no);
    CHECK(ctm::days_between(p("2024-01-15"), p("2024-03")) == ctm::day_range{46, 76});
  }

  TEST_CASE("age with a partial birth date is a range and threshold tests become unknown") {
    const auto range = ctm::age_in_years(p("2008"), d("2026-06-30"));
    CHECK(range.min == 17);
    CHECK(range.max == 18);
    CHECK(ctm::age_in_years(p("2008"), d("2026-12-31")) == ctm::day_range{18, 18});
    CHECK(ctm::age_in_years(p("2008"), d("2027-01-01")) == ctm::day_range{18, 19});
    CHECK(ctm::age_in_years(p("2008-05"), d("2026-06-01")) == ctm::day_range{18, 18});
    CHECK(ctm::age_in_years(p("2008-06"), d("2026-06-15")) == ctm::day_range{17, 18});
  }

  TEST_CASE("is_within is inclusive at both ends and three-valued for partial dates") {
    const auto dose = p("2024-01-01");
    CHECK(ctm::is_within(p("2024-03-01"), dose, ctm::days(60)) == truth::yes);  // day 60
    CHECK(ctm::is_within(p("2024-03-02"), dose, ctm::days(60)) == truth::no);   // day 61
    CHECK(ctm::is_within(p("2024-01-01"), dose, ctm::days(60)) == truth::yes);  // day 0
    CHECK(ctm::is_within(p("2023-12-31"), dose, ctm::days(60)) == truth::no);   // before
    CHECK(ctm::is_within(p("2024-02"), dose, ctm::days(60)) == truth::yes);
    CHECK(ctm::is_within(p("2024-03"), dose, ctm::days(60)) == truth::unknown);
    CHECK(ctm::is_within(p("2024-04"), dose, ctm::days(60)) == truth::no);
    // Calendar months: 31 Aug + 6 months = 28 Feb.
    CHECK(ctm::is_within(p("2025-02-28"), p("2024-08-31"), ctm::months(6)) == truth::yes);
    CHECK(ctm::is_within(p("2025-03-01"), p("2024-08-31"), ctm::months(6)) == truth::no);
    // A partial anchor.
    CHECK(ctm::is_within(p("2024-03-15"), p("2024-01"), ctm::days(60)) == truth::unknown);
  }

  TEST_CASE("has_elapsed: since + span on or before the as-of date") {
    CHECK(ctm::has_elapsed(p("2024-01-01"), ctm::weeks(4), d("2024-01-29")) == truth::yes);
    CHECK(ctm::has_elapsed(p("2024-01-01"), ctm::weeks(4), d("2024-01-28")) == truth::no);
    CHECK(ctm::has_elapsed(p("2024-01"), ctm::weeks(4), d("2024-02-15")) == truth::unknown);
    CHECK(ctm::has_elapsed(p("2024-01"), ctm::weeks(4), d("2024-02-28")) == truth::yes);
  }
}
