// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Refractory, relapsed, resistant, exposed and intolerant status per line, drug and class, and the
// disease presets of the domain definitions, section 2 (IMWG, SCHOLAR-1, iwCLL, ELN, GCIG, PCWG3,
// SITC).
#include "history/derive_detail.hpp"

#include <ctm/history/refractory.hpp>

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

namespace ctm::history {

std::string_view to_string(disease_family d) noexcept {
  switch (d) {
    case disease_family::unspecified:
      return "unspecified";
    case disease_family::myeloma:
      return "myeloma";
    case disease_family::large_b_cell_lymphoma:
      return "large_b_cell_lymphoma";
    case disease_family::cll:
      return "cll";
    case disease_family::aml:
      return "aml";
    case disease_family::ovarian:
      return "ovarian";
    case disease_family::prostate:
      return "prostate";
    case disease_family::other_solid:
      return "other_solid";
    case disease_family::other_haematological:
      break;
  }
  return "other_haematological";
}

std::string_view to_string(platinum_sensitivity s) noexcept {
  switch (s) {
    case platinum_sensitivity::refractory:
      return "refractory";
    case platinum_sensitivity::resistant:
      return "resistant";
    case platinum_sensitivity::partially_sensitive:
      return "partially_sensitive";
    case platinum_sensitivity::sensitive:
      break;
  }
  return "sensitive";
}

refractory_options refractory_options::automatic() { return {}; }

namespace {
struct disease_preset {
  std::string_view name;
  disease_family family;
};
constexpr disease_preset disease_presets[] = {
    {"imwg-myeloma", disease_family::myeloma},
    {"scholar-1", disease_family::large_b_cell_lymphoma},
    {"iwcll", disease_family::cll},
    {"eln", disease_family::aml},
    {"gcig-ovarian", disease_family::ovarian},
    {"pcwg3-prostate", disease_family::prostate},
    {"generic", disease_family::unspecified},
};
}  // namespace

refractory_options refractory_options::for_disease(disease_family d) {
  refractory_options o;
  o.disease = d;
  o.name = "generic";
  for (const auto& p : disease_presets) {
    if (p.family == d) o.name = std::string(p.name);
  }
  return o;
}

std::optional<refractory_options> refractory_options::preset(std::string_view name) {
  if (name == "auto") return automatic();
  for (const auto& p : disease_presets) {
    if (p.name == name) return for_disease(p.family);
  }
  return std::nullopt;
}

std::vector<std::string_view> refractory_options::preset_names() {
  std::vector<std::string_view> names{"auto"};
  for (const auto& p : disease_presets) names.push_back(p.name);
  return names;
}

namespace detail {
namespace {

constexpr std::string_view word(truth t) noexcept {
  return t == truth::yes ? "yes" : t == truth::no ? "no" : "unknown";
}

/// Whether the best response on a line reached `floor`: from the decided best response, or from
/// its bounds when partial dates leave it open. Not-evaluable is unknown.
truth reached(const line_of_therapy& l, response floor) {
  const auto& b = l.best_response;
  if (b.value && *b.value != response::not_evaluable) return to_truth(*b.value >= floor);
  if (b.lowest && *b.lowest != response::not_evaluable && *b.lowest >= floor) return truth::yes;
  if (b.highest && *b.highest != response::not_evaluable && *b.highest < floor) return truth::no;
  return truth::unknown;
}

/// The first progression on or after `from`.
const progression_point* first_progression(const context& cx, const partial_date& from) {
  for (const auto& pt : cx.progressions) {
    if (!(pt.date.earliest < from.earliest)) return &pt;
  }
  return nullptr;
}

/// The rule of the patient's disease for the window-based definitions.
struct window_rule {
  duration window;
  response floor;
  std::string_view rule;
  std::string_view source;
};

window_rule window_rule_for(const context& cx) {
  const auto& o = cx.refractory;
  switch (cx.out.disease) {
    case disease_family::myeloma:
      return {o.imwg_window, o.imwg_floor, "imwg.refractory",
              "IMWG (Rajkumar 2011): non-responsive (below MR) or progression within the window "
              "after the last dose"};
    case disease_family::cll:
      return {o.cll_window, o.cll_floor, "iwcll.refractory",
              "iwCLL 2018: no CR or PR, or progression within the window after the last dose"};
    default:
      break;
  }
  return {o.generic_window, o.generic_floor, "generic.refractory",
          "generic: progression as best response, or progression on therapy or within the window "
          "after the last dose"};
}

/// The facts of one window-based evaluation (a line, or one drug within a line).
struct window_eval {
  truth refractory = truth::unknown;
  truth primary = truth::unknown;
  truth acquired = truth::unknown;
  truth relapsed = truth::unknown;
  truth progressed = truth::no;
  std::string reason;
  std::vector<std::string> records;
};

window_eval evaluate_window(const context& cx, const line_of_therapy& line,
                            const partial_date& first_dose, const partial_date& last_dose,
                            const window_rule& rule) {
  window_eval e;
  const truth responded = reached(line, rule.floor);
  const progression_point* pd = first_progression(cx, first_dose);
  truth within = truth::no;
  if (pd) {
    e.progressed = truth::yes;
    e.records.push_back(pd->record);
    within = is_on_or_before(pd->date, shift(last_dose, rule.window));
  }
  if (!line.best_response.source.records.empty() && line.best_response.value) {
    for (const auto& r : line.best_response.source.records) e.records.push_back(r);
  }
  e.refractory = any_of(within, negate(responded));
  e.primary = negate(responded);
  e.acquired = all_of(responded, within);
  e.relapsed = all_of(all_of(responded, e.progressed), negate(within));
  if (cx.out.disease == disease_family::cll && pd && e.relapsed != truth::no) {
    // iwCLL relapse: the response lasted at least 6 months.
    std::optional<partial_date> response_date;
    for (const auto& o : cx.out.responses) {
      if (o.line == line.number && o.value && *o.value >= rule.floor && o.date) {
        response_date = o.date;
        break;
      }
    }
    const truth lasted =
        response_date ? is_on_or_before(
                            shift(*response_date, cx.refractory.cll_relapse_min_response), pd->date)
                      : truth::unknown;
    e.relapsed = all_of(e.relapsed, lasted);
  }
  std::string r(rule.source);
  r += pd ? (within == truth::yes  ? "; progression on therapy or within the window"
             : within == truth::no ? "; progression after the window"
                                   : "; a partial date leaves the progression's place in the "
                                     "window undecided")
          : "; no progression recorded";
  r += responded == truth::yes  ? "; the best response reached the floor"
       : responded == truth::no ? "; the best response stayed below the floor"
                                : "; the best response is not known";
  e.reason = std::move(r);
  return e;
}

/// Cycles of a line: the most recorded for any of its anticancer drugs.
std::optional<std::int32_t> line_cycles(const line_of_therapy& l) {
  std::optional<std::int32_t> most;
  for (const auto& d : l.drugs) {
    if (d.role == line_role::companion) continue;
    if (d.cycles && (!most || *d.cycles > *most)) most = d.cycles;
    if (!d.cycles && d.records.size() > 1) {
      const auto n = static_cast<std::int32_t>(d.records.size());
      if (!most || n > *most) most = n;
    }
  }
  return most;
}

window_eval evaluate_lbcl(const context& cx, const line_of_therapy& line, bool& insufficient) {
  const auto& o = cx.refractory;
  window_eval e;
  const truth responded = reached(line, o.lbcl_floor);
  const truth disease_control = reached(line, response::stable_disease);
  const progression_point* pd = first_progression(cx, line.start);
  if (pd) {
    e.progressed = truth::yes;
    e.records.push_back(pd->record);
  }
  for (const auto& r : line.best_response.source.records) e.records.push_back(r);
  const std::int32_t needed =
      line.number == 1 ? o.lbcl_sd_min_cycles_first_line : o.lbcl_sd_min_cycles_later_line;
  const auto cycles = line_cycles(line);
  truth enough = truth::unknown;
  if (cycles) enough = to_truth(o.lbcl_sd_cycles_strict ? *cycles > needed : *cycles >= needed);
  std::string r =
      "SCHOLAR-1 (ZUMA-1 formalisation): progression as best response, or stable disease after "
      "the minimum number of cycles";
  if (responded == truth::yes) {
    e.refractory = truth::no;
    r += "; the best response was a partial response or better";
  } else if (disease_control == truth::no) {
    e.refractory = truth::yes;
    r += "; progression as best response needs no cycle minimum";
  } else if (responded == truth::no && disease_control == truth::yes) {
    e.refractory = enough;
    insufficient = enough == truth::no;
    r += enough == truth::yes  ? "; stable disease after enough cycles"
         : enough == truth::no ? "; stable disease after too few cycles (insufficient_cycles)"
                               : "; stable disease, but the number of cycles is not recorded";
  } else {
    e.refractory = truth::unknown;
    r += "; the best response is not known";
  }
  e.primary = e.refractory;
  const truth on_therapy = pd ? is_on_or_before(pd->date, line.end) : truth::no;
  e.acquired = all_of(responded, on_therapy);
  e.relapsed = all_of(all_of(responded, e.progressed), negate(on_therapy));
  e.reason = std::move(r);
  return e;
}

/// Normalised text of an assessment category: lower-case letters only.
std::string letters(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (std::isalpha(static_cast<unsigned char>(c)) != 0) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

window_eval evaluate_aml(const context& cx, const line_of_therapy& line,
                         const line_of_therapy* next) {
  const auto& o = cx.refractory;
  window_eval e;
  const response floor = response::complete_response_incomplete_recovery;
  const truth responded = reached(line, floor);
  const progression_point* pd = first_progression(cx, line.start);
  if (pd) {
    e.progressed = truth::yes;
    e.records.push_back(pd->record);
  }
  for (const auto& r : line.best_response.source.records) e.records.push_back(r);
  std::string r = "ELN: no CR, CRh or CRi after the induction courses or at the landmark";
  bool decided = false;
  // ELN excludes death in aplasia from primary refractoriness.
  for (std::size_t i = 0; i < cx.p.disease_assessments.size(); ++i) {
    const auto& a = cx.p.disease_assessments[i];
    if (!a.date || is_on_or_before(line.start, *a.date) != truth::yes) continue;
    if (next && is_before(*a.date, next->start) != truth::yes) continue;
    const std::string t = letters(a.category);
    if (t == "deathinaplasia" || t == "aplasticdeath" || t == "diedinaplasia") {
      e.refractory = truth::no;
      e.records.push_back(pointer("disease_assessments", i));
      r += "; death in aplasia is excluded";
      decided = true;
    }
  }
  if (!decided) {
    if (responded == truth::yes) {
      e.refractory = truth::no;
      r += "; a complete remission (CR, CRh or CRi) was reached";
    } else {
      const bool intensive =
          std::any_of(line.drugs.begin(), line.drugs.end(), [&](const line_drug& d) {
            return agent_matches_any(cx, d.agent, o.aml_intensive_markers);
          });
      if (intensive) {
        std::optional<std::int32_t> courses;
        for (const auto& d : line.drugs) {
          if (!agent_matches_any(cx, d.agent, o.aml_intensive_markers)) continue;
          const std::int32_t n = d.cycles ? *d.cycles : static_cast<std::int32_t>(d.records.size());
          if (!courses || n > *courses) courses = n;
        }
        if (!courses || *courses < o.aml_min_intensive_courses) {
          e.refractory = truth::unknown;
          r += "; fewer intensive induction courses than ELN needs (a trial may accept fewer)";
        } else {
          e.refractory = negate(responded);
          r += responded == truth::no ? "; no remission after the required intensive courses"
                                      : "; the response after the intensive courses is not known";
        }
      } else if (!o.aml_eln_2022) {
        e.refractory = truth::unknown;
        r += "; ELN 2017 defines primary refractoriness after intensive induction only";
      } else {
        const partial_date landmark = shift(line.start, o.aml_landmark);
        if (is_before(partial_date::exact(cx.as_of), landmark) == truth::yes) {
          e.refractory = truth::unknown;
          r += "; the ELN 2022 response landmark has not been reached";
        } else {
          truth after = truth::no;
          for (const auto& ob : cx.out.responses) {
            if (ob.line != line.number || !ob.date || !ob.value) continue;
            if (*ob.value == response::not_evaluable) continue;
            const truth at_landmark = is_on_or_before(landmark, *ob.date);
            if (at_landmark != truth::no) {
              after = any_of(after, at_landmark);
              e.records.push_back(ob.record);
            }
          }
          e.refractory = all_of(after, negate(responded));
          r += after == truth::no
                   ? "; no assessment at or after the ELN 2022 landmark"
                   : "; no remission at the ELN 2022 landmark of less-intensive therapy";
          if (after == truth::no) e.refractory = truth::unknown;
        }
      }
    }
  }
  e.primary = e.refractory;
  const truth on_therapy = pd ? is_on_or_before(pd->date, line.end) : truth::no;
  e.acquired = all_of(responded, on_therapy);
  e.relapsed = all_of(all_of(responded, e.progressed), negate(on_therapy));
  e.reason = std::move(r);
  return e;
}

finding make(truth value, std::string_view rule, std::string reason, const std::string& preset,
             std::vector<std::string> records = {}) {
  finding f = make_finding(value, rule, std::move(reason), preset);
  std::sort(records.begin(), records.end());
  records.erase(std::unique(records.begin(), records.end()), records.end());
  f.source.records = std::move(records);
  return f;
}

void put(context& cx, std::string_view name, finding f) {
  cx.out.disease_facts.push_back(named_finding{std::string(name), std::move(f)});
}

/// Line statuses and the per-drug facts that come from the lines.
void derive_line_statuses(context& cx) {
  const auto& preset = cx.refractory.name;
  const window_rule wrule = window_rule_for(cx);
  const disease_family disease = cx.out.disease;
  auto& lines = cx.out.lines;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const line_of_therapy& line = lines[i];
    const line_of_therapy* next = i + 1 < lines.size() ? &lines[i + 1] : nullptr;
    line_status st;
    st.line = line.number;
    window_eval e;
    std::string_view rule = wrule.rule;
    if (disease == disease_family::large_b_cell_lymphoma) {
      e = evaluate_lbcl(cx, line, st.insufficient_cycles);
      rule = "scholar1.refractory";
    } else if (disease == disease_family::aml) {
      e = evaluate_aml(cx, line, next);
      rule = "eln.refractory";
    } else {
      e = evaluate_window(cx, line, line.start, line.end, wrule);
    }
    st.refractory = make(e.refractory, rule, e.reason, preset, e.records);
    st.primary_refractory = make(e.primary, std::string(rule) + ".primary",
                                 e.primary == truth::yes  ? "no response on the line"
                                 : e.primary == truth::no ? "responded on the line"
                                                          : "the response on the line is not known",
                                 preset, e.records);
    st.acquired_resistance =
        make(e.acquired, std::string(rule) + ".acquired_resistance",
             "responded on the line, then progressed on therapy or within the window: " +
                 std::string(word(e.acquired)),
             preset, e.records);
    st.relapsed = make(
        e.relapsed, std::string(rule) + ".relapsed",
        "responded on the line, then progressed after the window: " + std::string(word(e.relapsed)),
        preset, e.records);
    st.progressed =
        make(e.progressed, "progressed_on_or_after",
             e.progressed == truth::yes ? "a progression is recorded after the line began"
                                        : "no progression recorded after the line began",
             preset, e.records);
    cx.out.line_statuses.push_back(std::move(st));
  }
}

/// Per-agent facts: exposure, doses, intolerance, progression, and refractoriness by the agent's
/// own last dose (domain definitions, section 6.1).
void derive_agent_statuses(context& cx) {
  const auto& preset = cx.refractory.name;
  const window_rule wrule = window_rule_for(cx);
  const bool by_line = cx.out.disease == disease_family::large_b_cell_lymphoma ||
                       cx.out.disease == disease_family::aml;
  for (std::uint32_t ai = 0; ai < cx.out.agents.size(); ++ai) {
    agent_status& ag = cx.out.agents[ai];
    std::vector<std::string> tox_records;
    bool all_explained = true;
    for (const auto& a : cx.admins) {
      if (a.agent != ai) continue;
      ag.first_dose =
          ag.first_dose && !starts_before(a.start, *ag.first_dose) ? ag.first_dose : a.start;
      ag.last_dose = ag.last_dose ? later_of(*ag.last_dose, a.end) : a.end;
      ag.ongoing = ag.ongoing || a.ongoing;
      if (a.cycles) ag.cycles = ag.cycles.value_or(0) + *a.cycles;
      if (a.stopped == stop_reason::toxicity) tox_records.push_back(a.record);
      if (!a.ongoing && !a.stopped) all_explained = false;
    }
    if (ag.records.size() > static_cast<std::size_t>(std::count_if(
                                cx.admins.begin(), cx.admins.end(),
                                [&](const administration& a) { return a.agent == ai; }))) {
      all_explained = false;  // a record without a start date
    }
    ag.exposed = make(ag.records.empty() ? truth::no : truth::yes, "exposed",
                      "received at least one dose", preset, ag.records);
    if (!tox_records.empty()) {
      ag.intolerant = make(truth::yes, "intolerant", "stopped for toxicity", preset, tox_records);
    } else if (all_explained) {
      ag.intolerant = make(truth::no, "intolerant",
                           "every record is ongoing or stopped for another recorded reason", preset,
                           ag.records);
    } else {
      ag.intolerant = make(truth::unknown, "intolerant",
                           "a record stopped without a recorded reason", preset, ag.records);
    }
    truth progressed = truth::no;
    std::vector<std::string> pd_records;
    if (ag.first_dose) {
      for (const auto& pt : cx.progressions) {
        const truth after = is_on_or_before(*ag.first_dose, pt.date);
        if (after != truth::no) pd_records.push_back(pt.record);
        progressed = any_of(progressed, after);
        if (progressed == truth::yes) break;
      }
    } else if (!ag.records.empty() && !cx.progressions.empty()) {
      progressed = truth::unknown;
    }
    ag.progressed_on =
        make(progressed, "progressed_on_or_after",
             progressed == truth::yes  ? "a progression after its first dose"
             : progressed == truth::no ? "no progression after its first dose"
                                       : "the order of its doses and the progression is not known",
             preset, pd_records);
    // Refractoriness over the lines that contain it.
    truth refractory = truth::no;
    truth primary = truth::no;
    truth acquired = truth::no;
    std::string reason;
    std::vector<std::string> records;
    bool in_line = false;
    for (std::size_t li = 0; li < cx.out.lines.size(); ++li) {
      const auto& line = cx.out.lines[li];
      for (const auto& d : line.drugs) {
        if (d.agent != ai) continue;
        in_line = true;
        ag.lines.push_back(line.number);
        window_eval e;
        if (by_line) {
          const auto& st = cx.out.line_statuses[li];
          e.refractory = st.refractory.value;
          e.primary = st.primary_refractory.value;
          e.acquired = st.acquired_resistance.value;
          e.reason = st.refractory.source.reason;
          e.records = st.refractory.source.records;
        } else {
          e = evaluate_window(cx, line, d.first_dose, d.last_dose, wrule);
        }
        const truth before = refractory;
        refractory = any_of(refractory, e.refractory);
        primary = any_of(primary, e.primary);
        acquired = any_of(acquired, e.acquired);
        if (refractory != before || reason.empty()) {
          reason = "line " + std::to_string(line.number) + ": " + e.reason;
          records = e.records;
        }
        break;
      }
    }
    if (ag.supportive) {
      refractory = truth::unknown;
      primary = truth::unknown;
      acquired = truth::unknown;
      reason = "supportive care: refractoriness is not assessed";
      records.clear();
    } else if (!in_line) {
      refractory = truth::unknown;
      primary = truth::unknown;
      acquired = truth::unknown;
      reason = "not part of a line of therapy, so the response to it is not known";
    }
    ag.refractory = make(refractory, wrule.rule, reason, preset, records);
    if (by_line)
      ag.refractory.source.rule =
          cx.out.disease == disease_family::aml ? "eln.refractory" : "scholar1.refractory";
    ag.primary_refractory = make(
        primary, ag.refractory.source.rule + ".primary",
        "refractory on a line without responding: " + std::string(word(primary)), preset, records);
    ag.acquired_resistance = make(
        acquired, ag.refractory.source.rule + ".acquired_resistance",
        "responded, then progressed on it or within the window: " + std::string(word(acquired)),
        preset, records);
  }
}

/// Patient-level facts every disease has.
void derive_generic_facts(context& cx) {
  const auto& preset = cx.refractory.name;
  const auto& st = cx.out.line_statuses;
  if (st.empty()) {
    put(cx, "refractory_to_last_line",
        make(truth::no, "refractory_to_last_line", "no line of therapy recorded", preset));
    put(cx, "refractory_to_any_line",
        make(truth::no, "refractory_to_any_line", "no line of therapy recorded", preset));
    put(cx, "primary_refractory",
        make(truth::no, "primary_refractory", "no line of therapy recorded", preset));
    put(cx, "relapsed", make(truth::no, "relapsed", "no line of therapy recorded", preset));
    put(cx, "progressed",
        make(cx.progressions.empty() ? truth::no : truth::unknown, "progressed",
             "no line of therapy recorded", preset));
    return;
  }
  finding last = st.back().refractory;
  last.source.reason = "line " + std::to_string(st.back().line) + ": " + last.source.reason;
  put(cx, "refractory_to_last_line", last);
  truth any = truth::no;
  truth relapsed = truth::no;
  truth progressed = truth::no;
  std::vector<std::string> records;
  for (const auto& s : st) {
    any = any_of(any, s.refractory.value);
    relapsed = any_of(relapsed, s.relapsed.value);
    progressed = any_of(progressed, s.progressed.value);
    for (const auto& r : s.refractory.source.records) records.push_back(r);
  }
  put(cx, "refractory_to_any_line",
      make(any, "refractory_to_any_line",
           "refractory to at least one line: " + std::string(word(any)), preset, records));
  if (cx.out.disease == disease_family::myeloma) {
    truth ever = truth::no;
    for (const auto& line : cx.out.lines)
      ever = any_of(ever, reached(line, cx.refractory.imwg_floor));
    put(cx, "primary_refractory",
        make(negate(ever), "imwg.primary_refractory",
             "IMWG: never reached minimal response or better on any line: " +
                 std::string(word(negate(ever))),
             preset, records));
  } else {
    finding first = st.front().primary_refractory;
    first.source.reason =
        "refractory to the first line without responding: " + std::string(word(first.value));
    put(cx, "primary_refractory", first);
  }
  put(cx, "relapsed",
      make(relapsed, "relapsed",
           "responded on a line, then progressed after the refractory window: " +
               std::string(word(relapsed)),
           preset, records));
  put(cx, "progressed",
      make(progressed, "progressed",
           "a progression is recorded after therapy began: " + std::string(word(progressed)),
           preset, records));
}

/// The class's id in the catalog, if the catalog has it.
std::optional<drug_id> class_id(const context& cx, std::string_view code) {
  if (!cx.vocab.drugs) return std::nullopt;
  return cx.vocab.drugs->find_code(code);
}

void derive_myeloma_facts(context& cx) {
  const auto& o = cx.refractory;
  const auto& preset = o.name;
  const finding last_copy = *cx.out.fact("refractory_to_last_line");
  const finding primary_copy = *cx.out.fact("primary_refractory");
  const finding progressed_copy = *cx.out.fact("progressed");
  const finding* last = &last_copy;
  const finding* primary = &primary_copy;
  finding refractory = *last;
  refractory.source.rule = "imwg.refractory";
  put(cx, "imwg.refractory", refractory);
  put(cx, "imwg.primary_refractory", *primary);
  truth ever = truth::no;
  for (const auto& line : cx.out.lines) ever = any_of(ever, reached(line, o.imwg_floor));
  const truth rr = all_of(last->value, ever);
  put(cx, "imwg.relapsed_and_refractory",
      make(rr, "imwg.relapsed_and_refractory",
           "IMWG: refractory to the last line after minimal response or better at some point: " +
               std::string(word(rr)),
           preset, last->source.records));
  const finding* progressed = &progressed_copy;
  const truth relapsed =
      all_of(all_of(progressed->value, negate(last->value)), negate(primary->value));
  put(cx, "imwg.relapsed",
      make(relapsed, "imwg.relapsed",
           "IMWG: progressed, meeting neither refractory category: " + std::string(word(relapsed)),
           preset, progressed->source.records));
  const auto pi = class_id(cx, o.proteasome_inhibitor_class);
  const auto imid = class_id(cx, o.imid_class);
  const auto cd38 = class_id(cx, o.anti_cd38_class);
  if (!pi || !imid || !cd38) {
    note(cx.out.notes, severity::warning, errc::unknown_code,
         "the drug catalog lacks a myeloma class (proteasome inhibitor, IMiD or anti-CD38): "
         "class-refractory facts are unknown",
         "/treatments");
    for (const auto* name :
         {"imwg.triple_class_exposed", "imwg.triple_class_refractory", "imwg.double_refractory",
          "imwg.quad_refractory", "imwg.penta_refractory"}) {
      put(cx, name, make(truth::unknown, name, "a class is not in the drug catalog", preset));
    }
    return;
  }
  const finding epi = cx.out.exposed(*pi);
  const finding eimid = cx.out.exposed(*imid);
  const finding ecd38 = cx.out.exposed(*cd38);
  const finding rpi = cx.out.refractory(*pi);
  const finding rimid = cx.out.refractory(*imid);
  const finding rcd38 = cx.out.refractory(*cd38);
  auto join = [](std::initializer_list<const finding*> fs) {
    std::vector<std::string> r;
    for (const auto* f : fs) r.insert(r.end(), f->source.records.begin(), f->source.records.end());
    return r;
  };
  const truth tce = all_of({epi.value, eimid.value, ecd38.value});
  put(cx, "imwg.triple_class_exposed",
      make(tce, "imwg.triple_class_exposed",
           "exposed to a proteasome inhibitor, an IMiD and an anti-CD38 antibody: " +
               std::string(word(tce)),
           preset, join({&epi, &eimid, &ecd38})));
  const truth tcr = all_of({rpi.value, rimid.value, rcd38.value});
  put(cx, "imwg.triple_class_refractory",
      make(tcr, "imwg.triple_class_refractory",
           "refractory to a proteasome inhibitor, an IMiD and an anti-CD38 antibody: " +
               std::string(word(tcr)),
           preset, join({&rpi, &rimid, &rcd38})));
  const truth dr = all_of(rpi.value, rimid.value);
  put(cx, "imwg.double_refractory",
      make(dr, "imwg.double_refractory",
           "refractory to a proteasome inhibitor and an IMiD: " + std::string(word(dr)), preset,
           join({&rpi, &rimid})));
  // MAMMOTH quad-refractory: anti-CD38 plus 2 PIs and 1 IMiD, or 1 PI and 2 IMiDs.
  std::vector<truth> pis;
  std::vector<truth> imids;
  for (const auto& ag : cx.out.agents) {
    if (!ag.is_resolved()) continue;
    if (cx.vocab.drugs->is_a(ag.id, *pi)) pis.push_back(ag.refractory.value);
    if (cx.vocab.drugs->is_a(ag.id, *imid)) imids.push_back(ag.refractory.value);
  }
  const truth quad = all_of(rcd38.value, any_of(all_of(at_least(2, pis), at_least(1, imids)),
                                                all_of(at_least(1, pis), at_least(2, imids))));
  put(cx, "imwg.quad_refractory",
      make(quad, "imwg.quad_refractory",
           "MAMMOTH: refractory to an anti-CD38 antibody and to two PIs and an IMiD, or a PI and "
           "two IMiDs: " +
               std::string(word(quad)),
           preset, join({&rpi, &rimid, &rcd38})));
  std::vector<truth> penta{rcd38.value};
  std::vector<std::string> penta_records = rcd38.source.records;
  for (const auto* list : {&o.penta_proteasome_inhibitors, &o.penta_imids}) {
    for (const auto& code : *list) {
      const agent_status* ag = cx.out.agent(code);
      penta.push_back(ag ? ag->refractory.value : truth::no);
      if (ag) penta_records.insert(penta_records.end(), ag->records.begin(), ag->records.end());
    }
  }
  const truth pr = all_of(penta);
  put(cx, "imwg.penta_refractory",
      make(pr, "imwg.penta_refractory",
           "refractory to an anti-CD38 antibody, bortezomib, carfilzomib, lenalidomide and "
           "pomalidomide: " +
               std::string(word(pr)),
           preset, penta_records));
}

void derive_lbcl_facts(context& cx) {
  const auto& o = cx.refractory;
  const auto& preset = o.name;
  const auto& st = cx.out.line_statuses;
  const auto& lines = cx.out.lines;
  finding primary = st.empty() ? make(truth::no, "scholar1.primary_refractory",
                                      "no line of therapy recorded", preset)
                               : st.front().refractory;
  primary.source.rule = "scholar1.primary_refractory";
  put(cx, "scholar1.primary_refractory", primary);
  // Relapse within 12 months of an autologous transplant.
  truth post = truth::no;
  std::vector<std::string> records;
  std::string reason = "no autologous transplant recorded";
  for (std::size_t j = 0; j < cx.p.procedures.size(); ++j) {
    const auto& pr = cx.p.procedures[j];
    if (pr.kind != procedure_kind::autologous_transplant || !pr.start ||
        cx.as_of < pr.start->earliest) {
      continue;
    }
    records.push_back(pointer("procedures", j));
    const progression_point* pd = first_progression(cx, *pr.start);
    if (!pd) {
      if (reason == "no autologous transplant recorded") {
        reason = "no progression recorded after the autologous transplant";
      }
      continue;
    }
    records.push_back(pd->record);
    const truth within = is_on_or_before(pd->date, shift(*pr.start, o.lbcl_post_transplant_window));
    post = any_of(post, within);
    reason = within == truth::yes ? "relapse within the window after autologous transplant"
             : within == truth::no
                 ? "relapse after the window following autologous transplant"
                 : "a partial date leaves the relapse's place in the window undecided";
  }
  put(cx, "scholar1.refractory_post_transplant",
      make(post, "scholar1.refractory_post_transplant", "SCHOLAR-1: " + reason, preset, records));
  truth any = post;
  for (const auto& s : st) any = any_of(any, s.refractory.value);
  put(cx, "scholar1.refractory",
      make(any, "scholar1.refractory",
           "SCHOLAR-1: refractory to a line, or relapse within 12 months of autologous "
           "transplant: " +
               std::string(word(any)),
           preset, records));
  // ZUMA-7: relapse within 12 months of completing first-line therapy.
  truth early = truth::no;
  std::string early_reason = "no line of therapy recorded";
  std::vector<std::string> early_records;
  if (!lines.empty()) {
    const auto& first = lines.front();
    if (first.ongoing) {
      early_reason = "the first line is still ongoing";
    } else if (const progression_point* pd = first_progression(cx, shift(first.end, days(1)))) {
      early = is_on_or_before(pd->date, shift(first.end, o.lbcl_early_relapse_window));
      early_records.push_back(pd->record);
      early_reason = "progression after completing the first line, within the window: " +
                     std::string(word(early));
    } else {
      early_reason = "no progression after completing the first line";
    }
  }
  put(cx, "lbcl.early_relapse",
      make(early, "lbcl.early_relapse", "ZUMA-7: " + early_reason, preset, early_records));
}

void derive_platinum(context& cx) {
  const auto& o = cx.refractory;
  const auto& preset = o.name;
  const auto platinum = class_id(cx, o.platinum_class);
  for (const auto& line : cx.out.lines) {
    std::optional<partial_date> last;
    std::vector<std::string> records;
    for (const auto& d : line.drugs) {
      const agent_status& ag = cx.out.agents[d.agent];
      if (!platinum || !ag.is_resolved() || !cx.vocab.drugs->is_a(ag.id, *platinum)) continue;
      last = last ? later_of(*last, d.last_dose) : d.last_dose;
      records.insert(records.end(), d.records.begin(), d.records.end());
    }
    if (!last) continue;
    platinum_interval pi;
    pi.line = line.number;
    pi.last_platinum_dose = *last;
    pi.source.rule = "gcig.platinum_free_interval";
    const progression_point* pd = first_progression(cx, line.start);
    const partial_date refractory_end = shift(*last, o.platinum_refractory_window);
    const partial_date resistant_end = shift(*last, o.platinum_resistant_limit);
    const partial_date sensitive_end = shift(*last, o.platinum_sensitive_limit);
    truth refractory;
    truth resistant;  // progression before last + 6 months
    truth partial;    // progression on or before last + 12 months
    if (pd) {
      pi.progression = pd->date;
      pi.days = days_between(*last, pd->date);
      records.push_back(pd->record);
      refractory = is_on_or_before(pd->date, refractory_end);
      resistant = is_before(pd->date, resistant_end);
      partial = is_on_or_before(pd->date, sensitive_end);
    } else {
      // No progression yet: the interval is known to be longer than the time elapsed.
      const partial_date today = partial_date::exact(cx.as_of);
      refractory = is_before(refractory_end, today) == truth::yes ? truth::no : truth::unknown;
      resistant = is_on_or_before(resistant_end, today) == truth::yes ? truth::no : truth::unknown;
      partial = is_before(sensitive_end, today) == truth::yes ? truth::no : truth::unknown;
    }
    pi.source.records = records;
    if (refractory == truth::yes) {
      pi.category = platinum_sensitivity::refractory;
    } else if (refractory == truth::no && resistant == truth::yes) {
      pi.category = platinum_sensitivity::resistant;
    } else if (resistant == truth::no && partial == truth::yes) {
      pi.category = platinum_sensitivity::partially_sensitive;
    } else if (partial == truth::no) {
      pi.category = platinum_sensitivity::sensitive;
    }
    pi.source.reason = pi.category ? "GCIG: time from the last platinum dose to progression"
                       : pd
                           ? "a partial date leaves the platinum-free interval's category undecided"
                           : "no progression recorded since the last platinum dose";
    cx.out.platinum.push_back(std::move(pi));
  }
  if (cx.out.platinum.empty()) {
    for (const auto* name : {"gcig.platinum_refractory", "gcig.platinum_resistant",
                             "gcig.partially_platinum_sensitive", "gcig.platinum_sensitive"}) {
      put(cx, name, make(truth::no, name, "no platinum-containing line recorded", preset));
    }
    return;
  }
  const platinum_interval& p = cx.out.platinum.back();
  auto is = [&](platinum_sensitivity s) {
    if (p.category) return to_truth(*p.category == s);
    return truth::unknown;
  };
  const std::string why = "the most recent platinum-containing line (line " +
                          std::to_string(p.line) + "): " + p.source.reason;
  put(cx, "gcig.platinum_refractory",
      make(is(platinum_sensitivity::refractory), "gcig.platinum_refractory", why, preset,
           p.source.records));
  put(cx, "gcig.platinum_resistant",
      make(is(platinum_sensitivity::resistant), "gcig.platinum_resistant", why, preset,
           p.source.records));
  put(cx, "gcig.partially_platinum_sensitive",
      make(is(platinum_sensitivity::partially_sensitive), "gcig.partially_platinum_sensitive", why,
           preset, p.source.records));
  put(cx, "gcig.platinum_sensitive",
      make(is(platinum_sensitivity::sensitive), "gcig.platinum_sensitive", why, preset,
           p.source.records));
}

/// One lab value in a target unit, with its comparator.
struct series_point {
  partial_date date;
  double value = 0.0;
  std::optional<comparator> cmp;
  std::string record;
};

std::vector<series_point> lab_series(const context& cx, std::string_view analyte_code,
                                     std::string_view fallback_loinc, unit target,
                                     std::optional<molar_mass> fallback_mass) {
  std::optional<analyte_id> id;
  std::optional<molar_mass> mass = fallback_mass;
  if (cx.vocab.labs) {
    id = cx.vocab.labs->find(analyte_code);
    if (id && cx.vocab.labs->get(*id).molar_mass) mass = cx.vocab.labs->get(*id).molar_mass;
  }
  std::vector<series_point> out;
  for (std::size_t i = 0; i < cx.p.labs.size(); ++i) {
    const auto& l = cx.p.labs[i];
    if (!l.value || !l.date || cx.as_of < l.date->earliest) continue;
    bool match = false;
    if (id) {
      const auto by_loinc = l.loinc.empty() ? std::nullopt : cx.vocab.labs->find_by_loinc(l.loinc);
      const auto by_name = l.analyte.empty() ? std::nullopt : cx.vocab.labs->find(l.analyte);
      match = by_loinc == id || (!by_loinc && by_name == id);
    } else {
      match = l.loinc == fallback_loinc || letters(l.analyte) == letters(analyte_code);
    }
    if (!match) continue;
    auto q = mass ? convert(*l.value, target, *mass) : convert(*l.value, target);
    if (!q) continue;
    out.push_back(series_point{*l.date, q->value, l.comparator, pointer("labs", i)});
  }
  std::stable_sort(out.begin(), out.end(), [](const series_point& a, const series_point& b) {
    return starts_before(a.date, b.date);
  });
  return out;
}

void derive_prostate(context& cx) {
  const auto& o = cx.refractory;
  const auto& preset = o.name;
  // Hormonal therapy start: values before it are not on castration therapy.
  std::optional<partial_date> adt_start;
  if (const auto hormonal = class_id(cx, "hormonal_therapy")) {
    for (const auto& ag : cx.out.agents) {
      if (ag.is_resolved() && ag.first_dose && cx.vocab.drugs->is_a(ag.id, *hormonal) &&
          (!adt_start || starts_before(*ag.first_dose, *adt_start))) {
        adt_start = ag.first_dose;
      }
    }
  }
  // Castrate testosterone: the most recent value.
  const auto testosterone = lab_series(cx, o.testosterone_analyte, "2986-8",
                                       unit::nanogram_per_decilitre, molar_mass{288.42});
  truth castrate = truth::unknown;
  std::vector<std::string> t_records;
  if (!testosterone.empty()) {
    const auto& t = testosterone.back();
    t_records.push_back(t.record);
    const double limit = o.castrate_testosterone_ng_dl;
    if (!t.cmp) {
      castrate = to_truth(t.value < limit);
    } else if (*t.cmp == comparator::less) {
      castrate = t.value <= limit ? truth::yes : truth::unknown;
    } else if (*t.cmp == comparator::less_or_equal) {
      castrate = t.value < limit ? truth::yes : truth::unknown;
    } else {
      castrate = t.value >= limit ? truth::no : truth::unknown;
    }
  }
  put(cx, "pcwg3.castrate",
      make(castrate, "pcwg3.castrate",
           testosterone.empty() ? "no testosterone result recorded"
                                : "the most recent testosterone against the castrate level",
           preset, t_records));
  // PCWG3 PSA progression.
  auto psa = lab_series(cx, o.psa_analyte, "2857-1", unit::nanogram_per_millilitre, std::nullopt);
  if (adt_start) {
    psa.erase(std::remove_if(psa.begin(), psa.end(),
                             [&](const series_point& s) {
                               return is_before(s.date, *adt_start) == truth::yes;
                             }),
              psa.end());
  }
  truth psa_progression = psa.size() < 2 ? truth::unknown : truth::no;
  std::vector<std::string> psa_records;
  auto rises = [&](const series_point& s, double nadir) {
    return !s.cmp && s.value >= nadir * (1.0 + o.psa_rise_fraction) &&
           s.value - nadir >= o.psa_rise_ng_ml;
  };
  double nadir = 0.0;
  for (std::size_t i = 0; i < psa.size(); ++i) {
    if (i == 0 || psa[i].value < nadir) {
      if (i == 0 || !psa[i].cmp || psa[i].value < nadir) nadir = psa[i].value;
      if (i == 0) continue;
    }
    if (!rises(psa[i], nadir)) continue;
    truth confirmed = truth::no;
    for (std::size_t k = i + 1; k < psa.size(); ++k) {
      const truth late = is_on_or_before(shift(psa[i].date, o.psa_confirmation), psa[k].date);
      if (late == truth::no || !rises(psa[k], nadir)) continue;
      confirmed = any_of(confirmed, late);
      if (confirmed == truth::yes) {
        psa_records = {psa[i].record, psa[k].record};
        break;
      }
    }
    if (confirmed == truth::no) confirmed = truth::unknown;  // a rise awaiting confirmation
    psa_progression = any_of(psa_progression, confirmed);
    if (psa_progression == truth::yes) break;
    psa_records.push_back(psa[i].record);
  }
  put(cx, "pcwg3.psa_progression",
      make(psa_progression, "pcwg3.psa_progression",
           psa_progression == truth::yes
               ? "PCWG3: a rise of at least 25% and 2 ng/mL above the nadir, confirmed 3 or more "
                 "weeks later"
           : psa_progression == truth::no
               ? "PCWG3: no rise of at least 25% and 2 ng/mL above the nadir"
           : psa.size() < 2 ? "PCWG3: fewer than two PSA values on hormonal therapy"
                            : "PCWG3: a rise above the nadir not yet confirmed",
           preset, psa_records));
  truth radiographic = truth::no;
  std::vector<std::string> r_records;
  for (const auto& pt : cx.progressions) {
    if (pt.basis != progression_basis::radiographic) continue;
    const truth after = adt_start ? is_on_or_before(*adt_start, pt.date) : truth::yes;
    if (after != truth::no) r_records.push_back(pt.record);
    radiographic = any_of(radiographic, after);
  }
  put(cx, "pcwg3.radiographic_progression",
      make(radiographic, "pcwg3.radiographic_progression",
           "a radiographic progression recorded on hormonal therapy: " +
               std::string(word(radiographic)),
           preset, r_records));
  const truth crpc = all_of(castrate, any_of(psa_progression, radiographic));
  std::vector<std::string> all = t_records;
  all.insert(all.end(), psa_records.begin(), psa_records.end());
  all.insert(all.end(), r_records.begin(), r_records.end());
  std::string why = "PCWG3: castrate testosterone and PSA or radiographic progression";
  if (crpc == truth::yes) {
    why += psa_progression == truth::yes ? " (by PSA)" : " (radiographic)";
  }
  put(cx, "pcwg3.castration_resistant", make(crpc, "pcwg3.castration_resistant", why, preset, all));
}

/// SITC anti-PD-(L)1 resistance of the most recent line with an anti-PD-(L)1 agent.
void derive_sitc(context& cx) {
  const auto& o = cx.refractory;
  const auto& preset = o.name;
  const auto ici = class_id(cx, o.pd1_pdl1_class);
  if (!ici) return;
  const line_of_therapy* line = nullptr;
  for (const auto& l : cx.out.lines) {
    for (const auto& d : l.drugs) {
      const agent_status& ag = cx.out.agents[d.agent];
      if (ag.is_resolved() && cx.vocab.drugs->is_a(ag.id, *ici)) line = &l;
    }
  }
  if (!line) return;
  std::optional<partial_date> first;
  std::optional<partial_date> last;
  bool combination = false;
  std::vector<std::string> records;
  for (const auto& d : line->drugs) {
    const agent_status& ag = cx.out.agents[d.agent];
    const bool is_ici = ag.is_resolved() && cx.vocab.drugs->is_a(ag.id, *ici);
    if (!is_ici) {
      if (d.role != line_role::companion && ag.anticancer) combination = true;
      continue;
    }
    first = first && !starts_before(d.first_dose, *first) ? first : d.first_dose;
    last = last ? later_of(*last, d.last_dose) : d.last_dose;
    records.insert(records.end(), d.records.begin(), d.records.end());
  }
  const progression_point* pd = first_progression(cx, *first);
  truth primary = truth::no;
  truth secondary = truth::no;
  truth after_stop = truth::no;
  std::string why;
  const std::string which =
      combination ? "SITC 2023 (anti-PD-(L)1 combination)" : "SITC 2020 (anti-PD-(L)1)";
  if (!pd) {
    why = which + ": no progression recorded after the first dose";
  } else {
    records.push_back(pd->record);
    const truth late = is_before(shift(*last, o.sitc_after_last_dose), pd->date);
    after_stop = late;
    const truth exposure_primary =
        is_on_or_before(shift(*first, o.sitc_primary_min_exposure), *last);
    const truth exposure_secondary =
        is_on_or_before(shift(*first, o.sitc_secondary_min_exposure), *last);
    const partial_date six_months = shift(*first, o.sitc_sd_duration);
    const truth early_pd = is_on_or_before(pd->date, six_months);
    if (combination) {
      primary = all_of({negate(late), exposure_primary, early_pd});
      secondary = all_of({negate(late), is_before(six_months, *last), negate(early_pd)});
      why = which + ": exposure and time to progression against the 6-week and 6-month limits";
    } else {
      // Confirmation: a second progression at least 4 weeks later, or a clinical progression.
      truth confirmed = to_truth(pd->basis == progression_basis::clinical);
      for (const auto& pt : cx.progressions) {
        if (&pt == pd) continue;
        const truth later = is_on_or_before(shift(pd->date, o.sitc_confirmation), pt.date);
        if (later != truth::no) records.push_back(pt.record);
        confirmed = any_of(confirmed, later);
      }
      if (confirmed == truth::no) confirmed = truth::unknown;
      const auto best = line->best_response.value;
      const bool known = best && *best != response::not_evaluable;
      truth poor = truth::unknown;     // PD, or SD shorter than 6 months
      truth durable = truth::unknown;  // CR, PR, or SD longer than 6 months
      if (known && *best >= response::partial_response) {
        poor = truth::no;
        durable = truth::yes;
      } else if (known && *best <= response::no_response) {
        poor = truth::yes;
        durable = truth::no;
      } else if (known) {
        poor = is_before(pd->date, six_months);
        durable = is_before(six_months, pd->date);
        if (poor == truth::no && durable == truth::no) {
          why = which + ": stable disease lasting exactly 6 months is not classifiable; ";
          poor = truth::unknown;
          durable = truth::unknown;
        }
      }
      if (exposure_primary == truth::no) {
        primary = truth::unknown;
        why += which + ": exposure shorter than 6 weeks is not classifiable";
      } else {
        primary = all_of({negate(late), exposure_primary, poor, confirmed});
        secondary = all_of({negate(late), exposure_secondary, durable, confirmed});
        why += which + ": exposure, best response and confirmed progression";
        if (confirmed == truth::unknown) why += " (progression not confirmed by a later scan)";
      }
      if (exposure_primary == truth::no) secondary = all_of(negate(late), exposure_secondary);
    }
  }
  put(cx, "sitc.primary_resistance",
      make(primary, "sitc.primary_resistance", why, preset, records));
  put(cx, "sitc.secondary_resistance",
      make(secondary, "sitc.secondary_resistance", why, preset, records));
  put(cx, "sitc.progression_after_discontinuation",
      make(after_stop, "sitc.progression_after_discontinuation",
           which + ": progression more than 12 weeks after the last dose: " +
               std::string(word(after_stop)),
           preset, records));
}

}  // namespace

namespace {

/// PCWG3 PSA response on a prostate-cancer line: a decline of at least 50% from the last value
/// before the line began, confirmed by a second such value at least 3 weeks later. Used only when
/// the line has no better recorded response.
void apply_psa_response(context& cx, line_of_therapy& line, const date_window& window) {
  const auto& o = cx.refractory;
  const auto psa =
      lab_series(cx, o.psa_analyte, "2857-1", unit::nanogram_per_millilitre, std::nullopt);
  const series_point* baseline = nullptr;
  for (const auto& s : psa) {
    if (is_on_or_before(s.date, line.start) == truth::yes && !s.cmp) baseline = &s;
  }
  if (!baseline || baseline->value <= 0.0) return;
  const double limit = baseline->value * (1.0 - o.psa_response_fraction);
  auto inside = [&](const series_point& s) {
    return contains(window, s.date) == truth::yes && s.value <= limit &&
           (!s.cmp || *s.cmp == comparator::less || *s.cmp == comparator::less_or_equal);
  };
  for (std::size_t i = 0; i < psa.size(); ++i) {
    if (!inside(psa[i])) continue;
    for (std::size_t k = i + 1; k < psa.size(); ++k) {
      if (!inside(psa[k]) ||
          is_on_or_before(shift(psa[i].date, o.psa_confirmation), psa[k].date) != truth::yes) {
        continue;
      }
      auto& b = line.best_response;
      const bool better = !b.value || *b.value < response::partial_response;
      if (!better) return;
      b.value = response::partial_response;
      b.lowest = b.value;
      b.highest = b.value;
      b.date = psa[i].date;
      b.system = response_system::pcwg3;
      b.source.rule = "pcwg3.psa_response";
      b.source.reason =
          "PCWG3: PSA fell by at least 50% from the value before the line, confirmed 3 or more "
          "weeks later";
      b.source.records = {baseline->record, psa[i].record, psa[k].record};
      return;
    }
  }
}

}  // namespace

void assess_lines(context& cx) {
  auto& lines = cx.out.lines;
  const date end_of_day = add_days(cx.as_of, 1);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    line_of_therapy& line = lines[i];
    date_window window;
    window.start = line.start.earliest;
    window.end = end_of_day;
    if (i + 1 < lines.size() && lines[i + 1].start.earliest < end_of_day) {
      window.end = lines[i + 1].start.earliest;
    }
    line.best_response = best_response(cx.p, window, cx.options.responses);
    for (const auto& n : line.best_response.notes) {
      note(cx.out.notes, n.severity, n.error.code, n.error.message, n.error.where.pointer);
    }
    line.best_response.notes.clear();
    auto& b = line.best_response;
    if (!b.value && !b.lowest && !b.highest && line.progression) {
      b.value = response::progressive_disease;
      b.lowest = b.value;
      b.highest = b.value;
      b.date = line.progression;
      b.source.rule = "progression_event";
      b.source.reason = "no response assessment on the line; a progression was recorded";
      b.source.records = {*line.progression_record};
    }
    if (cx.out.disease == disease_family::prostate) apply_psa_response(cx, line, window);
    for (auto& o : cx.out.responses) {
      if (!o.date || o.date->earliest < *window.start || !(o.date->earliest < *window.end))
        continue;
      o.line = line.number;
    }
  }
}

void derive_statuses(context& cx) {
  derive_line_statuses(cx);
  derive_agent_statuses(cx);
  derive_generic_facts(cx);
  switch (cx.out.disease) {
    case disease_family::myeloma:
      derive_myeloma_facts(cx);
      break;
    case disease_family::large_b_cell_lymphoma:
      derive_lbcl_facts(cx);
      break;
    case disease_family::cll: {
      finding r = *cx.out.fact("refractory_to_last_line");
      put(cx, "iwcll.refractory", r);
      put(cx, "iwcll.relapsed", *cx.out.fact("relapsed"));
      break;
    }
    case disease_family::aml: {
      finding p = cx.out.line_statuses.empty()
                      ? make(truth::no, "eln.primary_refractory", "no line of therapy recorded",
                             cx.refractory.name)
                      : cx.out.line_statuses.front().refractory;
      p.source.rule = "eln.primary_refractory";
      put(cx, "eln.primary_refractory", p);
      put(cx, "eln.refractory", *cx.out.fact("refractory_to_last_line"));
      put(cx, "eln.relapsed", *cx.out.fact("relapsed"));
      break;
    }
    case disease_family::ovarian:
      derive_platinum(cx);
      break;
    case disease_family::prostate:
      derive_prostate(cx);
      break;
    default:
      break;
  }
  derive_sitc(cx);
}

}  // namespace detail
}  // namespace ctm::history
