// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// `ctm vocab`: queries the disease hierarchy, the drug catalog and the lab catalog (docs/cli.md,
// docs/vocabularies.md). Uses only the public API.
#include "command.hpp"
#include "output.hpp"

#include <ctm/io/vocabulary.hpp>
#include <ctm/vocab/drug_catalog.hpp>
#include <ctm/vocab/lab_catalog.hpp>
#include <ctm/vocab/ontology.hpp>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ctm::cli {
namespace {

struct vocab_options {
  std::string oncotree;
  std::string drugs;
  std::string extend_drugs;
  std::string labs;
  std::string format = "text";
  std::string query;
  std::string ancestor;
};

bool as_json(const vocab_options& o) { return o.format == "json"; }

std::string json_string(std::string_view s) { return "\"" + json_escape(s) + "\""; }

std::string json_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + json_string(items[i]);
  return out + "]";
}

std::string joined(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

void print(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }

// The vocabularies a command asked for: loaded files or the bundled defaults.
result<vocab::ontology> diseases(const vocab_options& o) {
  return o.oncotree.empty() ? io::bundled_ontology() : io::load_ontology(o.oncotree);
}

result<vocab::drug_catalog> drugs(const vocab_options& o) {
  auto base = o.drugs.empty() ? io::bundled_drug_catalog() : io::load_drug_catalog(o.drugs);
  if (!base || o.extend_drugs.empty()) return base;
  return io::load_drug_catalog(o.extend_drugs, *base);
}

result<vocab::lab_catalog> labs(const vocab_options& o) {
  return o.labs.empty() ? io::bundled_lab_catalog() : io::load_lab_catalog(o.labs);
}

int fail(const ctm::error& e) {
  report(e);
  return exit_input;
}

int not_found(std::string_view what, std::string_view query, std::string_view source) {
  return fail(ctm::error{
      errc::unknown_code,
      std::string(what) + " '" + std::string(query) + "' is not in " + std::string(source),
      {}});
}

// ctm vocab is-a
// ------------------------------------------------------------------------------------

int run_is_a(const vocab_options& o) {
  const auto tree = diseases(o);
  if (!tree) return fail(tree.error());
  const auto answer = tree->is_a(o.query, o.ancestor);
  if (!answer) return fail(answer.error());
  if (as_json(o)) {
    print("{\"code\": " + json_string((*tree)[*tree->find(o.query)].code) +
          ", \"ancestor\": " + json_string((*tree)[*tree->find(o.ancestor)].code) +
          ", \"is_a\": " + json_string(to_string(*answer)) +
          ", \"source\": " + json_string(tree->source_name()) + "}\n");
  } else {
    print(std::string(to_string(*answer)) + "\n");
  }
  return exit_ok;
}

// ctm vocab disease
// ---------------------------------------------------------------------------------

int run_disease(const vocab_options& o) {
  const auto tree = diseases(o);
  if (!tree) return fail(tree.error());
  const auto id = tree->lookup(o.query);
  if (!id) return not_found("disease", o.query, tree->source_name());
  const vocab::disease& d = (*tree)[*id];
  const auto path = tree->path_to_root(*id);
  if (as_json(o)) {
    std::string out = "{\"code\": " + json_string(d.code) + ", \"name\": " + json_string(d.name) +
                      ", \"main_type\": " + json_string(d.main_type) +
                      ", \"tissue\": " + json_string(d.tissue) +
                      ", \"group\": " + json_string(to_string(d.group)) +
                      ", \"level\": " + std::to_string(d.level) + ", \"nci\": " + json_list(d.nci) +
                      ", \"umls\": " + json_list(d.umls) +
                      ", \"synonyms\": " + json_list(d.synonyms) + ", \"path\": [";
    for (std::size_t i = 0; i < path.size(); ++i) {
      const vocab::disease& step = (*tree)[path[i]];
      out += std::string(i ? ", " : "") + "{\"code\": " + json_string(step.code) +
             ", \"name\": " + json_string(step.name) + "}";
    }
    out += "], \"source\": " + json_string(tree->source_name()) + "}\n";
    print(out);
    return exit_ok;
  }
  std::vector<std::string> steps;
  for (const auto step : path) steps.push_back((*tree)[step].code);
  std::string out = d.code + "  " + d.name + "\n";
  if (!d.main_type.empty()) out += "  main type: " + d.main_type + "\n";
  if (!d.tissue.empty()) out += "  tissue:    " + d.tissue + "\n";
  out += "  group:     " + std::string(to_string(d.group)) + "\n";
  if (!d.nci.empty()) out += "  NCIt:      " + joined(d.nci) + "\n";
  if (!d.umls.empty()) out += "  UMLS:      " + joined(d.umls) + "\n";
  if (!d.synonyms.empty()) out += "  synonyms:  " + joined(d.synonyms, "; ") + "\n";
  out += "  path:      " + joined(steps, " > ") + "\n";
  out += "  source:    " + tree->source_name() + "\n";
  print(out);
  return exit_ok;
}

// ctm vocab drug
// ------------------------------------------------------------------------------------

int run_drug(const vocab_options& o) {
  const auto catalog = drugs(o);
  if (!catalog) return fail(catalog.error());
  const auto matches = catalog->find_all(o.query);
  std::optional<drug_id> id;
  if (!matches.empty()) id = matches.front();
  if (!id) id = catalog->find_by_rxnorm(o.query);
  if (!id) id = catalog->find_by_atc(o.query);
  if (!id) return not_found("drug", o.query, catalog->source_name());
  const vocab::drug_entry& e = (*catalog)[*id];
  std::vector<std::string> classes;
  std::vector<std::string> class_names;
  for (const auto c : catalog->ancestors(*id)) {
    classes.push_back((*catalog)[c].code);
    class_names.push_back((*catalog)[c].code + " (" + (*catalog)[c].name + ")");
  }
  std::vector<std::string> members;
  if (e.is_class) {
    for (const auto m : catalog->members(*id)) members.push_back((*catalog)[m].code);
  }
  std::vector<std::string> also;  // a combination brand's other ingredients
  for (std::size_t i = 1; i < matches.size(); ++i) also.push_back((*catalog)[matches[i]].code);
  const auto half_life = catalog->half_life_days(*id);
  if (as_json(o)) {
    std::string out =
        "{\"code\": " + json_string(e.code) + ", \"name\": " + json_string(e.name) +
        ", \"kind\": " + json_string(e.is_class ? "class" : "drug") +
        ", \"classes\": " + json_list(classes) + ", \"synonyms\": " + json_list(e.synonyms) +
        ", \"brands\": " + json_list(e.brands) +
        ", \"rxnorm\": " + (e.rxnorm.empty() ? std::string("null") : json_string(e.rxnorm)) +
        ", \"atc\": " + json_list(e.atc) +
        ", \"half_life_days\": " + (half_life ? number(*half_life) : std::string("null")) +
        ", \"supportive\": " + (catalog->is_supportive(*id) ? "true" : "false") +
        ", \"anticancer\": " + (catalog->is_anticancer(*id) ? "true" : "false");
    if (e.is_class) out += ", \"members\": " + json_list(members);
    out += ", \"also_matches\": " + json_list(also);
    out += ", \"source\": " + json_string(catalog->source_name()) + "}\n";
    print(out);
    return exit_ok;
  }
  std::string out = e.code + "  " + e.name + (e.is_class ? "  (class)" : "") + "\n";
  out += "  classes:    " + (class_names.empty() ? "-" : joined(class_names, ", ")) + "\n";
  if (!e.synonyms.empty()) out += "  synonyms:   " + joined(e.synonyms, "; ") + "\n";
  if (!e.brands.empty()) out += "  brands:     " + joined(e.brands, "; ") + "\n";
  if (!e.rxnorm.empty()) out += "  RxNorm:     " + e.rxnorm + "\n";
  if (!e.atc.empty()) out += "  ATC:        " + joined(e.atc) + "\n";
  if (half_life) out += "  half-life:  " + number(*half_life) + " days\n";
  out += "  supportive: " + std::string(catalog->is_supportive(*id) ? "yes" : "no") + "\n";
  out += "  anticancer: " + std::string(catalog->is_anticancer(*id) ? "yes" : "no") + "\n";
  if (e.is_class) out += "  members:    " + (members.empty() ? "-" : joined(members)) + "\n";
  if (!also.empty()) out += "  also:       " + joined(also) + " (the query names each)\n";
  out += "  source:     " + catalog->source_name() + "\n";
  print(out);
  return exit_ok;
}

// ctm vocab lab
// -------------------------------------------------------------------------------------

std::string range_text(const std::optional<vocab::reference_range>& r) {
  if (!r) return "-";
  std::string out = (r->low ? number(*r->low) : std::string("-")) + " .. " +
                    (r->high ? number(*r->high) : std::string("-"));
  if (r->unit) out += " " + std::string(ucum_code(*r->unit));
  return out;
}

std::string range_json(const std::optional<vocab::reference_range>& r) {
  if (!r) return "null";
  return std::string("{\"low\": ") + (r->low ? number(*r->low) : "null") +
         ", \"high\": " + (r->high ? number(*r->high) : "null") +
         ", \"unit\": " + (r->unit ? json_string(ucum_code(*r->unit)) : "null") + "}";
}

int run_lab(const vocab_options& o) {
  const auto catalog = labs(o);
  if (!catalog) return fail(catalog.error());
  auto id = catalog->find(o.query);
  if (!id) id = catalog->find_by_loinc(o.query);
  if (!id) return not_found("analyte", o.query, catalog->source_name());
  const vocab::analyte& a = (*catalog)[*id];
  std::vector<std::string> units;
  for (const auto u : a.units) units.emplace_back(ucum_code(u));
  if (as_json(o)) {
    print("{\"code\": " + json_string(a.code) + ", \"name\": " + json_string(a.name) +
          ", \"synonyms\": " + json_list(a.synonyms) + ", \"loinc\": " + json_list(a.loinc) +
          ", \"unit\": " + (a.unit ? json_string(ucum_code(*a.unit)) : "null") +
          ", \"units\": " + json_list(units) +
          ", \"kind\": " + json_string(a.qualitative ? "qualitative" : "quantitative") +
          ", \"molar_mass\": " + (a.molar_mass ? number(a.molar_mass->grams_per_mole) : "null") +
          ", \"default_range\": " + range_json(a.default_range) +
          ", \"default_range_female\": " + range_json(a.default_range_female) +
          ", \"default_range_male\": " + range_json(a.default_range_male) +
          ", \"note\": " + json_string(a.note) +
          ", \"default_range_note\": " + json_string(catalog->default_range_note()) +
          ", \"source\": " + json_string(catalog->source_name()) + "}\n");
    return exit_ok;
  }
  std::string out = a.code + "  " + a.name + "\n";
  if (!a.synonyms.empty()) out += "  synonyms:      " + joined(a.synonyms, "; ") + "\n";
  out += "  LOINC:         " + (a.loinc.empty() ? "-" : joined(a.loinc)) + "\n";
  out += "  kind:          " + std::string(a.qualitative ? "qualitative" : "quantitative") + "\n";
  out += "  unit:          " + (a.unit ? std::string(ucum_code(*a.unit)) : "-") + "\n";
  if (!units.empty()) out += "  allowed units: " + joined(units) + "\n";
  if (a.molar_mass) out += "  molar mass:    " + number(a.molar_mass->grams_per_mole) + " g/mol\n";
  out += "  default range: " + range_text(a.default_range) + "  (a default, not a site range)\n";
  if (a.default_range_female) {
    out += "  female:        " + range_text(a.default_range_female) + "\n";
  }
  if (a.default_range_male) out += "  male:          " + range_text(a.default_range_male) + "\n";
  if (!a.note.empty()) out += "  note:          " + a.note + "\n";
  out += "  source:        " + catalog->source_name() + "\n";
  print(out);
  return exit_ok;
}

// Registration
// --------------------------------------------------------------------------------------

void setup(CLI::App& app, const global_options& /*global*/, int& exit) {
  auto options = std::make_shared<vocab_options>();
  CLI::App* vocab = app.add_subcommand(
      "vocab", "Query the vocabularies: disease hierarchy, drug catalog, lab analytes");
  vocab->require_subcommand(1);
  vocab->add_option("--oncotree", options->oncotree,
                    "Disease hierarchy to use instead of the bundled one (OncoTree JSON or flat "
                    "TSV, or ctm's diseases.tsv)");
  vocab->add_option("--drugs", options->drugs,
                    "Drug catalog to use instead of the bundled one (ctm drug catalog JSON)");
  vocab->add_option("--extend-drugs", options->extend_drugs,
                    "Drug catalog to add to the bundled one (or to --drugs); a code both define "
                    "is an error");
  vocab->add_option("--labs", options->labs,
                    "Lab catalog to use instead of the bundled one (ctm lab catalog JSON)");
  vocab->add_option("--format", options->format, "Output format: text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));

  CLI::App* is_a = vocab->add_subcommand(
      "is-a",
      "Whether a patient's CODE matches a trial's ANCESTOR: yes, no or unknown (CODE is "
      "less specific than ANCESTOR). ANCESTOR may be _SOLID_ or _LIQUID_.");
  is_a->fallthrough();
  is_a->add_option("CODE", options->query, "The patient's disease code")->required();
  is_a->add_option("ANCESTOR", options->ancestor, "The trial's disease code")->required();
  is_a->callback([options, &exit] { exit = run_is_a(*options); });

  CLI::App* disease = vocab->add_subcommand(
      "disease", "Show a disease by code, name, synonym or NCIt code, with its path to the root");
  disease->fallthrough();
  disease->add_option("QUERY", options->query, "Code, name, synonym or NCIt code")->required();
  disease->callback([options, &exit] { exit = run_disease(*options); });

  CLI::App* drug = vocab->add_subcommand(
      "drug", "Show a drug or class by code, name, synonym, brand, RxNorm or ATC code");
  drug->fallthrough();
  drug->add_option("NAME", options->query, "Code, name, synonym, brand, RXCUI or ATC code")
      ->required();
  drug->callback([options, &exit] { exit = run_drug(*options); });

  CLI::App* lab =
      vocab->add_subcommand("lab", "Show a lab analyte by code, name, synonym or LOINC code");
  lab->fallthrough();
  lab->add_option("CODE", options->query, "Code, name, synonym or LOINC code")->required();
  lab->callback([options, &exit] { exit = run_lab(*options); });
}

const command_registration registration{setup};

}  // namespace
}  // namespace ctm::cli
