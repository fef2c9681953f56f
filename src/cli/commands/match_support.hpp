// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the matching commands (match, explain, next, feasibility): reading patients and
// trials from files, directories or the bundled catalog, building the matcher, and writing
// results as JSON or text. Uses only the public API.
#include "command.hpp"
#include "output.hpp"

#include <ctm/core/date.hpp>
#include <ctm/io/ctgov.hpp>
#include <ctm/io/fhir.hpp>
#include <ctm/io/vocabulary.hpp>
#include <ctm/match/matcher.hpp>
#include <ctm/rules/ast.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#ifndef CTM_SOURCE_DATA_DIR
#define CTM_SOURCE_DATA_DIR ""
#endif

namespace ctm::cli::matching {

inline void print(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }
inline std::string jstr(std::string_view s) { return "\"" + json_escape(s) + "\""; }

inline std::string fixed(double v, int digits) {
  if (v == 0.0) v = 0.0;  // no "-0.000"
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

/// The options the matching commands share.
struct common_options {
  std::string trials;       ///< file or directory; empty = the bundled catalog
  std::string definitions;  ///< a shared definitions file; empty = the bundled one if present
  std::string as_of;
  std::string format = "text";
  unsigned threads = 0;
};

inline void add_common(CLI::App* cmd, common_options& o, bool with_trials) {
  if (with_trials) {
    cmd->add_option("--trials", o.trials,
                    "Trial file or directory: ctm trial JSON (single, array or JSON Lines) or "
                    "registry records; default: the bundled catalog (data/trials)");
  }
  cmd->add_option("--definitions", o.definitions,
                  "Shared rule definitions file (default: data/definitions/common.rules when "
                  "present)");
  cmd->add_option("--as-of", o.as_of, "Date eligibility is judged on, YYYY-MM-DD (default: today)");
  cmd->add_option("--format", o.format, "Output format: text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--threads", o.threads, "Worker threads for batches (default: all cores)");
}

/// The bundled data directory: $CTM_DATA_DIR, else the source tree's data/ this tool was built
/// from, else <prefix>/share/ctm next to the installed tool.
inline std::filesystem::path data_dir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("CTM_DATA_DIR"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const fs::path source = CTM_SOURCE_DATA_DIR;
  if (!source.empty() && fs::is_directory(source / "trials", ec)) return source;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path share = exe.parent_path().parent_path() / "share" / "ctm";
    if (fs::is_directory(share / "trials", ec)) return share;
  }
  return source;
}

inline std::optional<date> parse_as_of(const std::string& text) {
  if (text.empty()) {
    return date{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  }
  auto d = parse_date(text);
  if (!d) {
    report(d.error());
    return std::nullopt;
  }
  return *d;
}

inline std::optional<history::vocabularies> load_vocab() {
  auto ontology = io::bundled_ontology();
  auto drugs = io::bundled_drug_catalog();
  auto labs = io::bundled_lab_catalog();
  for (const ctm::error* e : {ontology ? nullptr : &ontology.error(),
                              drugs ? nullptr : &drugs.error(), labs ? nullptr : &labs.error()}) {
    if (e != nullptr) {
      report(*e);
      return std::nullopt;
    }
  }
  history::vocabularies v;
  v.diseases = *ontology;
  v.drugs = *drugs;
  v.labs = *labs;
  return v;
}

/// Reads trials; every unreadable record is reported and counted in `errors`.
inline std::vector<trial> load_trials(const std::string& where, int& errors) {
  const std::filesystem::path path =
      where.empty() ? data_dir() / "trials" : std::filesystem::path(where);
  std::vector<trial> out;
  for (auto& r : io::read_trials_any(path)) {
    if (!r.document) {
      report(r.document.error());
      ++errors;
      continue;
    }
    out.push_back(std::move(r.document->trial));
  }
  return out;
}

/// Reads patients; a record that cannot be read keeps its place with its error.
inline std::vector<match::batch_input> load_patients(const std::string& where) {
  std::vector<match::batch_input> out;
  std::size_t n = 0;
  for (auto& r : io::read_patients_any(where)) {
    ++n;
    match::batch_input in;
    if (r.document) {
      in.label = r.document->patient.id;
      in.record = std::move(r.document->patient);
    } else {
      const auto& loc = r.document.error().where;
      in.label = "record " + std::to_string(r.index + 1) +
                 (loc.file.empty() ? std::string() : " of " + loc.file);
      if (r.line != 0) in.label += " (line " + std::to_string(r.line) + ")";
      in.error = r.document.error();
    }
    out.push_back(std::move(in));
  }
  return out;
}

/// Builds the matcher over `trials` with the bundled vocabularies and definitions.
inline std::optional<match::matcher> build_matcher(std::vector<trial> trials,
                                                   const common_options& o) {
  auto vocab = load_vocab();
  if (!vocab) return std::nullopt;
  match::matcher_config config;
  config.vocab = *vocab;
  std::filesystem::path defs = o.definitions;
  if (defs.empty()) defs = data_dir() / "definitions" / "common.rules";
  std::error_code ec;
  if (std::filesystem::is_regular_file(defs, ec)) {
    std::ifstream in(defs, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const auto parsed = rules::parse(text.str(), defs.filename().string());
    for (const auto& d : parsed.diagnostics())
      std::fprintf(stderr, "ctm: %s\n", rules::to_string(d).c_str());
    for (const auto& d : config.definitions.add(parsed)) {
      std::fprintf(stderr, "ctm: %s\n", rules::to_string(d).c_str());
    }
  } else if (!o.definitions.empty()) {
    report(ctm::error{errc::io_open_failed, "cannot read the file",
                      ctm::location{o.definitions, 0, 0, {}}});
    return std::nullopt;
  }
  return match::matcher::create(std::move(trials), config);
}

// JSON ------------------------------------------------------------------------------------------

inline std::string json_truth(truth t, bool criterion) {
  if (!criterion) return jstr(ctm::to_string(t));
  switch (t) {
    case truth::yes:
      return "\"met\"";
    case truth::no:
      return "\"not_met\"";
    case truth::unknown:
      break;
  }
  return "\"unknown\"";
}

inline std::string json_strings(const std::vector<std::string>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + jstr(v[i]);
  return s + "]";
}

inline std::string json_criterion(const match::criterion_result& c) {
  std::string s = "{\"id\": " + jstr(c.id) + ", \"type\": " + jstr(ctm::to_string(c.kind)) +
                  ", \"verdict\": " + json_truth(c.verdict, true) +
                  ", \"passes\": " + json_truth(c.passes, false) +
                  ", \"reason\": " + jstr(c.reason);
  if (!c.missing.empty()) s += ", \"missing\": " + json_strings(c.missing);
  if (c.needs_review) s += ", \"needs_review\": true";
  if (c.changes_on) {
    s += ", \"changes_on\": " + jstr(ctm::to_string(*c.changes_on)) +
         ", \"verdict_after\": " + json_truth(c.value_after, true);
  }
  return s + "}";
}

inline std::string json_score(const match::score_breakdown& b) {
  std::string s = "{\"total\": " + fixed(b.total, 3) +
                  ", \"max_possible\": " + fixed(b.max_possible, 3) + ", \"components\": [";
  for (std::size_t i = 0; i < b.components.size(); ++i) {
    const auto& c = b.components[i];
    s += std::string(i ? ", " : "") + "{\"name\": " + jstr(c.name) +
         ", \"value\": " + fixed(c.value, 4) + ", \"weight\": " + fixed(c.weight, 3) +
         ", \"contribution\": " + fixed(c.contribution, 3) + ", \"why\": " + jstr(c.why) + "}";
  }
  return s + "]}";
}

inline std::string json_arm(const match::arm_result& a) {
  std::string s =
      "{\"arm_id\": " + jstr(a.arm_id) + ", \"status\": " + jstr(rules::to_string(a.status)) +
      ", \"score\": " + fixed(a.score.total, 3) + ", \"missing\": " + json_strings(a.missing);
  if (a.near_miss) s += ", \"near_miss\": " + jstr(*a.near_miss);
  if (a.eligible_from) s += ", \"eligible_from\": " + jstr(ctm::to_string(*a.eligible_from));
  return s + "}";
}

inline std::string json_trial(const match::trial_result& t) {
  const auto& a = t.best();
  std::string s = "{\"rank\": " + std::to_string(t.rank) + ", \"trial_id\": " + jstr(t.trial_id);
  if (!a.arm_id.empty()) s += ", \"arm_id\": " + jstr(a.arm_id);
  s += ", \"status\": " + jstr(rules::to_string(a.status)) +
       ", \"score\": " + fixed(a.score.total, 3);
  s += ", \"title\": " + jstr(t.title) + ", \"trial_status\": " + jstr(ctm::to_string(t.status));
  s += ", \"phases\": [";
  for (std::size_t i = 0; i < t.phases.size(); ++i) {
    s += (i ? ", " : "") + jstr(ctm::to_string(t.phases[i]));
  }
  s += "]";
  if (t.nearest_site_km) s += ", \"nearest_site_km\": " + fixed(*t.nearest_site_km, 1);
  s += ", \"missing\": " + json_strings(a.missing);
  if (a.near_miss) s += ", \"near_miss\": " + jstr(*a.near_miss);
  if (a.eligible_from) s += ", \"eligible_from\": " + jstr(ctm::to_string(*a.eligible_from));
  s += ", \"score_breakdown\": " + json_score(a.score);
  s += ", \"criteria\": [";
  for (std::size_t i = 0; i < a.criteria.size(); ++i) {
    s += (i ? ", " : "") + json_criterion(a.criteria[i]);
  }
  s += "]";
  if (t.arms.size() > 1 || !a.arm_id.empty()) {
    s += ", \"arms\": [";
    for (std::size_t i = 0; i < t.arms.size(); ++i) s += (i ? ", " : "") + json_arm(t.arms[i]);
    s += "]";
  }
  return s + "}";
}

inline std::string json_error(const std::string& label, const ctm::error& e) {
  return "{\"patient_id\": " + jstr(label) + ", \"error\": {\"code\": " + jstr(error_tag(e.code)) +
         ", \"message\": " + jstr(ctm::to_string(e)) + "}}";
}

// Text ------------------------------------------------------------------------------------------

inline std::string status_word(rules::eligibility e) {
  switch (e) {
    case rules::eligibility::eligible:
      return "eligible";
    case rules::eligibility::possibly_eligible:
      return "possibly eligible";
    case rules::eligibility::ineligible:
      break;
  }
  return "ineligible";
}

inline std::string clip(std::string s, std::size_t n) {
  if (s.size() <= n) return s;
  s.resize(n - 3);
  return s + "...";
}

inline std::string pad(std::string s, std::size_t n) {
  if (s.size() < n) s.append(n - s.size(), ' ');
  return s;
}

inline std::string lpad(std::string s, std::size_t n) {
  if (s.size() < n) s.insert(0, n - s.size(), ' ');
  return s;
}

inline char mark(const match::criterion_result& c) {
  return c.passes == truth::yes ? '+' : (c.passes == truth::no ? '-' : '?');
}

/// The few reasons that explain a trial's place: failing criteria, then unknown ones, then met
/// criteria on the patient's treatment situation; at most `limit`. Criteria that need manual
/// review are counted on a line of their own instead.
inline std::vector<const match::criterion_result*> top_reasons(const match::arm_result& a,
                                                               std::size_t limit) {
  std::vector<const match::criterion_result*> out;
  for (const truth want : {truth::no, truth::unknown, truth::yes}) {
    for (const auto& c : a.criteria) {
      if (out.size() >= limit) return out;
      if (c.passes != want) continue;
      if (want == truth::yes && !c.targets_situation) continue;
      if (want == truth::unknown && c.needs_review) continue;
      out.push_back(&c);
    }
  }
  return out;
}

inline std::string text_criterion(const match::criterion_result& c, std::size_t width) {
  std::string line = std::string("      ") + mark(c) + " " + c.id + " (" +
                     std::string(ctm::to_string(c.kind)) + "): " + clip(c.reason, width);
  if (!c.missing.empty()) {
    line += " [missing: ";
    for (std::size_t i = 0; i < c.missing.size(); ++i) line += (i ? ", " : "") + c.missing[i];
    line += "]";
  }
  if (c.changes_on) line += " [changes on " + ctm::to_string(*c.changes_on) + "]";
  return line + "\n";
}

inline std::string text_table_header() {
  return "  " + lpad("#", 3) + "  " + pad("trial", 12) + "  " + pad("arm", 10) + "  " +
         pad("status", 17) + "  " + lpad("score", 6) + "  " + lpad("site km", 7) + "  title\n";
}

inline std::string text_trial_row(const match::trial_result& t, std::size_t reasons) {
  const auto& a = t.best();
  std::string s = "  " + lpad(std::to_string(t.rank), 3) + "  " + pad(t.trial_id, 12) + "  " +
                  pad(clip(a.arm_id.empty() ? "-" : a.arm_id, 10), 10) + "  " +
                  pad(status_word(a.status), 17) + "  " + lpad(fixed(a.score.total, 1), 6) + "  " +
                  lpad(t.nearest_site_km ? fixed(*t.nearest_site_km, 0) : "-", 7) + "  " +
                  clip(t.title, 60) + "\n";
  for (const auto* c : top_reasons(a, reasons)) s += text_criterion(*c, 110);
  const auto review = std::count_if(a.criteria.begin(), a.criteria.end(),
                                    [](const auto& c) { return c.needs_review; });
  if (review > 0) {
    s += "      ? " + std::to_string(review) + " of " + std::to_string(a.criteria.size()) +
         " criteria need manual review (no rule yet, or one that does not check)\n";
  }
  if (a.near_miss) s += "      near miss: only " + *a.near_miss + " rules this trial out\n";
  if (a.eligible_from) {
    s += "      every failing criterion is met from " + ctm::to_string(*a.eligible_from) + "\n";
  }
  return s;
}

}  // namespace ctm::cli::matching
