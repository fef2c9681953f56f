// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Registry records -> trial documents, shared by every registry reader (docs/import.md).
#include "io/registry_common.hpp"

#include <ctm/io/vocabulary.hpp>
#include <ctm/trial/extract.hpp>
#include <ctm/trial/validate.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

namespace ctm::io {
namespace detail {
namespace {

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_alnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Lower case, every run of other characters one '_', no '_' at the ends.
std::string snake(std::string_view text) {
  std::string out;
  bool gap = false;
  for (char c : text) {
    if (is_alnum(c)) {
      if (gap && !out.empty()) out += '_';
      gap = false;
      out += lower(c);
    } else {
      gap = true;
    }
  }
  return out;
}

std::string slug(std::string_view label) {
  std::string s = snake(label);
  std::replace(s.begin(), s.end(), '_', '-');
  return s.empty() ? "arm" : s;
}

// "Drug: Palbociclib" -> "Palbociclib".
std::string without_type_prefix(std::string_view name) {
  const std::size_t colon = name.find(": ");
  if (colon != std::string_view::npos && colon < 30) name.remove_prefix(colon + 2);
  return collapse_space(name);
}

std::optional<ctm::drug_id> find_drug(const vocab::drug_catalog& catalog, std::string_view name) {
  const std::string text = collapse_space(name);
  if (text.empty()) return std::nullopt;
  if (auto id = catalog.find(text)) return id;
  // "Pembrolizumab (MK-3475)": the part outside and inside the parentheses.
  const std::size_t open = text.find('(');
  if (open != std::string::npos) {
    if (auto id = catalog.find(text.substr(0, open))) return id;
    const std::size_t close = text.find(')', open);
    if (close != std::string::npos) {
      if (auto id = catalog.find(text.substr(open + 1, close - open - 1))) return id;
    }
  }
  // "Palbociclib 125 mg", "Paclitaxel injection": the first word.
  const std::size_t space = text.find_first_of(" ,/");
  if (space != std::string::npos) {
    if (auto id = catalog.find(text.substr(0, space))) return id;
  }
  return std::nullopt;
}

bool is_drug_type(std::string_view type) {
  const std::string t = snake(type);
  return t.empty() || t == "drug" || t == "biological" || t == "combination_product" ||
         t == "genetic" || t == "dietary_supplement";
}

void warn(std::vector<diagnostic>& out, const record_place& place, errc code, std::string message,
          const std::string& pointer) {
  out.push_back(
      diagnostic{severity::warning, make_error(place, code, std::move(message), pointer)});
}

std::string age_words(duration d) { return to_string(d); }

// Rules for the imported criteria: exact ones for the registry's structured age and sex limits
// (criteria ctm worded itself, so no span), and `extract_rules` over the free-text criteria.
void extract_criteria(trial& t, const registry_details& reg, const registry_vocab& vocab) {
  const auto mark = [](criterion& c, std::string rule) {
    c.rule = std::move(rule);
    c.provenance.kind = provenance_kind::extracted;
    c.provenance.confidence = 1.0;
    c.provenance.extractor = std::string(extractor_name);
  };
  const auto in_years = [](const std::optional<duration>& d) {
    return d && d->unit == time_unit::year;
  };
  for (criterion& c : t.criteria) {
    if (c.rule) continue;
    if (c.id == "inc-age") {
      const bool lo = in_years(reg.minimum_age);
      const bool hi = in_years(reg.maximum_age);
      // A limit in months or days cannot be stated in whole years: left for review.
      if ((reg.minimum_age && !lo) || (reg.maximum_age && !hi)) continue;
      if (lo && hi) {
        mark(c, "age in " + std::to_string(reg.minimum_age->count) + ".." +
                    std::to_string(reg.maximum_age->count));
      } else if (lo) {
        mark(c, "age >= " + std::to_string(reg.minimum_age->count));
      } else if (hi) {
        mark(c, "age <= " + std::to_string(reg.maximum_age->count));
      }
    } else if (c.id == "inc-sex" && reg.sex) {
      mark(c, reg.sex == sex_eligibility::female ? "sex == female" : "sex == male");
    }
  }
  rules::environment env;
  env.ontology = vocab.diseases;
  env.drugs = vocab.drugs;
  env.labs = vocab.labs;
  extract_rules(t.criteria, env);
}

}  // namespace

registry_vocab resolve_vocab(const registry_options& options) {
  registry_vocab v;
  if (options.diseases) {
    v.diseases = options.diseases;
  } else if (auto b = bundled_ontology()) {
    v.diseases = *b;
  }
  if (options.drugs) {
    v.drugs = options.drugs;
  } else if (auto b = bundled_drug_catalog()) {
    v.drugs = *b;
  }
  if (options.labs) {
    v.labs = options.labs;
  } else if (auto b = bundled_lab_catalog()) {
    v.labs = *b;
  }
  if (options.mappings) {
    v.mappings = *options.mappings;
  } else if (auto b = bundled_disease_mappings()) {
    v.mappings = *b;
  }
  return v;
}

std::optional<trial_status> map_status(std::string_view text) {
  const std::string s = snake(text);
  if (s.empty()) return std::nullopt;
  if (auto st = parse_trial_status(s)) return st;
  // Legacy XML and NCI CTS spellings (data/trials/SOURCES.md lists the CTS mapping).
  static constexpr std::array<std::pair<std::string_view, trial_status>, 16> table{{
      {"unknown_status", trial_status::unknown},
      {"active", trial_status::recruiting},
      {"temporarily_closed_to_accrual", trial_status::suspended},
      {"temporarily_closed_to_accrual_and_intervention", trial_status::suspended},
      {"closed_to_accrual", trial_status::active_not_recruiting},
      {"closed_to_accrual_and_intervention", trial_status::active_not_recruiting},
      {"administratively_complete", trial_status::completed},
      {"complete", trial_status::completed},
      {"approved", trial_status::not_yet_recruiting},
      {"in_review", trial_status::not_yet_recruiting},
      {"enrolling_by_invitation", trial_status::enrolling_by_invitation},
      {"not_recruiting", trial_status::active_not_recruiting},
      {"open", trial_status::recruiting},
      {"closed", trial_status::active_not_recruiting},
      {"terminated", trial_status::terminated},
      {"withdrawn", trial_status::withdrawn},
  }};
  for (const auto& [key, status] : table) {
    if (s == key) return status;
  }
  return std::nullopt;
}

std::optional<std::vector<trial_phase>> map_phases(std::string_view text) {
  std::vector<trial_phase> out;
  const std::string s = snake(text);
  if (s.empty()) return out;
  if (s == "n_a" || s == "na" || s == "not_applicable")
    return std::vector<trial_phase>{trial_phase::na};
  // Split "phase_1_phase_2", "i_ii", "phase1_phase2", "early_phase_1".
  std::vector<std::string> tokens;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    const std::size_t cut = s.find('_', pos);
    tokens.push_back(s.substr(pos, cut == std::string::npos ? s.npos : cut - pos));
    if (cut == std::string::npos) break;
    pos = cut + 1;
  }
  bool early = false;
  for (std::string t : tokens) {
    if (t == "early") {
      early = true;
      continue;
    }
    if (t == "phase") continue;
    if (t.rfind("phase", 0) == 0) t = t.substr(5);
    std::optional<trial_phase> p;
    if (t == "1" || t == "i") p = early ? trial_phase::early_phase1 : trial_phase::phase1;
    if (t == "2" || t == "ii") p = trial_phase::phase2;
    if (t == "3" || t == "iii") p = trial_phase::phase3;
    if (t == "4" || t == "iv") p = trial_phase::phase4;
    if (t == "0") p = trial_phase::early_phase1;
    if (t == "na") p = trial_phase::na;
    if (!p) return std::nullopt;
    early = false;
    if (std::find(out.begin(), out.end(), *p) == out.end()) out.push_back(*p);
  }
  return out;
}

std::optional<partial_date> parse_registry_date(std::string_view text) {
  const std::string s = collapse_space(text);
  if (s.empty()) return std::nullopt;
  if (auto d = parse_partial_date(s)) return *d;
  static constexpr std::array<std::string_view, 12> months{
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  std::string l;
  for (char c : s) l += c == ',' ? ' ' : lower(c);
  std::istringstream in(l);
  std::string month_word;
  std::string a;
  std::string b;
  in >> month_word >> a >> b;
  const auto it = std::find(months.begin(), months.end(), month_word);
  if (it == months.end()) return std::nullopt;
  const unsigned month = static_cast<unsigned>(it - months.begin()) + 1;
  const auto number = [](const std::string& t) -> std::optional<int> {
    int v = 0;
    const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc{} || p != t.data() + t.size()) return std::nullopt;
    return v;
  };
  const auto year = b.empty() ? number(a) : number(b);
  if (!year || *year < min_supported_year || *year > max_supported_year) return std::nullopt;
  if (b.empty()) {
    return partial_date::of_month(std::chrono::year{*year}, std::chrono::month{month});
  }
  const auto day = number(a);
  if (!day) return std::nullopt;
  const date d{std::chrono::year{*year}, std::chrono::month{month},
               std::chrono::day{static_cast<unsigned>(*day)}};
  if (!d.ok()) return std::nullopt;
  return partial_date::exact(d);
}

result<imported_trial> build_trial(raw_study raw, trial_format format, const record_place& place,
                                   const registry_options& options, const registry_vocab& vocab) {
  imported_trial out;
  out.format = format;
  trial& t = out.document.trial;
  std::vector<diagnostic>& diags = out.document.diagnostics;
  registry_details& reg = out.registry;

  t.id = collapse_space(raw.nct_id.text);
  if (t.id.empty()) {
    return make_error(place, errc::invalid_id, "the record has no NCT id", raw.nct_id.pointer);
  }
  if (!is_nct_id(t.id)) {
    return make_error(place, errc::invalid_id, "the record's NCT id is not 'NCT' and eight digits",
                      raw.nct_id.pointer);
  }
  for (std::string& id : raw.secondary_ids) {
    std::string s = collapse_space(id);
    if (!s.empty() && s != t.id &&
        std::find(t.secondary_ids.begin(), t.secondary_ids.end(), s) == t.secondary_ids.end()) {
      t.secondary_ids.push_back(std::move(s));
    }
  }
  t.title = collapse_space(raw.title.empty() ? raw.official_title : raw.title);
  t.sponsor = collapse_space(raw.sponsor);

  for (const sourced& p : raw.phases) {
    const auto phases = map_phases(p.text);
    if (!phases) {
      warn(diags, place, errc::json_schema, "not a known trial phase; left out", p.pointer);
      continue;
    }
    for (trial_phase ph : *phases) {
      if (std::find(t.phases.begin(), t.phases.end(), ph) == t.phases.end()) t.phases.push_back(ph);
    }
  }
  if (!raw.status.text.empty()) {
    if (const auto st = map_status(raw.status.text)) {
      t.status = *st;
    } else {
      warn(diags, place, errc::json_schema, "not a known recruitment status; recorded as unknown",
           raw.status.pointer);
    }
  }

  // Conditions: the registry's own terms, mapped to disease codes; MeSH terms and keywords only
  // when no condition maps (they are broader, and MeSH indexing is automatic).
  const vocab::ontology* onto = vocab.diseases ? &*vocab.diseases : nullptr;
  const auto add_code = [&](const std::string& code) {
    if (std::find(t.conditions.codes.begin(), t.conditions.codes.end(), code) ==
        t.conditions.codes.end()) {
      t.conditions.codes.push_back(code);
    }
  };
  for (const sourced& c : raw.conditions) {
    std::string text = collapse_space(c.text);
    if (text.empty()) continue;
    t.conditions.registry.push_back(text);
    if (const auto code = vocab.mappings.map_condition(text, onto)) {
      add_code(*code);
    } else {
      reg.unmapped_conditions.push_back(text);
      warn(diags, place, errc::unknown_code,
           "condition is not mapped to a disease code; kept as registry text", c.pointer);
    }
  }
  for (const sourced& m : raw.mesh_terms) reg.mesh_terms.push_back(collapse_space(m.text));
  for (const sourced& k : raw.keywords) reg.keywords.push_back(collapse_space(k.text));
  if (t.conditions.codes.empty()) {
    for (const auto* list : {&raw.mesh_terms, &raw.keywords}) {
      for (const sourced& m : *list) {
        if (const auto code = vocab.mappings.map_condition(m.text, onto)) add_code(*code);
      }
      if (!t.conditions.codes.empty()) break;
    }
  }

  // Structured eligibility.
  reg.study_type = collapse_space(raw.study_type);
  reg.healthy_volunteers = raw.healthy_volunteers;
  const auto age = [&](const sourced& s, std::optional<duration>& into) {
    if (collapse_space(s.text).empty()) return;
    auto a = parse_registry_age(s.text);
    if (!a) {
      warn(diags, place, errc::invalid_duration, "not an age such as '18 Years'; no limit taken",
           s.pointer);
      return;
    }
    into = *a;
  };
  age(raw.minimum_age, reg.minimum_age);
  age(raw.maximum_age, reg.maximum_age);
  if (reg.minimum_age && reg.minimum_age->count == 0) reg.minimum_age.reset();
  const std::string sex = snake(raw.sex.text);
  if (sex == "all" || sex == "both") reg.sex = sex_eligibility::all;
  if (sex == "female" || sex == "females") reg.sex = sex_eligibility::female;
  if (sex == "male" || sex == "males") reg.sex = sex_eligibility::male;
  if (!sex.empty() && !reg.sex) {
    warn(diags, place, errc::json_schema, "not a known sex value; all sexes assumed",
         raw.sex.pointer);
  }
  if (reg.minimum_age || reg.maximum_age) {
    criterion c;
    c.id = "inc-age";
    if (reg.minimum_age && reg.maximum_age) {
      c.text = "Age from " + age_words(*reg.minimum_age) + " to " + age_words(*reg.maximum_age) +
               " (registry age limits).";
    } else if (reg.minimum_age) {
      c.text = "Age " + age_words(*reg.minimum_age) + " or older (registry minimum age).";
    } else {
      c.text = "Age up to " + age_words(*reg.maximum_age) + " (registry maximum age).";
    }
    t.criteria.push_back(std::move(c));
  }
  if (reg.sex == sex_eligibility::female || reg.sex == sex_eligibility::male) {
    criterion c;
    c.id = "inc-sex";
    c.text = reg.sex == sex_eligibility::female ? "Female participants only (registry sex field)."
                                                : "Male participants only (registry sex field).";
    t.criteria.push_back(std::move(c));
  }

  // Free-text eligibility: split, one criterion per top-level item.
  reg.eligibility_text = std::move(raw.eligibility_text.text);
  reg.eligibility = split_eligibility_text(reg.eligibility_text);
  for (criterion& c : eligibility_criteria(reg.eligibility)) t.criteria.push_back(std::move(c));
  if (options.extract) extract_criteria(t, reg, vocab);
  if (!reg.eligibility.items.empty() && !reg.eligibility.has_sections) {
    warn(diags, place, errc::missing_value,
         "the eligibility text has no inclusion or exclusion headings; every item was imported as "
         "an inclusion criterion",
         raw.eligibility_text.pointer);
  }

  // Interventions, mapped to the drug catalog.
  for (raw_intervention& ri : raw.interventions) {
    registry_intervention ri_out;
    ri_out.type = collapse_space(ri.type);
    ri_out.name = without_type_prefix(ri.name);
    for (const std::string& o : ri.other_names) ri_out.other_names.push_back(collapse_space(o));
    for (const std::string& a : ri.arms) ri_out.arms.push_back(collapse_space(a));
    if (vocab.drugs) {
      std::optional<ctm::drug_id> id = find_drug(*vocab.drugs, ri_out.name);
      for (std::size_t i = 0; !id && i < ri_out.other_names.size(); ++i) {
        id = find_drug(*vocab.drugs, ri_out.other_names[i]);
      }
      if (id) {
        ri_out.drug = vocab.drugs->get(*id).code;
      } else if (is_drug_type(ri_out.type) && !ri_out.name.empty()) {
        warn(diags, place, errc::unknown_code,
             "intervention is not in the drug catalog; kept as written", ri.pointer);
      }
    }
    reg.interventions.push_back(std::move(ri_out));
  }

  // Arms: ids from their labels, made unique; interventions by name.
  std::vector<std::string> used_ids;
  for (raw_arm& ra : raw.arms) {
    arm a;
    a.name = collapse_space(ra.label);
    a.description = collapse_space(ra.description);
    std::string id = slug(a.name);
    std::string unique = id;
    for (int n = 2; std::find(used_ids.begin(), used_ids.end(), unique) != used_ids.end(); ++n) {
      unique = id + "-" + std::to_string(n);
    }
    used_ids.push_back(unique);
    a.id = unique;
    for (const std::string& name : ra.interventions) {
      std::string n = without_type_prefix(name);
      if (!n.empty()) a.interventions.push_back(std::move(n));
    }
    if (a.interventions.empty()) {
      for (const registry_intervention& ri : reg.interventions) {
        if (std::find(ri.arms.begin(), ri.arms.end(), a.name) != ri.arms.end()) {
          a.interventions.push_back(ri.name);
        }
      }
    }
    t.arms.push_back(std::move(a));
  }

  // Sites.
  for (raw_site& rs : raw.sites) {
    site s;
    s.name = collapse_space(rs.name);
    s.city = collapse_space(rs.city);
    s.state = collapse_space(rs.state);
    s.country = collapse_space(rs.country);
    if (s.name.empty()) {
      s.name = s.city.empty() ? s.country : s.city;
      if (s.name.empty()) {
        warn(diags, place, errc::missing_text,
             "a location without facility, city or country; left out", rs.pointer);
        continue;
      }
    }
    s.location = rs.location;
    if (!rs.status.text.empty()) {
      s.recruitment_status = map_status(rs.status.text);
      if (!s.recruitment_status) {
        warn(diags, place, errc::json_schema, "not a known recruitment status; left out",
             rs.status.pointer);
      }
    }
    t.sites.push_back(std::move(s));
  }

  t.source.registry = raw.registry;
  t.source.record = place.file;
  t.source.retrieved = options.retrieved ? options.retrieved : raw.retrieved;
  t.source.last_update = raw.last_update;

  if (options.validate) {
    trial_validate_options vo;
    if (vocab.diseases) {
      const vocab::ontology diseases = *vocab.diseases;
      vo.is_known_disease = [diseases](std::string_view code) {
        return diseases.find(code).has_value();
      };
    }
    for (diagnostic d : validate(t, vo)) {
      d.error.where.file = place.file;
      d.error.where.line = place.line;
      diags.push_back(std::move(d));
    }
  }
  return out;
}

}  // namespace detail

