// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Test support for the rules module: a tiny synthetic vocabulary (codes follow the bundled
// data's spelling, so examples read the same) and an in-memory fact source keyed by the rule
// spelling of each query (`rules::describe`).
#include <ctm/core/date.hpp>
#include <ctm/core/quantity.hpp>
#include <ctm/rules/check.hpp>
#include <ctm/rules/fact_source.hpp>
#include <ctm/rules/query.hpp>
#include <ctm/vocab/drug_catalog.hpp>
#include <ctm/vocab/lab_catalog.hpp>
#include <ctm/vocab/ontology.hpp>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ctm::test {

/// TISSUE > LUNG > NSCLC > {LUAD, LUSC}, LUNG > SCLC, BREAST > BRCA, MYELOID > AML,
/// LYMPH > {DLBCLNOS, PCM}.
inline vocab::ontology rules_ontology() {
  vocab::ontology_builder b("test-diseases");
  const auto add = [&](std::string code, std::string parent,
                       std::optional<vocab::disease_group> group = std::nullopt) {
    vocab::disease_record r;
    r.code = code;
    r.name = code + " name";
    r.parent = std::move(parent);
    r.group = group;
    b.add(std::move(r));
  };
  add("TISSUE", "");
  add("LUNG", "TISSUE", vocab::disease_group::solid);
  add("NSCLC", "LUNG");
  add("LUAD", "NSCLC");
  add("LUSC", "NSCLC");
  add("SCLC", "LUNG");
  add("BREAST", "TISSUE", vocab::disease_group::solid);
  add("BRCA", "BREAST");
  add("MYELOID", "TISSUE", vocab::disease_group::liquid);
  add("AML", "MYELOID");
  add("LYMPH", "TISSUE", vocab::disease_group::liquid);
  add("DLBCLNOS", "LYMPH");
  add("PCM", "LYMPH");
  auto r = b.build();
  if (!r) throw std::runtime_error(to_string(r.error()));
  return *r;
}

inline vocab::drug_catalog rules_drugs() {
  vocab::drug_catalog_builder b("test-drugs");
  const auto add = [&](std::string code, bool is_class, std::vector<std::string> parents) {
    vocab::drug_record r;
    r.code = code;
    r.name = code;
    r.is_class = is_class;
    r.parents = std::move(parents);
    b.add(std::move(r));
  };
  add("antineoplastic", true, {});
  add("platinum_compound", true, {"antineoplastic"});
  add("pd1_pdl1_inhibitor", true, {"antineoplastic"});
  add("anti_pd1", true, {"pd1_pdl1_inhibitor"});
  add("anti_pdl1", true, {"pd1_pdl1_inhibitor"});
  add("anti_cd38", true, {"antineoplastic"});
  add("imid", true, {"antineoplastic"});
  add("proteasome_inhibitor", true, {"antineoplastic"});
  add("cisplatin", false, {"platinum_compound"});
  add("carboplatin", false, {"platinum_compound"});
  add("pembrolizumab", false, {"anti_pd1"});
  add("nivolumab", false, {"anti_pd1"});
  add("atezolizumab", false, {"anti_pdl1"});
  add("daratumumab", false, {"anti_cd38"});
  add("lenalidomide", false, {"imid"});
  add("pomalidomide", false, {"imid"});
  add("bortezomib", false, {"proteasome_inhibitor"});
  auto r = b.build();
  if (!r) throw std::runtime_error(to_string(r.error()));
  return *r;
}

inline vocab::lab_catalog rules_labs() {
  vocab::lab_catalog_builder b("test-labs");
  const auto add = [&](std::string code, std::string name, ctm::unit u,
                       std::vector<ctm::unit> units, std::optional<double> molar = std::nullopt) {
    vocab::analyte a;
    a.code = std::move(code);
    a.name = std::move(name);
    a.unit = u;
    a.units = std::move(units);
    if (molar) a.molar_mass = ctm::molar_mass{*molar};
    b.add(std::move(a));
  };
  using ctm::unit;
  add("anc", "ANC", unit::giga_per_litre,
      {unit::giga_per_litre, unit::thousand_per_microlitre, unit::per_microlitre});
  add("platelets", "platelets", unit::giga_per_litre,
      {unit::giga_per_litre, unit::thousand_per_microlitre, unit::per_microlitre});
  add("haemoglobin", "haemoglobin", unit::gram_per_decilitre,
      {unit::gram_per_decilitre, unit::gram_per_litre, unit::millimole_per_litre}, 16114.5);
  add("creatinine", "creatinine", unit::milligram_per_decilitre,
      {unit::milligram_per_decilitre, unit::micromole_per_litre}, 113.12);
  add("bilirubin_total", "total bilirubin", unit::milligram_per_decilitre,
      {unit::milligram_per_decilitre, unit::micromole_per_litre}, 584.66);
  add("ast", "AST", unit::unit_per_litre, {unit::unit_per_litre, unit::microkatal_per_litre});
  add("alt", "ALT", unit::unit_per_litre, {unit::unit_per_litre, unit::microkatal_per_litre});
  add("albumin", "albumin", unit::gram_per_decilitre,
      {unit::gram_per_decilitre, unit::gram_per_litre});
  add("inr", "INR", unit::one, {unit::one});
  add("hiv_viral_load", "HIV viral load", unit::copies_per_millilitre,
      {unit::copies_per_millilitre});
  add("cd4", "CD4 count", unit::per_microlitre, {unit::per_microlitre, unit::giga_per_litre});
  auto r = b.build();
  if (!r) throw std::runtime_error(to_string(r.error()));
  return *r;
}

