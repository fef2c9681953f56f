// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The questions eligibility rules ask of the derived facts.
#include "history/derive_detail.hpp"

#include <ctm/history/facts.hpp>

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

namespace ctm::history {
namespace {

bool same_text(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

/// Whether the agent is `target` or belongs to the class `target`.
bool belongs(const patient_facts& f, const agent_status& a, drug_id target) {
  if (!a.is_resolved()) return false;
  if (a.id == target) return true;
  if (!f.catalog || a.id.value >= f.catalog->size() || target.value >= f.catalog->size()) {
    return false;
  }
  return f.catalog->is_a(a.id, target);
}

/// The name of a drug or class for reasons: its catalog code.
std::string code_of(const patient_facts& f, drug_id id) {
  if (f.catalog && id.value < f.catalog->size()) return f.catalog->get(id).code;
  return "the requested drug";
}

/// Combines one fact over every agent that is the drug or belongs to the class.
template <class Get>
finding over_members(const patient_facts& f, drug_id target, std::string_view rule, Get get,
                     std::string_view none) {
  finding out;
  out.value = truth::no;
  out.source.rule = std::string(rule);
  const agent_status* decisive = nullptr;
  for (const auto& a : f.agents) {
    if (!belongs(f, a, target)) continue;
    const finding& x = get(a);
    const truth before = out.value;
    out.value = any_of(out.value, x.value);
    if (!decisive || out.value != before) decisive = &a;
    if (x.value != truth::no) {
      out.source.records.insert(out.source.records.end(), x.source.records.begin(),
                                x.source.records.end());
    }
    if (out.preset.empty()) out.preset = x.preset;
  }
  if (!decisive) {
    out.source.reason = std::string(none);
    return out;
  }
  const finding& d = get(*decisive);
  out.source.reason = decisive->code + ": " + d.source.reason;
  std::sort(out.source.records.begin(), out.source.records.end());
  out.source.records.erase(std::unique(out.source.records.begin(), out.source.records.end()),
                           out.source.records.end());
  return out;
}

finding answer(truth value, std::string_view rule, std::string reason) {
  return make_finding(value, rule, std::move(reason));
}

}  // namespace

const agent_status* patient_facts::agent(drug_id id) const noexcept {
  for (const auto& a : agents) {
    if (a.id == id && a.is_resolved()) return &a;
  }
  return nullptr;
}

const agent_status* patient_facts::agent(std::string_view code) const noexcept {
  for (const auto& a : agents) {
    if (same_text(a.code, code) || same_text(a.name, code)) return &a;
  }
  return nullptr;
}

finding patient_facts::exposed(drug_id target, const exposure_requirement& requirement) const {
  const std::string what = code_of(*this, target);
  finding f = over_members(
      *this, target, "exposed", [](const agent_status& a) -> const finding& { return a.exposed; },
      "no dose of " + what + " recorded");
  if (f.value != truth::yes || (!requirement.min_cycles && !requirement.min_duration)) return f;
  truth met = truth::no;
  for (const auto& a : agents) {
    if (!belongs(*this, a, target) || !a.exposed.is_yes()) continue;
    truth ok = truth::yes;
    if (requirement.min_cycles) {
      ok = all_of(ok, a.cycles ? to_truth(*a.cycles >= *requirement.min_cycles) : truth::unknown);
    }
    if (requirement.min_duration) {
      ok = all_of(ok, a.first_dose && a.last_dose
                          ? is_on_or_before(detail::shift(*a.first_dose, *requirement.min_duration),
                                            *a.last_dose)
                          : truth::unknown);
    }
    met = any_of(met, ok);
  }
  f.value = met;
  f.source.rule = "exposed.minimum";
  f.source.reason = met == truth::yes ? "exposure meets the minimum cycles or duration"
                    : met == truth::no
                        ? "exposure below the minimum cycles or duration"
                        : "the cycles or dates needed to check the minimum are not recorded";
  return f;
}

finding patient_facts::refractory(drug_id target) const {
  return over_members(
      *this, target, "refractory",
      [](const agent_status& a) -> const finding& { return a.refractory; },
      "never exposed to " + code_of(*this, target));
}

finding patient_facts::intolerant(drug_id target) const {
  return over_members(
      *this, target, "intolerant",
      [](const agent_status& a) -> const finding& { return a.intolerant; },
      "never exposed to " + code_of(*this, target));
}

finding patient_facts::progressed_on(drug_id target) const {
  return over_members(
      *this, target, "progressed_on_or_after",
      [](const agent_status& a) -> const finding& { return a.progressed_on; },
      "never exposed to " + code_of(*this, target));
}

finding patient_facts::acquired_resistance(drug_id target) const {
  return over_members(
      *this, target, "acquired_resistance",
      [](const agent_status& a) -> const finding& { return a.acquired_resistance; },
      "never exposed to " + code_of(*this, target));
}

const line_of_therapy* patient_facts::line(std::int32_t number) const noexcept {
  if (number < 1 || static_cast<std::size_t>(number) > lines.size()) return nullptr;
  return &lines[static_cast<std::size_t>(number - 1)];
}

const line_status* patient_facts::status_of_line(std::int32_t number) const noexcept {
  if (number < 1 || static_cast<std::size_t>(number) > line_statuses.size()) return nullptr;
  return &line_statuses[static_cast<std::size_t>(number - 1)];
}

count_range patient_facts::count_lines(line_scope scope,
                                       std::optional<duration> adjuvant_window) const {
  if (!adjuvant_window) adjuvant_window = adjuvant_relapse_window;
  count_range r;
  for (const auto& l : lines) {
    truth counts = truth::yes;
    if (scope == line_scope::advanced) {
      counts = l.advanced;
      if (counts == truth::no && adjuvant_window && l.relapse && !l.ongoing) {
        counts = is_on_or_before(*l.relapse, detail::shift(l.end, *adjuvant_window));
      }
    } else if (scope == line_scope::early) {
      counts = negate(l.advanced);
    }
    if (counts == truth::yes) ++r.min;
    if (counts != truth::no) r.max += 1 + l.uncertain_splits;
  }
  if (scope != line_scope::early) r.max += unresolved_drug_episodes;
  return r;
}

finding patient_facts::at_least_lines(std::int32_t n, line_scope scope,
                                      std::optional<duration> adjuvant_window) const {
  const count_range r = count_lines(scope, adjuvant_window);
  const truth t = r.min >= n ? truth::yes : r.max < n ? truth::no : truth::unknown;
  finding f =
      answer(t, "lines_of_therapy.count",
             std::string("lines of therapy in scope '") + std::string(to_string(scope)) +
                 "' against the minimum" +
                 (r.is_exact() ? "" : "; partial dates or unknown drugs leave the count open"));
  f.preset = lines_preset;
  for (const auto& l : lines)
    f.source.records.insert(f.source.records.end(), l.source.records.begin(),
                            l.source.records.end());
  return f;
}

std::optional<response> patient_facts::best_response(std::int32_t number) const {
  const line_of_therapy* l = line(number);
  if (!l || !l->best_response.value) return std::nullopt;
  return l->best_response.value;
}

const finding* patient_facts::fact(std::string_view name) const noexcept {
  for (const auto& f : disease_facts) {
    if (f.name == name) return &f.fact;
  }
  return nullptr;
}

finding patient_facts::fact_or_unknown(std::string_view name) const {
  if (const finding* f = fact(name)) return *f;
  return answer(truth::unknown, name,
                "not derived for this patient: the definition belongs to another disease (" +
                    std::string(to_string(disease)) + " rules applied)");
}

time_since_fact patient_facts::last_dose(drug_id target) const {
  time_since_fact t;
  t.source.rule = "time_since.last_dose";
  for (const auto& a : agents) {
    if (!belongs(*this, a, target) || !a.last_dose) continue;
    t.date = t.date ? detail::later_of(*t.date, *a.last_dose) : *a.last_dose;
    t.ongoing = t.ongoing || a.ongoing;
    t.source.records.insert(t.source.records.end(), a.records.begin(), a.records.end());
  }
  t.source.reason = !t.date     ? "no dated dose recorded"
                    : t.ongoing ? "still given on the as-of date"
                                : "the latest recorded dose";
  return t;
}

const lab_fact* patient_facts::lab(analyte_id analyte) const noexcept {
  for (const auto& l : labs) {
    if (l.analyte == analyte) return &l;
  }
  return nullptr;
}

performance_answer patient_facts::ecog_at_most(std::int32_t n) const {
  if (n >= 0 && static_cast<std::size_t>(n) < ecog.size()) return ecog[static_cast<std::size_t>(n)];
  performance_answer a;
  a.source.rule = "ecog_at_most";
  a.source.reason = "ECOG thresholds are 0 to 5";
  return a;
}

}  // namespace ctm::history