std::string_view to_string(trial_format f) noexcept {
  switch (f) {
    case trial_format::native:
      return "native";
    case trial_format::ctgov_json:
      return "ctgov_json";
    case trial_format::ctgov_xml:
      return "ctgov_xml";
    case trial_format::nci_cts_json:
      return "nci_cts_json";
    case trial_format::trialgpt_json:
      return "trialgpt_json";
    case trial_format::unknown:
      return "unknown";
  }
  return "unknown";
}

result<std::optional<duration>> parse_registry_age(std::string_view text) {
  const std::string s = detail::collapse_space(text);
  std::string l;
  for (char c : s) l += detail::lower(c);
  if (l.empty() || l == "n/a" || l == "na" || l == "none" || l == "no limit") {
    return std::optional<duration>{};
  }
  const ctm::error bad{errc::invalid_duration, "not a registry age such as '18 Years'", {}};
  std::int64_t n = 0;
  const auto [p, ec] = std::from_chars(l.data(), l.data() + l.size(), n);
  if (ec != std::errc{} || n < 0 || n > 100000) return bad;
  std::string unit(std::string_view(l).substr(static_cast<std::size_t>(p - l.data())));
  unit = detail::collapse_space(unit);
  if (!unit.empty() && unit.back() == 's') unit.pop_back();
  const auto count = static_cast<std::int32_t>(n);
  if (unit == "year" || unit == "yr" || unit == "y") {
    if (n >= 120) return std::optional<duration>{};
    return std::optional<duration>{years(count)};
  }
  if (unit == "month" || unit == "mo") return std::optional<duration>{months(count)};
  if (unit == "week" || unit == "wk") return std::optional<duration>{weeks(count)};
  if (unit == "day" || unit == "d") return std::optional<duration>{days(count)};
  if (unit == "hour" || unit == "minute" || unit == "hr" || unit == "min") {
    return std::optional<duration>{days(0)};
  }
  return bad;
}

