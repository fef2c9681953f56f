// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "history/fact_notes.hpp"

#include <ctm/history/response.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>
#include <string>
#include <utility>

namespace ctm::history {

namespace {

struct category_names {
  response value;
  std::string_view name;
  std::string_view abbreviation;
};

constexpr std::array<category_names, 13> names{{
    {response::not_evaluable, "not_evaluable", "NE"},
    {response::progressive_disease, "progressive_disease", "PD"},
    {response::no_response, "no_response", "NR"},
    {response::non_cr_non_pd, "non_cr_non_pd", "NON-CR/NON-PD"},
    {response::stable_disease, "stable_disease", "SD"},
    {response::minimal_response, "minimal_response", "MR"},
    {response::partial_response, "partial_response", "PR"},
    {response::very_good_partial_response, "very_good_partial_response", "VGPR"},
    {response::morphologic_leukaemia_free_state, "morphologic_leukaemia_free_state", "MLFS"},
    {response::complete_response_incomplete_recovery, "complete_response_incomplete_recovery",
     "CRi"},
    {response::complete_response_partial_recovery, "complete_response_partial_recovery", "CRh"},
    {response::complete_response, "complete_response", "CR"},
    {response::stringent_complete_response, "stringent_complete_response", "sCR"},
}};

// Upper-case letters and digits only: "Non-CR / non-PD" -> "NONCRNONPD", "PR-L" -> "PRL".
std::string key_of(std::string_view text) {
  std::string key;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0) key += static_cast<char>(std::toupper(u));
  }
  return key;
}

using entry = std::pair<std::string_view, response>;

std::optional<response> look_up(std::string_view key, std::initializer_list<entry> table) {
  for (const auto& [k, r] : table) {
    if (k == key) return r;
  }
  return std::nullopt;
}

// Spellings every system shares (CDISC terms; "remission" is a synonym of "response" for the
// haematological criteria, domain 1.12).
std::optional<response> common(std::string_view key) {
  return look_up(key, {{"NE", response::not_evaluable},
                       {"NOTEVALUABLE", response::not_evaluable},
                       {"NOTEVALUATED", response::not_evaluable},
                       {"PD", response::progressive_disease},
                       {"PROGRESSIVEDISEASE", response::progressive_disease},
                       {"PROGRESSION", response::progressive_disease},
                       {"SD", response::stable_disease},
                       {"STABLEDISEASE", response::stable_disease},
                       {"PR", response::partial_response},
                       {"PARTIALRESPONSE", response::partial_response},
                       {"PARTIALREMISSION", response::partial_response},
                       {"CR", response::complete_response},
                       {"COMPLETERESPONSE", response::complete_response},
                       {"COMPLETEREMISSION", response::complete_response}});
}

