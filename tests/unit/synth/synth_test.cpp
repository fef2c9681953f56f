// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The synthetic generator: determinism, independence of items, validity of patients, rules that
// check, criteria counts (issue 8).
#include <ctm/io/patient_json.hpp>
#include <ctm/io/trial_json.hpp>
#include <ctm/io/vocabulary.hpp>
#include <ctm/patient/validate.hpp>
#include <ctm/rules/check.hpp>
#include <ctm/synth/generate.hpp>
#include <ctm/trial/compiled_trial.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace ctm;

history::vocabularies bundled_vocab() {
  history::vocabularies v;
  v.diseases = io::bundled_ontology().value();
  v.drugs = io::bundled_drug_catalog().value();
  v.labs = io::bundled_lab_catalog().value();
  return v;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<trial> bundled_trials() {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(
           std::filesystem::path(CTM_TEST_SOURCE_DIR) / "data" / "trials")) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<trial> out;
  for (const auto& f : files) out.push_back(io::read_trial(slurp(f), f.string()).value().trial);
  return out;
}

rules::definition_library bundled_definitions() {
  rules::definition_library lib;
  const auto text =
      slurp(std::filesystem::path(CTM_TEST_SOURCE_DIR) / "data" / "definitions" / "common.rules");
  (void)lib.add(rules::parse(text, "common.rules"));
  return lib;
}

rules::environment make_env(const history::vocabularies& v, const rules::definition_library& d) {
  rules::environment env;
  env.ontology = v.diseases;
  env.drugs = v.drugs;
  env.labs = v.labs;
  env.definitions = d;
  return env;
}

}  // namespace

TEST_CASE("patients are a function of the seed and the index") {
  const auto v = bundled_vocab();
  synth::cohort_options o;
  o.seed = 42;
  o.patients = 300;
  const auto a = synth::generate_patients(o, v);
  const auto b = synth::generate_patients(o, v);
  REQUIRE(a.size() == 300);
  std::string bytes_a;
  std::string bytes_b;
  for (std::size_t i = 0; i < a.size(); ++i) {
    bytes_a += io::write_patient(a[i]);
    bytes_b += io::write_patient(b[i]);
  }
  CHECK(bytes_a == bytes_b);
  // Patient i does not depend on the others: generated alone, it is the same record.
  CHECK(synth::generate_patient(o, 123, v) == a[123]);
  const synth::cohort_generator g(o, v);
  CHECK(g(299) == a[299]);
  CHECK(a[7].id == "syn-42-7");
  // Another seed gives another cohort.
  o.seed = 43;
  const auto c = synth::generate_patients(o, v);
  std::string bytes_c;
  for (const auto& p : c) bytes_c += io::write_patient(p);
  CHECK(bytes_c != bytes_a);
  std::size_t same = 0;
  for (std::size_t i = 0; i < a.size(); ++i) same += a[i].diagnoses == c[i].diagnoses ? 1U : 0U;
  CHECK(same < a.size() / 2);
}

TEST_CASE("generated patients are valid and varied") {
  const auto v = bundled_vocab();
  synth::cohort_options o;
  o.seed = 7;
  o.patients = 3000;
  const auto cohort = synth::generate_patients(o, v);
  validate_options vo;
  vo.is_known_drug = [&](std::string_view name, std::string_view) {
    return v.drugs->find(name).has_value();
  };
  vo.is_known_diagnosis = [&](std::string_view code, std::string_view) {
    return v.diseases->lookup(code).has_value();
  };
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::set<std::string> codes;
  std::size_t no_ecog = 0;
  std::size_t lines_max = 0;
  std::size_t brain = 0;
  std::size_t untreated = 0;
  for (const auto& p : cohort) {
    for (const auto& d : validate(p, vo)) {
      if (d.severity == severity::error) {
        ++errors;
        if (errors < 5) MESSAGE(to_string(d));
      } else {
        ++warnings;
      }
    }
    codes.insert(p.diagnoses.front().code);
    no_ecog += p.performance.empty() ? 1U : 0U;
    untreated += p.treatments.empty() ? 1U : 0U;
    std::set<std::string> regimens;
    for (const auto& t : p.treatments)
      regimens.insert(t.regimen + (t.start ? to_string(*t.start) : ""));
    lines_max = std::max(lines_max, regimens.size());
    for (const auto& m : p.metastases) brain += m.site == metastatic_site::brain ? 1U : 0U;
  }
  CHECK(errors == 0);
  MESSAGE("warnings: " << warnings);
  CHECK(codes.size() > 60);  // the long tail of the hierarchy is reached
  CHECK(no_ecog > 100);      // missing data at a realistic rate
  CHECK(no_ecog < 1000);
  CHECK(untreated > 300);
  CHECK(lines_max >= 6);
  CHECK(brain > 30);
}

