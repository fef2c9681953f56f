// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Extraction quality on real registry criteria (docs/import.md, "Measured quality").
//
// Reads the labelled set tests/data/extraction/labels.tsv, finds each referenced criterion in the
// registry records under ../shared/data (imported with extraction off), extracts a rule from its
// text and compares it with the label. A prediction is correct when both rules parse and check
// against the bundled vocabularies and their checked trees print the same (the printed tree
// names every resolved query, test, threshold and unit, so spelling differences such as "ast"
// and "AST" or "2.0" and "2" do not matter; source positions are removed before comparing).
// Prints the per-kind table; fails when overall precision < 0.95 or recall < 0.6.
// A second test does the same for the held-out set tests/data/extraction/heldout.tsv (records whose
// NCT ids are not in labels.tsv, labelled before the extractor was run on them), prints a second
// table headed "held-out" and fails when its overall precision < 0.90 (no recall threshold).
//
// With CTM_EXTRACT_DUMP=<file> set, it also writes every criterion of those records with its
// reference, hash and prediction to <file> (a TSV to label from; the criterion text is written
// only to that file, never into the repository).
#include "support/paths.hpp"

#include <ctm/io/ctgov.hpp>
#include <ctm/io/vocabulary.hpp>
#include <ctm/rules/ast.hpp>
#include <ctm/rules/check.hpp>
#include <ctm/trial/extract.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// FNV-1a 32-bit of the criterion text, as 8 hex digits: detects a changed record or splitter.
std::string text_hash(const std::string& text) {
  std::uint32_t h = 2166136261u;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", h);
  return buf;
}

struct label {
  std::size_t line = 0;
  std::string file;
  std::string nct;
  std::string section;
  std::string position;
  std::string hash;
  std::string kind;
  std::string rule;  // "none": nothing should be extracted
};

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return out;
}

std::vector<label> read_labels(const fs::path& path) {
  std::vector<label> out;
  std::ifstream in(path);
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    const auto f = split_tabs(line);
    REQUIRE_MESSAGE(f.size() == 7, "labels.tsv line " << n << ": expected 7 columns");
    if (f[0] == "file") continue;  // the header row
    out.push_back(label{n, f[0], f[1], f[2], f[3], f[4], f[5], f[6]});
  }
  return out;
}

ctm::rules::environment bundled_environment() {
  ctm::rules::environment env;
  env.ontology = ctm::io::bundled_ontology().value();
  env.drugs = ctm::io::bundled_drug_catalog().value();
  env.labs = ctm::io::bundled_lab_catalog().value();
  return env;
}

// The checked tree without source positions, or nullopt when the rule does not check.
std::optional<std::string> canonical(const std::string& rule, const ctm::rules::environment& env) {
  const auto checked = ctm::rules::check(ctm::rules::parse(rule, "<label>"), env);
  if (!checked.ok() || !checked.has_body()) return std::nullopt;
  static const std::regex position(R"( @[0-9]+:[0-9]+)");
  return std::regex_replace(checked.print(), position, "");
}

// Imported trials of one registry file, extraction off, by NCT id.
const std::map<std::string, ctm::trial>& trials_of(const std::string& relative) {
  static std::map<std::string, std::map<std::string, ctm::trial>> cache;
  auto it = cache.find(relative);
  if (it != cache.end()) return it->second;
  std::map<std::string, ctm::trial>& trials = cache[relative];
  ctm::io::registry_options o;
  o.extract = false;
  o.validate = false;
  o.source_name = relative;
  for (auto& r : ctm::io::read_registry(read_text(ctm::test::shared_data_dir() / relative), o)) {
    if (r.trial) trials.emplace(r.trial->document.trial.id, r.trial->document.trial);
  }
  return trials;
}

struct tally {
  std::size_t labelled = 0;
  std::size_t extracted = 0;
  std::size_t correct = 0;
};

std::string ratio(std::size_t a, std::size_t b) {
  if (b == 0) return "   -";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", static_cast<double>(a) / static_cast<double>(b));
  return buf;
}