std::optional<response> normalise_key(response_system system, std::string_view key) {
  switch (system) {
    case response_system::recist:
      if (auto r = look_up(
              key, {{"NONCRNONPD", response::non_cr_non_pd}, {"NN", response::non_cr_non_pd}})) {
        return r;
      }
      return common(key);
    case response_system::irecist:
      return look_up(key, {{"ICR", response::complete_response},
                           {"IPR", response::partial_response},
                           {"ISD", response::stable_disease},
                           {"INONCRNONPD", response::non_cr_non_pd},
                           {"INN", response::non_cr_non_pd},
                           {"ICPD", response::progressive_disease},
                           {"IUPD", response::not_evaluable},
                           {"NE", response::not_evaluable}});
    case response_system::imwg:
      if (auto r =
              look_up(key, {{"SCR", response::stringent_complete_response},
                            {"STRINGENTCOMPLETERESPONSE", response::stringent_complete_response},
                            {"VGPR", response::very_good_partial_response},
                            {"VERYGOODPARTIALRESPONSE", response::very_good_partial_response},
                            {"MR", response::minimal_response},
                            {"MINIMALRESPONSE", response::minimal_response}})) {
        return r;
      }
      return common(key);
    case response_system::lugano:
      if (auto r = look_up(key, {{"CMR", response::complete_response},
                                 {"COMPLETEMETABOLICRESPONSE", response::complete_response},
                                 {"PMR", response::partial_response},
                                 {"PARTIALMETABOLICRESPONSE", response::partial_response},
                                 {"NMR", response::stable_disease},
                                 {"NOMETABOLICRESPONSE", response::stable_disease},
                                 {"PMD", response::progressive_disease},
                                 {"PROGRESSIVEMETABOLICDISEASE", response::progressive_disease}})) {
        return r;
      }
      return common(key);
    case response_system::iwcll:
      if (auto r = look_up(key, {{"CRI", response::complete_response_incomplete_recovery},
                                 {"PRL", response::partial_response},
                                 {"NPR", response::partial_response}})) {
        return r;
      }
      return common(key);
    case response_system::eln:
      if (auto r = look_up(key, {{"CRMRDNEGATIVE", response::complete_response},
                                 {"CRMRD", response::complete_response},
                                 {"CRH", response::complete_response_partial_recovery},
                                 {"CRI", response::complete_response_incomplete_recovery},
                                 {"MLFS", response::morphologic_leukaemia_free_state},
                                 {"RELAPSE", response::progressive_disease},
                                 {"HEMATOLOGICRELAPSE", response::progressive_disease},
                                 {"REFRACTORY", response::no_response},
                                 {"PRIMARYREFRACTORY", response::no_response},
                                 {"RESISTANTDISEASE", response::no_response},
                                 {"RD", response::no_response},
                                 {"TREATMENTFAILURE", response::no_response}})) {
        return r;
      }
      return common(key);
    case response_system::rano:
      if (auto r = look_up(key, {{"MR", response::minimal_response},
                                 {"MINORRESPONSE", response::minimal_response}})) {
        return r;
      }
      return common(key);
    case response_system::other:
      return common(key);
    case response_system::pcwg3:
      // PCWG3 (Scher 2016) reports PSA and radiographic outcomes separately; both kinds of
      // progression are progressive disease. PSA declines are not mapped onto the anatomical scale.
      return look_up(key, {{"PD", response::progressive_disease},
                           {"PSAPROGRESSION", response::progressive_disease},
                           {"RADIOGRAPHICPROGRESSION", response::progressive_disease},
                           {"RADIOLOGICALPROGRESSION", response::progressive_disease},
                           {"PROGRESSION", response::progressive_disease}});
    case response_system::gcig:
      // GCIG (Rustin 2011): CA-125 progression is progression; a CA-125 response is a marker
      // response, not an anatomical one, so it is not mapped.
      return look_up(key, {{"PD", response::progressive_disease},
                           {"CA125PROGRESSION", response::progressive_disease},
                           {"PROGRESSION", response::progressive_disease}});
  }
  return std::nullopt;
}

struct candidate {
  response value = response::not_evaluable;
  partial_date date;
  response_system system = response_system::other;
  std::vector<std::string> records;
  bool certain = true;
};

}  // namespace

std::string_view to_string(response r) noexcept {
  for (const auto& n : names) {
    if (n.value == r) return n.name;
  }
  return "not_evaluable";
}

std::string_view abbreviation(response r) noexcept {
  for (const auto& n : names) {
    if (n.value == r) return n.abbreviation;
  }
  return "NE";
}

std::optional<response> parse_response(std::string_view text) noexcept {
  for (const auto& n : names) {
    if (n.name == text) return n.value;
  }
  return std::nullopt;
}

truth contains(const date_window& window, const partial_date& d) noexcept {
  truth inside = truth::yes;
  if (window.start) {
    inside = all_of(inside, is_on_or_before(partial_date::exact(*window.start), d));
  }
  if (window.end) inside = all_of(inside, is_before(d, partial_date::exact(*window.end)));
  return inside;
}