/// The definitions shared by the rules tests ("library.rules").
inline constexpr std::string_view rules_library_text =
    "# Shared definitions used by the rules tests.\n"
    "define adequate_marrow = lab(anc) >= 1.5 [10*9/L] and lab(platelets) >= 100 [10*9/L]\n"
    "define adequate_liver = lab(ast) <= (if liver_metastases then 5 else 2.5) x uln\n"
    "define adequate_organ_function = adequate_marrow and adequate_liver\n";

/// The test vocabularies plus the library definitions.
inline rules::environment rules_environment() {
  static const vocab::ontology ontology = rules_ontology();
  static const vocab::drug_catalog drugs = rules_drugs();
  static const vocab::lab_catalog labs = rules_labs();
  rules::environment env;
  env.ontology = ontology;
  env.drugs = drugs;
  env.labs = labs;
  static const rules::parsed_rule library = rules::parse(rules_library_text, "library.rules");
  const auto diagnostics = env.definitions.add(library);
  if (!diagnostics.empty() || !library.ok()) throw std::runtime_error("bad test library");
  return env;
}

/// A date in a test.
inline date day(int y, unsigned m, unsigned d) {
  return date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

/// An in-memory patient: answers keyed by `rules::describe(query)`; anything else is missing.
/// Thread-safety: thread-compatible (the call counter is not atomic).
class fake_fact_source final : public rules::fact_source {
 public:
  fake_fact_source& set(const std::string& fact, rules::fact_answer a) {
    facts_[fact] = std::move(a);
    return *this;
  }
  fake_fact_source& erase(const std::string& fact) {
    facts_.erase(fact);
    return *this;
  }
  fake_fact_source& number(const std::string& fact, double v,
                           std::optional<date> when = std::nullopt) {
    return number_range(fact, v, v, when);
  }
  fake_fact_source& number_range(const std::string& fact, double low, double high,
                                 std::optional<date> when = std::nullopt) {
    rules::fact_answer a;
    a.value = rules::number_range{low, high};
    if (when) a.date = partial_date::exact(*when);
    return set(fact, std::move(a));
  }
  fake_fact_source& lab(const std::string& fact, double v, ctm::unit u,
                        std::optional<double> uln = std::nullopt,
                        std::optional<date> when = std::nullopt) {
    rules::fact_answer a;
    a.value = rules::measurement{ctm::quantity{v, u}, uln, std::nullopt};
    if (when) a.date = partial_date::exact(*when);
    a.evidence = {"/labs/" + fact};
    return set(fact, std::move(a));
  }
  fake_fact_source& truth_value(const std::string& fact, truth t) {
    rules::fact_answer a;
    a.value = t;
    return set(fact, std::move(a));
  }
  fake_fact_source& symbol(const std::string& fact, std::string s,
                           std::optional<date> when = std::nullopt) {
    rules::fact_answer a;
    a.value = rules::symbol{std::move(s)};
    if (when) a.date = partial_date::exact(*when);
    return set(fact, std::move(a));
  }
  fake_fact_source& event(const std::string& fact, std::optional<partial_date> when) {
    rules::fact_answer a;
    a.value = rules::event{when};
    return set(fact, std::move(a));
  }
  fake_fact_source& diagnoses(const std::string& fact, std::vector<concept_id> ids) {
    rules::fact_answer a;
    a.value = rules::concepts{std::move(ids)};
    return set(fact, std::move(a));
  }

  [[nodiscard]] rules::fact_answer answer(const rules::query& q, date) const override {
    ++calls_;
    const auto it = facts_.find(rules::describe(q));
    if (it == facts_.end()) return rules::fact_answer::missing_fact();
    return it->second;
  }

  [[nodiscard]] int calls() const noexcept { return calls_; }
  [[nodiscard]] const std::map<std::string, rules::fact_answer>& facts() const noexcept {
    return facts_;
  }

 private:
  std::map<std::string, rules::fact_answer> facts_;
  mutable int calls_ = 0;
};

}  // namespace ctm::test
