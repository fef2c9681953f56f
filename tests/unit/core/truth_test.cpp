// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/core/truth.hpp>

#include <doctest/doctest.h>

#include <array>
#include <vector>

using ctm::truth;

namespace {
constexpr std::array all{truth::no, truth::unknown, truth::yes};
}

// Compile-time checks: the operations are constexpr.
static_assert(ctm::all_of(truth::yes, truth::unknown) == truth::unknown);
static_assert(ctm::any_of(truth::no, truth::unknown) == truth::unknown);
static_assert(ctm::negate(truth::unknown) == truth::unknown);
static_assert(ctm::at_least(2, {truth::yes, truth::unknown, truth::yes}) == truth::yes);
static_assert(ctm::at_most(0, {truth::no, truth::no}) == truth::yes);

TEST_SUITE("core.truth") {
  TEST_CASE("conjunction and disjunction follow the strong Kleene tables") {
    // Rows: a; columns: b; order no, unknown, yes.
    constexpr truth N = truth::no, U = truth::unknown, Y = truth::yes;
    constexpr truth and_table[3][3] = {{N, N, N}, {N, U, U}, {N, U, Y}};
    constexpr truth or_table[3][3] = {{N, U, Y}, {U, U, Y}, {Y, Y, Y}};
    for (std::size_t i = 0; i < 3; ++i) {
      for (std::size_t j = 0; j < 3; ++j) {
        CAPTURE(i);
        CAPTURE(j);
        CHECK(ctm::all_of(all[i], all[j]) == and_table[i][j]);
        CHECK(ctm::any_of(all[i], all[j]) == or_table[i][j]);
      }
    }
    CHECK(ctm::negate(N) == Y);
    CHECK(ctm::negate(U) == U);
    CHECK(ctm::negate(Y) == N);
  }

  TEST_CASE("Kleene laws hold exhaustively over the three values") {
    for (truth a : all) {
      CHECK(ctm::negate(ctm::negate(a)) == a);  // involution
      CHECK(ctm::all_of(a, a) == a);            // idempotence
      CHECK(ctm::any_of(a, a) == a);
      CHECK(ctm::all_of(a, truth::yes) == a);  // identities
      CHECK(ctm::any_of(a, truth::no) == a);
      CHECK(ctm::all_of(a, truth::no) == truth::no);  // annihilators
      CHECK(ctm::any_of(a, truth::yes) == truth::yes);
      for (truth b : all) {
        CHECK(ctm::all_of(a, b) == ctm::all_of(b, a));  // commutativity
        CHECK(ctm::any_of(a, b) == ctm::any_of(b, a));
        CHECK(ctm::negate(ctm::all_of(a, b)) == ctm::any_of(ctm::negate(a), ctm::negate(b)));
        CHECK(ctm::negate(ctm::any_of(a, b)) == ctm::all_of(ctm::negate(a), ctm::negate(b)));
        CHECK(ctm::all_of(a, ctm::any_of(a, b)) == a);  // absorption
        CHECK(ctm::any_of(a, ctm::all_of(a, b)) == a);
        CHECK(ctm::implies(a, b) == ctm::any_of(ctm::negate(a), b));
        for (truth c : all) {
          CHECK(ctm::all_of(a, ctm::all_of(b, c)) == ctm::all_of(ctm::all_of(a, b), c));
          CHECK(ctm::any_of(a, ctm::any_of(b, c)) == ctm::any_of(ctm::any_of(a, b), c));
          CHECK(ctm::all_of(a, ctm::any_of(b, c)) ==
                ctm::any_of(ctm::all_of(a, b), ctm::all_of(a, c)));  // distributivity
          CHECK(ctm::any_of(a, ctm::all_of(b, c)) ==
                ctm::all_of(ctm::any_of(a, b), ctm::any_of(a, c)));
        }
      }
    }
  }

  TEST_CASE("excluded middle and non-contradiction fail only for unknown") {
    for (truth a : all) {
      const truth middle = ctm::any_of(a, ctm::negate(a));
      const truth contradiction = ctm::all_of(a, ctm::negate(a));
      CHECK(middle == (a == truth::unknown ? truth::unknown : truth::yes));
      CHECK(contradiction == (a == truth::unknown ? truth::unknown : truth::no));
    }
  }

  TEST_CASE("range forms agree with folding the binary forms, with the right identities") {
    CHECK(ctm::all_of(std::vector<truth>{}) == truth::yes);
    CHECK(ctm::any_of(std::vector<truth>{}) == truth::no);
    for (truth a : all)
      for (truth b : all)
        for (truth c : all) {
          const std::vector<truth> v{a, b, c};
          CHECK(ctm::all_of(v) == ctm::all_of(a, ctm::all_of(b, c)));
          CHECK(ctm::any_of(v) == ctm::any_of(a, ctm::any_of(b, c)));
        }
  }

  TEST_CASE("at_least and at_most count yes answers and bound them with the unknowns") {
    SUBCASE("agreement with any_of and all_of over every triple") {
      for (truth a : all)
        for (truth b : all)
          for (truth c : all) {
            const std::array v{a, b, c};
            CHECK(ctm::at_least(1, v) == ctm::any_of(v));
            CHECK(ctm::at_least(3, v) == ctm::all_of(v));
            CHECK(ctm::at_least(0, v) == truth::yes);
            CHECK(ctm::at_most(2, v) == ctm::negate(ctm::all_of(v)));
            CHECK(ctm::at_most(3, v) == truth::yes);
          }
    }
    SUBCASE("worked values") {
      CHECK(ctm::at_least(2, {truth::yes, truth::unknown, truth::no}) == truth::unknown);
      CHECK(ctm::at_least(2, {truth::yes, truth::no, truth::no}) == truth::no);
      CHECK(ctm::at_least(2, {truth::yes, truth::yes, truth::unknown}) == truth::yes);
      CHECK(ctm::at_most(1, {truth::yes, truth::unknown, truth::no}) == truth::unknown);
      CHECK(ctm::at_most(1, {truth::yes, truth::yes, truth::unknown}) == truth::no);
      CHECK(ctm::at_most(1, {truth::no, truth::unknown, truth::no}) == truth::yes);
    }
  }

  TEST_CASE("monotonicity: resolving an unknown operand never flips a known answer") {
    // Information order: unknown below no and yes. Every operation must be monotone in it.
    auto refines = [](truth before, truth after) {
      return before == truth::unknown || before == after;
    };
    for (truth a : all)
      for (truth b : all)
        for (truth known : {truth::no, truth::yes}) {
          if (a == truth::unknown) {
            CHECK(refines(ctm::all_of(a, b), ctm::all_of(known, b)));
            CHECK(refines(ctm::any_of(a, b), ctm::any_of(known, b)));
            CHECK(refines(ctm::negate(a), ctm::negate(known)));
            CHECK(refines(ctm::at_least(2, {a, b, truth::yes}),
                          ctm::at_least(2, {known, b, truth::yes})));
            CHECK(refines(ctm::at_most(1, {a, b, truth::no}),
                          ctm::at_most(1, {known, b, truth::no})));
          }
        }
  }

  TEST_CASE("names") {
    CHECK(ctm::to_string(truth::yes) == "yes");
    CHECK(ctm::to_string(truth::no) == "no");
    CHECK(ctm::to_string(truth::unknown) == "unknown");
    CHECK(ctm::is_yes(truth::yes));
    CHECK_FALSE(ctm::is_yes(truth::unknown));
    CHECK(ctm::is_no(truth::no));
    CHECK_FALSE(ctm::is_no(truth::unknown));
    CHECK(ctm::is_unknown(truth::unknown));
    CHECK(ctm::to_truth(true) == truth::yes);
    CHECK(ctm::to_truth(false) == truth::no);
  }
}
