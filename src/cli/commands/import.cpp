// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// `ctm import ctgov|fhir`: registry records and FHIR bundles into native documents
// (docs/import.md, docs/cli.md). Uses only the public API.
#include "command.hpp"
#include "output.hpp"

#include <ctm/io/ctgov.hpp>
#include <ctm/io/disease_mapping.hpp>
#include <ctm/io/fhir.hpp>
#include <ctm/io/patient_json.hpp>
#include <ctm/io/trial_json.hpp>
#include <ctm/io/vocabulary.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

namespace ctm::cli {
namespace {

namespace fs = std::filesystem;

struct import_options {
  std::vector<std::string> inputs;
  std::string out;
  std::string mappings;
  std::string oncotree;
  std::string drugs;
  bool verbose = false;
  bool no_extract = false;
};

struct counts {
  std::size_t read = 0;
  std::size_t imported = 0;
  std::size_t with_warnings = 0;
  std::size_t rejected = 0;
  std::size_t criteria = 0;    // registry imports: criteria of the imported trials
  std::size_t with_rules = 0;  // ... that have a rule (extracted or structured)
};

void print(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }
void print_err(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stderr); }

// The files an input names: itself, or every matching file below a directory in path order.
std::vector<fs::path> files_of(const std::string& input, bool xml) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (!fs::is_directory(input, ec)) {
    files.emplace_back(input);
    return files;
  }
  for (auto it = fs::recursive_directory_iterator(input, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string ext = it->path().extension().string();
    if (it->is_regular_file(ec) &&
        (ext == ".json" || ext == ".jsonl" || ext == ".ndjson" || (xml && ext == ".xml"))) {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

result<std::string> read_file(const fs::path& file) {
  const std::string name = file.string();
  std::error_code ec;
  const auto bytes = fs::file_size(file, ec);
  if (ec) return ctm::error{errc::io_open_failed, "cannot open the file", {name, 0, 0, ""}};
  if (bytes > (std::uintmax_t{64} << 20)) {
    return ctm::error{errc::input_too_large, "the file is larger than 64 MiB", {name, 0, 0, ""}};
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return ctm::error{errc::io_open_failed, "cannot open the file", {name, 0, 0, ""}};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return ctm::error{errc::io_open_failed, "cannot read the file", {name, 0, 0, ""}};
  return std::move(text).str();
}

bool write_file(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    report(ctm::error{errc::io_open_failed, "cannot write the file", {file.string(), 0, 0, ""}});
    return false;
  }
  return true;
}

// A name not yet used in this run: "<stem>.json", "<stem>-2.json", ...
fs::path unique_path(const fs::path& dir, const std::string& stem, std::set<std::string>& used) {
  std::string name = stem;
  for (int n = 2; used.count(name) != 0; ++n) name = stem + "-" + std::to_string(n);
  used.insert(name);
  return dir / (name + ".json");
}

void report_diagnostics(const std::vector<diagnostic>& diagnostics, bool verbose) {
  if (!verbose) return;
  for (const diagnostic& d : diagnostics) print_err("ctm: " + to_string(d) + "\n");
}

std::string summary(const counts& c) {
  return "read " + std::to_string(c.read) + ", imported " + std::to_string(c.imported) +
         ", with warnings " + std::to_string(c.with_warnings) + ", rejected " +
         std::to_string(c.rejected) + "\n";
}

// "criteria 120, with rules 45, needs manual review 75": printed before the counts.
std::string rule_summary(const counts& c) {
  return "criteria " + std::to_string(c.criteria) + ", with rules " + std::to_string(c.with_rules) +
         ", needs manual review " + std::to_string(c.criteria - c.with_rules) + "\n";
}

bool prepare_out(const import_options& o) {
  if (o.out.empty()) return true;
  std::error_code ec;
  fs::create_directories(o.out, ec);
  if (ec || !fs::is_directory(o.out)) {
    report(
        ctm::error{errc::io_open_failed, "cannot create the output directory", {o.out, 0, 0, ""}});
    return false;
  }
  return true;
}

int run_ctgov(const import_options& o) {
  io::registry_options ro;
  if (!o.mappings.empty()) {
    auto base = io::bundled_disease_mappings();
    auto extra = io::load_disease_mappings(o.mappings);
    if (!extra) {
      report(extra.error());
      return exit_input;
    }
    ro.mappings = base ? base->extended(*extra) : *extra;
  }
  if (!o.oncotree.empty()) {
    auto onto = io::load_ontology(o.oncotree);
    if (!onto) {
      report(onto.error());
      return exit_input;
    }
    ro.diseases = *onto;
  }
  if (!o.drugs.empty()) {
    auto drugs = io::load_drug_catalog(o.drugs);
    if (!drugs) {
      report(drugs.error());
      return exit_input;
    }
    ro.drugs = *drugs;
  }
  ro.extract = !o.no_extract;
  if (!prepare_out(o)) return exit_input;
  counts c;
  std::set<std::string> used;
  for (const std::string& input : o.inputs) {
    for (const fs::path& file : files_of(input, true)) {
      auto text = read_file(file);
      if (!text) {
        ++c.read;
        ++c.rejected;
        report(text.error());
        continue;
      }
      ro.source_name = file.string();
      for (const io::imported_trial_record& r : io::read_registry(*text, ro)) {
        ++c.read;
        if (!r.trial) {
          ++c.rejected;
          report(r.trial.error());
          continue;
        }
        ++c.imported;
        const io::trial_document& doc = r.trial->document;
        if (!doc.diagnostics.empty()) ++c.with_warnings;
        std::size_t ruled = 0;
        for (const criterion& cr : doc.trial.criteria)
          if (cr.rule) ++ruled;
        c.criteria += doc.trial.criteria.size();
        c.with_rules += ruled;
        if (o.verbose) {
          print_err("ctm: " + file.string() + ": imported " + doc.trial.id + " (" +
                    std::to_string(doc.trial.criteria.size()) + " criteria, " +
                    std::to_string(ruled) + " with rules, " +
                    std::to_string(doc.trial.conditions.codes.size()) + " disease codes, " +
                    std::to_string(r.trial->registry.unmapped_conditions.size()) +
                    " unmapped conditions)\n");
        }
        report_diagnostics(doc.diagnostics, o.verbose);
        if (!o.out.empty() &&
            !write_file(unique_path(o.out, doc.trial.id, used), io::write_trial(doc.trial))) {
          return exit_input;
        }
      }
    }
  }
  print(rule_summary(c));
  print(summary(c));
  return c.rejected == 0 ? exit_ok : exit_input;
}

int run_fhir(const import_options& o) {
  io::fhir_options fo;
  if (!o.mappings.empty()) {
    auto base = io::bundled_disease_mappings();
    auto extra = io::load_disease_mappings(o.mappings);
    if (!extra) {
      report(extra.error());
      return exit_input;
    }
    fo.mappings = base ? base->extended(*extra) : *extra;
  }
  if (!o.drugs.empty()) {
    auto drugs = io::load_drug_catalog(o.drugs);
    if (!drugs) {
      report(drugs.error());
      return exit_input;
    }
    fo.drugs = *drugs;
  }
  if (!prepare_out(o)) return exit_input;
  counts c;
  std::set<std::string> used;
  for (const std::string& input : o.inputs) {
    for (const fs::path& file : files_of(input, false)) {
      auto text = read_file(file);
      if (!text) {
        ++c.read;
        ++c.rejected;
        report(text.error());
        continue;
      }
      fo.source_name = file.string();
      // Output files are named after the input file, never after the patient's identifiers.
      const std::string stem = file.stem().string();
      for (const io::fhir_record& r : io::read_fhir(*text, fo)) {
        ++c.read;
        if (!r.patient) {
          ++c.rejected;
          report(r.patient.error());
          continue;
        }
        ++c.imported;
        const io::patient_document& doc = r.patient->document;
        if (!doc.diagnostics.empty()) ++c.with_warnings;
        if (o.verbose) {
          print_err("ctm: " + file.string() + ": imported patient " + std::to_string(r.index + 1) +
                    " (" + std::to_string(r.patient->resources) + " resources, " +
                    std::to_string(r.patient->skipped.size()) + " left out)\n");
          for (const io::skipped_resource& s : r.patient->skipped) {
            print_err("ctm: " + file.string() + "#" + s.pointer + ": " + s.resource_type +
                      " left out: " + s.reason + "\n");
          }
        }
        report_diagnostics(doc.diagnostics, o.verbose);
        if (!o.out.empty() &&
            !write_file(unique_path(o.out, stem, used), io::write_patient(doc.patient))) {
          return exit_input;
        }
      }
    }
  }
  print(summary(c));
  return c.rejected == 0 ? exit_ok : exit_input;
}

void add_common(CLI::App* cmd, import_options& o, bool registry) {
  cmd->add_option("inputs", o.inputs, "Files or directories to import (directories are walked)")
      ->required();
  cmd->add_option("--out", o.out, "Directory to write the native documents to (created if needed)");
  cmd->add_option("--mappings", o.mappings,
                  "Extra disease mapping table (TSV, data/mappings/diseases.tsv format) added to "
                  "the bundled one");
  cmd->add_option("--drugs", o.drugs, "Drug catalog to map interventions and medications to");
  if (registry) {
    cmd->add_option("--oncotree", o.oncotree, "Disease hierarchy to map conditions into");
    cmd->add_flag("--no-extract", o.no_extract,
                  "Do not read rules from the criterion text: every criterion keeps no rule and "
                  "needs manual review");
  }
  cmd->add_flag("--verbose,-v", o.verbose,
                "Print each imported record, its diagnostics and what was left out (stderr)");
}

void setup(CLI::App& app, const global_options& /*global*/, int& exit) {
  CLI::App* cmd = app.add_subcommand(
      "import",
      "Import ClinicalTrials.gov / NCI CTS registry records or FHIR R4 / mCODE bundles "
      "into ctm's native documents (docs/import.md)");
  cmd->require_subcommand(1);
  auto ctgov = std::make_shared<import_options>();
  CLI::App* c = cmd->add_subcommand(
      "ctgov",
      "Registry records (API v2 JSON, legacy XML, NCI CTS, TrialGPT) -> trial documents with "
      "rules extracted from the criterion text; prints the criteria with rules and the counts "
      "read, imported, with warnings and rejected; exit 1 when any is rejected");
  add_common(c, *ctgov, true);
  c->callback([ctgov, &exit] { exit = run_ctgov(*ctgov); });
  auto fhir = std::make_shared<import_options>();
  CLI::App* f = cmd->add_subcommand(
      "fhir",
      "FHIR R4 / mCODE bundles -> patient documents; prints the counts read, imported, with "
      "warnings and rejected; exit 1 when any is rejected");
  add_common(f, *fhir, false);
  f->callback([fhir, &exit] { exit = run_fhir(*fhir); });
}

const command_registration registration{setup};

}  // namespace
}  // namespace ctm::cli
