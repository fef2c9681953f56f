// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "history/derive_detail.hpp"

#include <ctm/history/derive.hpp>
#include <ctm/history/recist.hpp>

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

namespace ctm::history {
namespace detail {

std::string describe(const partial_date& d) {
  const partial_date as_written = [&] {
    switch (d.precision) {
      case date_precision::day:
        return partial_date::exact(d.earliest);
      case date_precision::month:
        return partial_date::of_month(d.earliest.year(), d.earliest.month());
      case date_precision::year:
        break;
    }
    return partial_date::of_year(d.earliest.year());
  }();
  if (as_written == d) return ctm::to_string(d);
  return "between " + ctm::to_string(d.earliest) + " and " + ctm::to_string(d.latest);
}

std::string pointer(std::string_view list, std::size_t index) {
  std::string out = "/";
  out += list;
  out += '/';
  out += std::to_string(index);
  return out;
}

void note(std::vector<diagnostic>& notes, severity level, errc code, std::string message,
          std::string where) {
  for (const auto& n : notes) {
    if (n.error.code == code && n.error.where.pointer == where) return;
  }
  notes.push_back(
      diagnostic{level, error{code, std::move(message), location{{}, 0, 0, std::move(where)}}});
}

bool agent_matches(const context& cx, std::uint32_t agent, std::string_view code) {
  const agent_status& a = cx.out.agents[agent];
  if (!a.is_resolved() || !cx.vocab.drugs) return a.code == code;
  const auto target = cx.vocab.drugs->find_code(code);
  return target && cx.vocab.drugs->is_a(a.id, *target);
}

bool agent_matches_any(const context& cx, std::uint32_t agent,
                       const std::vector<std::string>& codes) {
  return std::any_of(codes.begin(), codes.end(),
                     [&](const std::string& c) { return agent_matches(cx, agent, c); });
}

namespace {

/// Lower-case ASCII, runs of anything else than letters and digits as one space, trimmed.
std::string name_key(std::string_view text) {
  std::string out;
  bool space = false;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c >= 0x80) {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += static_cast<char>(std::tolower(c));
    } else {
      space = true;
    }
  }
  return out;
}

/// The agent for a drug as written: found in the catalog, or an unknown agent keyed by its name.
std::uint32_t agent_for(context& cx, const drug& d, const std::string& where, bool& resolved) {
  std::optional<drug_id> id;
  if (cx.vocab.drugs) {
    if (!d.name.empty()) id = cx.vocab.drugs->find(d.name);
    if (!id && !d.rxnorm.empty()) id = cx.vocab.drugs->find_by_rxnorm(d.rxnorm);
  }
  resolved = id.has_value();
  auto& agents = cx.out.agents;
  if (id) {
    for (std::uint32_t i = 0; i < agents.size(); ++i) {
      if (agents[i].id == *id) return i;
    }
    const auto& entry = cx.vocab.drugs->get(*id);
    agent_status a;
    a.id = *id;
    a.code = entry.code;
    a.name = entry.name;
    a.anticancer = cx.vocab.drugs->is_anticancer(*id);
    a.supportive = cx.vocab.drugs->is_supportive(*id);
    agents.push_back(std::move(a));
    return static_cast<std::uint32_t>(agents.size() - 1);
  }
  std::string key = name_key(d.name.empty() ? d.rxnorm : d.name);
  if (key.empty()) key = "unnamed drug";
  for (std::uint32_t i = 0; i < agents.size(); ++i) {
    if (!agents[i].is_resolved() && agents[i].code == key) return i;
  }
  agent_status a;
  a.code = key;
  a.name = d.name.empty() ? key : d.name;
  agents.push_back(std::move(a));
  note(cx.out.notes, severity::warning, errc::unknown_code,
       "drug not in the drug catalog: kept as an unknown agent; it builds no line of therapy and "
       "class questions ignore it",
       where);
  return static_cast<std::uint32_t>(agents.size() - 1);
}

}  // namespace