TEST_CASE("generated trials vary the bundled catalog and every rule checks") {
  const auto v = bundled_vocab();
  const auto templates = bundled_trials();
  REQUIRE(templates.size() > 30);
  synth::catalog_options o;
  o.seed = 5;
  o.trials = 150;
  o.definitions = bundled_definitions();
  const auto trials = synth::generate_trials(o, templates, v);
  REQUIRE(trials.size() == 150);
  const auto again = synth::generate_trials(o, templates, v);
  CHECK(trials == again);
  CHECK(trials[3].id == "SYN5-3");

  const auto env = make_env(v, o.definitions);
  std::vector<std::size_t> counts;
  std::size_t review = 0;
  std::size_t varied = 0;
  std::set<std::string> template_rules;
  for (const auto& t : templates) {
    for (const auto& c : t.criteria) {
      if (c.rule) template_rules.insert(*c.rule);
    }
    for (const auto& a : t.arms) {
      for (const auto& c : a.criteria) {
        if (c.rule) template_rules.insert(*c.rule);
      }
    }
  }
  for (const auto& t : trials) {
    const auto n = synth::atomic_conditions(t);
    counts.push_back(n);
    CHECK(n >= o.min_conditions);
    CHECK(n <= o.max_conditions);
    const auto check_one = [&](const criterion& c) {
      if (!c.rule) {
        ++review;
        return;
      }
      const auto checked = rules::check(rules::parse(*c.rule), env);
      CHECK_MESSAGE(checked.ok(), *c.rule);
      varied += template_rules.count(*c.rule) == 0 ? 1U : 0U;
    };
    for (const auto& c : t.criteria) check_one(c);
    for (const auto& a : t.arms) {
      for (const auto& c : a.criteria) check_one(c);
    }
    // Compiling gives a program for every criterion with a rule.
    const auto compiled = compile_trial(t, env);
    std::size_t without = 0;
    for (const auto& c : t.criteria) without += c.rule ? 0U : 1U;
    for (const auto& a : t.arms) {
      for (const auto& c : a.criteria) without += c.rule ? 0U : 1U;
    }
    CHECK(compiled.review_count == without);
    // Valid apart from the synthetic (non-NCT) trial id.
    for (const auto& d : validate(t)) {
      if (d.severity == severity::error) CHECK(d.error.where.pointer == "/id");
    }
  }
  CHECK(review > 0);    // criteria without a rule stay without one
  CHECK(varied > 500);  // thresholds, codes and classes were varied
  std::sort(counts.begin(), counts.end());
  const auto median = counts[counts.size() / 2];
  MESSAGE("atomic conditions per trial: min " << counts.front() << ", median " << median << ", max "
                                              << counts.back());
  CHECK(median >= 35);
  CHECK(median <= 50);
  // A JSON round trip keeps the trials (they can be written and read back as a catalog).
  const auto back = io::read_trial(io::write_trial(trials[0]), "t");
  REQUIRE(back);
  CHECK(back->trial == trials[0]);
}
