// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Answers rule-language queries from a patient's record and derived facts (the bridge between
// the history and rules modules).
#include <ctm/history/labs.hpp>
#include <ctm/history/performance_status.hpp>
#include <ctm/history/recist.hpp>
#include <ctm/history/response_category.hpp>
#include <ctm/rules/patient_fact_source.hpp>

#include <algorithm>
#include <cctype>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace ctm::rules {
namespace {

using history::patient_facts;

std::string lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

std::string pointer(std::string_view list, std::size_t i) {
  return "/" + std::string(list) + "/" + std::to_string(i);
}

/// Later of two optional partial dates (by their latest day).
bool later(const std::optional<partial_date>& a, const std::optional<partial_date>& b) {
  if (!a) return false;
  if (!b) return true;
  return a->latest > b->latest;
}

fact_answer from_truth(truth v, const history::provenance& source) {
  if (v == truth::unknown) return fact_answer::missing_fact();
  fact_answer a;
  a.value = v;
  a.evidence = source.records;
  return a;
}

// The first day after `as_of` on which someone born on `birth` is a year older (a 29 February
// birthday is reached on 1 March in common years, as `age_in_years` counts).
date next_birthday(date birth, date as_of) {
  const int age = age_in_years(birth, as_of);
  date on = add_years(birth, age + 1);
  while (age_in_years(birth, on) <= age) on = add_days(on, 1);
  return on;
}

fact_answer number(double low, double high) {
  fact_answer a;
  a.value = number_range{low, high};
  return a;
}

ctm::metastatic_site to_patient_site(metastatic_site s) {
  switch (s) {
    case metastatic_site::brain:
      return ctm::metastatic_site::brain;
    case metastatic_site::leptomeningeal:
      return ctm::metastatic_site::leptomeningeal;
    case metastatic_site::liver:
      return ctm::metastatic_site::liver;
    case metastatic_site::bone:
      return ctm::metastatic_site::bone;
    case metastatic_site::lung:
      return ctm::metastatic_site::lung;
    case metastatic_site::lymph_node:
      return ctm::metastatic_site::lymph_node;
    case metastatic_site::adrenal:
      return ctm::metastatic_site::adrenal;
    case metastatic_site::peritoneum:
      return ctm::metastatic_site::peritoneum;
    case metastatic_site::pleura:
      return ctm::metastatic_site::pleura;
    case metastatic_site::skin:
      return ctm::metastatic_site::skin;
  }
  return ctm::metastatic_site::other;
}

class answerer {
 public:
  answerer(const patient& p, const patient_facts& f, const history::vocabularies& v,
           const std::vector<concept_id>& dx, date as_of)
      : p_(p), f_(f), v_(v), dx_(dx), as_of_(as_of) {}

  fact_answer operator()(const age_query&) const {
    if (!p_.birth_date) return fact_answer::missing_fact("birth date");
    const day_range r = age_in_years(*p_.birth_date, as_of_);
    fact_answer a = number(r.min, r.max);
    // The next birthday of either end of the possible birth dates.
    const date on = std::min(next_birthday(p_.birth_date->earliest, as_of_),
                             next_birthday(p_.birth_date->latest, as_of_));
    const day_range then = age_in_years(*p_.birth_date, on);
    a.next = fact_answer::change{
        on, number_range{static_cast<double>(then.min), static_cast<double>(then.max)}};
    return a;
  }

  fact_answer operator()(const sex_query&) const {
    if (p_.sex == ctm::sex::unknown) return fact_answer::missing_fact();
    fact_answer a;
    a.value = symbol{std::string(ctm::to_string(p_.sex))};
    return a;
  }