std::vector<imported_trial_record> read_registry(std::string_view text,
                                                 const registry_options& options) {
  switch (detect_trial_format(text)) {
    case trial_format::ctgov_xml:
      return read_ctgov_xml(text, options);
    case trial_format::ctgov_json:
    case trial_format::nci_cts_json:
    case trial_format::trialgpt_json:
      return read_registry_json(text, options);
    case trial_format::native:
    case trial_format::unknown:
      break;
  }
  std::vector<imported_trial_record> out;
  out.push_back(imported_trial_record{
      0, 0,
      ctm::error{errc::unsupported_format,
                 "not a registry record (ClinicalTrials.gov JSON or XML, NCI CTS or TrialGPT JSON)",
                 {options.source_name, 0, 0, ""}}});
  return out;
}

namespace {

bool is_trial_file(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".json" || ext == ".jsonl" || ext == ".ndjson" || ext == ".xml";
}

void read_one_file(const std::filesystem::path& file, const registry_options& options,
                   std::vector<trial_record>& out) {
  const std::string name = file.string();
  auto read = detail::read_input_file(file, options.max_bytes);
  if (!read) {
    out.push_back(trial_record{out.size(), 0, read.error()});
    return;
  }
  const std::string text = std::move(*read);
  registry_options named = options;
  named.source_name = name;
  if (detect_trial_format(text) == trial_format::native) {
    trial_read_options native;
    native.source_name = name;
    native.validate = options.validate;
    native.max_bytes = options.max_bytes;
    for (trial_record& r : read_trials(text, native)) {
      r.index = out.size();
      out.push_back(std::move(r));
    }
    return;
  }
  for (imported_trial_record& r : read_registry(text, named)) {
    if (r.trial) {
      out.push_back(trial_record{out.size(), r.line, std::move(r.trial->document)});
    } else {
      out.push_back(trial_record{out.size(), r.line, r.trial.error()});
    }
  }
}

}  // namespace

std::vector<trial_record> read_trials_any(const std::filesystem::path& path,
                                          const registry_options& options) {
  std::vector<trial_record> out;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    std::vector<std::filesystem::path> files;
    for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && is_trial_file(it->path())) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) read_one_file(f, options, out);
    return out;
  }
  if (!std::filesystem::exists(path, ec)) {
    out.push_back(trial_record{
        0, 0, ctm::error{errc::io_open_failed, "cannot open the file", {path.string(), 0, 0, ""}}});
    return out;
  }
  read_one_file(path, options, out);
  return out;
}

}  // namespace ctm::io
