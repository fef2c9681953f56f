// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Property tests over random rule trees and random partial patients:
// 1. the compiled program agrees with a small reference evaluator written here;
// 2. monotonicity: making an unknown fact known never flips met to not met or back.
#include "support/rules_fixtures.hpp"

#include <ctm/rules/program.hpp>

#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace ctm::rules;
using ctm::test::day;
using ctm::test::fake_fact_source;

namespace {

// The reference's own three values: 0 no, 1 unknown, 2 yes.
using kleene = int;
constexpr kleene no = 0;
constexpr kleene unknown = 1;
constexpr kleene yes = 2;

const ctm::date as_of = day(2026, 10, 1);
const std::vector<std::string> presets{"primary_refractory", "relapsed", "platinum_resistant",
                                       "castration_resistant"};

// A random patient: every fact optional.
struct patient {
  std::map<std::string, bool> presets;
  std::optional<int> ecog;
  std::optional<int> age;
  std::optional<double> anc;  // in 10*9/L
  bool anc_in_per_microlitre = false;
  std::optional<int> days_since_radiotherapy;
};

enum class kind {
  preset,
  ecog_le,
  ecog_range,
  age_ge,
  anc_ge,
  radiotherapy_ge,
  and_,
  or_,
  not_,
  at_least,
  at_most,
  if_
};

struct tree {
  kind k = kind::preset;
  int a = 0;
  int b = 0;
  double x = 0;
  bool per_microlitre = false;
  std::vector<std::unique_ptr<tree>> kids;
};

std::unique_ptr<tree> random_tree(std::mt19937& rng, int depth) {
  auto t = std::make_unique<tree>();
  std::uniform_int_distribution<int> pick(0, depth <= 0 ? 5 : 11);
  t->k = static_cast<kind>(pick(rng));
  std::uniform_int_distribution<int> small(0, 5);
  switch (t->k) {
    case kind::preset:
      t->a = std::uniform_int_distribution<int>(0, 3)(rng);
      break;
    case kind::ecog_le:
      t->a = small(rng);
      break;
    case kind::ecog_range:
      t->a = small(rng);
      t->b = std::min(5, t->a + small(rng) % 3);
      break;
    case kind::age_ge:
      t->a = std::uniform_int_distribution<int>(10, 90)(rng);
      break;
    case kind::anc_ge:
      t->x = std::uniform_int_distribution<int>(2, 6)(rng) * 0.5;
      t->per_microlitre = std::uniform_int_distribution<int>(0, 1)(rng) == 1;
      break;
    case kind::radiotherapy_ge:
      t->a = std::uniform_int_distribution<int>(0, 30)(rng);
      break;
    case kind::and_:
    case kind::or_:
    case kind::at_least:
    case kind::at_most: {
      const int n = std::uniform_int_distribution<int>(2, 3)(rng);
      for (int i = 0; i < n; ++i) t->kids.push_back(random_tree(rng, depth - 1));
      t->a = std::uniform_int_distribution<int>(0, n)(rng);
      break;
    }
    case kind::not_:
      t->kids.push_back(random_tree(rng, depth - 1));
      break;
    case kind::if_:
      for (int i = 0; i < 3; ++i) t->kids.push_back(random_tree(rng, depth - 1));
      break;
  }
  return t;
}

std::string text(const tree& t) {
  const auto list = [&](const char* sep) {
    std::string s;
    for (std::size_t i = 0; i < t.kids.size(); ++i) {
      if (i > 0) s += sep;
      s += text(*t.kids[i]);
    }
    return s;
  };
  switch (t.k) {
    case kind::preset:
      return presets[static_cast<std::size_t>(t.a)];
    case kind::ecog_le:
      return "ecog <= " + std::to_string(t.a);
    case kind::ecog_range:
      return "ecog in " + std::to_string(t.a) + ".." + std::to_string(t.b);
    case kind::age_ge:
      return "age >= " + std::to_string(t.a);
    case kind::anc_ge:
      return t.per_microlitre
                 ? "lab(anc) >= " + std::to_string(static_cast<int>(t.x * 1000)) + " [/uL]"
                 : "lab(anc) >= " + std::to_string(t.x).substr(0, 3) + " [10*9/L]";
    case kind::radiotherapy_ge:
      return "time_since(radiotherapy) >= " + std::to_string(t.a) + " days";
    case kind::and_:
      return "(" + list(" and ") + ")";
    case kind::or_:
      return "(" + list(" or ") + ")";
    case kind::not_:
      return "not " + text(*t.kids[0]);
    case kind::at_least:
      return "at_least " + std::to_string(t.a) + " of (" + list(", ") + ")";
    case kind::at_most:
      return "at_most " + std::to_string(t.a) + " of (" + list(", ") + ")";
    case kind::if_:
      return "(if " + text(*t.kids[0]) + " then " + text(*t.kids[1]) + " else " + text(*t.kids[2]) +
             ")";
  }
  return "";
}

kleene known(bool b) { return b ? yes : no; }

kleene reference(const tree& t, const patient& p) {
  std::vector<kleene> v;
  for (const auto& k : t.kids) v.push_back(reference(*k, p));
  int y = 0;
  int u = 0;
  for (const kleene x : v) {
    y += x == yes ? 1 : 0;
    u += x == unknown ? 1 : 0;
  }
  const int n = static_cast<int>(v.size());
  switch (t.k) {
    case kind::preset: {
      const auto it = p.presets.find(presets[static_cast<std::size_t>(t.a)]);
      return it == p.presets.end() ? unknown : known(it->second);
    }
    case kind::ecog_le:
      return p.ecog ? known(*p.ecog <= t.a) : unknown;
    case kind::ecog_range:
      return p.ecog ? known(*p.ecog >= t.a && *p.ecog <= t.b) : unknown;
    case kind::age_ge:
      return p.age ? known(*p.age >= t.a) : unknown;
    case kind::anc_ge:
      return p.anc ? known(*p.anc >= t.x) : unknown;
    case kind::radiotherapy_ge:
      return p.days_since_radiotherapy ? known(*p.days_since_radiotherapy >= t.a) : unknown;
    case kind::and_:
      return y == n ? yes : (n - y - u > 0 ? no : unknown);
    case kind::or_:
      return y > 0 ? yes : (u > 0 ? unknown : no);
    case kind::not_:
      return 2 - v[0];
    case kind::at_least:
      return y >= t.a ? yes : (y + u < t.a ? no : unknown);
    case kind::at_most:
      return y + u <= t.a ? yes : (y > t.a ? no : unknown);
    case kind::if_:
      if (v[0] == yes) return v[1];
      if (v[0] == no) return v[2];
      return v[1] == v[2] ? v[1] : unknown;
  }
  return unknown;
}

fake_fact_source source(const patient& p) {
  fake_fact_source f;
  for (const auto& [name, value] : p.presets)
    f.truth_value(name, value ? ctm::truth::yes : ctm::truth::no);
  if (p.ecog) f.number("ecog", *p.ecog);
  if (p.age) f.number("age", *p.age);
  if (p.anc) {
    if (p.anc_in_per_microlitre) {
      f.lab("lab(anc)", *p.anc * 1000, ctm::unit::per_microlitre);
    } else {
      f.lab("lab(anc)", *p.anc, ctm::unit::giga_per_litre);
    }
  }
  if (p.days_since_radiotherapy) {
    f.event("time_since(radiotherapy)",
            ctm::partial_date::exact(ctm::add_days(as_of, -*p.days_since_radiotherapy)));
  }
  return f;
}

// Fills fact number `which` (0-7) with a random value; returns false if it was already known.
bool fill(patient& p, int which, std::mt19937& rng) {
  std::uniform_int_distribution<int> coin(0, 1);
  switch (which) {
    case 0:
    case 1:
    case 2:
    case 3: {
      const std::string& name = presets[static_cast<std::size_t>(which)];
      if (p.presets.count(name) != 0) return false;
      p.presets[name] = coin(rng) == 1;
      return true;
    }
    case 4:
      if (p.ecog) return false;
      p.ecog = std::uniform_int_distribution<int>(0, 5)(rng);
      return true;
    case 5:
      if (p.age) return false;
      p.age = std::uniform_int_distribution<int>(5, 95)(rng);
      return true;
    case 6:
      if (p.anc) return false;
      // Values between thresholds (x.x5), so unit conversion never sits on a boundary.
      p.anc = std::uniform_int_distribution<int>(0, 40)(rng) * 0.1 + 0.05;
      p.anc_in_per_microlitre = coin(rng) == 1;
      return true;
    default:
      if (p.days_since_radiotherapy) return false;
      p.days_since_radiotherapy = std::uniform_int_distribution<int>(0, 40)(rng);
      return true;
  }
}

patient random_patient(std::mt19937& rng) {
  patient p;
  std::uniform_int_distribution<int> coin(0, 1);
  for (int i = 0; i < 8; ++i) {
    if (coin(rng) == 1) fill(p, i, rng);
  }
  return p;
}

kleene evaluate(const program& prog, const patient& p) {
  evaluation_context ctx;
  const auto f = source(p);
  return static_cast<kleene>(prog.evaluate(f, as_of, ctx).value);
}

}  // namespace