void resolve_agents(context& cx) {
  const date as_of = cx.as_of;
  const partial_date today = partial_date::exact(as_of);
  for (std::size_t i = 0; i < cx.p.treatments.size(); ++i) {
    const auto& t = cx.p.treatments[i];
    const std::string where = pointer("treatments", i);
    if (t.start && as_of < t.start->earliest) {
      note(cx.out.notes, severity::warning, errc::ignored_record,
           "treatment starts after the as-of date: ignored", where + "/start");
      continue;
    }
    bool resolved = false;
    const std::uint32_t agent = agent_for(cx, t.drug, where + "/drug", resolved);
    cx.out.agents[agent].records.push_back(where);
    if (!t.start) {
      note(cx.out.notes, severity::warning, errc::ignored_record,
           "treatment without a start date: counted as exposure, placed in no line of therapy",
           where + "/start");
      continue;
    }
    administration a;
    a.agent = agent;
    a.record = where;
    a.start = *t.start;
    if (as_of < a.start.latest) a.start = span_of(a.start.earliest, as_of);
    a.setting = t.setting;
    a.stopped = t.stop_reason;
    a.cycles = t.cycles;
    a.regimen = t.regimen;
    const agent_status& ag = cx.out.agents[agent];
    a.builds_lines = ag.is_resolved() ? ag.anticancer : cx.lot.unknown_agents_build_lines;
    if (t.end) {
      if (t.end->latest < a.start.earliest) {
        note(cx.out.notes, severity::warning, errc::ignored_record,
             "treatment ends before it starts: end date ignored, last dose taken as the start",
             where + "/end");
        a.end = a.start;
        a.end_recorded = true;
      } else if (as_of < t.end->earliest) {
        a.end = today;  // still running on the as-of date
        a.ongoing = true;
      } else {
        a.end = *t.end;
        if (as_of < a.end.latest) a.end = span_of(a.end.earliest, as_of);
        a.end_recorded = true;
      }
    } else if (t.stop_reason) {
      a.end = span_of(a.start.earliest, as_of);
      note(cx.out.notes, severity::warning, errc::missing_value,
           "treatment stopped without an end date: its last dose is only known to lie between "
           "its start and the as-of date",
           where + "/end");
    } else {
      a.end = today;
      a.ongoing = true;
    }
    cx.admins.push_back(std::move(a));
  }
  for (std::size_t i = 0; i < cx.p.procedures.size(); ++i) {
    const auto& pr = cx.p.procedures[i];
    const std::string where = pointer("procedures", i);
    if (!pr.start || as_of < pr.start->earliest) continue;
    if (pr.kind == procedure_kind::autologous_transplant) cx.transplants.push_back(*pr.start);
    if (pr.kind != procedure_kind::car_t_infusion) continue;
    bool resolved = false;
    std::uint32_t agent = 0;
    if (pr.product) {
      agent = agent_for(cx, *pr.product, where + "/product", resolved);
    } else {
      agent = agent_for(cx, drug{"car_t", ""}, where + "/product", resolved);
    }
    cx.out.agents[agent].records.push_back(where);
    administration a;
    a.agent = agent;
    a.record = where;
    a.start = *pr.start;
    a.end = *pr.start;
    a.end_recorded = true;
    a.setting = pr.setting;
    a.stopped = stop_reason::completed;
    a.cycles = 1;
    const agent_status& ag = cx.out.agents[agent];
    // A cell therapy is anticancer therapy whether or not the catalog knows the product.
    a.builds_lines = ag.is_resolved() ? ag.anticancer : true;
    cx.admins.push_back(std::move(a));
  }
  std::stable_sort(cx.admins.begin(), cx.admins.end(),
                   [](const administration& x, const administration& y) {
                     return starts_before(x.start, y.start);
                   });
  std::sort(cx.transplants.begin(), cx.transplants.end(), starts_before);
}