  fact_answer operator()(const ecog_query&) const {
    // ecog[n] answers "ECOG <= n": the value is in [first n answering no + 1, first yes].
    if (f_.ecog.size() < 6) return fact_answer::missing_fact();
    int low = 0;
    int high = 5;
    bool decided = false;
    for (int n = 0; n <= 5; ++n) {
      const auto& e = f_.ecog[static_cast<std::size_t>(n)];
      if (e.value == truth::no) {
        low = n + 1;
        decided = true;
      }
    }
    for (int n = 5; n >= 0; --n) {
      if (f_.ecog[static_cast<std::size_t>(n)].value == truth::yes) {
        high = n;
        decided = true;
      }
    }
    if (!decided || low > high) return fact_answer::missing_fact();
    fact_answer a = number(low, high);
    const auto& used = f_.ecog[static_cast<std::size_t>(high)];
    a.date = used.date;
    a.evidence = used.source.records;
    return a;
  }

  fact_answer operator()(const karnofsky_query&) const {
    int low = -1;
    int high = 100;
    std::optional<partial_date> when;
    history::provenance source;
    for (int k = 0; k <= 100; k += 10) {
      const auto a = history::karnofsky_at_least(p_, k, as_of_);
      if (a.value == truth::yes) {
        low = k;
        when = a.date;
        source = a.source;
      } else if (a.value == truth::no) {
        high = std::min(high, k - 10);
        break;
      }
    }
    if (low < 0 && high == 100) return fact_answer::missing_fact();
    fact_answer a = number(std::max(low, 0), high);
    a.date = when;
    a.evidence = source.records;
    return a;
  }

  fact_answer operator()(const stage_query&) const {
    for (std::size_t i = 0; i < p_.diagnoses.size(); ++i) {
      const auto& d = p_.diagnoses[i];
      if (d.stage.empty()) continue;
      // Stage systems that are not overall TNM groups (R-ISS, Ann Arbor) are still stage words.
      fact_answer a;
      a.value = symbol{d.stage};
      a.date = d.date;
      a.evidence.push_back(pointer("diagnoses", i) + "/stage");
      return a;
    }
    return fact_answer::missing_fact();
  }

  fact_answer operator()(const measurable_disease_query&) const {
    const auto m = history::measurable_disease(p_.tumour_assessments, as_of_);
    if (m.value == truth::unknown) return fact_answer::missing_fact();
    fact_answer a;
    a.value = m.value;
    a.date = m.date;
    a.evidence = m.source.records;
    return a;
  }

  fact_answer operator()(const lab_query& q) const {
    if (!v_.labs || q.analyte.value >= v_.labs->size()) return fact_answer::missing_fact();
    history::lab_options options;
    if (q.within) options.window = *q.within;
    const history::lab_fact l =
        resolved_labs()
            ? history::latest_lab(p_, f_.lab_results, q.analyte, *v_.labs, as_of_, options)
            : history::latest_lab(p_, q.analyte, *v_.labs, as_of_, options);
    if (!l.value || !l.unit) {
      if (q.code == "creatinine_clearance") return clearance(options);
      return fact_answer::missing_fact();
    }
    if (!l.value->is_exact()) return fact_answer::missing_fact();
    measurement m;
    m.value = quantity{l.value->low, *l.unit};
    if (l.uln && l.uln->is_exact()) m.uln = l.uln->low;
    if (l.lln && l.lln->is_exact()) m.lln = l.lln->low;
    fact_answer a;
    a.value = m;
    a.date = l.date;
    a.evidence = l.source.records;
    return a;
  }

  fact_answer operator()(const diagnosis_query&) const {
    fact_answer a;
    concepts c;
    c.ids = dx_;
    a.value = std::move(c);
    for (std::size_t i = 0; i < p_.diagnoses.size(); ++i)
      a.evidence.push_back(pointer("diagnoses", i));
    return a;
  }

  fact_answer operator()(const metastasis_query& q) const {
    const ctm::metastatic_site site = to_patient_site(q.site);
    for (std::size_t i = 0; i < p_.metastases.size(); ++i) {
      if (p_.metastases[i].site != site) continue;
      fact_answer a;
      a.value = truth::yes;
      a.date = p_.metastases[i].date;
      a.evidence.push_back(pointer("metastases", i));
      return a;
    }
    // The metastases list is the record of known sites; a record that lists some sites and not
    // this one says it is absent. A record without any metastasis says nothing.
    if (p_.metastases.empty()) return fact_answer::missing_fact();
    fact_answer a;
    a.value = truth::no;
    return a;
  }