std::optional<response> normalise(response_system system, std::string_view category) {
  const std::string key = key_of(category);
  if (key.empty()) return std::nullopt;
  return normalise_key(system, key);
}

std::optional<response> normalise(const disease_assessment& a, const response_options& options,
                                  std::vector<diagnostic>* notes, std::string_view where) {
  std::vector<diagnostic> scratch;
  std::vector<diagnostic>& out = notes != nullptr ? *notes : scratch;
  const std::string base(where);
  std::optional<int> deauville;
  if (a.deauville) {
    if (*a.deauville >= 1 && *a.deauville <= 5) {
      deauville = *a.deauville;
    } else {
      detail::add_note(out, severity::error, errc::invalid_value,
                       "a Deauville score must be 1-5; the score is ignored", base + "/deauville");
    }
  }
  const bool lugano = a.system == response_system::lugano;
  if (!a.category.empty()) {
    std::optional<response> r = normalise(a.system, a.category);
    if (!r) {
      detail::add_note(out, severity::warning, errc::unknown_code,
                       "the category is not one " + std::string(ctm::to_string(a.system)) +
                           " defines; the assessment is ignored",
                       base + "/category");
      return std::nullopt;
    }
    if (lugano && deauville && *r == response::complete_response) {
      if (*deauville >= 4) {
        detail::add_note(out, severity::warning, errc::invalid_value,
                         "a complete metabolic response with a Deauville score of 4-5 is "
                         "contradictory; the recorded category is used",
                         base + "/deauville");
      } else if (*deauville == 3 && !options.deauville3_is_cmr) {
        detail::add_note(out, severity::warning, errc::invalid_value,
                         "Deauville 3 is not a complete metabolic response under the option "
                         "deauville3_is_cmr = false; counted as a partial metabolic response",
                         base + "/deauville");
        return response::partial_response;
      }
    }
    return r;
  }
  if (lugano && deauville) {
    if (*deauville <= 2 || (*deauville == 3 && options.deauville3_is_cmr)) {
      return response::complete_response;
    }
    if (*deauville == 3) return response::partial_response;
    detail::add_note(out, severity::warning, errc::missing_value,
                     "a Deauville score of 4-5 without a category needs the comparison with "
                     "baseline; the assessment is ignored",
                     base + "/category");
    return std::nullopt;
  }
  detail::add_note(out, severity::warning, errc::missing_value,
                   "the assessment records no response category; it is ignored",
                   base + "/category");
  return std::nullopt;
}

