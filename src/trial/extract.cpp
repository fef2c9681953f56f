// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Rule extraction from registry criterion text (include/ctm/trial/extract.hpp, docs/import.md).
//
// How it works: the criterion is normalised (lower case, Unicode comparison signs and words such
// as "at least" made operators, "upper limit of normal" made "uln", thousands separators
// removed), then each statement reader tries to read the *whole* text as one statement of its
// kind; any word left over makes it give up. The readers are tried in a fixed order and the first
// that reads the text wins. The rule is then parsed and checked against the vocabularies; a rule
// that does not check is dropped. std::regex is used only on bounded text (`max_bytes`), so its
// recursive matcher stays shallow.
#include "core/text.hpp"

#include <ctm/core/quantity.hpp>
#include <ctm/rules/ast.hpp>
#include <ctm/trial/extract.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctm {
namespace {

using std::string;
using std::string_view;

// ---------------------------------------------------------------------------------------------
// Text helpers

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

string trim(string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return string(s);
}

void replace_all(string& s, string_view from, string_view to) {
  if (from.empty()) return;
  std::size_t pos = 0;
  while ((pos = s.find(from, pos)) != string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
}

// The items of a list: each separator (in the order given, so ", and " before " and ") ends an
// item. "a, b and c" with {", and ", " and ", ", "} gives {"a", "b", "c"}.
std::vector<string> split_list(string t, std::initializer_list<string_view> separators) {
  for (const string_view sep : separators) replace_all(t, sep, "|");
  std::vector<string> items;
  std::size_t start = 0;
  while (start <= t.size()) {
    std::size_t end = t.find('|', start);
    if (end == string::npos) end = t.size();
    items.push_back(t.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

string collapse(string_view s) { return ctm::detail::collapse_space(s); }

bool starts_with(string_view s, string_view p) noexcept { return s.substr(0, p.size()) == p; }
bool ends_with(string_view s, string_view p) noexcept {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Removes words from the front of `s` while any of `words` (each followed by a space) matches.
void strip_front(string& s, std::initializer_list<string_view> words) {
  for (bool again = true; again;) {
    again = false;
    for (string_view w : words) {
      if (starts_with(s, w) && s.size() > w.size() && s[w.size()] == ' ') {
        s.erase(0, w.size() + 1);
        again = true;
      }
    }
  }
}

void strip_back(string& s, std::initializer_list<string_view> words) {
  for (bool again = true; again;) {
    again = false;
    for (string_view w : words) {
      if (s.size() > w.size() && ends_with(s, w) && s[s.size() - w.size() - 1] == ' ') {
        s.erase(s.size() - w.size() - 1);
        again = true;
      }
    }
  }
}

// A number written as the rule language reads it: "1.5", "100", "0.75".
string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

string quoted(string_view s) { return "\"" + string(s) + "\""; }

// ---------------------------------------------------------------------------------------------
// Normalisation

// Short parenthesised abbreviations that repeat the words before them: "(ANC)", "(ULN)".
bool is_abbreviation(string_view inner) {
  static constexpr std::array<string_view, 34> known = {
      "anc",      "uln",      "ast",      "alt",   "sgot",  "sgpt",  "crcl",
      "hgb",      "hb",       "plt",      "ecog",  "kps",   "ps",    "ast/sgot",
      "alt/sgpt", "sgot/ast", "sgpt/alt", "agc",   "tbili", "hiv",   "hbv",
      "hcv",      "cns",      "recist",   "wocbp", "scr",   "total", "ecog ps",
      "anc/agc",  "ast/alt",  "alt/ast",  "lvef",  "who",   "pt"};
  return std::find(known.begin(), known.end(), inner) != known.end();
}

string normalise_line(string_view raw) {
  string s(raw);
  // Unicode signs and letters the readers need, as ASCII.
  static const std::array<std::pair<string_view, string_view>, 22> utf8 = {{
      {"\xE2\x89\xA5", " >= "},  // ≥
      {"\xE2\x89\xA4", " <= "},  // ≤
      {"\xE2\x89\xA7", " >= "},  // ≧
      {"\xE2\x89\xA6", " <= "},  // ≦
      {"\xC3\x97", " x "},       // ×
      {"\xC2\xB5", "u"},         // µ
      {"\xCE\xBC", "u"},         // μ
      {"\xC2\xB3", "3"},         // ³
      {"\xE2\x81\xB9", "^9"},    // ⁹
      {"\xE2\x81\xB6", "^6"},    // ⁶
      {"\xE2\x80\x93", "-"},     // –
      {"\xE2\x80\x94", "-"},     // —
      {"\xE2\x80\x91", "-"},     // non-breaking hyphen
      {"\xE2\x80\x99", "'"},     // ’
      {"\xE2\x80\x98", "'"},     // ‘
      {"\xC2\xA0", " "},         // no-break space
      {"\xEF\xBC\x9E", ">"},     // fullwidth >
      {"\xEF\xBC\x9C", "<"},     // fullwidth <
      {"&gt;", ">"},
      {"&lt;", "<"},
      {"&amp;", "&"},
      {"\\", ""},
  }};
  for (const auto& [from, to] : utf8) replace_all(s, from, to);
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  // Thousands separators: "1,500" -> "1500" (a comma between a digit and exactly three digits).
  for (std::size_t i = 1; i + 3 < s.size(); ++i) {
    if (s[i] == ',' && is_digit(s[i - 1]) && is_digit(s[i + 1]) && is_digit(s[i + 2]) &&
        is_digit(s[i + 3]) && (i + 4 >= s.size() || !is_digit(s[i + 4]))) {
      s.erase(i, 1);
    }
  }
  // Operators with spaces around them; "=>" and "=<" as written by some sponsors.
  replace_all(s, "=>", ">=");
  replace_all(s, "=<", "<=");
  string spaced;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '<' || c == '>') {
      std::size_t j = i + 1;
      while (j < s.size() && s[j] == ' ') ++j;
      const bool eq = j < s.size() && s[j] == '=';
      spaced += ' ';
      spaced += c;
      if (eq) spaced += '=';
      spaced += ' ';
      i = eq ? j : i;
      continue;
    }
    spaced += c;
  }
  s = collapse(spaced);
  // Final punctuation first, so that word replacements see the last word on its own.
  while (!s.empty() && (s.back() == '.' || s.back() == ';' || s.back() == ',' || s.back() == ' ')) {
    s.pop_back();
  }
  replace_all(s, "(eastern cooperative oncology group)", "");
  replace_all(s, "(world health organization)", "");
  s = " " + collapse(s) + " ";
  // Words for operators and limits, longest first, on word boundaries.
  static const std::array<std::pair<string_view, string_view>, 69> words = {{
      {" greater than or equal to ", " >= "},
      {" greater than or equal ", " >= "},
      {" more than or equal to ", " >= "},
      {" superior or equal to ", " >= "},
      {" greater or equal to ", " >= "},
      {" equal to or greater than ", " >= "},
      {" equal or greater than ", " >= "},
      {" equal to or more than ", " >= "},
      {" equal to or above ", " >= "},
      {" at least ", " >= "},
      {" no less than ", " >= "},
      {" not less than ", " >= "},
      {" a minimum of ", " >= "},
      {" less than or equal to ", " <= "},
      {" less than or equal ", " <= "},
      {" lower than or equal to ", " <= "},
      {" less or equal to ", " <= "},
      {" inferior or equal to ", " <= "},
      {" equal to or less than ", " <= "},
      {" equal or less than ", " <= "},
      {" equal to or below ", " <= "},
      {" no greater than ", " <= "},
      {" not greater than ", " <= "},
      {" no more than ", " <= "},
      {" not more than ", " <= "},
      {" not to exceed ", " <= "},
      {" not exceeding ", " <= "},
      {" at most ", " <= "},
      {" a maximum of ", " <= "},
      {" greater than ", " > "},
      {" more than ", " > "},
      {" higher than ", " > "},
      {" less than ", " < "},
      {" lower than ", " < "},
      {" fewer than ", " < "},
      {" upper limits of normal ", " uln "},
      {" upper limit of the normal range ", " uln "},
      {" upper limit of normal range ", " uln "},
      {" upper limit of normal ", " uln "},
      {" upper normal limit ", " uln "},
      {" upper limit normal ", " uln "},
      {" institutional upper limits of normal ", " uln "},
      {" institutional uln ", " uln "},
      {" the uln ", " uln "},
      {" times the ", " x "},
      {" times ", " x "},
      {" x the ", " x "},
      {" x normal ", " x uln "},
      {" x institutional uln ", " x uln "},
      {" uln for the institution ", " uln "},
      {" eastern cooperative oncology group ", " ecog "},
      {" performance status ", " ps "},
      {" performance score ", " ps "},
      {" karnofsky ps ", " karnofsky "},
      {" karnofsky score ", " karnofsky "},
      {" karnofsky index ", " karnofsky "},
      {" kps ", " karnofsky "},
      {" central nervous system ", " cns "},
      {" human immunodeficiency virus ", " hiv "},
      {" hepatitis b virus ", " hepatitis b "},
      {" hepatitis c virus ", " hepatitis c "},
      {" hbv ", " hepatitis b "},
      {" hcv ", " hepatitis c "},
      {" years old ", " years "},
      {" year old ", " years "},
      {" years of age ", " years "},
      {" yrs ", " years "},
      {" metastasis ", " metastases "},
      {" mets ", " metastases "},
  }};
  // Abbreviations in parentheses that only repeat the words before them.
  string cleaned;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '(') {
      const std::size_t close = s.find(')', i);
      if (close != string::npos && close - i <= 14) {
        const string inner = trim(string_view(s).substr(i + 1, close - i - 1));
        if (is_abbreviation(inner)) {
          i = close;
          continue;
        }
      }
    }
    cleaned += s[i];
  }
  s = " " + collapse(cleaned) + " ";
  for (const auto& [from, to] : words) replace_all(s, from, to);
  replace_all(s, " >= = ", " >= ");
  replace_all(s, "(ecog) ", "");
  replace_all(s, "(world health organization) ", "");
  s = collapse(s);
  // Final punctuation and footnote marks.
  // A trailing '*' marks a footnote (an exception stated elsewhere): it is kept, so the criterion
  // is not read.
  while (!s.empty() && (s.back() == '.' || s.back() == ';' || s.back() == ',' || s.back() == ':' ||
                        s.back() == ' ')) {
    s.pop_back();
  }
  return s;
}

// The criterion's lines (folded sub-items start with "- "), each normalised; empty lines dropped.
std::vector<string> normalised_lines(string_view text) {
  std::vector<string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == string_view::npos) end = text.size();
    string line = trim(text.substr(start, end - start));
    if (starts_with(line, "- ")) line.erase(0, 2);
    string n = normalise_line(line);
    if (!n.empty()) out.push_back(std::move(n));
    start = end + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Results

struct reading {
  string rule;
  string kind;
  double confidence = 0.0;
};

using opt_reading = std::optional<reading>;

// "one".."ten" or digits.
std::optional<int> small_number(const string& s) {
  static constexpr std::array<string_view, 11> words = {
      "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (s == words[i]) return static_cast<int>(i);
  }
  if (s.empty() || s.size() > 3 || !std::all_of(s.begin(), s.end(), is_digit)) return std::nullopt;
  return std::stoi(s);
}

string join(const std::vector<string>& parts, string_view sep, bool parenthesise) {
  string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i != 0) out += sep;
    const bool compound =
        parts[i].find(" and ") != string::npos || parts[i].find(" or ") != string::npos;
    out += parenthesise && parts.size() > 1 && compound ? "(" + parts[i] + ")" : parts[i];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Age

const string k_time_of =
    R"((?: at (?:the )?(?:time of )?(?:signing (?:of )?(?:the )?(?:informed )?consent(?: document| form)?|informed consent|consent|enrollment|enrolment|registration|study entry|screening|randomization|inclusion))?)";
const string k_who =
    R"((?:(?:patients?|subjects?|participants?|men and women|male and female|males and females|male or female|female or male|adults?)(?: must be| who are| are| aged| of| is)? )?)";

opt_reading read_age(const string& n) {
  static const std::regex op_form(
      "^" + k_who +
      R"((?:age|aged|age of|ages)?(?: must be| is|:|=)? ?(>=|>|<=|<) ?(\d{1,3})(?: years?)?)" +
      k_time_of + "$");
  static const std::regex words_form(
      "^" + k_who +
      R"((?:age |aged |age of )?(\d{1,3}) years? (?:or|and) (older|over|above|more|greater|younger|under|less))" +
      k_time_of + "$");
  static const std::regex range_form(
      "^" + k_who +
      R"((?:age|aged|ages|age between|aged between|between|age range)?(?: of)? ?(\d{1,3})(?: years?)? ?(?:-|to|and) ?(\d{1,3}) years?(?: of age)?(?:,? \(?inclusive\)?)?)" +
      k_time_of + "$");
  static const std::regex both_form(
      "^" + k_who + R"((?:age|aged) ?(>=|>) ?(\d{1,3})(?: years?)? and ?(<=|<) ?(\d{1,3}) years?)" +
      k_time_of + "$");
  std::smatch m;
  const auto ok = [](int v) { return v >= 0 && v <= 120; };
  if (std::regex_match(n, m, op_form)) {
    const int v = std::stoi(m[2]);
    if (!ok(v)) return std::nullopt;
    return reading{"age " + m[1].str() + " " + std::to_string(v), "age", 0.95};
  }
  if (std::regex_match(n, m, words_form)) {
    const int v = std::stoi(m[1]);
    const string w = m[2];
    if (!ok(v)) return std::nullopt;
    const bool up = w == "older" || w == "over" || w == "above" || w == "more" || w == "greater";
    return reading{string("age ") + (up ? ">= " : "<= ") + std::to_string(v), "age", 0.95};
  }
  if (std::regex_match(n, m, both_form)) {
    int lo = std::stoi(m[2]);
    int hi = std::stoi(m[4]);
    if (m[1] == ">") ++lo;
    if (m[3] == "<") --hi;
    if (!ok(lo) || !ok(hi) || lo > hi) return std::nullopt;
    return reading{"age in " + std::to_string(lo) + ".." + std::to_string(hi), "age", 0.9};
  }
  if (std::regex_match(n, m, range_form)) {
    const int lo = std::stoi(m[1]);
    const int hi = std::stoi(m[2]);
    if (!ok(lo) || !ok(hi) || lo >= hi) return std::nullopt;
    return reading{"age in " + std::to_string(lo) + ".." + std::to_string(hi), "age", 0.9};
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Performance status

// "0-1", "0, 1 or 2", "<= 2", "2 or more", ">= 70%"; `scale_max` 5 (ECOG) or 100 (Karnofsky).
std::optional<string> read_scale(const string& fact, string v, int scale_max) {
  static const std::regex appendix(R"( \((?:see )?appendix [a-z0-9]+\)$)");
  v = std::regex_replace(v, appendix, "");
  strip_back(v, {"at screening", "at study entry", "at baseline", "at enrollment"});
  if (!v.empty() && v.back() == '%') v.pop_back();
  replace_all(v, "% ", " ");
  v = trim(v);
  static const std::regex range(R"(^(\d{1,3}) ?(?:-|to) ?(\d{1,3})$)");
  static const std::regex list(R"(^(\d)((?:, ?\d)*),? (?:or|and) (\d)$)");
  static const std::regex cmp(R"(^(>=|>|<=|<) ?(\d{1,3})$)");
  static const std::regex upward(R"(^(\d{1,3}) (?:or|and) (?:higher|greater|more|above)$)");
  static const std::regex single(R"(^(\d{1,3})$)");
  const auto valid = [&](int x) {
    return x >= 0 && x <= scale_max && (scale_max != 100 || x % 10 == 0);
  };
  std::smatch m;
  if (std::regex_match(v, m, range)) {
    const int lo = std::stoi(m[1]);
    const int hi = std::stoi(m[2]);
    if (!valid(lo) || !valid(hi) || lo >= hi) return std::nullopt;
    if (lo == 0) return fact + " <= " + std::to_string(hi);
    if (hi == scale_max) return fact + " >= " + std::to_string(lo);
    return fact + " in " + std::to_string(lo) + ".." + std::to_string(hi);
  }
  if (scale_max == 5 && std::regex_match(v, m, list)) {
    std::vector<int> values{std::stoi(m[1])};
    const string middle = m[2];
    for (char c : middle) {
      if (is_digit(c)) values.push_back(c - '0');
    }
    values.push_back(std::stoi(m[3]));
    for (std::size_t i = 1; i < values.size(); ++i) {
      if (values[i] != values[i - 1] + 1) return std::nullopt;
    }
    if (!valid(values.back())) return std::nullopt;
    if (values.front() == 0) return fact + " <= " + std::to_string(values.back());
    return fact + " in " + std::to_string(values.front()) + ".." + std::to_string(values.back());
  }
  if (std::regex_match(v, m, cmp)) {
    const int x = std::stoi(m[2]);
    if (!valid(x)) return std::nullopt;
    return fact + " " + m[1].str() + " " + std::to_string(x);
  }
  if (std::regex_match(v, m, upward)) {
    const int x = std::stoi(m[1]);
    if (!valid(x)) return std::nullopt;
    return fact + " >= " + std::to_string(x);
  }
  if (scale_max == 5 && std::regex_match(v, m, single)) {
    const int x = std::stoi(m[1]);
    if (!valid(x)) return std::nullopt;
    return fact + " == " + std::to_string(x);
  }
  return std::nullopt;
}

// One performance-status statement: "ecog ps 0-1", "karnofsky >= 70%".
std::optional<string> read_ps_clause(string s) {
  strip_front(s, {"patients", "patient", "subjects", "subject", "participants", "must", "have",
                  "has", "with", "a", "an", "be", "ps", "-", ":"});
  replace_all(s, "ecog (zubrod) ", "ecog ");
  replace_all(s, "ecog/zubrod ", "ecog ");
  string fact;
  int scale = 0;
  for (string_view p :
       {"ecog/who ps", "who/ecog ps", "ecog ps", "ps ecog", "ps by ecog", "ps according to ecog",
        "ps per ecog", "ps (ecog scale)", "ecog scale ps", "ecog ps score", "ecog score",
        "ecog grade", "zubrod ps", "who ps", "zubrod", "ecog"}) {
    if (starts_with(s, p) && (s.size() == p.size() || s[p.size()] == ' ')) {
      fact = "ecog";
      scale = 5;
      s.erase(0, p.size());
      break;
    }
  }
  if (fact.empty()) {
    for (string_view p : {"karnofsky"}) {
      if (starts_with(s, p) && (s.size() == p.size() || s[p.size()] == ' ')) {
        fact = "karnofsky";
        scale = 100;
        s.erase(0, p.size());
      }
    }
  }
  if (fact.empty()) return std::nullopt;
  s = trim(s);
  strip_front(s, {"ps", "score", "status", "scale", "of", "is", "must", "be", "=", ":", "grade"});
  return read_scale(fact, s, scale);
}

opt_reading read_performance(const string& n) {
  if (n.find("ecog") == string::npos && n.find("karnofsky") == string::npos &&
      n.find("who ps") == string::npos && n.find("zubrod") == string::npos) {
    return std::nullopt;
  }
  if (auto one = read_ps_clause(n)) return reading{*one, "performance_status", 0.95};
  // "ECOG 0-2 (Karnofsky >= 50%)": the same requirement on either scale.
  static const std::regex equivalent(
      R"(^(.*ecog[^(]*) \((karnofsky [^,)]*)(?:, see appendix [a-z0-9]+)?\)$)");
  std::smatch m;
  if (std::regex_match(n, m, equivalent)) {
    auto a = read_ps_clause(m[1]);
    auto b = read_ps_clause(m[2]);
    if (a && b) return reading{*a + " or " + *b, "performance_status", 0.85};
  }
  // "ECOG 0-2 or Karnofsky >= 60".
  const std::size_t or_at = n.find(" or karnofsky");
  if (or_at != string::npos) {
    auto a = read_ps_clause(n.substr(0, or_at));
    auto b = read_ps_clause(n.substr(or_at + 4));
    if (a && b) return reading{*a + " or " + *b, "performance_status", 0.9};
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Laboratory values

struct analyte_name {
  string_view name;
  string_view code;
};

// Subject words (after fillers are removed) and the analyte they name.
std::optional<string_view> analyte_of(const string& s) {
  static constexpr std::array<analyte_name, 50> names = {{
      {"anc", "anc"},
      {"neutrophil", "anc"},
      {"neutrophils", "anc"},
      {"absolute neutrophil", "anc"},
      {"absolute neutrophils", "anc"},
      {"granulocyte", "anc"},
      {"granulocytes", "anc"},
      {"absolute granulocyte", "anc"},
      {"agc", "anc"},
      {"anc/agc", "anc"},
      {"neutrophil/granulocyte", "anc"},
      {"platelet", "platelets"},
      {"platelets", "platelets"},
      {"plt", "platelets"},
      {"thrombocyte", "platelets"},
      {"thrombocytes", "platelets"},
      {"hemoglobin", "haemoglobin"},
      {"haemoglobin", "haemoglobin"},
      {"hgb", "haemoglobin"},
      {"hb", "haemoglobin"},
      {"creatinine", "creatinine"},
      {"creatinine clearance", "creatinine_clearance"},
      {"crcl", "creatinine_clearance"},
      {"creatinine clearance by cockcroft-gault", "creatinine_clearance"},
      {"cockcroft-gault creatinine clearance", "creatinine_clearance"},
      {"creatinine clearance (cockcroft-gault)", "creatinine_clearance"},
      {"creatinine clearance (cockcroft-gault formula)", "creatinine_clearance"},
      {"creatinine clearance per cockcroft-gault", "creatinine_clearance"},
      {"creatinine clearance using the cockcroft-gault formula", "creatinine_clearance"},
      {"measured or calculated creatinine clearance", "creatinine_clearance"},
      {"calculated or measured creatinine clearance", "creatinine_clearance"},
      {"bilirubin", "bilirubin_total"},
      {"total bilirubin", "bilirubin_total"},
      {"bilirubin (total)", "bilirubin_total"},
      {"tbili", "bilirubin_total"},
      {"ast", "ast"},
      {"sgot", "ast"},
      {"ast/sgot", "ast"},
      {"sgot/ast", "ast"},
      {"aspartate aminotransferase", "ast"},
      {"aspartate transaminase", "ast"},
      {"glutamic oxaloacetic transaminase", "ast"},
      {"alt", "alt"},
      {"glutamic pyruvic transaminase", "alt"},
      {"sgpt", "alt"},
      {"alt/sgpt", "alt"},
      {"sgpt/alt", "alt"},
      {"alanine aminotransferase", "alt"},
      {"alanine transaminase", "alt"},
      {"transaminases", "ast+alt"},
  }};
  for (const auto& a : names) {
    if (s == a.name) return a.code;
  }
  return std::nullopt;
}

// Subject text -> the analyte codes it names ("ast and alt" -> ast, alt).
std::vector<string> subject_analytes(string s) {
  strip_back(s,
             {"count", "counts", "level", "levels", "value", "values", "of", "must", "be", "is"});
  if (auto a = analyte_of(s); a && *a != "ast+alt") return {string(*a)};
  strip_front(s, {"patients",   "subjects", "participants", "with",  "must",   "have",  "has",
                  "a",          "an",       "the",          "serum", "plasma", "blood", "absolute",
                  "calculated", "measured", "adequate",     "both",  "either", "total"});
  strip_back(s, {"count", "counts", "level", "levels", "value", "values", "concentration", "must",
                 "be", "should", "is", "of", "=", ":", "serum", "each", "both", "measurement"});
  if (s == "bilirubin (total)" || s == "total serum bilirubin" || s == "serum total bilirubin") {
    return {"bilirubin_total"};
  }
  std::vector<string> out;
  if (auto a = analyte_of(s)) {
    if (*a == "ast+alt") return {"ast", "alt"};
    return {string(*a)};
  }
  // Lists of transaminases: "ast and alt", "sgot/sgpt", "ast or alt", "alt, ast".
  for (const string& item : split_list(s, {" and/or ", " or ", " and ", ", ", "/"})) {
    string part = trim(item);
    strip_front(part, {"serum", "the"});
    strip_back(part, {"level", "levels"});
    const auto a = analyte_of(part);
    if (!a || (*a != "ast" && *a != "alt")) return {};
    if (std::find(out.begin(), out.end(), string(*a)) == out.end()) out.emplace_back(*a);
  }
  return out.size() >= 2 ? out : std::vector<string>{};
}

struct unit_spelling {
  string_view text;  // without spaces
  string_view ucum;
};

// Unit spellings (spaces removed), to UCUM. "g/l" for cell counts is handled by the caller.
std::optional<string_view> unit_of(const string& compact) {
  static constexpr std::array<unit_spelling, 47> units = {{
      {"/mm3", "/mm3"},
      {"/mm^3", "/mm3"},
      {"cells/mm3", "/mm3"},
      {"cells/mm^3", "/mm3"},
      {"cell/mm3", "/mm3"},
      {"mm3", "/mm3"},
      {"/cumm", "/mm3"},
      {"/cmm", "/mm3"},
      {"/ul", "/uL"},
      {"cells/ul", "/uL"},
      {"/mcl", "/uL"},
      {"cells/mcl", "/uL"},
      {"/microliter", "/uL"},
      {"/microlitre", "/uL"},
      {"x10^9/l", "10*9/L"},
      {"x10^9cells/l", "10*9/L"},
      {"10^9/l", "10*9/L"},
      {"x10(9)/l", "10*9/L"},
      {"x10e9/l", "10*9/L"},
      {"*10^9/l", "10*9/L"},
      {"x10^9/litre", "10*9/L"},
      {"x10^9/liter", "10*9/L"},
      {"gi/l", "10*9/L"},
      {"x10^3/ul", "10*3/uL"},
      {"x10^3/mcl", "10*3/uL"},
      {"x10^3/mm3", "10*3/uL"},
      {"x10^3/mm^3", "10*3/uL"},
      {"10^3/ul", "10*3/uL"},
      {"10^3/mm3", "10*3/uL"},
      {"k/ul", "10*3/uL"},
      {"k/mm3", "10*3/uL"},
      {"k/mcl", "10*3/uL"},
      {"g/dl", "g/dL"},
      {"gm/dl", "g/dL"},
      {"gr/dl", "g/dL"},
      {"g/100ml", "g/dL"},
      {"g/l", "g/L"},
      {"mg/dl", "mg/dL"},
      {"mg/100ml", "mg/dL"},
      {"umol/l", "umol/L"},
      {"micromol/l", "umol/L"},
      {"umol/liter", "umol/L"},
      {"mmol/l", "mmol/L"},
      {"ml/min", "mL/min"},
      {"ml/minute", "mL/min"},
      {"ml/mn", "mL/min"},
      {"cc/min", "mL/min"},
  }};
  for (const auto& u : units) {
    if (compact == u.text) return u.ucum;
  }
  return std::nullopt;
}

// Plausible thresholds in each analyte's canonical unit: a value outside means the unit was
// misread, so nothing is extracted.
bool plausible(string_view code, double v) {
  if (code == "anc") return v >= 0.1 && v <= 20;
  if (code == "platelets") return v >= 5 && v <= 1000;
  if (code == "haemoglobin") return v >= 4 && v <= 20;
  if (code == "creatinine") return v >= 0.2 && v <= 15;
  if (code == "creatinine_clearance") return v >= 5 && v <= 250;
  if (code == "bilirubin_total") return v >= 0.1 && v <= 15;
  return v > 0 && v < 10000;
}

bool is_count(string_view code) { return code == "anc" || code == "platelets"; }

struct threshold {
  string op;
  string value;  // rule text: "1.5 [10*9/L]", "2.5 x uln", "(if liver_metastases ...) x uln"
  string window;
  enum { none, gilbert_unless } extra = none;
};

const string k_anchor =
    R"((?: (?:prior to|before|of|preceding) (?:the )?(?:study )?(?:entry|enrollment|enrolment|registration|randomization|randomisation|treatment|first dose(?: of (?:study )?(?:drug|treatment|therapy|medication))?|start of (?:study )?(?:treatment|therapy|drug)|day 1(?: of (?:cycle 1|treatment))?|initiation of (?:study )?(?:treatment|therapy)|study drug(?: administration)?|study treatment|study therapy|the study|screening|consent|(?:sub-study|screening step|treatment step|step 1) registration|entering (?:the |this )?study|entry into (?:the |this )?study|day 1 of (?:protocol )?(?:therapy|treatment)|starting (?:study )?(?:treatment|drug)|beginning (?:study )?treatment))?)";

// What follows the number of a lab threshold: its unit or "x uln", then optional qualifiers.
std::optional<threshold> read_threshold(const string& code, const string& op, string rhs,
                                        const rules::environment& env) {
  static const std::regex number(R"(^(\d+(?:\.\d+)?) ?(.*)$)");
  std::smatch m;
  if (!std::regex_match(rhs, m, number)) return std::nullopt;
  const double value = std::stod(m[1]);
  string rest = m[2];
  threshold t;
  t.op = op;
  string qualifier;
  const bool uln = starts_with(rest, "x uln") || starts_with(rest, "xuln") ||
                   (starts_with(rest, "uln") && (rest.size() == 3 || rest[3] == ' '));
  if (uln) {
    if (!(value >= 0.5 && value <= 20)) return std::nullopt;
    rest.erase(0, starts_with(rest, "x uln") ? 5 : starts_with(rest, "xuln") ? 4 : 3);
    t.value = number_text(value) + " x uln";
    qualifier = trim(rest);
  } else {
    // The longest run of leading words that spells a unit.
    std::vector<string> tokens;
    std::size_t start = 0;
    while (start < rest.size()) {
      std::size_t end = rest.find(' ', start);
      if (end == string::npos) end = rest.size();
      tokens.push_back(rest.substr(start, end - start));
      start = end + 1;
    }
    std::optional<string_view> ucum;
    std::size_t used = 0;
    for (std::size_t j = std::min<std::size_t>(tokens.size(), 5); j > 0 && !ucum; --j) {
      string compact;
      for (std::size_t i = 0; i < j; ++i) compact += tokens[i];
      if (auto u = unit_of(compact)) {
        ucum = u;
        used = j;
      } else if (!compact.empty() && compact.back() == ',') {
        compact.pop_back();
        if (auto u2 = unit_of(compact)) {
          ucum = u2;
          used = j;
        }
      }
    }
    if (!ucum) return std::nullopt;
    string unit_text(*ucum);
    if (unit_text == "g/L" && is_count(code)) unit_text = "10*9/L";  // "G/L" = giga per litre
    for (std::size_t i = used; i < tokens.size(); ++i)
      qualifier += (qualifier.empty() ? "" : " ") + tokens[i];
    auto parsed = parse_unit(unit_text);
    if (!parsed || !env.labs) return std::nullopt;
    const auto id = env.labs->find(code);
    if (!id) return std::nullopt;
    const vocab::analyte& a = env.labs->get(*id);
    if (!a.unit) return std::nullopt;
    quantity q{value, *parsed};
    // Same dimension: state it in the analyte's canonical unit (exact decimal scaling). A
    // conversion needing the molar mass keeps the criterion's own unit, so no rounding enters.
    if (dimension_of(*parsed) == dimension_of(*a.unit)) {
      auto c = convert(q, *a.unit);
      if (!c) return std::nullopt;
      q = *c;
      if (!plausible(code, q.value)) return std::nullopt;
    } else if (!a.molar_mass) {
      return std::nullopt;
    } else {
      auto c = convert(q, *a.unit, *a.molar_mass);
      if (!c || !plausible(code, c->value)) return std::nullopt;
    }
    t.value = number_text(q.value) + " [" + string(ucum_code(q.unit)) + "]";
  }
  // Qualifiers: parentheses and a leading "or"/";" do not change their meaning.
  for (char& c : qualifier) {
    if (c == '(' || c == ')' || c == ';' || c == ',') c = ' ';
  }
  qualifier = collapse(qualifier);
  if (qualifier.empty()) return t;
  static const std::regex liver(
      R"(^(?:or |and )?(?:<= |< )?(\d+(?:\.\d+)?) ?x uln (?:if|in|for|with|when) (?:patients |subjects |participants |those )?(?:with )?(?:known |documented |the presence of |presence of )?(?:liver|hepatic) (?:metastases|involvement|metastatic disease)(?: (?:are |is )?present)?$)");
  static const std::regex gilbert_value(
      R"(^(?:or |and )?(?:<= |< )?(\d+(?:\.\d+)?) ?x uln (?:if|in|for|with) (?:patients |subjects |participants |those )?(?:with )?(?:known |documented |confirmed )?gilbert'?s?(?: syndrome| disease)?$)");
  static const std::regex gilbert_unless(
      R"(^(?:unless|except|except for|except in|excluding) (?:patients |subjects |participants |those )?(?:with |due to |if due to |elevated due to |in case of |who have |has |have |attributed to |caused by )?(?:known |documented |confirmed )?gilbert'?s?(?: syndrome| disease)?$)");
  static const std::regex gilbert_exempt(
      R"(^does not apply to (?:patients|subjects|participants) with (?:known |documented )?gilbert'?s?(?: syndrome| disease)?$)");
  static const std::regex liver_unless(
      R"(^unless (?:liver|hepatic) metastases are present,? then (?:<=|<) ?(\d+(?:\.\d+)?) ?x uln$)");
  static const std::regex cockcroft(
      R"(^(?:by|using|per|according to|calculated by) (?:the )?cockcroft[- ]gault(?: formula| equation)?(?: or local standard)?$)");
  static const std::regex window(
      "^(?:obtained |performed |done )?(?:within|<=) (\\d{1,3}) (days?|weeks?)" + k_anchor + "$");
  if (std::regex_match(qualifier, m, liver)) {
    if (!uln || (code != "ast" && code != "alt")) return std::nullopt;
    const double other = std::stod(m[1]);
    if (!(other > value && other <= 20)) return std::nullopt;
    t.value = "(if liver_metastases then " + number_text(other) + " else " + number_text(value) +
              ") x uln";
    return t;
  }
  if (std::regex_match(qualifier, m, gilbert_value)) {
    if (!uln || code != "bilirubin_total") return std::nullopt;
    const double other = std::stod(m[1]);
    if (!(other > value && other <= 20)) return std::nullopt;
    t.value = "(if gilbert_syndrome is present then " + number_text(other) + " else " +
              number_text(value) + ") x uln";
    return t;
  }
  if (std::regex_match(qualifier, m, liver_unless)) {
    if (!uln || (code != "ast" && code != "alt")) return std::nullopt;
    const double other = std::stod(m[1]);
    if (!(other > value && other <= 20)) return std::nullopt;
    t.value = "(if liver_metastases then " + number_text(other) + " else " + number_text(value) +
              ") x uln";
    return t;
  }
  if (std::regex_match(qualifier, gilbert_unless) || std::regex_match(qualifier, gilbert_exempt)) {
    if (code != "bilirubin_total") return std::nullopt;
    t.extra = threshold::gilbert_unless;
    return t;
  }
  if (code == "creatinine_clearance" && std::regex_match(qualifier, cockcroft)) return t;
  if (std::regex_match(qualifier, m, window)) {
    t.window = m[1].str() + " " + m[2].str();
    return t;
  }
  return std::nullopt;
}

// One lab statement: "anc >= 1500/mm3", "ast and alt <= 2.5 x uln". The analytes of a list
// subject are combined by the criterion kind (inclusion: each must hold; exclusion: any excludes).
struct lab_reading {
  string rule;
  std::vector<string> codes;
  bool multi_part = false;
};

std::optional<lab_reading> read_lab_clause(string c, criterion_kind kind,
                                           const rules::environment& env) {
  c = trim(c);
  // "ANC 1500/mm3 or more": the operator after the value.
  static const std::regex trailing_op(
      R"(^(.*?) (\d+(?:\.\d+)? ?[^ ]*(?: [^ ]+)?) (or more|or greater|or higher|or above|and above|or over|or less|or lower|or below)$)");
  string subject;
  string op;
  string rhs;
  std::smatch m;
  std::size_t best = string::npos;
  for (string_view o : {" >= ", " <= ", " > ", " < "}) {
    const std::size_t at = c.find(o);
    if (at != string::npos && at < best) {
      best = at;
      op = trim(o);
    }
  }
  if (best != string::npos) {
    subject = c.substr(0, best);
    rhs = trim(string_view(c).substr(best + op.size() + 2));
    // A second comparison in `rhs` is read (or rejected) by read_threshold's qualifiers.
  } else if (std::regex_match(c, m, trailing_op)) {
    subject = m[1];
    rhs = m[2];
    const string w = m[3];
    op = (w == "or less" || w == "or lower" || w == "or below") ? "<=" : ">=";
  } else {
    return std::nullopt;
  }
  std::vector<string> codes = subject_analytes(trim(subject));
  if (codes.empty()) return std::nullopt;
  std::vector<string> parts;
  for (const string& code : codes) {
    auto t = read_threshold(code, op, rhs, env);
    if (!t) return std::nullopt;
    string fact = "lab(" + code + (t->window.empty() ? "" : ", within " + t->window) + ")";
    string test = fact + " " + t->op + " " + t->value;
    if (t->extra == threshold::gilbert_unless) {
      test = kind == criterion_kind::inclusion ? test + " or gilbert_syndrome is present"
                                               : test + " and gilbert_syndrome is not present";
    }
    parts.push_back(test);
  }
  lab_reading r;
  r.codes = codes;
  r.multi_part = parts.size() > 1 || parts[0].find(" or ") != string::npos ||
                 parts[0].find(" and ") != string::npos;
  r.rule = join(parts, kind == criterion_kind::inclusion ? " and " : " or ", true);
  return r;
}

// A header line of a list of lab requirements: "Adequate organ function defined as".
bool is_lab_header(const string& h) {
  static const std::regex header(
      R"(^(?:patients must have |must have |have |with |the following |demonstrate )?(?:adequate|normal|sufficient|acceptable|satisfactory) (?:(?:bone marrow|marrow|organ|hematologic|haematologic|hematological|haematological|renal|hepatic|liver|kidney|end-organ|end organ|laboratory|hematopoietic|haematopoietic)(?:,| and| and/or|/)? ?)+(?: function| reserve| values| parameters)?(?: (?:as )?(?:defined|evidenced|demonstrated|indicated|shown)(?: by| as)?(?: the following)?(?: laboratory values| lab values| criteria)?| as follows| including| defined below| as defined below| per the following)?$|^(?:laboratory|lab) (?:values|parameters|tests|results|requirements|criteria)(?: as follows)?$|^(?:hematologic|haematologic|hematological|hepatic|renal|bone marrow)(?: function)?$)");
  return std::regex_match(h, header);
}

opt_reading read_labs(const std::vector<string>& lines, criterion_kind kind,
                      const rules::environment& env) {
  std::vector<string> clauses;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    string line = lines[i];
    // A header before ':' on the first line.
    if (i == 0) {
      const std::size_t colon = line.find(':');
      if (colon != string::npos) {
        const string head = trim(string_view(line).substr(0, colon));
        if (!is_lab_header(head)) return std::nullopt;
        line = trim(string_view(line).substr(colon + 1));
        if (line.empty()) continue;
      } else if (lines.size() > 1 && is_lab_header(line)) {
        continue;
      }
    }
    // Clauses separated by ';' (", and" and " and " are tried later, only if needed); a ';' before
    // a qualifier does not start a clause.
    replace_all(line, "; does not apply", " does not apply");
    replace_all(line, "; unless", " unless");
    std::size_t start = 0;
    while (start <= line.size()) {
      std::size_t end = line.find(';', start);
      if (end == string::npos) end = line.size();
      string part = trim(string_view(line).substr(start, end - start));
      strip_front(part, {"and", "or"});
      while (!part.empty() && (part.back() == '.' || part.back() == ',')) part.pop_back();
      if (!part.empty()) clauses.push_back(part);
      start = end + 1;
    }
  }
  if (clauses.empty() || clauses.size() > 8) return std::nullopt;
  std::vector<string> parts;
  std::vector<string> codes;
  std::size_t pieces = 0;
  for (const string& clause : clauses) {
    std::vector<lab_reading> read;
    if (auto one = read_lab_clause(clause, kind, env)) {
      read.push_back(*one);
    } else {
      // "A or B" alternatives (either suffices, in inclusions and exclusions alike), then lists.
      const std::size_t or_at = clause.find(" or ");
      if (or_at != string::npos) {
        auto a = read_lab_clause(clause.substr(0, or_at), kind, env);
        auto b = read_lab_clause(clause.substr(or_at + 4), kind, env);
        if (a && b) {
          lab_reading r;
          r.rule = join({a->rule, b->rule}, " or ", true);
          r.codes = a->codes;
          r.codes.insert(r.codes.end(), b->codes.begin(), b->codes.end());
          r.multi_part = true;
          read.push_back(r);
        }
      }
      if (read.empty()) {
        for (const string& item : split_list(clause, {", and ", ", ", " and "})) {
          auto r = read_lab_clause(item, kind, env);
          if (!r) return std::nullopt;
          read.push_back(*r);
        }
      }
    }
    for (const lab_reading& r : read) {
      parts.push_back(r.rule);
      ++pieces;
      if (r.multi_part) ++pieces;
      for (const string& code : r.codes) {
        if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
      }
    }
  }
  const auto group = [](const string& code) -> string {
    if (code == "ast" || code == "alt") return "lab:ast_alt";
    if (code == "creatinine" || code == "creatinine_clearance") return "lab:creatinine";
    if (code == "bilirubin_total") return "lab:bilirubin";
    return "lab:" + code;
  };
  string kind_name = group(codes.front());
  for (const string& code : codes) {
    if (group(code) != kind_name) kind_name = "lab:panel";
  }
  const string rule = join(parts, kind == criterion_kind::inclusion ? " and " : " or ", true);
  const double confidence = pieces <= 1 ? 0.9 : pieces <= 3 ? 0.85 : 0.8;
  return reading{rule, kind_name, confidence};
}

// ---------------------------------------------------------------------------------------------
// Drugs and classes

// A drug or class phrase as a rule argument: `drug "x"` / `class "x"`.
std::optional<string> agent_of(string s, const rules::environment& env) {
  if (!env.drugs) return std::nullopt;
  strip_front(s, {"a", "an", "any", "the", "prior", "previous", "one", "other", "another"});
  strip_back(s, {"at any dose"});
  s = trim(s);
  if (s.size() < 3) return std::nullopt;
  std::vector<string> candidates{s};
  for (string_view suffix :
       {" therapy", " therapies", " treatment", " treatments", " regimen", " regimens",
        "-based therapy", "-based treatment", "-based regimen", " based therapy",
        "-containing regimen", "-containing therapy", " containing regimen", " agent", " agents"}) {
    if (ends_with(s, suffix)) candidates.push_back(s.substr(0, s.size() - suffix.size()));
  }
  for (const string& c : candidates) {
    const auto id = env.drugs->find(c);
    if (!id) continue;
    const vocab::drug_entry& e = env.drugs->get(*id);
    return string(e.is_class ? "class " : "drug ") + quoted(e.code);
  }
  return std::nullopt;
}

// "x or y", "x, y, or z", "x and y": the agents and whether all are required.
std::optional<std::pair<std::vector<string>, bool>> agent_list(string s,
                                                               const rules::environment& env) {
  if (auto one = agent_of(s, env)) return std::make_pair(std::vector<string>{*one}, false);
  const bool any = s.find(" and/or ") != string::npos || s.find(" or ") != string::npos;
  if (!any && s.find(" and ") == string::npos) return std::nullopt;
  const bool all = !any;
  const auto items = any ? split_list(s, {", and/or ", " and/or ", ", or ", " or ", ", "})
                         : split_list(s, {", and ", " and ", ", "});
  std::vector<string> out;
  for (const string& item : items) {
    auto a = agent_of(item, env);
    if (!a) return std::nullopt;
    out.push_back(*a);
  }
  if (out.size() < 2 || out.size() > 6) return std::nullopt;
  return std::make_pair(out, all);
}

string apply_all(string_view fn, const std::vector<string>& agents, bool all) {
  std::vector<string> parts;
  for (const string& a : agents) parts.push_back(string(fn) + "(" + a + ")");
  return join(parts, all ? " and " : " or ", false);
}

opt_reading read_agent_status(const string& n, criterion_kind kind, const rules::environment& env) {
  static const std::regex progressed(
      R"(^(?:(?:patients|subjects|participants) (?:must )?(?:have |with )|must have |have |has )?(?:had )?(?:(?:radiological |radiographic |radiologic |documented )?(?:documentation|evidence) of )?(?:documented |radiographic |radiologic |confirmed |objective |clinical or radiographic )?(?:disease )?(?:progression|progressed|progressive disease|relapse|relapsed) (?:on or after|during or after|on or following|while on|while receiving|on|after|following|during|despite) (?:continuous |continued )?(?:treatment with |therapy with |prior |previous |the )?(.+)$)");
  static const std::regex refractory(
      R"(^(?:(?:patients |subjects )?must be |disease )?(?:refractory|resistant) to (.+)$)");
  static const std::regex refr_intol(
      R"(^(?:disease )?(?:refractory|resistant) (?:to )?(?:or|and/or) intolerant (?:to|of) (.+)$)");
  static const std::regex intolerant(
      R"(^(?:intolerant|intolerance) (?:to|of) (.+)$|^unable to tolerate (.+)$)");
  static const std::regex last_line(
      R"(^(?:disease )?refractory to (?:the |their )?(?:most recent|last) (?:line of )?(?:therapy|treatment|regimen)$)");
  static const std::regex exposed(
      R"(^(?:(?:patients|subjects|participants) (?:must )?(?:have |with |who have )|must have |have |has )?(?:received |had |been treated with |been previously treated with |prior treatment with |previous treatment with |prior therapy with |previous therapy with |prior exposure to |previous exposure to |previously treated with |treated with |exposure to |prior |previous )+(.+)$)");
  static const std::regex no_prior(
      R"(^no (?:prior|previous) (?:treatment with |therapy with |exposure to )?(.+)$)");
  std::smatch m;
  if (std::regex_match(n, m, last_line)) {
    return reading{"refractory_to(last_line)", "refractory_to", 0.85};
  }
  const auto build = [&](string_view fn, const string& what, string_view kind_name,
                         double confidence) -> opt_reading {
    auto list = agent_list(what, env);
    if (!list) return std::nullopt;
    if (list->second && kind == criterion_kind::exclusion) return std::nullopt;
    return reading{apply_all(fn, list->first, list->second), string(kind_name), confidence};
  };
  if (std::regex_match(n, m, refr_intol)) {
    auto list = agent_list(m[1], env);
    if (!list || list->first.size() != 1) return std::nullopt;
    return reading{"refractory_to(" + list->first[0] + ") or intolerant_to(" + list->first[0] + ")",
                   "refractory_to", 0.85};
  }
  if (std::regex_match(n, m, refractory))
    return build("refractory_to", m[1], "refractory_to", 0.85);
  if (std::regex_match(n, m, intolerant)) {
    return build("intolerant_to", m[1].matched ? m[1].str() : m[2].str(), "intolerant_to", 0.85);
  }
  if (std::regex_match(n, m, progressed)) {
    return build("progressed_on", m[1], "progressed_on", 0.85);
  }
  if (std::regex_match(n, m, no_prior)) {
    if (kind != criterion_kind::inclusion) return std::nullopt;
    auto list = agent_list(m[1], env);
    if (!list || list->second) return std::nullopt;
    std::vector<string> parts;
    for (const string& a : list->first) parts.push_back("not exposed_to(" + a + ")");
    return reading{join(parts, " and ", false), "exposed_to", 0.85};
  }
  if (std::regex_match(n, m, exposed)) return build("exposed_to", m[1], "exposed_to", 0.8);
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Prior lines

opt_reading read_prior_lines(const string& n) {
  static const string object =
      R"((?:prior |previous )?(?:(?:systemic |anticancer |anti-cancer |antineoplastic |standard )?(?:lines?|regimens?)(?: of (?:prior |previous )?(?:systemic |anticancer |anti-cancer |antineoplastic |standard )?(?:therapy|therapies|treatment|treatments))?|(?:systemic |anticancer |anti-cancer |antineoplastic |standard )?(?:therapy|therapies|treatment|treatments))(?: (?:prior|previously))?)";
  static const string setting =
      R"((?: (?:for|in) (?:the )?(advanced|metastatic|advanced or metastatic|metastatic or advanced|unresectable or metastatic|locally advanced or metastatic|advanced/metastatic|metastatic/advanced)(?: disease| setting| cancer)?| for (?:mm|cll|multiple myeloma|myeloma|the disease|their disease|this disease))?)";
  static const string who =
      R"((?:(?:patients|subjects|participants) (?:must )?(?:have |who have )?|must have |have |has )?(?:received |had |been treated with |undergone |failed )?)";
  static const std::regex op_form("^" + who + R"((>=|<=|>|<) ?(\d|one|two|three|four|five|six) )" +
                                  object + setting + "$");
  static const std::regex words_form("^" + who +
                                     R"((\d|one|two|three|four|five|six) or (more|fewer|less) )" +
                                     object + setting + "$");
  static const std::regex range_form(
      "^" + who +
      R"((\d|one|two|three|four|five|six) ?(?:-|to) ?(\d|one|two|three|four|five|six) )" + object +
      setting + "$");
  static const std::regex none_form(
      R"(^no (?:prior|previous) (?:systemic |anticancer |anti-cancer |antineoplastic )?(?:therapy|treatment|therapies|treatments|lines? of (?:systemic )?therapy))" +
      setting + "$");
  std::smatch m;
  const auto fact = [](const std::ssub_match& s) {
    return s.matched ? string("prior_lines(setting: advanced)") : string("prior_lines");
  };
  if (std::regex_match(n, m, op_form)) {
    const auto v = small_number(m[2]);
    if (!v) return std::nullopt;
    return reading{fact(m[3]) + " " + m[1].str() + " " + std::to_string(*v), "prior_lines", 0.85};
  }
  if (std::regex_match(n, m, words_form)) {
    const auto v = small_number(m[1]);
    if (!v) return std::nullopt;
    return reading{fact(m[3]) + (m[2] == "more" ? " >= " : " <= ") + std::to_string(*v),
                   "prior_lines", 0.85};
  }
  if (std::regex_match(n, m, range_form)) {
    const auto lo = small_number(m[1]);
    const auto hi = small_number(m[2]);
    if (!lo || !hi || *lo >= *hi) return std::nullopt;
    return reading{fact(m[3]) + " in " + std::to_string(*lo) + ".." + std::to_string(*hi),
                   "prior_lines", 0.85};
  }
  if (std::regex_match(n, m, none_form)) {
    return reading{fact(m[1]) + " == 0", "prior_lines", 0.8};
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Measurable disease, brain metastases

opt_reading read_measurable(const string& n) {
  static const std::regex measurable(
      R"(^(?:(?:patients|subjects|participants) (?:must )?(?:have |with )|must have |have |has |presence of |with )?(?:at least one |>= 1 |>= one |one or more )?(?:radiographically |radiologically |objectively )?measurable (?:disease|lesions?|tumou?rs?|target lesions?)(?: (?:as )?(?:defined )?(?:by|per|according to|using|based on) (?:the )?(?:response evaluation criteria in solid tumou?rs|recist)(?: \(recist\))?(?: criteria)?(?: (?:version |v|v\. |v\.|ver |ver\. )?1\.1)?(?: criteria| guidelines| definition)?)?(?: \(at least one (?:target )?lesion\))?$)");
  if (std::regex_match(n, measurable))
    return reading{"measurable_disease", "measurable_disease", 0.9};
  return std::nullopt;
}

opt_reading read_brain_metastases(const string& n, criterion_kind kind) {
  static const string quals =
      R"(((?:(?:known|untreated|active|symptomatic|uncontrolled|progressive|actively progressing|clinically active|unstable|existing)(?:,| and/or| or| and)? )*))";
  static const string where =
      R"((brain|cns|brain or cns|cns or brain|brain and/or cns|intracranial|cerebral) (?:metastases|metastatic disease))";
  static const string lepto =
      R"(((?:,| and/or| or| and) (?:leptomeningeal (?:disease|metastases|carcinomatosis|involvement)|carcinomatous meningitis|meningeal (?:carcinomatosis|metastases)))?)";
  static const std::regex excl(
      R"(^(?:patients with |subjects with |participants with |presence of |history of |known history of |evidence of )?)" +
      quals + where + lepto + "$");
  static const std::regex incl(R"(^no )" + quals + where + lepto + "$");
  std::smatch m;
  const bool exclusion = kind == criterion_kind::exclusion;
  if (!std::regex_match(n, m, exclusion ? excl : incl)) return std::nullopt;
  const string q = m[1];
  const bool active = q.find("untreated") != string::npos || q.find("active") != string::npos ||
                      q.find("symptomatic") != string::npos ||
                      q.find("uncontrolled") != string::npos ||
                      q.find("progressive") != string::npos || q.find("unstable") != string::npos;
  const string site = m[2];
  const bool cns = site.find("cns") != string::npos;
  const bool with_lepto = m[3].matched || cns;
  string rule;
  if (exclusion) {
    rule = active ? "brain_metastases is active" : "brain_metastases is not absent";
    if (with_lepto) rule += " or leptomeningeal_disease";
  } else {
    rule = active ? "brain_metastases is not active" : "brain_metastases is absent";
    if (with_lepto) rule += " and not leptomeningeal_disease";
  }
  return reading{rule, "brain_metastases", 0.85};
}

// ---------------------------------------------------------------------------------------------
// Washout

struct washout_target {
  string event;  // "radiotherapy", "last_dose(class \"x\")", ...
  string kind;
};

std::optional<washout_target> washout_of(string s, const rules::environment& env) {
  strip_front(s, {"prior", "previous", "last", "any", "the", "of", "receipt", "received", "dose"});
  static const std::array<std::pair<string_view, string_view>, 26> fixed = {{
      {"radiotherapy", "radiotherapy"},
      {"radiation therapy", "radiotherapy"},
      {"radiation", "radiotherapy"},
      {"irradiation", "radiotherapy"},
      {"radiation treatment", "radiotherapy"},
      {"external beam radiation therapy", "radiotherapy"},
      {"external beam radiotherapy", "radiotherapy"},
      {"major surgery", "major_surgery"},
      {"minor surgery", "minor_surgery"},
      {"systemic chemotherapy", "last_dose(class \"cytotoxic_chemotherapy\")"},
      {"systemic cancer chemotherapy", "last_dose(class \"cytotoxic_chemotherapy\")"},
      {"cytotoxic chemotherapy", "last_dose(class \"cytotoxic_chemotherapy\")"},
      {"major surgical procedure", "major_surgery"},
      {"major surgical procedures", "major_surgery"},
      {"surgery", "surgery"},
      {"surgical procedure", "surgery"},
      {"anticancer therapy", "last_dose(any anticancer)"},
      {"anti-cancer therapy", "last_dose(any anticancer)"},
      {"systemic anticancer therapy", "last_dose(any anticancer)"},
      {"systemic anti-cancer therapy", "last_dose(any anticancer)"},
      {"antineoplastic therapy", "last_dose(any anticancer)"},
      {"anti-neoplastic therapy", "last_dose(any anticancer)"},
      {"anticancer treatment", "last_dose(any anticancer)"},
      {"anti-cancer treatment", "last_dose(any anticancer)"},
      {"cancer therapy", "last_dose(any anticancer)"},
      {"systemic anticancer treatment", "last_dose(any anticancer)"},
  }};
  for (const auto& [text, event] : fixed) {
    if (s == text) {
      const string e(event);
      const string kind = e == "radiotherapy" ? "washout_radiotherapy"
                          : e == "surgery" || e == "major_surgery" || e == "minor_surgery"
                              ? "washout_surgery"
                              : "washout_therapy";
      return washout_target{e, kind};
    }
  }
  if (auto a = agent_of(s, env)) return washout_target{"last_dose(" + *a + ")", "washout_therapy"};
  return std::nullopt;
}

std::optional<std::vector<washout_target>> washout_list(const string& s,
                                                        const rules::environment& env) {
  if (auto one = washout_of(s, env)) return std::vector<washout_target>{*one};
  std::vector<washout_target> out;
  for (const string& item :
       split_list(s, {", and/or ", " and/or ", ", or ", " or ", ", and ", " and ", ", ", "/"})) {
    auto w = washout_of(item, env);
    if (!w) return std::nullopt;
    out.push_back(*w);
  }
  if (out.size() < 2 || out.size() > 5) return std::nullopt;
  return out;
}

string duration_text(const string& count, const string& unit_word) {
  string u = unit_word;
  if (!ends_with(u, "s") && count != "1") u += "s";
  if (ends_with(u, "s") && count == "1") u.pop_back();
  return count + " " + u;
}

opt_reading read_washout(const string& n, criterion_kind kind, const rules::environment& env) {
  static const string dur = R"((\d{1,3}) (days?|weeks?|months?|years?))";
  static const string extra =
      R"((?: \((\d{1,3}) (days?|weeks?|months?) (?:for|since|from) (?:prior )?([a-z0-9 ,/-]+)\))?)";
  static const std::regex since(
      "^(?:must be )?(>=|>) " + dur +
      R"( (?:since|from|after|must have elapsed since|have elapsed since|elapsed since) (?:the )?(?:completion of |end of |last dose of |the last dose of )?(?:any )?([a-z0-9 ,/-]+?))" +
      extra + "$");
  static const std::regex none_within(
      R"(^no (?:prior |previous |receipt of )?([a-z0-9 ,/-]+?) within (?:the )?(?:last |past |previous |preceding )?)" +
      dur + k_anchor + extra + "$");
  static const std::regex within(
      R"(^(?:patients who have (?:received|had|undergone) |patient (?:has )?(?:received|had|undergone) |(?:has |have )?(?:received |had |undergone )|receipt of |treatment with |prior |previous |any |recent )*([a-z0-9 ,/-]+?) (?:within|in the (?:last|past)|<) (?:the )?(?:last |past |previous |preceding )?)" +
      dur + k_anchor + extra + "$");
  std::smatch m;
  string op;
  string what;
  string count;
  string unit_word;
  std::size_t extra_at = 0;
  if (kind == criterion_kind::inclusion && std::regex_match(n, m, since)) {
    op = m[1];
    count = m[2];
    unit_word = m[3];
    what = m[4];
    extra_at = 5;
  } else if (kind == criterion_kind::inclusion && std::regex_match(n, m, none_within)) {
    op = ">=";
    what = m[1];
    count = m[2];
    unit_word = m[3];
    extra_at = 4;
  } else if (kind == criterion_kind::exclusion && std::regex_match(n, m, within)) {
    op = "<";
    what = m[1];
    count = m[2];
    unit_word = m[3];
    extra_at = 4;
  } else {
    return std::nullopt;
  }
  auto targets = washout_list(trim(what), env);
  if (!targets) return std::nullopt;
  const string d = duration_text(count, unit_word);
  std::vector<string> parts;
  for (const washout_target& t : *targets) {
    parts.push_back("time_since(" + t.event + ") " + op + " " + d);
  }
  if (m[extra_at].matched) {
    auto others = washout_list(trim(m[extra_at + 2].str()), env);
    if (!others) return std::nullopt;
    const string d2 = duration_text(m[extra_at], m[extra_at + 1]);
    for (const washout_target& t : *others) {
      parts.push_back("time_since(" + t.event + ") " + op + " " + d2);
    }
  }
  const bool inclusion = kind == criterion_kind::inclusion;
  string kind_name = targets->front().kind;
  for (const washout_target& t : *targets) {
    if (t.kind != kind_name) kind_name = "washout_therapy";
  }
  return reading{join(parts, inclusion ? " and " : " or ", false), kind_name,
                 parts.size() == 1 ? 0.9 : 0.85};
}

// ---------------------------------------------------------------------------------------------
// Pregnancy, infections

opt_reading read_pregnancy(const string& n, criterion_kind kind) {
  static const string who =
      R"((?:(?:females only|women only): )?(?:(?:women|females|female patients|female subjects|patients|patient|subjects|participants) (?:who are |that are |is |are )?)?(?:currently )?)";
  static const string feeding = R"((breast-?feeding|breast feeding|lactating|lactation|nursing))";
  static const std::regex excl(
      "^" + who + R"((?:pregnant|pregnancy)(?: (?:or|and/or|and) (?:are )?(?:currently )?)" +
      feeding + R"()?(?: (?:women|females|patients|subjects))?$)");
  static const std::regex excl_reversed(
      "^" + who + feeding + R"( (?:or|and/or) pregnant(?: (?:women|females|patients))?$)");
  static const std::regex feeding_only(
      "^" + who +
      R"((?:breast-?feeding|breast feeding|lactating|nursing)(?: (?:or|and/or) (?:breast-?feeding|breast feeding|lactating|nursing))?(?: (?:women|females|mothers|patients))?$)");
  static const std::regex incl(
      R"(^(?:(?:patients|subjects|participants|women|females) (?:must )?(?:be )?)?(?:not|non) ?-?(?:pregnant|pregnancy)(?: (?:or|and|nor) (?:be )?)" +
      feeding + R"()?$)");
  static const std::regex test(
      R"(^(?:(?:women|females|female patients)(?: of child-?bearing potential| who are of child-?bearing potential)?(?: must have)? (?:a )?)?negative (?:serum |urine |serum or urine |urine or serum |blood )?(?:beta-?hcg |b-hcg |hcg )?pregnancy test(?: (?:for|in) (?:women|females) of child-?bearing potential)?$)");
  std::smatch m;
  if (kind == criterion_kind::exclusion) {
    if (std::regex_match(n, m, excl) || std::regex_match(n, m, excl_reversed)) {
      const bool lactation = m[1].matched;
      return reading{
          lactation ? "pregnancy is present or lactation is present" : "pregnancy is present",
          "pregnancy", 0.9};
    }
    if (std::regex_match(n, feeding_only)) return reading{"lactation is present", "pregnancy", 0.9};
    return std::nullopt;
  }
  if (std::regex_match(n, m, incl)) {
    const bool lactation = m[1].matched;
    return reading{lactation ? "pregnancy is not present and lactation is not present"
                             : "pregnancy is not present",
                   "pregnancy", 0.9};
  }
  if (std::regex_match(n, test)) {
    return reading{"sex != female or pregnancy is not present", "pregnancy", 0.8};
  }
  return std::nullopt;
}

opt_reading read_infection(const string& n, criterion_kind kind) {
  static const string virus =
      R"((?:hiv|hepatitis b|hepatitis c|hepatitis b or c|hepatitis b and/or c|hepatitis b/c|hepatitis b and c))";
  static const string list =
      "(" + virus + R"((?:(?:,|, or|, and| or| and/or| and) (?:active )?)" + virus + ")*)";

  static const std::regex excl(
      R"(^(?:patients with |subjects with |participants with )?(?:a )?((?:(?:known|active|chronic|documented|history of|known history of|positive test for|positive for|evidence of|uncontrolled|current|clinically active|diagnosis of) )*))" +
      list +
      R"((?: (?:infection|infections|positive|positivity|seropositivity|seropositive|disease|carrier|positive status|seropositive patients|positive patients|patients))?$)");
  static const std::regex incl_negative("^" + list +
                                        R"( (?:negative|negativity|seronegative|seronegativity)$)");
  static const std::regex incl_no(R"(^no (?:known |active |history of |evidence of )*)" + list +
                                  R"((?: (?:infection|infections|disease))?$)");
  // Negative tests: HIV, HBsAg (no current hepatitis B), anti-HBc and anti-HCV (no infection ever).
  static const std::regex negative_test(
      R"(^negative (hiv|hepatitis b surface antigen|hbsag|total hepatitis b core antibody|hepatitis b core antibody|hbcab|anti-hbc|hepatitis c antibody|hepatitis c|anti-hepatitis c|anti-hcv)(?: \([a-z -]+\))?(?: antibody)?(?: test)?(?: at screening)?$)");

  std::smatch m;
  string q;
  string viruses;
  string state;
  if (kind == criterion_kind::exclusion && std::regex_match(n, m, excl)) {
    q = m[1];
    viruses = m[2];
    const bool active = q.find("active") != string::npos ||
                        q.find("uncontrolled") != string::npos || q.find("current") != string::npos;
    state = active ? "is active" : "is present";
    // "known HIV or active hepatitis B": the states differ within the list; left for review.
    if (!active && viruses.find("active ") != string::npos) return std::nullopt;
  } else if (kind == criterion_kind::inclusion && std::regex_match(n, m, incl_negative)) {
    viruses = m[1];
    state = "is not present";
  } else if (kind == criterion_kind::inclusion && std::regex_match(n, m, negative_test)) {
    const string what = m[1];
    if (what == "hiv") return reading{"hiv is not present", "hiv", 0.85};
    if (what == "hepatitis b surface antigen" || what == "hbsag") {
      return reading{"hepatitis_b is not present", "hepatitis_b", 0.85};
    }
    if (what.find("core") != string::npos || what == "hbcab" || what == "anti-hbc") {
      return reading{"hepatitis_b is absent", "hepatitis_b", 0.85};
    }
    return reading{"hepatitis_c is absent", "hepatitis_c", 0.85};
  } else if (kind == criterion_kind::inclusion && std::regex_match(n, m, incl_no)) {
    viruses = m[1];
    state = "is not present";
  } else {
    return std::nullopt;
  }
  std::vector<string> facts;
  const auto add = [&](const string& f) {
    if (std::find(facts.begin(), facts.end(), f) == facts.end()) facts.push_back(f);
  };
  // Read the names in order.
  for (std::size_t i = 0; i < viruses.size();) {
    if (viruses.compare(i, 3, "hiv") == 0) {
      add("hiv");
      i += 3;
    } else if (viruses.compare(i, 11, "hepatitis b") == 0) {
      add("hepatitis_b");
      i += 11;
      // "hepatitis b or c", "hepatitis b/c", "hepatitis b and c".
      static const std::array<string_view, 4> tails = {" or c", " and/or c", "/c", " and c"};
      for (string_view t : tails) {
        if (viruses.compare(i, t.size(), t) == 0 &&
            (i + t.size() == viruses.size() || viruses[i + t.size()] != 'o')) {
          add("hepatitis_c");
          i += t.size();
          break;
        }
      }
    } else if (viruses.compare(i, 11, "hepatitis c") == 0) {
      add("hepatitis_c");
      i += 11;
    } else {
      ++i;
    }
  }
  if (facts.empty()) return std::nullopt;
  std::vector<string> parts;
  for (const string& f : facts) parts.push_back(f + " " + state);
  const bool inclusion = kind == criterion_kind::inclusion;
  const string kind_name = facts.size() > 1 ? "viral_infection" : facts[0];
  return reading{join(parts, inclusion ? " and " : " or ", false), kind_name, 0.85};
}

// ---------------------------------------------------------------------------------------------

// The span: the criterion without surrounding white space and final punctuation.
text_span whole_span(string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && (is_space(text[end - 1]) || text[end - 1] == '.' || text[end - 1] == ';' ||
                         text[end - 1] == ',')) {
    --end;
  }
  return {static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end - begin)};
}

opt_reading read_any(string_view text, criterion_kind kind, const rules::environment& env) {
  const std::vector<string> lines = normalised_lines(text);
  if (lines.empty()) return std::nullopt;
  if (lines.size() == 1) {
    const string& n = lines[0];
    if (auto r = read_age(n)) return r;
    if (auto r = read_performance(n)) return r;
    if (auto r = read_measurable(n)) return r;
    if (auto r = read_brain_metastases(n, kind)) return r;
    if (auto r = read_pregnancy(n, kind)) return r;
    if (auto r = read_infection(n, kind)) return r;
    if (auto r = read_prior_lines(n)) return r;
    if (auto r = read_washout(n, kind, env)) return r;
    if (auto r = read_agent_status(n, kind, env)) return r;
  }
  return read_labs(lines, kind, env);
}

}  // namespace

const std::vector<string_view>& extraction_kinds() {
  static const std::vector<string_view> kinds = {"age",
                                                 "performance_status",
                                                 "lab:anc",
                                                 "lab:platelets",
                                                 "lab:haemoglobin",
                                                 "lab:creatinine",
                                                 "lab:bilirubin",
                                                 "lab:ast_alt",
                                                 "lab:panel",
                                                 "prior_lines",
                                                 "progressed_on",
                                                 "refractory_to",
                                                 "intolerant_to",
                                                 "exposed_to",
                                                 "measurable_disease",
                                                 "brain_metastases",
                                                 "washout_therapy",
                                                 "washout_radiotherapy",
                                                 "washout_surgery",
                                                 "pregnancy",
                                                 "hiv",
                                                 "hepatitis_b",
                                                 "hepatitis_c",
                                                 "viral_infection"};
  return kinds;
}

std::optional<extracted_rule> extract_rule(string_view text, criterion_kind kind,
                                           const rules::environment& env,
                                           const extract_options& options) {
  if (text.size() > options.max_bytes) return std::nullopt;
  // Rules are ASCII; so is everything the readers accept after normalisation.
  auto r = read_any(text, kind, env);
  if (!r) return std::nullopt;
  const auto checked = rules::check(rules::parse(r->rule, "<extracted>"), env);
  if (!checked.ok() || !checked.has_body()) return std::nullopt;
  extracted_rule out;
  out.rule = std::move(r->rule);
  out.kind = std::move(r->kind);
  out.span = whole_span(text);
  out.confidence = r->confidence;
  return out;
}

std::size_t extract_rules(std::vector<criterion>& criteria, const rules::environment& env,
                          const extract_options& options) {
  std::size_t n = 0;
  for (criterion& c : criteria) {
    if (c.rule) continue;
    auto e = extract_rule(c.text, c.kind, env, options);
    if (!e) continue;
    c.rule = std::move(e->rule);
    c.provenance.kind = provenance_kind::extracted;
    c.provenance.confidence = e->confidence;
    c.provenance.span = e->span;
    c.provenance.extractor = string(extractor_name);
    ++n;
  }
  return n;
}

}  // namespace ctm
