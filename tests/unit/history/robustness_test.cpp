// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/history/labs.hpp>
#include <ctm/history/performance_status.hpp>
#include <ctm/history/recist.hpp>
#include <ctm/history/response.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace ctm;
using namespace ctm::history;

namespace {

// Deterministic random records, including impossible values, to show that every derivation
// returns (never throws, never crashes) and keeps its invariants.
class generator {
 public:
  explicit generator(unsigned seed) : rng_(seed) {}

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  double number() {
    switch (pick(0, 9)) {
      case 0:
        return -1.0 * pick(0, 50);
      case 1:
        return std::numeric_limits<double>::quiet_NaN();
      case 2:
        return std::numeric_limits<double>::infinity();
      case 3:
        return 0.0;
      default:
        return pick(0, 2000) / 10.0;
    }
  }

  std::optional<partial_date> when() {
    const std::chrono::year y{pick(2022, 2024)};
    const std::chrono::month m{static_cast<unsigned>(pick(1, 12))};
    switch (pick(0, 9)) {
      case 0:
        return std::nullopt;
      case 1:
        return partial_date::of_year(y);
      case 2:
        return partial_date::of_month(y, m);
      default:
        return partial_date::exact(
            date{y, m, std::chrono::day{static_cast<unsigned>(pick(1, 28))}});
    }
  }

  patient make() {
    patient p;
    p.sex = static_cast<sex>(pick(0, 3));
    if (pick(0, 3) != 0) p.birth_date = partial_date::of_year(std::chrono::year{pick(1900, 2030)});
    for (int i = pick(0, 3); i > 0; --i) {
      p.weights.push_back(
          {quantity{number(), pick(0, 1) ? unit::kilogram : unit::centimetre}, when()});
    }
    for (int i = pick(0, 6); i > 0; --i) {
      tumour_assessment a;
      a.date = when();
      a.method = static_cast<imaging_method>(pick(0, 7));
      for (int j = pick(0, 5); j > 0; --j) {
        lesion l;
        l.id = pick(0, 5) ? "L" + std::to_string(pick(0, 4)) : "";
        l.site = pick(0, 1) ? "liver" : "";
        l.role = static_cast<lesion_role>(pick(0, 2));
        l.nodal = pick(0, 3) == 0;
        if (pick(0, 4)) l.diameter_mm = number();
        if (pick(0, 3) == 0) l.slice_thickness_mm = number();
        if (pick(0, 1)) l.status = static_cast<lesion_status>(pick(0, 2));
        l.equivocal = pick(0, 4) == 0;
        a.lesions.push_back(l);
      }
      if (pick(0, 2) == 0) a.response = pick(0, 1) ? "PR" : "nonsense";
      p.tumour_assessments.push_back(a);
    }
    const char* categories[] = {"CR", "sCR", "VGPR", "CMR", "PMD", "CRi", "MLFS", "", "??"};
    for (int i = pick(0, 4); i > 0; --i) {
      disease_assessment d;
      d.system = static_cast<response_system>(pick(0, 9));
      d.category = categories[pick(0, 8)];
      d.date = when();
      if (pick(0, 2) == 0) d.deauville = pick(-1, 7);
      p.disease_assessments.push_back(d);
    }
    const unit units[] = {unit::giga_per_litre,          unit::per_microlitre,
                          unit::milligram_per_decilitre, unit::micromole_per_litre,
                          unit::unit_per_litre,          unit::kilogram};
    const char* loincs[] = {"751-8", "2160-0", "1920-8", "", "0000-0"};
    for (int i = pick(0, 8); i > 0; --i) {
      lab_result l;
      l.loinc = loincs[pick(0, 4)];
      l.analyte = pick(0, 1) ? "creatinine" : "";
      if (pick(0, 5)) l.value = quantity{number(), units[pick(0, 5)]};
      if (pick(0, 4) == 0) l.comparator = static_cast<comparator>(pick(0, 3));
      if (pick(0, 2) == 0) l.range = reference_range{number(), number()};
      l.date = when();
      p.labs.push_back(l);
    }
    for (int i = pick(0, 4); i > 0; --i) {
      p.performance.push_back({static_cast<performance_scale>(pick(0, 1)), pick(-10, 120), when()});
    }
    return p;
  }

 private:
  std::mt19937 rng_;
};

vocab::lab_catalog catalog() {
  vocab::lab_catalog_builder b("test");
  vocab::analyte anc;
  anc.code = "anc";
  anc.name = "Absolute neutrophil count";
  anc.loinc = {"751-8"};
  anc.unit = unit::giga_per_litre;
  b.add(anc);
  vocab::analyte crea;
  crea.code = "creatinine";
  crea.name = "Creatinine";
  crea.loinc = {"2160-0"};
  crea.unit = unit::milligram_per_decilitre;
  crea.molar_mass = molar_mass{10000.0 / 88.4};
  crea.default_range_female = vocab::reference_range{0.5, 1.0, unit::milligram_per_decilitre};
  crea.default_range_male = vocab::reference_range{0.7, 1.2, unit::milligram_per_decilitre};
  b.add(crea);
  auto built = b.build();
  REQUIRE(built.has_value());
  return *built;
}

bool ordered(const std::optional<bounds>& b) { return !b || !(b->low > b->high); }

}  // namespace

TEST_SUITE("history.robustness") {
  TEST_CASE("random and impossible records never crash and keep the facts' invariants") {
    const auto c = catalog();
    const date as_of{std::chrono::year{2024}, std::chrono::month{6}, std::chrono::day{1}};
    generator g(20260101);
    for (int n = 0; n < 400; ++n) {
      CAPTURE(n);
      const patient p = g.make();
      const date_window w{date{std::chrono::year{2023}, std::chrono::month{1}, std::chrono::day{1}},
                          std::nullopt};
      const auto r = best_response(p, w);
      if (r.value) CHECK(r.lowest == r.value);
      const auto rr = assess(p.tumour_assessments, {}, w);
      for (const auto& t : rr.timepoints) {
        if (t.sum_mm) CHECK(std::isfinite(*t.sum_mm));
      }
      CHECK(measurable_disease(p.tumour_assessments, as_of).source.rule ==
            "recist_1_1.measurable_disease");
      for (const auto& code : {"anc", "creatinine"}) {
        const auto f = latest_lab(p, *c.find(code), c, as_of);
        CHECK(ordered(f.value));
        CHECK(ordered(f.uln_multiple));
        for (const auto& d : f.notes) CHECK(d.error.where.pointer.rfind("/labs/", 0) == 0);
      }
      const auto cl = creatinine_clearance(p, c, as_of);
      CHECK(ordered(cl.value));
      CHECK(cl.value.has_value() == cl.missing.empty());
      const auto e = ecog_at_most(p, 1, as_of);
      if (e.score) CHECK((*e.score >= 0 && *e.score <= 100));
      (void)karnofsky_at_least(p, 70, as_of);
    }
  }
}