void dump_all(const fs::path& out_path, const ctm::rules::environment& env) {
  std::ofstream out(out_path);
  out << "file\tnct\tsection\tposition\thash\tkind\trule\ttext\n";
  std::vector<fs::path> files;
  for (const char* dir : {"ctgov-oncology-trials", "ctgov-rr-trials"}) {
    for (const auto& e : fs::recursive_directory_iterator(ctm::test::shared_data_dir() / dir)) {
      const std::string ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".json" || ext == ".ndjson" || ext == ".xml")) {
        files.push_back(e.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    const std::string rel = fs::relative(f, ctm::test::shared_data_dir()).generic_string();
    for (const auto& [nct, t] : trials_of(rel)) {
      for (const ctm::criterion& c : t.criteria) {
        if (c.id == "inc-age" || c.id == "inc-sex") continue;
        const auto e = ctm::extract_rule(c.text, c.kind, env);
        std::string text = c.text;
        std::replace(text.begin(), text.end(), '\n', ' ');
        std::replace(text.begin(), text.end(), '\t', ' ');
        out << rel << '\t' << nct << '\t' << ctm::to_string(c.kind) << '\t' << c.id << '\t'
            << text_hash(c.text) << '\t' << (e ? e->kind : "-") << '\t' << (e ? e->rule : "none")
            << '\t' << text << '\n';
      }
    }
  }
}

// One labelled set measured: the per-kind tallies, the wrong extractions (one message each) and the
// printed table. The held-out test uses it; the development-set test below keeps its own loop.
struct measurement {
  std::map<std::string, tally> per_kind;
  tally all;
  std::vector<std::string> wrong;
  std::string table;
};

measurement measure(const std::vector<label>& labels, const ctm::rules::environment& env,
                    const char* file_name) {
  measurement m;
  std::set<std::string> seen;
  for (const label& l : labels) {
    CAPTURE(l.line);
    CHECK_MESSAGE(seen.insert(l.file + "#" + l.nct + "#" + l.position).second,
                  "duplicate label line " << l.line);
    const auto& trials = trials_of(l.file);
    const auto t = trials.find(l.nct);
    REQUIRE_MESSAGE(t != trials.end(), l.nct << " not found in " << l.file);
    const auto c = std::find_if(t->second.criteria.begin(), t->second.criteria.end(),
                                [&](const ctm::criterion& x) { return x.id == l.position; });
    REQUIRE_MESSAGE(c != t->second.criteria.end(), l.position << " not found in " << l.nct);
    CHECK_MESSAGE(ctm::to_string(c->kind) == l.section, "section of line " << l.line);
    REQUIRE_MESSAGE(text_hash(c->text) == l.hash,
                    "the text of " << l.nct << " " << l.position << " changed (" << file_name
                                   << " line " << l.line << "): relabel it");
    tally& k = m.per_kind[l.kind];
    std::optional<std::string> expected;
    if (l.rule != "none") {
      expected = canonical(l.rule, env);
      REQUIRE_MESSAGE(expected.has_value(), file_name << " line " << l.line << " does not check");
      ++k.labelled;
    }
    const auto e = ctm::extract_rule(c->text, c->kind, env);
    if (!e) continue;
    ++k.extracted;
    const auto got = canonical(e->rule, env);
    CHECK_MESSAGE(got.has_value(), "extracted rule does not check: " << e->rule);
    CHECK(std::size_t{e->span.offset} + e->span.length <= c->text.size());
    if (expected && got == expected) {
      ++k.correct;
    } else {
      std::ostringstream w;
      w << file_name << " line " << l.line << " " << l.nct << " " << l.position << " (" << l.kind
        << "): extracted '" << e->rule << "', labelled '" << l.rule << "'";
      m.wrong.push_back(w.str());
    }
  }
  std::ostringstream table;
  table << "\nkind                   labelled extracted correct precision recall\n";
  for (const auto& [kind, k] : m.per_kind) {
    char row[160];
    std::snprintf(row, sizeof row, "%-22s %8zu %9zu %7zu %9s %6s\n", kind.c_str(), k.labelled,
                  k.extracted, k.correct, ratio(k.correct, k.extracted).c_str(),
                  ratio(k.correct, k.labelled).c_str());
    table << row;
    m.all.labelled += k.labelled;
    m.all.extracted += k.extracted;
    m.all.correct += k.correct;
  }
  char row[160];
  std::snprintf(row, sizeof row, "%-22s %8zu %9zu %7zu %9s %6s\n", "overall", m.all.labelled,
                m.all.extracted, m.all.correct, ratio(m.all.correct, m.all.extracted).c_str(),
                ratio(m.all.correct, m.all.labelled).c_str());
  table << row << "criteria labelled: " << labels.size()
        << ", wrong extractions: " << m.wrong.size() << "\n";
  m.table = table.str();
  return m;
}

}  // namespace