TEST_SUITE("rules.property") {
  TEST_CASE("random rules agree with the reference evaluator and are monotone in the facts") {
    std::mt19937 rng(20261001);
    const environment env = ctm::test::rules_environment();
    int checked = 0;
    int decided = 0;
    for (int round = 0; round < 400; ++round) {
      const auto t = random_tree(rng, 4);
      const std::string rule = text(*t);
      CAPTURE(rule);
      auto prog = compile(rule, env);
      REQUIRE_MESSAGE(prog.has_value(), (prog ? "" : to_string(prog.error())));
      for (int n = 0; n < 6; ++n) {
        patient p = random_patient(rng);
        const kleene before = evaluate(*prog, p);
        CHECK(before == reference(*t, p));
        ++checked;
        // Reveal the missing facts one at a time, in random order.
        std::vector<int> order{0, 1, 2, 3, 4, 5, 6, 7};
        std::shuffle(order.begin(), order.end(), rng);
        kleene current = before;
        for (const int which : order) {
          if (!fill(p, which, rng)) continue;
          const kleene after = evaluate(*prog, p);
          CHECK(after == reference(*t, p));
          if (current != unknown) {
            CHECK(after == current);
          }
          current = after;
          ++checked;
        }
        // With every fact known the verdict is decided.
        CHECK(current != unknown);
        decided += current != unknown ? 1 : 0;
      }
    }
    CHECK(checked > 2000);
    CHECK(decided == 400 * 6);
  }
}
