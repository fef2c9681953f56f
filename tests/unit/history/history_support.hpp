// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Builders for the line-of-therapy and refractoriness tests: a small synthetic drug catalog and a
// patient whose records are written in days relative to day 0 (2024-01-01).
#include <ctm/history/derive.hpp>
#include <ctm/vocab/drug_catalog.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ctm::test {

/// Day 0 of every test history.
inline date day0() {
  return date{std::chrono::year{2024}, std::chrono::month{1}, std::chrono::day{1}};
}
/// Day `n` after day 0, as an exact partial date.
inline partial_date on(int n) { return partial_date::exact(add_days(day0(), n)); }
/// A calendar date.
inline date ymd(int y, unsigned m, unsigned d) {
  return date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}
inline partial_date exact(int y, unsigned m, unsigned d) {
  return partial_date::exact(ymd(y, m, d));
}

/// The drugs and classes the tests name.
inline vocab::drug_catalog test_catalog() {
  vocab::drug_catalog_builder b("test");
  auto cls = [&](std::string code, std::vector<std::string> parents) {
    vocab::drug_record r;
    r.code = code;
    r.name = code;
    r.is_class = true;
    r.parents = std::move(parents);
    b.add(std::move(r));
  };
  auto drug = [&](std::string code, std::vector<std::string> parents, bool supportive = false) {
    vocab::drug_record r;
    r.code = code;
    r.name = code;
    r.parents = std::move(parents);
    r.supportive = supportive;
    b.add(std::move(r));
  };
  cls("antineoplastic", {});
  cls("supportive_care", {});
  cls("corticosteroid", {"supportive_care"});
  cls("cytotoxic_chemotherapy", {"antineoplastic"});
  cls("platinum_compound", {"cytotoxic_chemotherapy"});
  cls("taxane", {"cytotoxic_chemotherapy"});
  cls("anthracycline", {"cytotoxic_chemotherapy"});
  cls("targeted_therapy", {"antineoplastic"});
  cls("monoclonal_antibody", {"antineoplastic"});
  cls("proteasome_inhibitor", {"targeted_therapy"});
  cls("imid", {"antineoplastic"});
  cls("anti_cd38", {"monoclonal_antibody", "targeted_therapy"});
  cls("anti_cd20", {"monoclonal_antibody", "targeted_therapy"});
  cls("egfr_tki", {"targeted_therapy"});
  cls("btk_inhibitor", {"targeted_therapy"});
  cls("immunotherapy", {"antineoplastic"});
  cls("immune_checkpoint_inhibitor", {"immunotherapy"});
  cls("pd1_pdl1_inhibitor", {"immune_checkpoint_inhibitor"});
  cls("anti_pd1", {"pd1_pdl1_inhibitor", "monoclonal_antibody"});
  cls("car_t", {"immunotherapy"});
  cls("hormonal_therapy", {"antineoplastic"});
  cls("gnrh_agonist", {"hormonal_therapy"});
  cls("androgen_receptor_inhibitor", {"hormonal_therapy"});
  for (auto d : {"carboplatin", "cisplatin"}) drug(d, {"platinum_compound"});
  for (auto d : {"paclitaxel", "nab_paclitaxel", "docetaxel"}) drug(d, {"taxane"});
  for (auto d : {"pemetrexed", "gemcitabine", "etoposide", "melphalan", "cyclophosphamide",
                 "vincristine", "fludarabine", "cytarabine", "azacitidine", "drug_x", "drug_y"}) {
    drug(d, {"cytotoxic_chemotherapy"});
  }
  for (auto d : {"doxorubicin", "daunorubicin"}) drug(d, {"anthracycline"});
  for (auto d : {"bortezomib", "carfilzomib"}) drug(d, {"proteasome_inhibitor"});
  for (auto d : {"lenalidomide", "pomalidomide"}) drug(d, {"imid"});
  drug("daratumumab", {"anti_cd38"});
  drug("rituximab", {"anti_cd20"});
  drug("bevacizumab", {"monoclonal_antibody", "targeted_therapy"});
  drug("osimertinib", {"egfr_tki"});
  drug("ibrutinib", {"btk_inhibitor"});
  drug("venetoclax", {"targeted_therapy"});
  for (auto d : {"pembrolizumab", "nivolumab"}) drug(d, {"anti_pd1"});
  drug("axicabtagene_ciloleucel", {"car_t"});
  drug("leuprolide", {"gnrh_agonist"});
  drug("enzalutamide", {"androgen_receptor_inhibitor"});
  drug("dexamethasone", {"corticosteroid"}, true);
  drug("prednisone", {"corticosteroid"}, true);
  auto built = b.build();
  REQUIRE_MESSAGE(built.has_value(), to_string(built.error()));
  return *built;
}

