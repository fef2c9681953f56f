// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The rules of the bundled trial catalog (data/trials/*.json) and the shared definitions
// (data/definitions/*.rules): every rule parses, checks against the bundled vocabularies, compiles
// and lints without an error; `uses` names exactly the shared definitions a rule refers to;
// data/trials/SOURCES.md counts them correctly; and a few rules decide worked cases as the
// domain definitions say they should.
#include "support/paths.hpp"
#include "support/rules_fixtures.hpp"

#include <ctm/io/trial_json.hpp>
#include <ctm/io/vocabulary.hpp>
#include <ctm/rules/check.hpp>
#include <ctm/rules/lint.hpp>
#include <ctm/rules/program.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using ctm::truth;
using ctm::unit;
using ctm::test::day;
using ctm::test::fake_fact_source;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<fs::path> files_in(const fs::path& dir, const std::string& ext) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ext) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Every data/trials/*.json, read strictly.
std::vector<ctm::trial> read_catalog() {
  std::vector<ctm::trial> trials;
  ctm::io::trial_read_options options;
  options.strict = true;
  for (const auto& file : files_in(ctm::test::source_dir() / "data" / "trials", ".json")) {
    options.source_name = file.filename().string();
    const auto r = ctm::io::read_trial(slurp(file), options);
    REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : ctm::to_string(r.error())));
    trials.push_back(r->trial);
  }
  return trials;
}

// The shared definition files, parsed once.
const std::vector<ctm::rules::parsed_rule>& definition_files() {
  static const std::vector<ctm::rules::parsed_rule> files = [] {
    std::vector<ctm::rules::parsed_rule> out;
    for (const auto& file : files_in(ctm::test::source_dir() / "data" / "definitions", ".rules")) {
      out.push_back(ctm::rules::parse(slurp(file), file.filename().string()));
    }
    return out;
  }();
  return files;
}

// The bundled vocabularies, without or with the shared definitions.
ctm::rules::environment bundled_environment(bool with_definitions) {
  ctm::rules::environment env;
  const auto ontology = ctm::io::bundled_ontology();
  const auto drugs = ctm::io::bundled_drug_catalog();
  const auto labs = ctm::io::bundled_lab_catalog();
  REQUIRE(ontology.has_value());
  REQUIRE(drugs.has_value());
  REQUIRE(labs.has_value());
  env.ontology = *ontology;
  env.drugs = *drugs;
  env.labs = *labs;
  if (with_definitions) {
    for (const auto& file : definition_files()) {
      const auto duplicates = env.definitions.add(file);
      for (const auto& d : duplicates) FAIL_CHECK(ctm::rules::to_string(d));
    }
  }
  return env;
}

// Every criterion of a trial, the trial's own followed by each arm's.
std::vector<const ctm::criterion*> criteria_of(const ctm::trial& t) {
  std::vector<const ctm::criterion*> out;
  for (const auto& c : t.criteria) out.push_back(&c);
  for (const auto& a : t.arms) {
    for (const auto& c : a.criteria) out.push_back(&c);
  }
  return out;
}

const ctm::criterion& find_criterion(const std::vector<ctm::trial>& trials,
                                     const std::string& trial_id, const std::string& id) {
  for (const auto& t : trials) {
    if (t.id != trial_id) continue;
    for (const ctm::criterion* c : criteria_of(t)) {
      if (c->id == id) return *c;
    }
  }
  FAIL("no criterion " << trial_id << " " << id);
  throw std::logic_error("unreachable");
}

// Compiles the rule of a catalog criterion with the bundled vocabularies and shared definitions.
ctm::rules::program catalog_program(const std::vector<ctm::trial>& trials,
                                    const std::string& trial_id, const std::string& id) {
  const ctm::criterion& c = find_criterion(trials, trial_id, id);
  REQUIRE_MESSAGE(c.rule.has_value(), trial_id << " " << id << " has no rule");
  auto p = ctm::rules::compile(*c.rule, bundled_environment(true));
  REQUIRE_MESSAGE(p.has_value(), (p ? std::string() : ctm::to_string(p.error())));
  return *p;
}

const ctm::date as_of = day(2026, 11, 27);

truth evaluate(const ctm::rules::program& p, const fake_fact_source& facts) {
  ctm::rules::evaluation_context context;
  return p.evaluate(facts, as_of, context).value;
}

// The per-trial counts of data/trials/SOURCES.md: NCT id -> {criteria, rules, review}.
std::map<std::string, std::vector<std::size_t>> sources_counts() {
  std::map<std::string, std::vector<std::size_t>> out;
  std::istringstream in(slurp(ctm::test::source_dir() / "data" / "trials" / "SOURCES.md"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("| NCT", 0) != 0) continue;
    std::vector<std::string> cells;
    std::istringstream row(line.substr(1));
    std::string cell;
    while (std::getline(row, cell, '|')) {
      const auto b = cell.find_first_not_of(' ');
      const auto e = cell.find_last_not_of(' ');
      cells.push_back(b == std::string::npos ? std::string() : cell.substr(b, e - b + 1));
    }
    // | NCT id | Record | Last update | Retrieved | Codes | Criteria | Rules | Review | Sites |
    const auto is_count = [](const std::string& x) {
      return !x.empty() && x.find_first_not_of("0123456789") == std::string::npos;
    };
    if (cells.size() < 9 || !is_count(cells[5]) || !is_count(cells[6]) || !is_count(cells[7])) {
      continue;
    }
    out[cells[0]] = {std::stoul(cells[5]), std::stoul(cells[6]), std::stoul(cells[7])};
  }
  return out;
}

}  // namespace

TEST_SUITE("trial.catalog_rules") {
  TEST_CASE("the shared definition files parse and check cleanly") {
    REQUIRE_FALSE(definition_files().empty());
    const auto env = bundled_environment(false);
    for (const auto& file : definition_files()) {
      CAPTURE(file.name());
      CHECK_FALSE(file.definitions().empty());
      const auto checked = ctm::rules::check(file, env);
      for (const auto& d : checked.diagnostics()) {
        if (d.severity == ctm::rules::severity::error) {
          FAIL_CHECK(ctm::rules::format(d, file.text()));
        }
      }
      CHECK_FALSE(checked.has_body());
    }
  }

  TEST_CASE("every rule of the catalog checks, compiles and lints without an error") {
    const auto trials = read_catalog();
    REQUIRE(trials.size() >= 40);
    const auto env = bundled_environment(true);
    std::size_t total = 0;
    std::size_t criteria = 0;
    std::size_t warnings = 0;
    std::size_t permissions = 0;
    std::vector<ctm::rules::checked_rule> all_checked;
    for (const auto& t : trials) {
      std::size_t with_rule = 0;
      std::vector<ctm::rules::lint_criterion> linted;
      for (const ctm::criterion* c : criteria_of(t)) {
        ++criteria;
        if (!c->rule) {
          CHECK_MESSAGE(c->uses.empty(),
                        t.id << " " << c->id << " uses definitions but has no rule");
          continue;
        }
        ++with_rule;
        const std::string name = t.id + "/" + c->id;
        CAPTURE(name);
        CAPTURE(*c->rule);
        const auto checked = ctm::rules::check(ctm::rules::parse(*c->rule, name), env);
        for (const auto& d : checked.diagnostics()) {
          if (d.severity == ctm::rules::severity::error) {
            FAIL_CHECK(ctm::rules::format(d, *c->rule));
          } else {
            ++warnings;
            MESSAGE(ctm::rules::format(d, *c->rule));
          }
        }
        if (!checked.ok()) continue;
        // A permission ("earlier chemotherapy is allowed") restricts nothing: its rule is `true`,
        // which lint rightly calls vacuous.
        const bool permission = *c->rule == "true";
        permissions += permission ? 1U : 0U;
        CHECK(checked.has_body());
        CHECK(checked.parsed().definitions().empty());
        const auto program = ctm::rules::compile(checked);
        CHECK_MESSAGE(program.has_value(),
                      (program ? std::string() : ctm::to_string(program.error())));
        for (const auto& d : ctm::rules::lint(checked)) {
          if (permission && d.code == ctm::errc::rule_always_met) continue;
          if (d.severity == ctm::rules::severity::error) {
            FAIL_CHECK(ctm::rules::format(d, *c->rule));
          } else {
            ++warnings;
            MESSAGE(ctm::rules::format(d, *c->rule));
          }
        }
        // `uses` lists exactly the shared definitions the rule refers to, in sorted order.
        CHECK(c->uses == checked.used_definitions());
        linted.push_back({c->id, c->kind, checked});
        all_checked.push_back(checked);
      }
      // Cross-criterion findings (lint_criteria repeats each rule's own findings, counted above).
      for (const auto& d : ctm::rules::lint_criteria(linted)) {
        CAPTURE(t.id);
        if (d.severity == ctm::rules::severity::error) {
          FAIL_CHECK(ctm::rules::to_string(d));
        } else if (d.code == ctm::errc::rule_overlap) {
          ++warnings;
          MESSAGE(ctm::rules::to_string(d));
        }
      }
      MESSAGE(t.id << ": " << with_rule << " of " << criteria_of(t).size()
                   << " criteria have a rule");
      total += with_rule;
    }
    // Every shared definition is used by some criterion.
    for (const auto& d : ctm::rules::lint_unused(env.definitions, all_checked)) {
      FAIL_CHECK(ctm::rules::to_string(d));
    }
    MESSAGE(total << " of " << criteria << " criteria have a rule (" << permissions
                  << " of them permissions, `true`); " << warnings << " lint warnings");
    CHECK(total >= 320);
  }

  TEST_CASE("SOURCES.md gives each trial's criteria, rules and review counts") {
    const auto counts = sources_counts();
    const auto trials = read_catalog();
    CHECK(counts.size() == trials.size());
    for (const auto& t : trials) {
      CAPTURE(t.id);
      const auto it = counts.find(t.id);
      REQUIRE(it != counts.end());
      const auto all = criteria_of(t);
      const auto rules = static_cast<std::size_t>(std::count_if(
          all.begin(), all.end(), [](const ctm::criterion* c) { return c->rule.has_value(); }));
      CHECK(it->second[0] == all.size());
      CHECK(it->second[1] == rules);
      CHECK(it->second[2] == all.size() - rules);
    }
  }

  TEST_CASE("catalog rules decide the domain document's worked cases") {
    const auto trials = read_catalog();

    SUBCASE(
        "ELIG-03/04/05 through NCT02375204 inc-17: AST and ALT, 5 x ULN with liver metastases") {
      const auto p = catalog_program(trials, "NCT02375204", "inc-17");
      fake_fact_source f;
      f.lab("lab(ast)", 120, unit::unit_per_litre, 40.0, day(2026, 11, 20));
      f.lab("lab(alt)", 30, unit::unit_per_litre, 40.0, day(2026, 11, 20));
      f.truth_value("metastases(liver)", truth::yes);
      CHECK(evaluate(p, f) == truth::yes);
      f.truth_value("metastases(liver)", truth::no);
      CHECK(evaluate(p, f) == truth::no);
      f.erase("metastases(liver)");
      CHECK(evaluate(p, f) == truth::unknown);
      f.lab("lab(ast)", 60, unit::unit_per_litre, 40.0, day(2026, 11, 20));
      CHECK(evaluate(p, f) == truth::yes);
    }

    SUBCASE("NCT00002814 inc-03b: 4 weeks after chemotherapy, 6 after a nitrosourea") {
      const auto p = catalog_program(trials, "NCT00002814", "inc-03b");
      fake_fact_source f;
      const std::string chemo = R"(time_since(last_dose(class "cytotoxic_chemotherapy")))";
      const std::string nitrosourea = R"(time_since(last_dose(class "nitrosourea")))";
      // Temozolomide 30 days ago, never a nitrosourea: met.
      f.event(chemo, ctm::partial_date::exact(day(2026, 10, 28)));
      f.event(nitrosourea, std::nullopt);
      CHECK(evaluate(p, f) == truth::yes);
      // Lomustine 30 days ago: not yet 6 weeks.
      f.event(nitrosourea, ctm::partial_date::exact(day(2026, 10, 28)));
      CHECK(evaluate(p, f) == truth::no);
      // Chemotherapy 20 days ago: not yet 4 weeks.
      f.event(chemo, ctm::partial_date::exact(day(2026, 11, 7)));
      f.event(nitrosourea, std::nullopt);
      CHECK(evaluate(p, f) == truth::no);
    }

    SUBCASE("NCT01207388 exc-03: an allogeneic transplant at any time excludes, none does not") {
      const auto p = catalog_program(trials, "NCT01207388", "exc-03");
      fake_fact_source f;
      f.event("time_since(allogeneic_transplant)", std::nullopt);
      CHECK(evaluate(p, f) == truth::no);
      f.event("time_since(allogeneic_transplant)", ctm::partial_date::exact(day(2009, 3, 2)));
      CHECK(evaluate(p, f) == truth::yes);
      f.erase("time_since(allogeneic_transplant)");
      CHECK(evaluate(p, f) == truth::unknown);
    }

    SUBCASE("NCT03143036 exc-01: pregnant or breastfeeding, through the shared definition") {
      const auto p = catalog_program(trials, "NCT03143036", "exc-01");
      fake_fact_source f;
      f.symbol("pregnancy", "absent");
      f.symbol("lactation", "absent");
      CHECK(evaluate(p, f) == truth::no);
      f.symbol("lactation", "active");
      CHECK(evaluate(p, f) == truth::yes);
      f.erase("lactation");
      CHECK(evaluate(p, f) == truth::unknown);
    }

    SUBCASE("NCT04625647 exc-04: any KRAS G12C inhibitor before excludes") {
      const auto p = catalog_program(trials, "NCT04625647", "exc-04");
      fake_fact_source f;
      f.truth_value(R"(exposed_to(class "kras_g12c_inhibitor"))", truth::yes);
      CHECK(evaluate(p, f) == truth::yes);
      f.truth_value(R"(exposed_to(class "kras_g12c_inhibitor"))", truth::no);
      CHECK(evaluate(p, f) == truth::no);
    }
  }
}