TEST_SUITE("io.extract") {
  TEST_CASE("extraction quality on the labelled registry criteria") {
    CTM_REQUIRE_SHARED_DATA();
    const auto env = bundled_environment();
    if (const char* dump = std::getenv("CTM_EXTRACT_DUMP"); dump != nullptr && *dump != '\0') {
      dump_all(dump, env);
    }
    const auto labels =
        read_labels(ctm::test::source_dir() / "tests" / "data" / "extraction" / "labels.tsv");
    REQUIRE(labels.size() >= 150);

    std::map<std::string, tally> per_kind;
    std::set<std::string> seen;
    std::size_t wrong = 0;
    for (const label& l : labels) {
      CAPTURE(l.line);
      CHECK_MESSAGE(seen.insert(l.file + "#" + l.nct + "#" + l.position).second,
                    "duplicate label line " << l.line);
      const auto& trials = trials_of(l.file);
      const auto t = trials.find(l.nct);
      REQUIRE_MESSAGE(t != trials.end(), l.nct << " not found in " << l.file);
      const auto c = std::find_if(t->second.criteria.begin(), t->second.criteria.end(),
                                  [&](const ctm::criterion& x) { return x.id == l.position; });
      REQUIRE_MESSAGE(c != t->second.criteria.end(), l.position << " not found in " << l.nct);
      CHECK_MESSAGE(ctm::to_string(c->kind) == l.section, "section of line " << l.line);
      REQUIRE_MESSAGE(text_hash(c->text) == l.hash, "the text of " << l.nct << " " << l.position
                                                                   << " changed (line " << l.line
                                                                   << "): relabel it");
      tally& k = per_kind[l.kind];
      std::optional<std::string> expected;
      if (l.rule != "none") {
        expected = canonical(l.rule, env);
        REQUIRE_MESSAGE(expected.has_value(), "label line " << l.line << " does not check");
        ++k.labelled;
      }
      const auto e = ctm::extract_rule(c->text, c->kind, env);
      if (!e) continue;
      ++k.extracted;
      // Every extracted rule parses and checks (extract_rule promises it; verified here).
      const auto got = canonical(e->rule, env);
      CHECK_MESSAGE(got.has_value(), "extracted rule does not check: " << e->rule);
      // The span lies inside the criterion text.
      CHECK(std::size_t{e->span.offset} + e->span.length <= c->text.size());
      if (expected && got == expected) {
        ++k.correct;
      } else {
        ++wrong;
        MESSAGE("line " << l.line << " " << l.nct << " " << l.position << ": extracted '" << e->rule
                        << "', labelled '" << l.rule << "'");
      }
    }

    tally all;
    std::ostringstream table;
    table << "\nkind                   labelled extracted correct precision recall\n";
    for (const auto& [kind, k] : per_kind) {
      char row[160];
      std::snprintf(row, sizeof row, "%-22s %8zu %9zu %7zu %9s %6s\n", kind.c_str(), k.labelled,
                    k.extracted, k.correct, ratio(k.correct, k.extracted).c_str(),
                    ratio(k.correct, k.labelled).c_str());
      table << row;
      all.labelled += k.labelled;
      all.extracted += k.extracted;
      all.correct += k.correct;
    }
    char row[160];
    std::snprintf(row, sizeof row, "%-22s %8zu %9zu %7zu %9s %6s\n", "overall", all.labelled,
                  all.extracted, all.correct, ratio(all.correct, all.extracted).c_str(),
                  ratio(all.correct, all.labelled).c_str());
    table << row << "criteria labelled: " << labels.size() << ", wrong extractions: " << wrong
          << "\n";
    std::fputs(table.str().c_str(), stdout);

    REQUIRE(all.extracted > 0);
    const double precision = static_cast<double>(all.correct) / static_cast<double>(all.extracted);
    const double recall = static_cast<double>(all.correct) / static_cast<double>(all.labelled);
    CHECK(precision >= 0.95);
    CHECK(recall >= 0.6);
  }

  // The held-out set (tests/data/extraction/heldout.tsv): records whose NCT ids are not in
  // labels.tsv, labelled before the extractor was run on them. Reported, not tuned for.
  TEST_CASE("extraction quality on the held-out registry criteria") {
    CTM_REQUIRE_SHARED_DATA();
    const auto env = bundled_environment();
    const auto labels =
        read_labels(ctm::test::source_dir() / "tests" / "data" / "extraction" / "heldout.tsv");
    REQUIRE(labels.size() >= 80);
    const measurement m = measure(labels, env, "heldout.tsv");
    for (const std::string& w : m.wrong) MESSAGE(w);
    std::fputs(("\nheld-out" + m.table).c_str(), stdout);
    REQUIRE(m.all.extracted > 0);
    const double precision =
        static_cast<double>(m.all.correct) / static_cast<double>(m.all.extracted);
    CHECK(precision >= 0.90);
  }
}