  fact_answer operator()(const biomarker_query& q) const {
    const std::string gene = lower(q.gene);
    const std::string alteration = lower(q.alteration);
    const auto kind_matches = [&](ctm::biomarker_kind k) {
      switch (q.kind) {
        case biomarker_kind::any:
          return k != ctm::biomarker_kind::tmb && k != ctm::biomarker_kind::pd_l1;
        case biomarker_kind::mutation:
          return k == ctm::biomarker_kind::mutation;
        case biomarker_kind::amplification:
          return k == ctm::biomarker_kind::amplification;
        case biomarker_kind::deletion:
          return k == ctm::biomarker_kind::deletion || k == ctm::biomarker_kind::mutation;
        case biomarker_kind::fusion:
          return k == ctm::biomarker_kind::fusion;
        case biomarker_kind::expression:
          return k == ctm::biomarker_kind::expression;
        case biomarker_kind::msi:
          return k == ctm::biomarker_kind::msi;
        case biomarker_kind::mmr:
          return k == ctm::biomarker_kind::mmr;
      }
      return false;
    };
    const auto alteration_matches = [&](const std::string& recorded) {
      if (alteration.empty()) return true;
      std::string r = lower(recorded);
      if (r.rfind('p', 0) == 0 && alteration.rfind('p', 0) != 0 && r.size() > 1 &&
          std::isdigit(static_cast<unsigned char>(r.back())) == 0) {
        r.erase(0, 1);  // "p.V600E" -> "v600e"
      }
      return !r.empty() &&
             (r.find(alteration) != std::string::npos || alteration.find(r) != std::string::npos);
    };
    int best = -1;  // 3 detected, 2 not_detected, 1 indeterminate, 0 gene tested otherwise
    std::size_t which = 0;
    for (std::size_t i = 0; i < p_.biomarkers.size(); ++i) {
      const auto& b = p_.biomarkers[i];
      if (!kind_matches(b.kind)) continue;
      if (!gene.empty() && lower(b.gene) != gene) continue;
      int rank = 0;
      if (b.alteration.empty() || alteration_matches(b.alteration)) {
        switch (b.status) {
          case test_status::detected:
            rank = (b.alteration.empty() && !alteration.empty()) ? 0 : 3;
            break;
          case test_status::not_detected:
            rank = 2;
            break;
          case test_status::indeterminate:
            rank = 1;
            break;
        }
      }
      if (rank > best) {
        best = rank;
        which = i;
      }
    }
    fact_answer a;
    static constexpr std::string_view names[] = {"not_detected", "indeterminate", "not_detected",
                                                 "detected"};
    if (best < 0) {
      a.value = symbol{"untested"};
      return a;
    }
    a.value = symbol{std::string(names[best])};
    a.date = p_.biomarkers[which].date;
    a.evidence.push_back(pointer("biomarkers", which));
    return a;
  }

  fact_answer operator()(const biomarker_score_query& q) const {
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < p_.biomarkers.size(); ++i) {
      const auto& b = p_.biomarkers[i];
      if (!b.value || b.status == test_status::indeterminate) continue;
      const std::string scoring = lower(b.scoring);
      bool ok = false;
      switch (q.score) {
        case biomarker_score::tmb:
          ok = b.kind == ctm::biomarker_kind::tmb;
          break;
        case biomarker_score::pd_l1_tps:
          ok = b.kind == ctm::biomarker_kind::pd_l1 &&
               (scoring == "tps" || (scoring.empty() && b.value->unit == unit::percent));
          break;
        case biomarker_score::pd_l1_cps:
          ok = b.kind == ctm::biomarker_kind::pd_l1 && scoring == "cps";
          break;
        case biomarker_score::pd_l1_ic:
          ok = b.kind == ctm::biomarker_kind::pd_l1 && scoring == "ic";
          break;
      }
      if (ok && (!found || !later(p_.biomarkers[*found].date, b.date))) found = i;
    }
    if (!found) return fact_answer::missing_fact();
    fact_answer a;
    a.value = measurement{*p_.biomarkers[*found].value, std::nullopt, std::nullopt};
    a.date = p_.biomarkers[*found].date;
    a.evidence.push_back(pointer("biomarkers", *found));
    return a;
  }

