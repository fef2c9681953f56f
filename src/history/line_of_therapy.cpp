// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Lines of therapy: the configurable reference algorithm of the domain definitions, section 3.3
// (Merck LoT algorithm, Meng et al. 2019; Hess et al. 2021; IMWG 2011 planned sequences).
#include "history/derive_detail.hpp"

#include <ctm/history/line_of_therapy.hpp>

#include <algorithm>
#include <string>
#include <utility>

namespace ctm::history {

lot_options lot_options::rwd_default() {
  lot_options o;
  o.name = "rwd-default";
  o.substitutions = {{"cisplatin", "carboplatin"},
                     {"paclitaxel", "nab_paclitaxel"},
                     {"fluorouracil", "capecitabine"}};
  o.continuation_maintenance = {"pemetrexed", "bevacizumab", "atezolizumab", "pembrolizumab"};
  o.switch_maintenance = {"pemetrexed", "docetaxel"};
  return o;
}

lot_options lot_options::hess_nsclc() {
  lot_options o;
  o.name = "hess-nsclc";
  o.gap = days(60);
  o.maintenance_gap = days(90);
  o.substitutions = {{"cisplatin", "carboplatin"}, {"fluorouracil", "capecitabine"}};
  // "Biologic/targeted added after X days from line start -> new line": NSCLC never.
  o.allowed_late_additions = {"monoclonal_antibody", "targeted_therapy",
                              "immune_checkpoint_inhibitor"};
  o.continuation_maintenance = {"pemetrexed", "bevacizumab"};
  o.switch_maintenance = {"pemetrexed"};
  return o;
}

lot_options lot_options::imwg_myeloma() {
  lot_options o;
  o.name = "imwg-myeloma";
  o.planned_sequences = true;
  o.toxicity_switch_new_line = true;
  return o;
}

std::optional<lot_options> lot_options::preset(std::string_view name) {
  if (name == "rwd-default") return rwd_default();
  if (name == "hess-nsclc") return hess_nsclc();
  if (name == "imwg-myeloma") return imwg_myeloma();
  return std::nullopt;
}

std::vector<std::string_view> lot_options::preset_names() {
  return {"rwd-default", "hess-nsclc", "imwg-myeloma"};
}

std::string_view to_string(line_boundary b) noexcept {
  switch (b) {
    case line_boundary::none:
      return "none";
    case line_boundary::gap:
      return "gap";
    case line_boundary::new_drug:
      return "new_drug";
    case line_boundary::toxicity_switch:
      return "toxicity_switch";
    case line_boundary::drug_dropped:
      return "drug_dropped";
    case line_boundary::progression:
      break;
  }
  return "progression";
}

std::string_view to_string(maintenance_kind k) noexcept {
  switch (k) {
    case maintenance_kind::none:
      return "none";
    case maintenance_kind::continuation:
      return "continuation";
    case maintenance_kind::switch_maintenance:
      break;
  }
  return "switch";
}

std::string_view to_string(line_role r) noexcept {
  switch (r) {
    case line_role::regimen:
      return "regimen";
    case line_role::carried:
      return "carried";
    case line_role::substitution:
      return "substitution";
    case line_role::late_addition:
      return "late_addition";
    case line_role::switch_maintenance:
      return "switch_maintenance";
    case line_role::planned_sequence:
      return "planned_sequence";
    case line_role::companion:
      break;
  }
  return "companion";
}

std::string_view to_string(line_scope s) noexcept {
  switch (s) {
    case line_scope::any:
      return "any";
    case line_scope::advanced:
      return "advanced";
    case line_scope::early:
      break;
  }
  return "early";
}

namespace detail {
namespace {

/// One administration's part in one line.
struct segment {
  std::size_t admin = 0;
  partial_date first;
  partial_date last;
  bool ongoing = false;
  line_role role = line_role::regimen;
};

/// A line while it is being built.
struct open_line {
  line_of_therapy line;
  std::vector<segment> segments;
  std::vector<std::uint32_t> regimen;  ///< agents of the regimen window
  std::vector<std::uint32_t> members;  ///< every agent of the line
  partial_date last_end;               ///< latest last dose so far
  partial_date window_end;             ///< start + regimen window
  std::string opened_by;               ///< how the line began
};

bool contains(const std::vector<std::uint32_t>& v, std::uint32_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

/// Whether a progression is recorded between `from` and `to`, inclusive.
truth progression_between(const context& cx, const partial_date& from, const partial_date& to) {
  truth any = truth::no;
  for (const auto& pt : cx.progressions) {
    any = any_of(any, all_of(is_on_or_before(from, pt.date), is_on_or_before(pt.date, to)));
    if (any == truth::yes) break;
  }
  return any;
}

class line_builder {
 public:
  explicit line_builder(context& cx) : cx_(cx), lot_(cx.lot) {}

  void run() {
    for (std::size_t k = 0; k < cx_.admins.size(); ++k) {
      if (cx_.admins[k].builds_lines) place(k);
    }
    if (current_) finish(line_boundary::none);
    attach_companions();
    for (std::size_t i = 0; i < cx_.out.lines.size(); ++i) describe_line(i);
  }

 private:
  void place(std::size_t k) {
    const administration& a = cx_.admins[k];
    if (!current_) {
      open(k, "the first anticancer therapy in the record", {});
      return;
    }
    open_line& l = *current_;
    const bool member = contains(l.members, a.agent);
    if (lot_.planned_sequences) {
      const truth plan = plan_continues(l, a);
      if (plan != truth::no) {
        if (plan == truth::unknown) uncertain(l, a);
        const bool phase = a.setting == therapy_setting::consolidation ||
                           a.setting == therapy_setting::maintenance || !member;
        if (phase) l.line.planned_sequence = true;
        add(l, k, member ? role_of(l, a.agent) : line_role::planned_sequence);
        return;
      }
      if (member && restarted_after_progression(l, a)) {
        close_and_open(k, line_boundary::progression,
                       "opened by more treatment after a progression (IMWG)");
        return;
      }
    }
    duration gap = lot_.gap;
    if (lot_.maintenance_gap && l.line.maintenance != maintenance_kind::none && member) {
      gap = *lot_.maintenance_gap;
    }
    const truth gap_exceeded = is_before(shift(l.last_end, gap), a.start);
    const bool exempt = std::any_of(l.regimen.begin(), l.regimen.end(), [&](std::uint32_t g) {
      return agent_matches_any(cx_, g, lot_.gap_exempt);
    });
    if (gap_exceeded == truth::yes) {
      if (!exempt) {
        close_and_open(k, line_boundary::gap,
                       "opened after more than " + to_string(gap) + " without anticancer therapy");
        return;
      }
      l.line.gap_exemption_used = true;
    } else if (gap_exceeded == truth::unknown && !exempt) {
      uncertain(l, a);
    }
    if (member) {
      if (lot_.drop_advances_line && dropped(l, k)) {
        close_and_open(k, line_boundary::drug_dropped,
                       "opened when a drug of the previous regimen was dropped");
        return;
      }
      add(l, k, role_of(l, a.agent));
      return;
    }
    const truth in_window = is_on_or_before(a.start, l.window_end);
    if (in_window != truth::no) {
      if (in_window == truth::unknown) uncertain(l, a);
      add(l, k, line_role::regimen);
      return;
    }
    if (const auto replaced = substituted(l, a.agent)) {
      if (lot_.toxicity_switch_new_line && stopped_for_toxicity(l, *replaced)) {
        close_and_open(k, line_boundary::toxicity_switch,
                       "opened by a substitution for a drug stopped for toxicity (IMWG counts a "
                       "toxicity switch as a new line)");
        return;
      }
      l.line.substitution_used = true;
      add(l, k, line_role::substitution);
      return;
    }
    if (agent_matches_any(cx_, a.agent, lot_.allowed_late_additions)) {
      l.line.late_addition_used = true;
      add(l, k, line_role::late_addition);
      return;
    }
    if (is_switch_maintenance(l, a)) {
      l.line.maintenance = maintenance_kind::switch_maintenance;
      l.line.maintenance_start = a.start;
      add(l, k, line_role::switch_maintenance);
      return;
    }
    close_and_open(k, line_boundary::new_drug,
                   "opened by a drug outside the regimen of line " + std::to_string(l.line.number) +
                       " after its " + to_string(lot_.regimen_window) + " regimen window");
  }

  [[nodiscard]] truth plan_continues(const open_line& l, const administration& a) const {
    bool phase =
        a.setting == therapy_setting::consolidation || a.setting == therapy_setting::maintenance;
    if (!phase) {
      for (const auto& t : cx_.transplants) {
        if (is_on_or_before(l.line.start, t) != truth::yes) continue;
        const truth conditioning =
            all_of(is_on_or_before(shift_back(t, lot_.conditioning_before_transplant), a.start),
                   is_on_or_before(a.start, t));
        const truth after = is_within(a.start, t, lot_.maintenance_after_transplant);
        if (any_of(conditioning, after) == truth::yes) {
          phase = true;
          break;
        }
      }
    }
    if (!phase) return truth::no;
    return negate(progression_between(cx_, l.line.start, a.start));
  }

  /// IMWG: a drug of the line given again after all its doses ended and a progression followed.
  [[nodiscard]] bool restarted_after_progression(const open_line& l,
                                                 const administration& a) const {
    std::optional<partial_date> last;
    for (const auto& s : l.segments) {
      if (cx_.admins[s.admin].agent != a.agent) continue;
      if (s.ongoing) return false;
      last = last ? later_of(*last, s.last) : s.last;
    }
    if (!last || is_before(*last, a.start) != truth::yes) return false;
    return progression_between(cx_, shift(*last, days(1)), a.start) == truth::yes;
  }

  [[nodiscard]] line_role role_of(const open_line& l, std::uint32_t agent) const {
    for (const auto& s : l.segments) {
      if (cx_.admins[s.admin].agent == agent) return s.role;
    }
    return line_role::regimen;
  }

  /// The member `agent` may replace, by the substitution pairs.
  [[nodiscard]] std::optional<std::uint32_t> substituted(const open_line& l,
                                                         std::uint32_t agent) const {
    for (const auto& [x, y] : lot_.substitutions) {
      const bool is_x = agent_matches(cx_, agent, x);
      const bool is_y = agent_matches(cx_, agent, y);
      if (!is_x && !is_y) continue;
      for (const std::uint32_t m : l.members) {
        if ((is_x && agent_matches(cx_, m, y)) || (is_y && agent_matches(cx_, m, x))) return m;
      }
    }
    return std::nullopt;
  }

  [[nodiscard]] bool stopped_for_toxicity(const open_line& l, std::uint32_t agent) const {
    return std::any_of(l.segments.begin(), l.segments.end(), [&](const segment& s) {
      const auto& a = cx_.admins[s.admin];
      return a.agent == agent && a.stopped == stop_reason::toxicity;
    });
  }

  [[nodiscard]] bool is_switch_maintenance(const open_line& l, const administration& a) const {
    if (!agent_matches_any(cx_, a.agent, lot_.switch_maintenance)) return false;
    if (lot_.switch_maintenance_first_line_only && l.line.number != 1) return false;
    if (l.line.maintenance != maintenance_kind::none) return false;
    if (is_before(l.last_end, a.start) != truth::yes) return false;  // others still running
    return progression_between(cx_, l.line.start, a.start) == truth::no;
  }

  /// Merck's optional rule: a regimen drug not given for longer than the regimen window, and not
  /// given again within the gap, was dropped.
  [[nodiscard]] bool dropped(const open_line& l, std::size_t k) const {
    const administration& a = cx_.admins[k];
    if (is_on_or_before(a.start, l.window_end) != truth::no) return false;
    for (const std::uint32_t d : l.regimen) {
      if (d == a.agent || agent_matches_any(cx_, d, lot_.continuation_maintenance)) continue;
      std::optional<partial_date> latest;
      bool running = false;
      for (const auto& s : l.segments) {
        if (cx_.admins[s.admin].agent != d) continue;
        running = running || s.ongoing;
        latest = latest ? later_of(*latest, s.last) : s.last;
      }
      if (running || !latest) continue;
      const partial_date last = *latest;
      if (is_before(shift(last, lot_.regimen_window), a.start) != truth::yes) continue;
      const partial_date horizon = shift(a.start, lot_.gap);
      bool again = false;
      for (std::size_t j = k + 1; j < cx_.admins.size(); ++j) {
        const auto& b = cx_.admins[j];
        if (is_before(horizon, b.start) == truth::yes) break;
        if (b.agent == d) again = true;
      }
      if (!again) return true;
    }
    return false;
  }

  void uncertain(open_line& l, const administration& a) {
    ++l.line.uncertain_splits;
    note(cx_.out.notes, severity::warning, errc::ambiguous_date,
         "a partial date leaves undecided whether this record starts a new line of therapy; it "
         "was kept in the current line",
         a.record + "/start");
  }

  void add(open_line& l, std::size_t k, line_role role) {
    const administration& a = cx_.admins[k];
    l.segments.push_back(segment{k, a.start, a.end, a.ongoing, role});
    if (!contains(l.members, a.agent)) {
      l.members.push_back(a.agent);
      if (role == line_role::regimen || role == line_role::carried) l.regimen.push_back(a.agent);
    }
    l.last_end = l.segments.size() == 1 ? a.end : later_of(l.last_end, a.end);
  }

  void open(std::size_t k, std::string opened_by, std::vector<segment> carried) {
    current_.emplace();
    open_line& l = *current_;
    l.line.number = static_cast<std::int32_t>(cx_.out.lines.size() + 1);
    l.line.start = cx_.admins[k].start;
    l.window_end = shift(l.line.start, lot_.regimen_window);
    l.opened_by = std::move(opened_by);
    add(l, k, line_role::regimen);
    for (auto& s : carried) {
      const std::uint32_t agent = cx_.admins[s.admin].agent;
      l.segments.push_back(s);
      if (!contains(l.members, agent)) {
        l.members.push_back(agent);
        l.regimen.push_back(agent);
      }
      l.last_end = later_of(l.last_end, s.last);
    }
  }

  void close_and_open(std::size_t k, line_boundary why, std::string opened_by) {
    open_line& l = *current_;
    const partial_date d = cx_.admins[k].start;
    std::vector<segment> carried;
    std::vector<segment> kept;
    for (auto& s : l.segments) {
      const bool continues = s.ongoing || is_before(d, s.last) == truth::yes;
      if (!continues) {
        kept.push_back(s);
        continue;
      }
      segment moved = s;
      const bool before = is_before(s.first, d) == truth::yes;
      moved.first = d;
      // A drug given from the new line's first day is part of its regimen, not carried over.
      moved.role = before ? line_role::carried : line_role::regimen;
      carried.push_back(moved);
      if (before) {
        s.last = shift_back(d, days(1));
        if (starts_before(s.last, s.first)) s.last = s.first;
        s.ongoing = false;
        kept.push_back(s);
      }
    }
    l.segments = std::move(kept);
    finish(why);
    open(k, std::move(opened_by), std::move(carried));
  }

  void finish(line_boundary why) {
    open_line& l = *current_;
    line_of_therapy& line = l.line;
    line.closed_by = why;
    line.source.rule = "lot." + lot_.name;
    line.source.reason = "line " + std::to_string(line.number) + " " + l.opened_by;
    bool first = true;
    for (const auto& s : l.segments) {
      const administration& a = cx_.admins[s.admin];
      if (std::find(line.source.records.begin(), line.source.records.end(), a.record) ==
          line.source.records.end()) {
        line.source.records.push_back(a.record);
      }
      if (!line.setting && a.setting) line.setting = a.setting;
      if (line.regimen_label.empty()) line.regimen_label = a.regimen;
      line.end = first ? s.last : later_of(line.end, s.last);
      line.ongoing = line.ongoing || s.ongoing;
      first = false;
      auto it = std::find_if(line.drugs.begin(), line.drugs.end(),
                             [&](const line_drug& d) { return d.agent == a.agent; });
      if (it == line.drugs.end()) {
        line_drug d;
        d.agent = a.agent;
        d.role = s.role;
        d.first_dose = s.first;
        d.last_dose = s.last;
        line.drugs.push_back(std::move(d));
        it = line.drugs.end() - 1;
      } else {
        if (starts_before(s.first, it->first_dose)) it->first_dose = s.first;
        it->last_dose = later_of(it->last_dose, s.last);
      }
      it->ongoing = it->ongoing || s.ongoing;
      if (a.cycles && s.role != line_role::carried) it->cycles = it->cycles.value_or(0) + *a.cycles;
      if (!s.ongoing) it->stopped = a.stopped;
      if (std::find(it->records.begin(), it->records.end(), a.record) == it->records.end()) {
        it->records.push_back(a.record);
      }
      if (a.setting == therapy_setting::maintenance && line.setting != a.setting &&
          line.maintenance == maintenance_kind::none) {
        // A recorded maintenance phase of a planned sequence: continuation when the drug was
        // already part of the line, switch otherwise.
        const bool before =
            std::any_of(l.segments.begin(), l.segments.end(), [&](const segment& o) {
              return cx_.admins[o.admin].agent == a.agent &&
                     cx_.admins[o.admin].setting != a.setting;
            });
        line.maintenance =
            before ? maintenance_kind::continuation : maintenance_kind::switch_maintenance;
        line.maintenance_start = s.first;
      }
    }
    if (!line.ongoing) {
      for (const auto& d : line.drugs) {
        if (d.stopped == stop_reason::progression) line.stopped = stop_reason::progression;
      }
      if (!line.stopped) {
        for (const auto& d : line.drugs) {
          if (d.last_dose == line.end && d.stopped) line.stopped = d.stopped;
        }
      }
    }
    detect_continuation_maintenance(line);
    cx_.out.lines.push_back(std::move(line));
    current_.reset();
  }

  /// Merck continuation maintenance: the non-maintenance drugs all stopped and only maintenance
  /// drugs went on after their last dose.
  void detect_continuation_maintenance(line_of_therapy& line) const {
    if (line.maintenance != maintenance_kind::none || lot_.continuation_maintenance.empty()) return;
    std::optional<partial_date> others_end;
    bool any_maintenance = false;
    for (const auto& d : line.drugs) {
      if (agent_matches_any(cx_, d.agent, lot_.continuation_maintenance)) {
        any_maintenance = true;
        continue;
      }
      if (d.ongoing) return;
      others_end = others_end ? later_of(*others_end, d.last_dose) : d.last_dose;
    }
    if (!others_end || !any_maintenance) return;
    std::optional<partial_date> from;
    for (const auto& d : line.drugs) {
      if (!agent_matches_any(cx_, d.agent, lot_.continuation_maintenance)) continue;
      if (is_before(*others_end, d.last_dose) != truth::yes) continue;
      // One record per dose: the maintenance starts at the next dose after the others' end. One
      // record per course: the day after the others' end.
      std::optional<partial_date> next_dose;
      for (const auto& a : cx_.admins) {
        if (a.agent != d.agent || is_before(*others_end, a.start) != truth::yes) continue;
        if (std::find(d.records.begin(), d.records.end(), a.record) == d.records.end()) continue;
        if (!next_dose || starts_before(a.start, *next_dose)) next_dose = a.start;
      }
      const partial_date candidate = next_dose ? *next_dose : shift(*others_end, days(1));
      if (!from || starts_before(candidate, *from)) from = candidate;
    }
    if (!from) return;
    line.maintenance = maintenance_kind::continuation;
    line.maintenance_start = *from;
  }

  /// Companion drugs: not anticancer (myeloma dexamethasone, R-CHOP prednisone), or unknown, given
  /// under the regimen label of one of the line's records while the line ran.
  void attach_companions() {
    auto& lines = cx_.out.lines;
    std::vector<std::pair<partial_date, bool>> orphans;  // unknown-agent starts outside lines
    for (const auto& a : cx_.admins) {
      if (a.builds_lines) continue;
      bool attached = false;
      for (auto& line : lines) {
        if (a.regimen.empty()) break;
        const bool same_label =
            std::any_of(line.drugs.begin(), line.drugs.end(), [&](const line_drug& d) {
              return std::any_of(d.records.begin(), d.records.end(), [&](const std::string& r) {
                for (const auto& b : cx_.admins) {
                  if (b.record == r) return b.regimen == a.regimen;
                }
                return false;
              });
            });
        if (!same_label) continue;
        if (all_of(is_on_or_before(line.start, a.start), is_on_or_before(a.start, line.end)) ==
            truth::no) {
          continue;
        }
        auto it = std::find_if(line.drugs.begin(), line.drugs.end(), [&](const line_drug& d) {
          return d.agent == a.agent && d.role == line_role::companion;
        });
        if (it == line.drugs.end()) {
          line_drug d;
          d.agent = a.agent;
          d.role = line_role::companion;
          d.first_dose = a.start;
          d.last_dose = a.end;
          line.drugs.push_back(std::move(d));
          it = line.drugs.end() - 1;
        } else {
          it->last_dose = later_of(it->last_dose, a.end);
        }
        it->ongoing = it->ongoing || a.ongoing;
        if (a.cycles) it->cycles = it->cycles.value_or(0) + *a.cycles;
        if (!a.ongoing) it->stopped = a.stopped;
        it->records.push_back(a.record);
        attached = true;
        break;
      }
      if (attached || cx_.out.agents[a.agent].is_resolved()) continue;
      // An unknown drug outside every line may be an anticancer line the catalog cannot see.
      bool inside = false;
      for (const auto& line : lines) {
        const truth after = is_on_or_before(line.start, a.start);
        const truth before = is_on_or_before(a.start, line.end);
        if (all_of(after, before) != truth::no) inside = true;
      }
      if (!inside) orphans.emplace_back(a.start, true);
    }
    std::optional<partial_date> episode;
    for (const auto& [start, flag] : orphans) {
      if (!episode || is_before(shift(*episode, lot_.regimen_window), start) != truth::no) {
        ++cx_.unknown_agent_episodes;
        episode = start;
      }
    }
  }

  /// Setting, procedures, progression and relapse of a finished line.
  void describe_line(std::size_t i) {
    auto& lines = cx_.out.lines;
    line_of_therapy& line = lines[i];
    const partial_date* next = i + 1 < lines.size() ? &lines[i + 1].start : nullptr;
    const bool haematological = cx_.out.disease == disease_family::myeloma ||
                                cx_.out.disease == disease_family::large_b_cell_lymphoma ||
                                cx_.out.disease == disease_family::cll ||
                                cx_.out.disease == disease_family::aml ||
                                cx_.out.disease == disease_family::other_haematological;
    std::optional<partial_date> advanced_date;
    for (const auto& d : cx_.p.diagnoses) {
      if (d.advanced_date && (!advanced_date || starts_before(*d.advanced_date, *advanced_date))) {
        advanced_date = d.advanced_date;
      }
    }
    const truth after_advanced =
        advanced_date ? is_on_or_before(*advanced_date, line.start) : truth::unknown;
    if (line.setting) {
      switch (*line.setting) {
        case therapy_setting::advanced:
          line.advanced = truth::yes;
          break;
        case therapy_setting::neoadjuvant:
        case therapy_setting::adjuvant:
        case therapy_setting::definitive:
          line.advanced = truth::no;
          break;
        case therapy_setting::induction:
        case therapy_setting::consolidation:
        case therapy_setting::maintenance:
          line.advanced = haematological ? truth::yes : after_advanced;
          break;
      }
    } else {
      line.advanced = after_advanced;
      if (after_advanced == truth::yes) {
        line.setting = therapy_setting::advanced;
        line.setting_inferred = true;
      }
    }
    for (std::size_t j = 0; j < cx_.p.procedures.size(); ++j) {
      const auto& pr = cx_.p.procedures[j];
      if (pr.kind != procedure_kind::autologous_transplant &&
          pr.kind != procedure_kind::allogeneic_transplant &&
          pr.kind != procedure_kind::car_t_infusion) {
        continue;
      }
      if (!pr.start || cx_.as_of < pr.start->earliest) continue;
      if (is_on_or_before(line.start, *pr.start) != truth::yes) continue;
      if (next && is_before(*pr.start, *next) != truth::yes) continue;
      line.procedures.push_back(pointer("procedures", j));
    }
    for (const auto& pt : cx_.progressions) {
      if (pt.date.earliest < line.start.earliest) continue;
      if (next && !(pt.date.earliest < next->earliest)) break;
      line.progression = pt.date;
      line.progression_record = pt.record;
      break;
    }
    // Relapse for the adjuvant rule: the first progression or recurrence after the line began.
    auto consider = [&](const partial_date& d) {
      if (d.earliest < line.start.earliest || cx_.as_of < d.earliest) return;
      if (!line.relapse || starts_before(d, *line.relapse)) line.relapse = d;
    };
    for (const auto& pt : cx_.progressions) consider(pt.date);
    for (const auto& d : cx_.p.diagnoses) {
      if (d.kind == diagnosis_kind::recurrence && d.date) consider(*d.date);
      if (d.advanced_date && line.advanced == truth::no) consider(*d.advanced_date);
    }
  }

  context& cx_;
  const lot_options& lot_;
  std::optional<open_line> current_;
};

}  // namespace

void build_lines(context& cx) { line_builder(cx).run(); }

}  // namespace detail
}  // namespace ctm::history