void collect_progressions(context& cx) {
  const date as_of = cx.as_of;
  auto add = [&](partial_date d, std::string record, std::optional<progression_basis> basis,
                 bool event) {
    if (as_of < d.earliest) return;
    if (as_of < d.latest) d = span_of(d.earliest, as_of);
    cx.progressions.push_back(progression_point{d, std::move(record), basis, event});
  };
  for (std::size_t i = 0; i < cx.p.progressions.size(); ++i) {
    const auto& e = cx.p.progressions[i];
    if (!e.date) {
      note(cx.out.notes, severity::warning, errc::ignored_record,
           "progression without a date: ignored", pointer("progressions", i) + "/date");
      continue;
    }
    add(*e.date, pointer("progressions", i), e.basis, true);
  }
  auto& responses = cx.out.responses;
  for (std::size_t i = 0; i < cx.p.disease_assessments.size(); ++i) {
    const auto& a = cx.p.disease_assessments[i];
    if (a.date && as_of < a.date->earliest) continue;
    response_observation o;
    o.date = a.date;
    o.system = a.system;
    o.category = a.category;
    o.record = pointer("disease_assessments", i);
    std::vector<diagnostic> ignored;
    o.value = normalise(a, cx.options.responses, &ignored, o.record);
    if (a.date && o.value == response::progressive_disease) add(*a.date, o.record, {}, false);
    responses.push_back(std::move(o));
  }
  for (std::size_t i = 0; i < cx.p.tumour_assessments.size(); ++i) {
    const auto& a = cx.p.tumour_assessments[i];
    if (a.date && as_of < a.date->earliest) continue;
    if (a.response.empty()) continue;
    response_observation o;
    o.date = a.date;
    o.system = response_system::recist;
    o.category = a.response;
    o.record = pointer("tumour_assessments", i);
    o.value = normalise(response_system::recist, a.response);
    // With lesions recorded, the RECIST derivation below decides progression (as it decides the
    // best response, response.cpp); the recorded overall response counts only without them.
    if (a.date && o.value == response::progressive_disease && a.lesions.empty()) {
      add(*a.date, o.record, progression_basis::radiographic, false);
    }
    responses.push_back(std::move(o));
  }
  // RECIST 1.1 progression measured from the lesions (target growth, unequivocal non-target
  // progression, new lesions; domain definitions 1.4-1.6) is a progression even when nobody
  // recorded an overall response or a progression event.
  const bool any_lesions =
      std::any_of(cx.p.tumour_assessments.begin(), cx.p.tumour_assessments.end(),
                  [](const tumour_assessment& a) { return !a.lesions.empty(); });
  if (any_lesions) {
    const recist_result measured = assess(cx.p.tumour_assessments, cx.options.responses.recist,
                                          date_window{std::nullopt, add_days(as_of, 1)});
    for (const recist_timepoint& t : measured.timepoints) {
      if (t.baseline || t.overall != response::progressive_disease) continue;
      add(partial_date::exact(t.date), pointer("tumour_assessments", t.assessment),
          progression_basis::radiographic, false);
    }
  }
  std::stable_sort(responses.begin(), responses.end(),
                   [](const response_observation& x, const response_observation& y) {
                     if (!x.date || !y.date) return x.date.has_value() && !y.date.has_value();
                     return starts_before(*x.date, *y.date);
                   });
  // Events first, so a recorded event wins over an assessment of the same day.
  std::stable_sort(cx.progressions.begin(), cx.progressions.end(),
                   [](const progression_point& x, const progression_point& y) {
                     if (x.date != y.date) return starts_before(x.date, y.date);
                     return x.from_event && !y.from_event;
                   });
  std::vector<progression_point> unique;
  for (auto& pt : cx.progressions) {
    if (!unique.empty() && unique.back().date == pt.date) {
      if (!unique.back().basis) unique.back().basis = pt.basis;
      continue;
    }
    unique.push_back(std::move(pt));
  }
  cx.progressions = std::move(unique);
}

