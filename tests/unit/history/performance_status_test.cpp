// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "support/patient_samples.hpp"

#include <ctm/history/performance_status.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace ctm;
using namespace ctm::history;
using ctm::test::day;

namespace {

const date as_of = date{std::chrono::year{2024}, std::chrono::month{3}, std::chrono::day{1}};

patient with(std::vector<performance_status> scores) {
  patient p;
  p.performance = std::move(scores);
  return p;
}

performance_status ecog(int v, partial_date d) { return {performance_scale::ecog, v, d}; }
performance_status kps(int v, partial_date d) { return {performance_scale::karnofsky, v, d}; }

}  // namespace

TEST_SUITE("history.performance_status") {
  TEST_CASE("Karnofsky to ECOG under conventions A and B (domain 4.2 table)") {
    const int a[] = {5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0};
    const int b[] = {5, 4, 4, 4, 3, 3, 2, 2, 1, 1, 0};
    for (int k = 0; k <= 10; ++k) {
      CAPTURE(k);
      CHECK(ecog_from_karnofsky(k * 10, ps_convention::a) == a[k]);
      CHECK(ecog_from_karnofsky(k * 10, ps_convention::b) == b[k]);
    }
    CHECK(ecog_from_karnofsky(55, ps_convention::a) == std::nullopt);
    CHECK(ecog_from_karnofsky(110, ps_convention::b) == std::nullopt);
    CHECK(karnofsky_from_ecog(1, ps_convention::a) == karnofsky_span{70, 80});
    CHECK(karnofsky_from_ecog(1, ps_convention::b) == karnofsky_span{80, 90});
    CHECK(karnofsky_from_ecog(4, ps_convention::b) == karnofsky_span{10, 30});
    CHECK(karnofsky_from_ecog(0, ps_convention::b) == karnofsky_span{100, 100});
    CHECK(karnofsky_from_ecog(6, ps_convention::a) == std::nullopt);
  }

  TEST_CASE("ELIG-08: ECOG 0-1 with only KPS 80 passes under both conventions (derived)") {
    const auto a = ecog_at_most(with({kps(80, day(2024, 2, 20))}), 1, as_of);
    CHECK(a.value == truth::yes);
    CHECK(a.derived);
    CHECK(a.scale == performance_scale::karnofsky);
    CHECK(a.source.records == std::vector<std::string>{"/performance_status/0"});
  }

  TEST_CASE("ELIG-09: ECOG 0-1 with only KPS 70 is unknown (A: 1 passes B: 2 fails)") {
    const auto a = ecog_at_most(with({kps(70, day(2024, 2, 20))}), 1, as_of);
    CHECK(a.value == truth::unknown);
    CHECK(a.derived);
    CHECK(a.source.reason.find("convention") != std::string::npos);
  }

  TEST_CASE("a recorded ECOG wins over a more recent Karnofsky score") {
    const auto p = with({ecog(2, day(2024, 2, 10)), kps(90, day(2024, 2, 25))});
    const auto a = ecog_at_most(p, 1, as_of);
    CHECK(a.value == truth::no);
    CHECK_FALSE(a.derived);
    CHECK(a.score == 2);
    CHECK(ecog_at_most(p, 2, as_of).value == truth::yes);
  }

  TEST_CASE("the window is inclusive at 28 days - nothing in it is unknown") {
    auto p = with({ecog(1, day(2024, 2, 2))});  // day -28
    CHECK(ecog_at_most(p, 1, as_of).value == truth::yes);
    p.performance[0].date = day(2024, 2, 1);  // day -29
    const auto a = ecog_at_most(p, 1, as_of);
    CHECK(a.value == truth::unknown);
    CHECK_FALSE(a.source.reason.empty());
    performance_options wide;
    wide.window = days(60);
    CHECK(ecog_at_most(p, 1, as_of, wide).value == truth::yes);
    p.performance[0].date = day(2024, 3, 2);  // after as_of
    CHECK(ecog_at_most(p, 1, as_of).value == truth::unknown);
  }

  TEST_CASE("same-day scores that disagree on the threshold give unknown") {
    const auto p = with({ecog(1, day(2024, 2, 20)), ecog(2, day(2024, 2, 20))});
    const auto a = ecog_at_most(p, 1, as_of);
    CHECK(a.value == truth::unknown);
    CHECK(a.score == 2);
    CHECK(ecog_at_most(p, 2, as_of).value == truth::yes);
  }

  TEST_CASE("impossible and undated scores are ignored with notes without values") {
    auto p = with({ecog(7, day(2024, 2, 25)), kps(55, day(2024, 2, 25)), ecog(1, day(2024, 2, 1)),
                   ecog(0, day(2024, 2, 20))});
    p.performance[2].date.reset();
    const auto a = ecog_at_most(p, 0, as_of);
    CHECK(a.value == truth::yes);
    const auto has = [&](const std::string& s) {
      return std::any_of(a.notes.begin(), a.notes.end(),
                         [&](const diagnostic& d) { return d.error.where.pointer == s; });
    };
    CHECK(has("/performance_status/0/value"));
    CHECK(has("/performance_status/1/value"));
    CHECK(has("/performance_status/2/date"));
    CHECK(a.notes.size() == 3);
    for (const diagnostic& d : a.notes) CHECK(d.error.message.find('7') == std::string::npos);
  }

  TEST_CASE("a month-precision date that may fall outside the window is not used") {
    // February 2024: 1 February is day -29 (outside), the rest inside.
    const auto p = with({ecog(1, ctm::test::month_of(2024, 2))});
    const auto a = ecog_at_most(p, 1, as_of);
    CHECK(a.value == truth::unknown);
    REQUIRE(a.notes.size() == 1);
    CHECK(a.notes[0].error.where.pointer == "/performance_status/0/date");
    performance_options wide;
    wide.window = days(60);
    CHECK(ecog_at_most(p, 1, as_of, wide).value == truth::yes);
    // January lies wholly before the 28-day window: simply not in it.
    CHECK(ecog_at_most(with({ecog(1, ctm::test::month_of(2024, 1))}), 1, as_of).notes.empty());
  }

  TEST_CASE("Karnofsky >= threshold: recorded first else from ECOG under both conventions") {
    CHECK(karnofsky_at_least(with({kps(70, day(2024, 2, 20))}), 70, as_of).value == truth::yes);
    CHECK(karnofsky_at_least(with({kps(60, day(2024, 2, 20))}), 70, as_of).value == truth::no);
    // ECOG 1 stands for KPS 70-80 (A) or 80-90 (B): all >= 70.
    auto a = karnofsky_at_least(with({ecog(1, day(2024, 2, 20))}), 70, as_of);
    CHECK(a.value == truth::yes);
    CHECK(a.derived);
    // ECOG 1 and KPS >= 80: A allows 70.
    CHECK(karnofsky_at_least(with({ecog(1, day(2024, 2, 20))}), 80, as_of).value == truth::unknown);
    // ECOG 3 stands for KPS 30-40 (A) or 40-50 (B): all below 60.
    CHECK(karnofsky_at_least(with({ecog(3, day(2024, 2, 20))}), 60, as_of).value == truth::no);
    CHECK(karnofsky_at_least(with({}), 60, as_of).value == truth::unknown);
  }
}
