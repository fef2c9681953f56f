// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// `ctm lint FILE...`: parses, checks and lints rule and definition files and trial documents
// (docs/rule-language.md, "Lint"). The definitions of every rule file are shared by all files, so
// a criterion file or a trial can use a definitions file given beside it. Each criterion of a
// trial document is checked as a rule named `<file>#<trial>/<criterion>`, and the trial's
// inclusions and exclusions are checked for overlap. Exit 1 when any error is found. Uses only
// the public API.
#include "command.hpp"
#include "output.hpp"

#include <ctm/io/trial_json.hpp>
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

// Trial files may be large (a trial with 1,400 sites); the trial reader applies its own limits.
constexpr std::size_t max_trial_file_bytes = std::size_t{64} << 20U;

// Trial documents are JSON (a document, an array or JSON Lines); rule files are not.
bool is_trial_file(const std::string& path) {
  const auto ext = std::filesystem::path(path).extension().string();
  return ext == ".json" || ext == ".jsonl";
}

// Checks and lints every criterion of the trials in one file. Rules are named
// "<file>#<trial>/<criterion>" so diagnostics say where they are; `texts` keeps each rule's text
// for the caret line. Criteria without a rule need manual review and are counted, not reported.
void lint_trials(const std::string& file, const std::string& text, const rules::environment& base,
                 std::vector<rules::diagnostic>& diagnostics,
                 std::map<std::string, std::string>& texts,
                 std::vector<rules::checked_rule>& all_checked, std::size_t& criteria,
                 std::size_t& unwritten) {
  for (const io::trial_record& record : io::read_trials(text, file)) {
    if (!record.document) {
      rules::diagnostic d;
      d.code = record.document.error().code;
      d.message = record.document.error().message;
      d.file = file;
      d.span.line = record.line;
      diagnostics.push_back(d);
      continue;
    }
    const trial& t = record.document->trial;
    rules::environment env = base;
    for (const auto& def : t.definitions) {
      if (!def.rule) continue;
      const std::string name = file + "#" + t.id + "/" + def.name;
      texts[name] = "define " + def.name + " = " + *def.rule + "\n";
      const auto dup = env.definitions.add(rules::parse(texts[name], name));
      diagnostics.insert(diagnostics.end(), dup.begin(), dup.end());
    }
    // Checks one criterion and lints it alone; the checked rule joins `group` for the overlap
    // check when it is well formed.
    const auto check_one = [&](const criterion& c, std::vector<rules::lint_criterion>& group) {
      ++criteria;
      if (!c.rule) {
        ++unwritten;
        return;
      }
      const std::string name = file + "#" + t.id + "/" + c.id;
      texts[name] = *c.rule;
      rules::checked_rule checked = rules::check(rules::parse(*c.rule, name), env);
      diagnostics.insert(diagnostics.end(), checked.diagnostics().begin(),
                         checked.diagnostics().end());
      const auto l = rules::lint(checked);
      diagnostics.insert(diagnostics.end(), l.begin(), l.end());
      all_checked.push_back(checked);
      if (checked.ok()) group.push_back({c.id, c.kind, std::move(checked)});
    };
    std::vector<rules::lint_criterion> shared;
    for (const auto& c : t.criteria) check_one(c, shared);
    const auto shared_overlap = rules::lint_criteria(shared);
    diagnostics.insert(diagnostics.end(), shared_overlap.begin(), shared_overlap.end());
    // An arm's patients meet the trial-wide criteria and the arm's own: overlap is checked over
    // both (an arm exclusion may remove every patient a trial-wide inclusion admits); findings
    // among the trial-wide criteria alone are reported once, above.
    const auto already = [&](const rules::diagnostic& d) {
      return std::any_of(shared_overlap.begin(), shared_overlap.end(), [&](const auto& s) {
        return s.file == d.file && s.span.offset == d.span.offset && s.message == d.message;
      });
    };
    for (const auto& a : t.arms) {
      std::vector<rules::lint_criterion> group = shared;
      for (const auto& c : a.criteria) check_one(c, group);
      for (const auto& d : rules::lint_criteria(group)) {
        if (!already(d)) diagnostics.push_back(d);
      }
    }
  }
}

// A directory stands for its *.rules, *.json and *.jsonl files, in name order; rule files first,
// so definitions are known before the criteria that use them.
std::vector<std::string> expand(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const std::string& arg : args) {
    std::error_code ec;
    if (!std::filesystem::is_directory(arg, ec)) {
      out.push_back(arg);
      continue;
    }
    std::vector<std::string> rules_files;
    std::vector<std::string> trial_files;
    for (const auto& entry : std::filesystem::directory_iterator(arg, ec)) {
      const std::string path = entry.path().string();
      if (entry.path().extension() == ".rules") rules_files.push_back(path);
      if (is_trial_file(path)) trial_files.push_back(path);
    }
    std::sort(rules_files.begin(), rules_files.end());
    std::sort(trial_files.begin(), trial_files.end());
    out.insert(out.end(), rules_files.begin(), rules_files.end());
    out.insert(out.end(), trial_files.begin(), trial_files.end());
  }
  return out;
}

int run_lint(lint_options o) {
  o.files = expand(o.files);
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
  std::vector<std::pair<std::string, std::string>> trial_files;
  for (const std::string& file : o.files) {
    auto text =
        read_file(file, is_trial_file(file) ? max_trial_file_bytes : limits.max_source_bytes);
    if (!text) {
      rules::diagnostic d;
      d.code = text.error().code;
      d.message = text.error().message;
      d.file = file;
      diagnostics.push_back(d);
      continue;
    }
    if (is_trial_file(file)) {
      trial_files.emplace_back(file, std::move(*text));
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
  // Trials last, so they see every definition file given.
  std::size_t criteria = 0;
  std::size_t unwritten = 0;
  std::vector<rules::diagnostic> trial_diagnostics;  // already in document order
  for (const auto& [file, text] : trial_files) {
    lint_trials(file, text, env, trial_diagnostics, texts, checked, criteria, unwritten);
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
  diagnostics.insert(diagnostics.end(), trial_diagnostics.begin(), trial_diagnostics.end());

  std::size_t errors = 0;
  std::size_t warnings = 0;
  for (const auto& d : diagnostics) {
    errors += d.severity == rules::severity::error ? 1U : 0U;
    warnings += d.severity == rules::severity::warning ? 1U : 0U;
  }
  if (o.format == "json") {
    std::string out = "{\"files\": " + std::to_string(o.files.size()) +
                      ", \"trial_criteria\": " + std::to_string(criteria) +
                      ", \"needs_review\": " + std::to_string(unwritten) +
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
    if (!trial_files.empty()) {
      out += std::to_string(criteria) + " trial criteria, " + std::to_string(criteria - unwritten) +
             " with rules, " + std::to_string(unwritten) + " need manual review\n";
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
      "Check rule and definition files and the criteria of trial documents: syntax, names, codes, "
      "units, impossible or vacuous criteria, contradictory ranges, inclusion/exclusion overlap, "
      "dead branches, unused definitions, suspicious thresholds. "
      "Exit status 1 when any error is found.");
  lint->add_option(
          "FILE", options->files,
          "Rule or definition files (*.rules), trial documents (*.json, *.jsonl), or directories "
          "of them")
      ->required();
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