namespace {

void derive_labs(context& cx) {
  if (!cx.vocab.labs) return;
  const auto& catalog = *cx.vocab.labs;
  // Each result is looked up in the catalogue once, for every analyte (and every later query).
  cx.out.lab_results = lab_resolution(cx.p, catalog);
  for (const analyte_id id : cx.out.lab_results.analytes()) {
    lab_fact f = latest_lab(cx.p, cx.out.lab_results, id, catalog, cx.as_of, cx.options.labs);
    for (const auto& n : f.notes) {
      note(cx.out.notes, n.severity, n.error.code, n.error.message, n.error.where.pointer);
    }
    cx.out.labs.push_back(std::move(f));
  }
}

void derive_performance(context& cx) {
  for (int n = 0; n <= 5; ++n) {
    performance_answer a = ecog_at_most(cx.p, n, cx.as_of, cx.options.performance);
    if (n == 5) {
      for (const auto& d : a.notes) {
        note(cx.out.notes, d.severity, d.error.code, d.error.message, d.error.where.pointer);
      }
    }
    cx.out.ecog.push_back(std::move(a));
  }
}

/// Recognises the disease whose rules apply from the primary diagnoses.
disease_family recognise_disease(const context& cx) {
  struct family_codes {
    disease_family family;
    std::vector<std::string_view> oncotree;
    std::vector<std::string_view> icd10;
  };
  static const std::vector<family_codes> table = {
      {disease_family::myeloma, {"PCM"}, {"C90.0"}},
      {disease_family::large_b_cell_lymphoma,
       {"DLBCLNOS", "DLBCLCI", "PMBL", "THRLBCL", "LBLIRF4", "IVBCL", "ALKLBCL", "HGBCL",
        "EBVDLBCLNOS", "PCNSL"},
       {"C83.3", "C85.2"}},
      {disease_family::cll, {"CLLSLL"}, {"C91.1"}},
      {disease_family::aml, {"AML", "TAML"}, {"C92.0", "C92.6", "C92.8", "C93.0", "C94.0"}},
      {disease_family::ovarian,
       {"OVARY", "OVT", "SOC", "HGSOC", "LGSOC", "EOV", "CCOV", "MOV", "MXOV", "OCS", "HGSFT"},
       {"C56", "C57.0", "C48.2"}},
      {disease_family::prostate, {"PROSTATE", "PRAD", "PRSCC", "PRNE"}, {"C61"}},
  };
  for (const auto& d : cx.p.diagnoses) {
    const std::string code = [&] {
      std::string c = d.code;
      for (auto& ch : c) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      return c;
    }();
    const bool icd = d.system == "icd10" || d.system == "icd-10" || d.system == "ICD10";
    std::optional<concept_id> node;
    if (cx.vocab.diseases && !icd) node = cx.vocab.diseases->find(code);
    for (const auto& f : table) {
      for (const auto c : (icd ? f.icd10 : f.oncotree)) {
        if (icd ? code.rfind(c, 0) == 0 : code == c) return f.family;
        if (node) {
          if (const auto target = cx.vocab.diseases->find(c);
              target && cx.vocab.diseases->is_a(*node, *target) == truth::yes) {
            return f.family;
          }
        }
      }
    }
    if (node) {
      const auto group = cx.vocab.diseases->get(*node).group;
      if (group == vocab::disease_group::solid) return disease_family::other_solid;
      if (group == vocab::disease_group::liquid) return disease_family::other_haematological;
    }
  }
  return disease_family::unspecified;
}

}  // namespace
}  // namespace detail

std::optional<derive_options> derive_options::preset(std::string_view name) {
  derive_options o;
  o.name = std::string(name);
  if (name == "auto") return o;
  if (auto lot = lot_options::preset(name)) {
    o.lines = std::move(*lot);
    o.lines_auto = false;
    if (name == "imwg-myeloma")
      o.refractory = refractory_options::for_disease(disease_family::myeloma);
    return o;
  }
  if (auto r = refractory_options::preset(name)) {
    o.refractory = std::move(*r);
    return o;
  }
  return std::nullopt;
}

std::vector<std::string_view> derive_options::preset_names() {
  std::vector<std::string_view> names{"auto"};
  for (auto n : lot_options::preset_names()) names.push_back(n);
  for (auto n : refractory_options::preset_names()) {
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  }
  return names;
}

patient_facts derive_facts(const patient& p, date as_of, const vocabularies& vocab,
                           const derive_options& options) {
  patient_facts out;
  out.as_of = as_of;
  out.catalog = vocab.drugs;
  detail::context cx{p,  as_of, vocab, options, options.lines, options.refractory, {},
                     {}, {},    0,     out};
  out.disease =
      options.refractory.disease ? *options.refractory.disease : detail::recognise_disease(cx);
  if (options.lines_auto && out.disease == disease_family::myeloma) {
    cx.lot = lot_options::imwg_myeloma();
  }
  out.lines_preset = cx.lot.name;
  out.disease_preset = options.refractory.name;
  out.adjuvant_relapse_window = cx.lot.adjuvant_relapse_window;
  if (!vocab.drugs) {
    detail::note(out.notes, severity::warning, errc::unknown_code,
                 "no drug catalog given: every drug is an unknown agent", "/treatments");
  }
  detail::resolve_agents(cx);
  detail::collect_progressions(cx);
  detail::build_lines(cx);
  out.unresolved_drug_episodes = cx.unknown_agent_episodes;
  detail::assess_lines(cx);
  detail::derive_statuses(cx);
  detail::derive_time_since(cx);
  detail::derive_labs(cx);
  detail::derive_performance(cx);
  return out;
}

}  // namespace ctm::history