/// The test vocabularies (drugs only; diseases are recognised by code).
inline const history::vocabularies& test_vocab() {
  static const history::vocabularies v{std::nullopt, test_catalog(), std::nullopt};
  return v;
}

/// A patient history written in days from day 0.
class history_builder {
 public:
  explicit history_builder(std::string disease_code = {}) {
    if (!disease_code.empty()) {
      diagnosis d;
      d.code = std::move(disease_code);
      d.system = "oncotree";
      d.date = on(-30);
      d.advanced_date = on(-30);
      p_.diagnoses.push_back(std::move(d));
    }
  }

  /// One record of `name` from day `start` to day `end` (nullopt: no end).
  history_builder& give(std::string name, int start, std::optional<int> end,
                        std::optional<stop_reason> stop = stop_reason::completed,
                        std::optional<therapy_setting> setting = std::nullopt,
                        std::optional<int> cycles = std::nullopt, std::string regimen = {}) {
    drug_administration a;
    a.drug.name = std::move(name);
    a.start = on(start);
    if (end) a.end = on(*end);
    a.stop_reason = stop;
    a.setting = setting;
    a.cycles = cycles;
    a.regimen = std::move(regimen);
    p_.treatments.push_back(std::move(a));
    return *this;
  }
  /// One single-day administration per listed day.
  history_builder& doses(const std::string& name, std::initializer_list<int> days_given) {
    for (int d : days_given) give(name, d, d);
    return *this;
  }
  history_builder& progression(int day, progression_basis basis = progression_basis::radiographic) {
    progression_event e;
    e.date = on(day);
    e.basis = basis;
    p_.progressions.push_back(e);
    return *this;
  }
  history_builder& assessment(response_system system, std::string category, int day) {
    disease_assessment a;
    a.system = system;
    a.category = std::move(category);
    a.date = on(day);
    p_.disease_assessments.push_back(std::move(a));
    return *this;
  }
  history_builder& procedure(procedure_kind kind, int day, std::optional<int> end = std::nullopt) {
    ctm::procedure pr;
    pr.kind = kind;
    pr.start = on(day);
    if (end) pr.end = on(*end);
    p_.procedures.push_back(std::move(pr));
    return *this;
  }
  patient& record() { return p_; }

  /// Derives the facts as of day `as_of` with `options`.
  [[nodiscard]] history::patient_facts derive(int as_of,
                                              const history::derive_options& options = {}) const {
    return history::derive_facts(p_, add_days(day0(), as_of), test_vocab(), options);
  }

 private:
  patient p_;
};

/// The derive options of a named preset.
inline history::derive_options preset(std::string_view name) {
  auto o = history::derive_options::preset(name);
  REQUIRE_MESSAGE(o.has_value(), name);
  return *o;
}

/// Codes of the drugs (not companions) of a line, sorted.
inline std::vector<std::string> regimen_of(const history::patient_facts& f,
                                           const history::line_of_therapy& l) {
  std::vector<std::string> out;
  for (const auto& d : l.drugs) {
    if (d.role != history::line_role::companion) out.push_back(f.agents[d.agent].code);
  }
  std::sort(out.begin(), out.end());
  return out;
}

using strings = std::vector<std::string>;

}  // namespace ctm::test
