// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// `ctm lint FILE...`: parses, checks and lints rule and definition files (docs/rule-language.md,
// "Lint"). The definitions of every file are shared by all of them, so a criterion file can use a
// definitions file given beside it. Exit 1 when any error is found. Uses only the public API.
#include "command.hpp"
#include "output.hpp"

#include <ctm/io/vocabulary.hpp>
#include <ctm/rules/check.hpp>
#include <ctm/rules/lint.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace ctm::cli {
namespace {

struct lint_options {
  std::vector<std::string> files;
  std::string format = "text";
  std::string oncotree;
  std::string drugs;
  std::string labs;
  bool ast = false;
};

void print(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }

// Reads a file, refusing anything larger than the parser would accept.
result<std::string> read_file(const std::string& path, std::size_t limit) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    return ctm::error{errc::io_open_failed, "cannot read the file", ctm::location{path, 0, 0, {}}};
  }
  if (size > limit) {
    return ctm::error{
        errc::rule_too_large,
        "the file is " + std::to_string(size) + " bytes; the limit is " + std::to_string(limit),
        ctm::location{path, 0, 0, {}}};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return ctm::error{errc::io_open_failed, "cannot read the file", ctm::location{path, 0, 0, {}}};
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string json_string(std::string_view s) { return "\"" + json_escape(s) + "\""; }

int run_lint(const lint_options& o) {
  rules::environment env;
  auto ontology = o.oncotree.empty() ? io::bundled_ontology() : io::load_ontology(o.oncotree);
  auto drugs = o.drugs.empty() ? io::bundled_drug_catalog() : io::load_drug_catalog(o.drugs);
  auto labs = o.labs.empty() ? io::bundled_lab_catalog() : io::load_lab_catalog(o.labs);
  for (const ctm::error* e : {ontology ? nullptr : &ontology.error(),
                              drugs ? nullptr : &drugs.error(), labs ? nullptr : &labs.error()}) {
    if (e != nullptr) {
      report(*e);
      return exit_input;
    }
  }
  env.ontology = *ontology;
  env.drugs = *drugs;
  env.labs = *labs;

  const rules::limits limits;
  std::vector<rules::parsed_rule> parsed;
  std::vector<rules::diagnostic> diagnostics;
  std::map<std::string, std::string> texts;
  for (const std::string& file : o.files) {
    auto text = read_file(file, limits.max_source_bytes);
    if (!text) {
      rules::diagnostic d;
      d.code = text.error().code;
      d.message = text.error().message;
      d.file = file;
      diagnostics.push_back(d);
      continue;
    }
    texts[file] = *text;
    parsed.push_back(rules::parse(*text, file, limits));
    const auto duplicates = env.definitions.add(parsed.back());
    diagnostics.insert(diagnostics.end(), duplicates.begin(), duplicates.end());
  }
  std::vector<rules::checked_rule> checked;
  for (const rules::parsed_rule& p : parsed) {
    checked.push_back(rules::check(p, env));
    const auto& c = checked.back();
    diagnostics.insert(diagnostics.end(), c.diagnostics().begin(), c.diagnostics().end());
    const auto l = rules::lint(c);
    diagnostics.insert(diagnostics.end(), l.begin(), l.end());
    if (o.ast && o.format == "text") {
      print("== " + p.name() + "\n" + rules::print(p) + (c.ok() ? c.print() : std::string()));
    }
  }
  const auto unused = rules::lint_unused(env.definitions, checked);
  diagnostics.insert(diagnostics.end(), unused.begin(), unused.end());
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [&](const rules::diagnostic& a, const rules::diagnostic& b) {
                     const auto fa = std::find(o.files.begin(), o.files.end(), a.file);
                     const auto fb = std::find(o.files.begin(), o.files.end(), b.file);
                     if (fa != fb) return fa < fb;
                     return a.span.offset < b.span.offset;
                   });

  std::size_t errors = 0;
  std::size_t warnings = 0;
  for (const auto& d : diagnostics) {
    errors += d.severity == rules::severity::error ? 1U : 0U;
    warnings += d.severity == rules::severity::warning ? 1U : 0U;
  }
  if (o.format == "json") {
    std::string out = "{\"files\": " + std::to_string(o.files.size()) +
                      ", \"errors\": " + std::to_string(errors) +
                      ", \"warnings\": " + std::to_string(warnings) + ", \"diagnostics\": [";
    for (std::size_t i = 0; i < diagnostics.size(); ++i) {
      const auto& d = diagnostics[i];
      out += i == 0 ? "\n  " : ",\n  ";
      out += "{\"file\": " + json_string(d.file) + ", \"line\": " + std::to_string(d.span.line) +
             ", \"column\": " + std::to_string(d.span.column) +
             ", \"severity\": " + json_string(to_string(d.severity)) +
             ", \"id\": " + json_string(error_tag(d.code)) +
             ", \"message\": " + json_string(d.message) + "}";
    }
    out += diagnostics.empty() ? "]}\n" : "\n]}\n";
    print(out);
  } else {
    std::string out;
    for (const auto& d : diagnostics) {
      const auto t = texts.find(d.file);
      out += rules::format(d, t == texts.end() ? std::string_view() : std::string_view(t->second));
      out += '\n';
    }
    out += std::to_string(o.files.size()) + (o.files.size() == 1 ? " file, " : " files, ") +
           std::to_string(errors) + (errors == 1 ? " error, " : " errors, ") +
           std::to_string(warnings) + (warnings == 1 ? " warning\n" : " warnings\n");
    print(out);
  }
  return errors > 0 ? exit_input : exit_ok;
}

void setup(CLI::App& app, const global_options& /*global*/, int& exit) {
  auto options = std::make_shared<lint_options>();
  CLI::App* lint = app.add_subcommand(
      "lint",
      "Check rule and definition files: syntax, names, codes, units, impossible or vacuous "
      "criteria, contradictory ranges, dead branches, unused definitions, suspicious thresholds. "
      "Exit status 1 when any error is found.");
  lint->add_option("FILE", options->files, "Rule or definition files (*.rules)")->required();
  lint->add_option("--format", options->format, "Output format: text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  lint->add_option("--oncotree", options->oncotree,
                   "Disease hierarchy to check codes against instead of the bundled one");
  lint->add_option("--drugs", options->drugs,
                   "Drug catalog to check codes against instead of the bundled one");
  lint->add_option("--labs", options->labs,
                   "Lab catalog to check analytes against instead of the bundled one");
  lint->add_flag("--ast", options->ast, "Also print each file's syntax tree and checked tree");
  lint->callback([options, &exit] { exit = run_lint(*options); });
}

const command_registration registration{setup};

}  // namespace
}  // namespace ctm::cli