  fact_answer operator()(const brain_metastases_query&) const {
    for (std::size_t i = 0; i < p_.metastases.size(); ++i) {
      const auto& m = p_.metastases[i];
      if (m.site != ctm::metastatic_site::brain) continue;
      fact_answer a;
      a.evidence.push_back(pointer("metastases", i));
      if (m.treated == truth::yes && m.stable_since && m.symptomatic != truth::yes) {
        a.value = symbol{"treated_stable"};
        a.date = m.stable_since;
      } else if (m.treated == truth::no || m.symptomatic == truth::yes) {
        a.value = symbol{"active"};
        a.date = m.date;
      } else {
        return fact_answer::missing_fact("whether brain metastases are treated and stable");
      }
      return a;
    }
    if (p_.metastases.empty()) return fact_answer::missing_fact();
    fact_answer a;
    a.value = symbol{"absent"};
    return a;
  }

  fact_answer operator()(const steroid_dose_query&) const {
    for (std::size_t i = 0; i < p_.metastases.size(); ++i) {
      const auto& m = p_.metastases[i];
      if (!m.steroid_dose) continue;
      fact_answer a;
      a.value = measurement{*m.steroid_dose, std::nullopt, std::nullopt};
      a.evidence.push_back(pointer("metastases", i) + "/steroid_dose");
      return a;
    }
    return fact_answer::missing_fact();
  }