/// Best response in a window (domain definitions 1.8 for RECIST, 2.2-2.6 for the recorded
/// haematological categories); see the header for the sources and rules.
response_fact best_response(const patient& p, const date_window& window,
                            const response_options& options) {
  response_fact fact;
  fact.source.rule = "history.best_response";
  std::vector<candidate> candidates;

  const auto consider = [&](candidate c, const partial_date& d, const std::string& pointer) {
    const truth in = contains(window, d);
    if (is_no(in)) return;
    if (is_unknown(in)) {
      detail::add_note(fact.notes, severity::warning, errc::inconsistent_dates,
                       "the assessment date is not precise enough to tell whether it falls in the "
                       "window",
                       pointer + "/date");
      c.certain = false;
    }
    c.date = d;
    candidates.push_back(std::move(c));
  };

  for (std::size_t i = 0; i < p.disease_assessments.size(); ++i) {
    const disease_assessment& a = p.disease_assessments[i];
    const std::string pointer = detail::pointer_to("disease_assessments", i);
    if (!a.date) {
      detail::add_note(fact.notes, severity::error, errc::missing_value,
                       "a disease assessment without a date is ignored", pointer + "/date");
      continue;
    }
    if (!is_no(contains(window, *a.date))) {
      const auto r = normalise(a, options, &fact.notes, pointer);
      if (!r) continue;
      consider(candidate{*r, *a.date, a.system, {pointer}, true}, *a.date, pointer);
    }
  }

  // Tumour assessments without lesions are reader summaries: their recorded response is a RECIST
  // category. Those with lesions go through the RECIST derivation.
  bool any_lesions = false;
  for (std::size_t i = 0; i < p.tumour_assessments.size(); ++i) {
    const tumour_assessment& a = p.tumour_assessments[i];
    if (!a.lesions.empty()) {
      any_lesions = true;
      continue;
    }
    if (a.response.empty()) continue;
    const std::string pointer = detail::pointer_to("tumour_assessments", i);
    if (!a.date) {
      detail::add_note(fact.notes, severity::error, errc::missing_value,
                       "a tumour assessment without a date is ignored", pointer + "/date");
      continue;
    }
    if (is_no(contains(window, *a.date))) continue;
    const auto r = normalise(response_system::recist, a.response);
    if (!r) {
      detail::add_note(fact.notes, severity::warning, errc::unknown_code,
                       "the recorded response is not a RECIST 1.1 category; it is ignored",
                       pointer + "/response");
      continue;
    }
    consider(candidate{*r, *a.date, response_system::recist, {pointer}, true}, *a.date, pointer);
  }
  if (any_lesions) {
    recist_result derived = assess(p.tumour_assessments, options.recist, window);
    fact.notes.insert(fact.notes.end(), derived.notes.begin(), derived.notes.end());
    for (const recist_timepoint& t : derived.timepoints) {
      if (t.baseline) continue;
      const std::string& recorded = p.tumour_assessments[t.assessment].response;
      if (recorded.empty()) continue;
      const auto r = normalise(response_system::recist, recorded);
      if (r && *r != t.overall) {
        detail::add_note(fact.notes, severity::warning, errc::invalid_value,
                         "the recorded overall response differs from the RECIST 1.1 derivation "
                         "from the lesions; the derivation is used",
                         detail::pointer_to("tumour_assessments", t.assessment, "response"));
      }
    }
    const bool has_follow_up = std::any_of(derived.timepoints.begin(), derived.timepoints.end(),
                                           [](const recist_timepoint& t) { return !t.baseline; });
    if (has_follow_up) {
      best_overall bor = best_overall_response(derived, window, options.recist);
      candidate c{bor.value, partial_date{}, response_system::recist, bor.source.records, true};
      const date when = bor.date ? *bor.date : derived.timepoints.front().date;
      c.date = partial_date::exact(when);
      candidates.push_back(std::move(c));
    }
  }

  if (candidates.empty()) {
    fact.source.reason = "no response assessment in the window";
    return fact;
  }
  // The best; ties go to the earliest assessment.
  const auto better = [](const candidate& a, const candidate& b) {
    if (a.value != b.value) return a.value > b.value;
    return std::chrono::sys_days{a.date.earliest} < std::chrono::sys_days{b.date.earliest};
  };
  const candidate* best_certain = nullptr;
  const candidate* best_any = nullptr;
  for (const candidate& c : candidates) {
    if (best_any == nullptr || better(c, *best_any)) best_any = &c;
    if (c.certain && (best_certain == nullptr || better(c, *best_certain))) best_certain = &c;
  }
  fact.highest = best_any->value;
  if (best_certain != nullptr) fact.lowest = best_certain->value;
  if (best_certain != nullptr && best_certain->value == best_any->value) {
    fact.value = best_certain->value;
    fact.date = best_certain->date;
    fact.system = best_certain->system;
    fact.source.records = best_certain->records;
    fact.source.reason =
        "best of " + std::to_string(candidates.size()) +
        " response source(s) in the window: " + std::string(abbreviation(best_certain->value)) +
        " (" + std::string(ctm::to_string(best_certain->system)) + ")";
    return fact;
  }
  fact.source.records = best_any->records;
  fact.source.reason =
      "unknown: an assessment whose date may fall outside the window would change the best "
      "response";
  return fact;
}

}  // namespace ctm::history