  fact_answer operator()(const condition_query& q) const {
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < p_.conditions.size(); ++i) {
      if (!condition_matches(q.kind, p_.conditions[i])) continue;
      const auto& c = p_.conditions[i];
      if (!found || !later(p_.conditions[*found].date, c.date)) found = i;
    }
    if (!found) {
      // Pregnancy and lactation are absent for a patient recorded as male; for anyone else an
      // unrecorded state is missing, never assumed absent.
      const bool cannot =
          (q.kind == condition_kind::pregnancy || q.kind == condition_kind::lactation) &&
          p_.sex == ctm::sex::male;
      if (!cannot) return fact_answer::missing_fact();
      fact_answer a;
      a.value = symbol{"absent"};
      a.evidence.emplace_back("/sex");
      return a;
    }
    const auto& c = p_.conditions[*found];
    std::string status(ctm::to_string(c.status));
    if (q.within && c.status == condition_status::resolved && c.end &&
        c.end->latest < subtract(as_of_, *q.within)) {
      status = "absent";  // resolved before the window began
    }
    fact_answer a;
    a.value = symbol{status};
    a.date = c.date ? c.date : c.onset;
    a.evidence.push_back(pointer("conditions", *found));
    if (q.within && status == "resolved" && c.end) {
      // It leaves the window on the first day its end falls before as-of minus the window.
      date on = add_days(add(c.end->latest, *q.within), 1);
      while (!(c.end->latest < subtract(on, *q.within))) on = add_days(on, 1);
      a.next = fact_answer::change{on, symbol{"absent"}};
    }
    return a;
  }

  fact_answer operator()(const prior_lines_query& q) const {
    history::count_range r;
    switch (q.setting) {
      case therapy_setting::any:
        r = f_.count_lines(history::line_scope::any);
        break;
      case therapy_setting::advanced:
        r = f_.count_lines(history::line_scope::advanced);
        break;
      default: {
        const auto wanted = static_cast<ctm::therapy_setting>(static_cast<int>(q.setting) - 1);
        int exact = 0;
        int unsure = 0;
        for (const auto& l : f_.lines) {
          if (!l.setting) {
            ++unsure;
          } else if (*l.setting == wanted) {
            ++exact;
          }
        }
        r = {exact, exact + unsure};
        break;
      }
    }
    fact_answer a = number(r.min, r.max + f_.unresolved_drug_episodes);
    for (const auto& l : f_.lines) {
      a.evidence.insert(a.evidence.end(), l.source.records.begin(), l.source.records.end());
    }
    return a;
  }

  fact_answer operator()(const agent_status_query& q) const {
    if (!q.agent.is_valid()) return fact_answer::missing_fact();
    history::finding fi;
    switch (q.status) {
      case agent_status::exposed: {
        history::exposure_requirement req;
        req.min_duration = q.min_exposure;
        fi = f_.exposed(q.agent, req);
        break;
      }
      case agent_status::refractory:
        fi = f_.refractory(q.agent);
        break;
      case agent_status::intolerant:
        fi = f_.intolerant(q.agent);
        break;
      case agent_status::progressed_on:
        fi = f_.progressed_on(q.agent);
        break;
    }
    return from_truth(fi.value, fi.source);
  }

  fact_answer operator()(const last_line_query& q) const {
    if (f_.lines.empty()) {
      fact_answer a;
      a.value = truth::no;
      return a;
    }
    const auto& st = f_.line_statuses.back();
    const history::finding* fi = &st.refractory;
    switch (q.status) {
      case agent_status::exposed: {
        fact_answer a;
        a.value = truth::yes;
        a.evidence = f_.lines.back().source.records;
        return a;
      }
      case agent_status::refractory:
        break;
      case agent_status::progressed_on:
        fi = &st.progressed;
        break;
      case agent_status::intolerant: {
        const auto& l = f_.lines.back();
        if (!l.stopped) return fact_answer::missing_fact();
        fact_answer a;
        a.value = to_truth(*l.stopped == stop_reason::toxicity);
        a.evidence = l.source.records;
        return a;
      }
    }
    return from_truth(fi->value, fi->source);
  }

  fact_answer operator()(const preset_query& q) const {
    const auto named = [&](std::initializer_list<std::string_view> names) -> fact_answer {
      for (const auto n : names) {
        if (const history::finding* fi = f_.fact(n)) return from_truth(fi->value, fi->source);
      }
      return fact_answer::missing_fact();
    };
    switch (q.name) {
      case preset::primary_refractory:
        return named({"imwg.primary_refractory", "scholar1.primary_refractory",
                      "eln.primary_refractory", "primary_refractory"});
      case preset::relapsed:
        return named({"imwg.relapsed", "iwcll.relapsed", "eln.relapsed", "relapsed"});
      case preset::relapsed_refractory:
        return relapsed_refractory();
      case preset::triple_class_exposed:
        return named({"imwg.triple_class_exposed"});
      case preset::triple_class_refractory:
        return named({"imwg.triple_class_refractory"});
      case preset::penta_refractory:
        return named({"imwg.penta_refractory"});
      case preset::platinum_sensitive:
        return named({"gcig.platinum_sensitive"});
      case preset::platinum_resistant:
        return named({"gcig.platinum_resistant"});
      case preset::platinum_refractory:
        return named({"gcig.platinum_refractory"});
      case preset::castration_resistant:
        return named({"pcwg3.castration_resistant"});
      case preset::anti_pd1_primary_resistance:
        return named({"sitc.primary_resistance"});
      case preset::anti_pd1_secondary_resistance:
        return named({"sitc.secondary_resistance"});
    }
    return fact_answer::missing_fact();
  }

  fact_answer operator()(const best_response_query& q) const {
    if (f_.lines.empty()) return fact_answer::missing_fact("a line of therapy");
    const std::int32_t n = q.line == 0 ? f_.lines.back().number : static_cast<std::int32_t>(q.line);
    const auto* line = f_.line(n);
    if (line == nullptr) return fact_answer::missing_fact();
    const auto r = f_.best_response(n);
    if (!r) return fact_answer::missing_fact();
    fact_answer a;
    a.value = symbol{std::string(history::abbreviation(*r))};
    a.date = line->best_response.date;
    a.evidence = line->best_response.source.records;
    return a;
  }

  fact_answer operator()(const time_since_query& q) const {
    const auto from_fact = [](const history::time_since_fact& t) {
      fact_answer a;
      a.value = event{t.date};
      a.evidence = t.source.records;
      return a;
    };
    using hk = history::event_kind;
    switch (q.event) {
      case event_kind::last_dose:
        if (q.agent.is_valid()) return from_fact(f_.last_dose(q.agent));
        return from_fact(f_.last(hk::anticancer_therapy));
      case event_kind::radiotherapy:
        return from_fact(f_.last(hk::radiotherapy));
      case event_kind::surgery:
        return from_fact(f_.last(hk::surgery));
      case event_kind::major_surgery:
        return from_fact(f_.last(hk::major_surgery));
      case event_kind::minor_surgery:
        return from_fact(f_.last(hk::minor_surgery));
      case event_kind::transplant:
        return from_fact(f_.last(hk::transplant));
      case event_kind::autologous_transplant:
        return from_fact(f_.last(hk::autologous_transplant));
      case event_kind::allogeneic_transplant:
        return from_fact(f_.last(hk::allogeneic_transplant));
      case event_kind::car_t_infusion:
        return from_fact(f_.last(hk::car_t));
      case event_kind::progression:
        return last_progression();
      case event_kind::diagnosis:
        return first_diagnosis();
    }
    return fact_answer::missing_fact();
  }

  // ELIG-10 "5 half-lives": the smallest number of half-lives since the last dose over the drugs
  // that match. A drug still given has had none. A drug whose half-life is unknown (or that is
  // not in the catalog but may match) could have had anything from none upwards, so the answer
  // is the range from 0; when no drug is known at all the fact is missing.
  fact_answer operator()(const half_lives_query& q) const {
    const double inf = std::numeric_limits<double>::infinity();
    number_range least{inf, inf};
    fact_answer a;
    std::string unknown;  // a matching drug without a half-life
    for (const auto& ag : f_.agents) {
      if (!ag.last_dose) continue;
      std::optional<double> half_life;
      if (!ag.is_resolved()) {
        // Not in the catalog: it may be anticancer (when it built a line) or in the class.
        if (!(q.agent.is_valid() ? q.is_class : !ag.lines.empty())) continue;
      } else {
        const bool matches = q.agent.is_valid()
                                 ? ag.id == q.agent || (v_.drugs && v_.drugs->is_a(ag.id, q.agent))
                                 : ag.anticancer;
        if (!matches) continue;
        if (v_.drugs) half_life = v_.drugs->half_life_days(ag.id);
      }
      a.evidence.insert(a.evidence.end(), ag.records.begin(), ag.records.end());
      if (!half_life || !(*half_life > 0.0)) {
        if (unknown.empty()) unknown = "the half-life of " + ag.code;
        least.low = 0.0;
        continue;
      }
      double low = 0.0;
      double high = 0.0;
      if (!ag.ongoing) {
        const day_range d = days_between(*ag.last_dose, partial_date::exact(as_of_));
        low = std::max(0, d.min) / *half_life;
        high = std::max(0, d.max) / *half_life;
      }
      least.low = std::min(least.low, low);
      least.high = std::min(least.high, high);
    }
    if (!unknown.empty() && least.high == inf) return fact_answer::missing_fact(unknown);
    a.value = least;
    return a;
  }

 private:
  static bool condition_matches(condition_kind k, const ctm::condition& c) {
    switch (k) {
      case condition_kind::hiv:
        return c.kind == ctm::condition_kind::hiv;
      case condition_kind::hepatitis_b:
        return c.kind == ctm::condition_kind::hepatitis_b;
      case condition_kind::hepatitis_c:
        return c.kind == ctm::condition_kind::hepatitis_c;
      case condition_kind::pregnancy:
        return c.kind == ctm::condition_kind::pregnancy;
      case condition_kind::lactation:
        return c.kind == ctm::condition_kind::lactation;
      case condition_kind::autoimmune_disease:
        return c.kind == ctm::condition_kind::autoimmune_disease;
      case condition_kind::organ_transplant:
        return c.kind == ctm::condition_kind::organ_transplant;
      case condition_kind::second_malignancy:
        return c.kind == ctm::condition_kind::second_malignancy;
      case condition_kind::gilbert_syndrome:
        return c.kind == ctm::condition_kind::other &&
               lower(c.text).find("gilbert") != std::string::npos;
      case condition_kind::interstitial_lung_disease:
        return c.kind == ctm::condition_kind::other &&
               (lower(c.text).find("interstitiallung") != std::string::npos ||
                lower(c.text).find("pneumonitis") != std::string::npos);
    }
    return false;
  }

  // Whether the facts resolved every lab result of the record (derived with a lab catalog).
  bool resolved_labs() const noexcept { return f_.lab_results.results().size() == p_.labs.size(); }

  fact_answer clearance(const history::lab_options& labs) const {
    history::creatinine_clearance_options o;
    o.labs = labs;
    const auto c = resolved_labs()
                       ? history::creatinine_clearance(p_, f_.lab_results, *v_.labs, as_of_, o)
                       : history::creatinine_clearance(p_, *v_.labs, as_of_, o);
    if (!c.value || !c.value->is_exact()) return fact_answer::missing_fact();
    fact_answer a;
    a.value = measurement{quantity{c.value->low, unit::millilitre_per_minute}, std::nullopt,
                          std::nullopt};
    a.evidence = c.source.records;
    return a;
  }

  fact_answer relapsed_refractory() const {
    if (const auto* fi = f_.fact("imwg.relapsed_and_refractory")) {
      return from_truth(fi->value, fi->source);
    }
    const auto* rel = f_.fact("relapsed");
    const auto* ref = f_.fact("refractory_to_last_line");
    if (rel == nullptr && ref == nullptr) return fact_answer::missing_fact();
    const truth v = any_of(rel ? rel->value : truth::unknown, ref ? ref->value : truth::unknown);
    history::provenance p;
    if (rel) p.records = rel->source.records;
    if (ref)
      p.records.insert(p.records.end(), ref->source.records.begin(), ref->source.records.end());
    return from_truth(v, p);
  }

  fact_answer last_progression() const {
    std::optional<partial_date> when;
    std::vector<std::string> evidence;
    for (std::size_t i = 0; i < p_.progressions.size(); ++i) {
      const auto& d = p_.progressions[i].date;
      if (!d || d->earliest > as_of_) continue;
      if (later(d, when)) {
        when = d;
        evidence = {pointer("progressions", i)};
      }
    }
    for (const auto& l : f_.lines) {
      if (later(l.progression, when)) {
        when = l.progression;
        evidence.clear();
        if (l.progression_record) evidence.push_back(*l.progression_record);
      }
    }
    fact_answer a;
    a.value = event{when};
    a.evidence = std::move(evidence);
    return a;
  }

  fact_answer first_diagnosis() const {
    std::optional<partial_date> when;
    std::optional<std::size_t> which;
    for (std::size_t i = 0; i < p_.diagnoses.size(); ++i) {
      const auto& d = p_.diagnoses[i].date;
      if (!d) continue;
      if (!when || d->earliest < when->earliest) {
        when = d;
        which = i;
      }
    }
    if (!when) return fact_answer::missing_fact("date of diagnosis");
    fact_answer a;
    a.value = event{when};
    a.evidence.push_back(pointer("diagnoses", *which));
    return a;
  }

  const patient& p_;
  const patient_facts& f_;
  const history::vocabularies& v_;
  const std::vector<concept_id>& dx_;
  date as_of_;
};

}  // namespace

patient_fact_source::patient_fact_source(const patient& record, const history::patient_facts& facts,
                                         const history::vocabularies& vocab)
    : record_(&record), facts_(&facts), vocab_(&vocab) {
  for (const auto& d : record.diagnoses) {
    std::optional<concept_id> id;
    if (vocab.diseases) {
      if (!d.code.empty()) id = vocab.diseases->lookup(d.code);
      if (!id && !d.text.empty()) id = vocab.diseases->lookup(d.text);
    }
    diagnoses_.push_back(
        id ? *id
           : concept_id{static_cast<std::uint32_t>(vocab.diseases ? vocab.diseases->size() : 0)});
  }
}

fact_answer patient_fact_source::answer(const query& q, date as_of) const {
  return std::visit(answerer(*record_, *facts_, *vocab_, diagnoses_, as_of), q);
}

}  // namespace ctm::rules
