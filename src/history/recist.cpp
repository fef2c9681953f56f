// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "history/fact_notes.hpp"

#include <ctm/history/recist.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <string>
#include <utility>

namespace ctm::history {

namespace {

// Decimal millimetres are not exact in binary; a boundary such as -30.0% must stay inclusive.
constexpr double tolerance = 1e-9;
bool at_or_above(double value, double threshold) { return value >= threshold - tolerance; }

bool valid_diameter(const std::optional<double>& d) { return d && std::isfinite(*d) && *d >= 0.0; }

// The key that follows a lesion across assessments: its id, else its site.
std::string key_of(const lesion& l) {
  if (!l.id.empty()) return "id:" + l.id;
  if (!l.site.empty()) return "site:" + l.site;
  return {};
}

// One lesion (or its fragments) at one assessment.
struct observed {
  bool nodal = false;
  std::optional<double> value_mm;  // measured, too-small default, or 0; nullopt = not measured
  bool has_diameter = false;       // every fragment has a recorded diameter
  std::optional<lesion_status> status;
  bool progression = false;
  bool equivocal = false;
  std::vector<std::string> pointers;
};

struct usable_assessment {
  std::size_t index = 0;
  date when{};
};

std::map<std::string, observed> lesions_of(const tumour_assessment& a, std::size_t index,
                                           lesion_role role, const recist_options& options) {
  std::map<std::string, observed> out;
  for (std::size_t j = 0; j < a.lesions.size(); ++j) {
    const lesion& l = a.lesions[j];
    if (l.role != role) continue;
    const std::string key = key_of(l);
    if (key.empty()) continue;
    auto [it, fresh] = out.try_emplace(key);
    observed& o = it->second;
    o.nodal = o.nodal || l.nodal;
    o.pointers.push_back(detail::pointer_to("tumour_assessments", index) + "/lesions/" +
                         std::to_string(j));
    std::optional<double> value;
    if (valid_diameter(l.diameter_mm)) {
      value = *l.diameter_mm;
    } else if (!l.diameter_mm && l.status == lesion_status::present) {
      value = options.too_small_to_measure_mm;
    } else if (!l.diameter_mm && l.status == lesion_status::absent) {
      value = 0.0;
    }
    if (l.status == lesion_status::unequivocal_progression) o.progression = true;
    if (l.status) o.status = l.status;
    o.equivocal = l.equivocal && (fresh || o.equivocal);
    // Fragments of one lesion add up (domain 1.3); a fragment without a value leaves it unmeasured.
    const bool measured = valid_diameter(l.diameter_mm);
    o.has_diameter = fresh ? measured : o.has_diameter && measured;
    if (fresh) {
      o.value_mm = value;
    } else if (o.value_mm && value) {
      *o.value_mm += *value;
    } else {
      o.value_mm.reset();
    }
  }
  return out;
}

void note_invalid_lesions(const tumour_assessment& a, std::size_t index,
                          std::vector<diagnostic>& notes) {
  for (std::size_t j = 0; j < a.lesions.size(); ++j) {
    const lesion& l = a.lesions[j];
    const std::string pointer =
        detail::pointer_to("tumour_assessments", index) + "/lesions/" + std::to_string(j);
    if (l.diameter_mm && !valid_diameter(l.diameter_mm)) {
      detail::add_note(notes, severity::error, errc::invalid_value,
                       "a lesion diameter must be a finite number >= 0; the lesion counts as not "
                       "measured",
                       pointer + "/diameter_mm");
    }
    if (l.slice_thickness_mm &&
        !(std::isfinite(*l.slice_thickness_mm) && *l.slice_thickness_mm > 0.0)) {
      detail::add_note(notes, severity::error, errc::invalid_value,
                       "a slice thickness must be a finite number > 0; it is ignored",
                       pointer + "/slice_thickness_mm");
    }
    if (key_of(l).empty()) {
      detail::add_note(notes, severity::warning, errc::missing_value,
                       "a lesion without id or site cannot be followed across assessments; it is "
                       "ignored",
                       pointer);
    }
  }
}

template <class T>
void add_flag(std::vector<recist_flag>& flags, T flag) {
  if (std::find(flags.begin(), flags.end(), flag) == flags.end()) flags.push_back(flag);
}

std::string percent(double fraction) {
  // Thresholds only (never patient values): 0.3 -> "30%".
  const double p = fraction * 100.0;
  std::string s = std::to_string(p);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s + "%";
}

std::string millimetres(double mm) {
  std::string s = std::to_string(mm);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s + " mm";
}

}  // namespace

std::string_view to_string(target_category c) noexcept {
  switch (c) {
    case target_category::complete_response:
      return "CR";
    case target_category::partial_response:
      return "PR";
    case target_category::stable_disease:
      return "SD";
    case target_category::progressive_disease:
      return "PD";
    case target_category::not_evaluable:
      return "NE";
    case target_category::none:
      break;
  }
  return "NA";
}

std::string_view to_string(non_target_category c) noexcept {
  switch (c) {
    case non_target_category::complete_response:
      return "CR";
    case non_target_category::non_cr_non_pd:
      return "NON-CR/NON-PD";
    case non_target_category::progressive_disease:
      return "PD";
    case non_target_category::not_evaluable:
      return "NE";
    case non_target_category::none:
      break;
  }
  return "NA";
}

std::string_view to_string(new_lesion_category c) noexcept {
  switch (c) {
    case new_lesion_category::yes:
      return "YES";
    case new_lesion_category::equivocal:
      return "EQUIVOCAL";
    case new_lesion_category::no:
      break;
  }
  return "NO";
}

std::string_view to_string(recist_flag f) noexcept {
  switch (f) {
    case recist_flag::nodal_pd_below_10mm:
      return "nodal_pd_below_10mm";
    case recist_flag::cr_followed_by_pr:
      return "cr_followed_by_pr";
    case recist_flag::reappearance_after_cr:
      return "reappearance_after_cr";
    case recist_flag::equivocal_new_lesion_confirmed:
      return "equivocal_new_lesion_confirmed";
    case recist_flag::too_many_targets:
      break;
  }
  return "too_many_targets";
}

/// RECIST 1.1 section 4.3.1 (domain 1.4): NE check -> PD -> CR -> PR -> SD.
categorised<target_category> target_response(const target_measurements& m,
                                             const recist_options& options) {
  categorised<target_category> out;
  const double b = m.baseline_sum_mm;
  const double n = m.nadir_sum_mm;
  const double c = m.current_sum_mm;
  if (!(b > 0.0)) {
    out.category = target_category::not_evaluable;
    out.reason = "no positive baseline sum of diameters";
    return out;
  }
  // With N = 0 the relative test holds for any growth, so only the absolute one decides.
  const bool pd_by_sum = n > 0.0 ? at_or_above((c - n) / n, options.pd_increase) &&
                                       at_or_above(c - n, options.pd_absolute_mm)
                                 : at_or_above(c, options.pd_absolute_mm);
  const std::string pd_rule = "sum increased by at least " + percent(options.pd_increase) +
                              " and " + millimetres(options.pd_absolute_mm) + " from the nadir";
  if (!m.all_measured) {
    if (pd_by_sum) {
      out.category = target_category::progressive_disease;
      out.reason = "a target was not measured, but the measured ones alone meet PD: " + pd_rule;
    } else {
      out.category = target_category::not_evaluable;
      out.reason = "a target was not measured and the measured ones do not meet PD";
    }
    return out;
  }
  if (pd_by_sum) {
    out.category = target_category::progressive_disease;
    out.reason = pd_rule;
    if (m.non_nodal_all_zero && m.nodes_all_normal) {
      add_flag(out.flags, recist_flag::nodal_pd_below_10mm);
      out.reason += " (every node still below " + millimetres(options.pathological_node_mm) +
                    ": PD by the sum rule is evaluated first)";
    }
    return out;
  }
  if (options.reappearance_after_cr_is_pd && m.previous_was_cr && m.non_nodal_reappeared) {
    out.category = target_category::progressive_disease;
    out.reason = "a target lesion reappeared after a CR time point";
    add_flag(out.flags, recist_flag::reappearance_after_cr);
    return out;
  }
  if (m.non_nodal_all_zero && m.nodes_all_normal) {
    out.category = target_category::complete_response;
    out.reason = "every non-nodal target has disappeared and every nodal target is below " +
                 millimetres(options.pathological_node_mm);
    return out;
  }
  if (at_or_above((b - c) / b, options.pr_decrease)) {
    out.category = target_category::partial_response;
    out.reason = "sum decreased by at least " + percent(options.pr_decrease) + " from baseline";
    return out;
  }
  out.category = target_category::stable_disease;
  out.reason = "neither a " + percent(options.pr_decrease) +
               " decrease from baseline nor PD growth from the nadir";
  return out;
}

/// RECIST 1.1 section 4.3.3 (domain 1.5).
categorised<non_target_category> non_target_response(const non_target_observations& o) {
  categorised<non_target_category> out;
  if (!o.any_at_baseline) {
    out.category = non_target_category::none;
    out.reason = "no non-target lesions at baseline";
  } else if (o.unequivocal_progression) {
    out.category = non_target_category::progressive_disease;
    out.reason = "unequivocal progression of non-target disease recorded";
  } else if (!o.all_assessed) {
    out.category = non_target_category::not_evaluable;
    out.reason = "a non-target lesion was not assessed";
  } else if (o.all_gone) {
    out.category = non_target_category::complete_response;
    out.reason = "every non-target lesion has disappeared and every node is normal";
  } else {
    out.category = non_target_category::non_cr_non_pd;
    out.reason = "non-target disease persists without unequivocal progression";
  }
  return out;
}

/// RECIST 1.1 section 4.3.2 (domain 1.6).
categorised<new_lesion_category> new_lesion_status(const tumour_assessment& a) {
  categorised<new_lesion_category> out;
  out.category = new_lesion_category::no;
  out.reason = "no new lesion";
  for (const lesion& l : a.lesions) {
    if (l.role != lesion_role::new_lesion || l.status == lesion_status::absent) continue;
    if (!l.equivocal) {
      out.category = new_lesion_category::yes;
      out.reason = "an unequivocal new lesion";
      return out;
    }
    out.category = new_lesion_category::equivocal;
    out.reason = "an equivocal new lesion (not PD unless a later scan confirms it)";
  }
  return out;
}

/// RECIST 1.1 Tables 1 and 2 (domain 1.7), first matching row wins.
response timepoint_response(target_category target, non_target_category non_target,
                            new_lesion_category new_lesions) noexcept {
  const bool new_yes = new_lesions == new_lesion_category::yes;
  if (target == target_category::none) {
    // Table 2: non-target disease only.
    if (new_yes || non_target == non_target_category::progressive_disease) {
      return response::progressive_disease;
    }
    switch (non_target) {
      case non_target_category::complete_response:
        return response::complete_response;
      case non_target_category::non_cr_non_pd:
        return response::non_cr_non_pd;
      default:
        return response::not_evaluable;
    }
  }
  // Table 1.
  if (new_yes || target == target_category::progressive_disease ||
      non_target == non_target_category::progressive_disease) {
    return response::progressive_disease;
  }
  switch (target) {
    case target_category::complete_response:
      return non_target == non_target_category::complete_response ||
                     non_target == non_target_category::none
                 ? response::complete_response
                 : response::partial_response;
    case target_category::partial_response:
      return response::partial_response;
    case target_category::stable_disease:
      return response::stable_disease;
    default:
      return response::not_evaluable;
  }
}

/// RECIST 1.1 section 3.1 (domain 1.1, 4.10).
truth is_measurable(const lesion& l, std::optional<imaging_method> method,
                    const recist_options& options) {
  if (!valid_diameter(l.diameter_mm)) return truth::no;
  const double d = *l.diameter_mm;
  if (l.nodal) {
    if (!at_or_above(d, options.min_measurable_node_mm)) return truth::no;
    if (!method) return truth::unknown;
    switch (*method) {
      case imaging_method::ct:
      case imaging_method::mri:
      case imaging_method::pet_ct:
        return truth::yes;
      case imaging_method::ultrasound:
      case imaging_method::bone_scan:
        return truth::no;
      default:
        return truth::unknown;
    }
  }
  if (!at_or_above(d, options.min_measurable_mm)) return truth::no;
  if (!method) return truth::unknown;
  switch (*method) {
    case imaging_method::ct:
    case imaging_method::mri:
    case imaging_method::pet_ct: {
      const bool slice_known = l.slice_thickness_mm && std::isfinite(*l.slice_thickness_mm) &&
                               *l.slice_thickness_mm > 0.0;
      if (!slice_known) return options.assume_standard_slice ? truth::yes : truth::unknown;
      if (*l.slice_thickness_mm <= options.max_standard_slice_mm + tolerance) return truth::yes;
      return to_truth(at_or_above(d, 2.0 * *l.slice_thickness_mm));
    }
    case imaging_method::clinical_exam:
      return truth::yes;
    case imaging_method::x_ray:
      return to_truth(at_or_above(d, options.min_measurable_xray_mm));
    case imaging_method::ultrasound:
    case imaging_method::bone_scan:
      return truth::no;
    case imaging_method::other:
      break;
  }
  return truth::unknown;
}

/// RECIST 1.1 section 3.1: at least one measurable lesion.
categorised<truth> measurable_disease(const tumour_assessment& a, const recist_options& options) {
  categorised<truth> out;
  std::vector<truth> each;
  for (const lesion& l : a.lesions) {
    if (l.role == lesion_role::new_lesion) continue;
    each.push_back(is_measurable(l, a.method, options));
  }
  out.category = any_of(each);
  if (each.empty()) {
    out.reason = "the assessment records no lesion";
  } else if (is_yes(out.category)) {
    out.reason = "a lesion meets the RECIST 1.1 measurability rule";
  } else if (is_no(out.category)) {
    out.reason = "no lesion meets the RECIST 1.1 measurability rule";
  } else {
    out.reason =
        "no lesion is surely measurable and the imaging method or slice thickness needed to "
        "decide is not recorded";
  }
  return out;
}

measurability_fact measurable_disease(const std::vector<tumour_assessment>& assessments, date as_of,
                                      duration window, const recist_options& options) {
  measurability_fact fact;
  fact.source.rule = "recist_1_1.measurable_disease";
  std::optional<std::size_t> latest;
  for (std::size_t i = 0; i < assessments.size(); ++i) {
    const tumour_assessment& a = assessments[i];
    if (a.lesions.empty()) continue;
    if (!a.date) {
      detail::add_note(fact.notes, severity::error, errc::missing_value,
                       "a tumour assessment without a date is ignored",
                       detail::pointer_to("tumour_assessments", i, "date"));
      continue;
    }
    const truth in = detail::in_lookback(*a.date, as_of, window);
    if (is_unknown(in)) {
      detail::add_note(fact.notes, severity::warning, errc::inconsistent_dates,
                       "the assessment date is not precise enough to tell whether it falls in the "
                       "window; it is ignored",
                       detail::pointer_to("tumour_assessments", i, "date"));
    }
    if (!is_yes(in)) continue;
    if (!latest || std::chrono::sys_days{a.date->latest} >=
                       std::chrono::sys_days{assessments[*latest].date->latest}) {
      latest = i;
    }
  }
  if (!latest) {
    fact.source.reason = "no tumour assessment with lesions in the window";
    return fact;
  }
  const auto m = measurable_disease(assessments[*latest], options);
  fact.value = m.category;
  fact.date = assessments[*latest].date;
  fact.source.records = {detail::pointer_to("tumour_assessments", *latest)};
  fact.source.reason = m.reason;
  return fact;
}

/// RECIST 1.1 sections 3-4 over a series of assessments (domain 1.2-1.7); see the header.
recist_result assess(const std::vector<tumour_assessment>& assessments,
                     const recist_options& options, const date_window& window) {
  recist_result out;
  out.source.rule = "recist_1_1";
  std::vector<usable_assessment> usable;
  for (std::size_t i = 0; i < assessments.size(); ++i) {
    const tumour_assessment& a = assessments[i];
    if (a.lesions.empty()) continue;
    if (!a.date) {
      detail::add_note(out.notes, severity::error, errc::missing_value,
                       "a tumour assessment without a date is ignored",
                       detail::pointer_to("tumour_assessments", i, "date"));
      continue;
    }
    if (!a.date->is_exact()) {
      detail::add_note(out.notes, severity::warning, errc::missing_value,
                       "a tumour assessment dated only to the month or year is ignored: RECIST "
                       "intervals need the day",
                       detail::pointer_to("tumour_assessments", i, "date"));
      continue;
    }
    note_invalid_lesions(a, i, out.notes);
    usable.push_back({i, a.date->earliest});
  }
  std::stable_sort(usable.begin(), usable.end(), [](const auto& x, const auto& y) {
    return std::chrono::sys_days{x.when} < std::chrono::sys_days{y.when};
  });

  // Baseline.
  std::optional<std::size_t> base;  // position in `usable`
  if (window.start) {
    for (std::size_t k = 0; k < usable.size(); ++k) {
      if (std::chrono::sys_days{usable[k].when} <= std::chrono::sys_days{*window.start}) base = k;
    }
    if (base && options.baseline_max_days_before_start &&
        days_between(usable[*base].when, *window.start) > *options.baseline_max_days_before_start) {
      detail::add_note(out.notes, severity::warning, errc::inconsistent_dates,
                       "the latest assessment before treatment start is older than the RECIST "
                       "baseline window (" +
                           std::to_string(*options.baseline_max_days_before_start) +
                           " days); there is no baseline",
                       detail::pointer_to("tumour_assessments", usable[*base].index, "date"));
      base.reset();
    }
  } else if (!usable.empty()) {
    base = 0;
  }
  if (!base) {
    out.source.reason = "no baseline tumour assessment";
    return out;
  }
  const std::size_t base_index = usable[*base].index;
  const tumour_assessment& baseline = assessments[base_index];
  const auto targets = lesions_of(baseline, base_index, lesion_role::target, options);
  const auto non_targets = lesions_of(baseline, base_index, lesion_role::non_target, options);
  out.source.records.push_back(detail::pointer_to("tumour_assessments", base_index));

  recist_timepoint bt;
  bt.assessment = base_index;
  bt.date = usable[*base].when;
  bt.baseline = true;
  bt.records.push_back(detail::pointer_to("tumour_assessments", base_index));
  const auto m = measurable_disease(baseline, options);
  out.measurable_disease = m.category;
  bt.reason = "baseline: " + m.reason;

  double baseline_sum = 0.0;
  bool baseline_complete = true;
  std::map<std::string, int> per_organ;
  for (const auto& [key, o] : targets) {
    bt.records.insert(bt.records.end(), o.pointers.begin(), o.pointers.end());
    if (!o.has_diameter || !o.value_mm) {
      baseline_complete = false;
    } else {
      baseline_sum += *o.value_mm;
    }
  }
  for (const lesion& l : baseline.lesions) {
    if (l.role == lesion_role::target) ++per_organ[l.nodal ? std::string("lymph nodes") : l.site];
  }
  const bool too_many = static_cast<int>(targets.size()) > options.max_targets ||
                        std::any_of(per_organ.begin(), per_organ.end(), [&](const auto& e) {
                          return e.second > options.max_targets_per_organ;
                        });
  if (too_many) {
    add_flag(bt.flags, recist_flag::too_many_targets);
    detail::add_note(out.notes, severity::warning, errc::invalid_value,
                     "more target lesions than RECIST 1.1 allows (5 in total, 2 per organ); the "
                     "reader's selection is kept",
                     detail::pointer_to("tumour_assessments", base_index, "lesions"));
  }
  if (!targets.empty() && !baseline_complete) {
    detail::add_note(out.notes, severity::warning, errc::missing_value,
                     "a baseline target lesion has no diameter; target response is not evaluable",
                     detail::pointer_to("tumour_assessments", base_index, "lesions"));
  }
  if (!targets.empty()) bt.sum_mm = baseline_complete ? std::optional(baseline_sum) : std::nullopt;
  bt.target = targets.empty() ? target_category::none : target_category::not_evaluable;
  bt.non_target =
      non_targets.empty() ? non_target_category::none : non_target_category::non_cr_non_pd;
  out.timepoints.push_back(bt);

  std::vector<double> complete_sums;
  if (!targets.empty() && baseline_complete) complete_sums.push_back(baseline_sum);
  bool previous_cr = false;
  std::map<std::string, std::size_t> first_equivocal;  // new-lesion key -> timepoint position

  for (std::size_t k = *base + 1; k < usable.size(); ++k) {
    const date when = usable[k].when;
    if (window.start && std::chrono::sys_days{when} <= std::chrono::sys_days{*window.start}) {
      continue;
    }
    if (window.end && std::chrono::sys_days{when} >= std::chrono::sys_days{*window.end}) break;
    const std::size_t index = usable[k].index;
    const tumour_assessment& a = assessments[index];
    recist_timepoint t;
    t.assessment = index;
    t.date = when;
    t.records.push_back(detail::pointer_to("tumour_assessments", index));

    // Targets.
    const auto now_targets = lesions_of(a, index, lesion_role::target, options);
    for (const auto& [key, o] : now_targets) {
      if (targets.count(key) == 0) {
        detail::add_note(out.notes, severity::warning, errc::invalid_value,
                         "a follow-up target lesion that was not a target at baseline is not "
                         "part of the sum",
                         o.pointers.front());
      }
    }
    if (targets.empty()) {
      t.target = target_category::none;
    } else if (!baseline_complete) {
      t.target = target_category::not_evaluable;
      t.reason = "target: no complete baseline sum";
    } else {
      target_measurements tm;
      tm.baseline_sum_mm = baseline_sum;
      tm.nadir_sum_mm = *std::min_element(complete_sums.begin(), complete_sums.end());
      tm.non_nodal_all_zero = true;
      for (const auto& [key, base_obs] : targets) {
        const auto it = now_targets.find(key);
        if (it == now_targets.end() || !it->second.value_mm) {
          tm.all_measured = false;
          continue;
        }
        const observed& o = it->second;
        t.records.insert(t.records.end(), o.pointers.begin(), o.pointers.end());
        const double v = *o.value_mm;
        tm.current_sum_mm += v;
        if (base_obs.nodal) {
          if (at_or_above(v, options.pathological_node_mm)) tm.nodes_all_normal = false;
        } else if (v > 0.0) {
          tm.non_nodal_all_zero = false;
        }
      }
      tm.previous_was_cr = previous_cr;
      tm.non_nodal_reappeared = previous_cr && !tm.non_nodal_all_zero;
      const auto tr = target_response(tm, options);
      t.target = tr.category;
      t.flags = tr.flags;
      t.reason = "target: " + tr.reason;
      t.sum_mm = tm.current_sum_mm;
      t.nadir_mm = tm.nadir_sum_mm;
      t.change_from_baseline = (tm.current_sum_mm - baseline_sum) / baseline_sum;
      if (tm.nadir_sum_mm > 0.0) {
        t.change_from_nadir = (tm.current_sum_mm - tm.nadir_sum_mm) / tm.nadir_sum_mm;
      }
      if (tm.all_measured) complete_sums.push_back(tm.current_sum_mm);
    }
    previous_cr = t.target == target_category::complete_response;

    // Non-targets.
    non_target_observations nt;
    nt.any_at_baseline = !non_targets.empty();
    nt.all_gone = true;
    const auto now_nt = lesions_of(a, index, lesion_role::non_target, options);
    for (const auto& [key, o] : now_nt) {
      if (o.progression) nt.unequivocal_progression = true;
    }
    for (const auto& [key, base_obs] : non_targets) {
      const auto it = now_nt.find(key);
      if (it == now_nt.end() || (!it->second.status && !it->second.value_mm)) {
        nt.all_assessed = false;
        nt.all_gone = false;
        continue;
      }
      const observed& o = it->second;
      t.records.insert(t.records.end(), o.pointers.begin(), o.pointers.end());
      bool gone = o.status == lesion_status::absent;
      if (!gone && o.has_diameter && o.value_mm &&
          o.status != lesion_status::unequivocal_progression) {
        // A measured non-target is gone at 0 mm; a node is normal below the pathological size.
        gone = (o.nodal || base_obs.nodal) ? !at_or_above(*o.value_mm, options.pathological_node_mm)
                                           : *o.value_mm == 0.0;
      }
      if (!gone) nt.all_gone = false;
    }
    const auto ntr = non_target_response(nt);
    t.non_target = ntr.category;
    t.reason += (t.reason.empty() ? "" : "; ") + std::string("non-target: ") + ntr.reason;

    // New lesions.
    const auto nl = new_lesion_status(a);
    t.new_lesions = nl.category;
    t.reason += "; new lesions: " + nl.reason;
    t.overall = timepoint_response(t.target, t.non_target, t.new_lesions);

    // An equivocal new lesion confirmed now makes the first scan that showed it PD (1.6).
    const std::size_t position = out.timepoints.size();
    for (std::size_t j = 0; j < a.lesions.size(); ++j) {
      const lesion& l = a.lesions[j];
      if (l.role != lesion_role::new_lesion || l.status == lesion_status::absent) continue;
      const std::string key = key_of(l);
      if (key.empty()) continue;
      if (l.equivocal) {
        first_equivocal.try_emplace(key, position);
        continue;
      }
      const auto first = first_equivocal.find(key);
      if (first == first_equivocal.end()) continue;
      recist_timepoint& earlier = out.timepoints[first->second];
      if (earlier.overall != response::progressive_disease) {
        earlier.new_lesions = new_lesion_category::yes;
        earlier.overall = response::progressive_disease;
        earlier.reason +=
            "; an equivocal new lesion first seen here was confirmed by a later scan: "
            "PD dates from this scan";
        add_flag(earlier.flags, recist_flag::equivocal_new_lesion_confirmed);
      }
      first_equivocal.erase(first);
    }
    out.timepoints.push_back(std::move(t));
    out.source.records.push_back(detail::pointer_to("tumour_assessments", index));
  }
  out.source.reason = "RECIST 1.1 time-point responses from " +
                      std::to_string(out.timepoints.size() - 1) + " follow-up assessment(s)";
  return out;
}

/// RECIST 1.1 section 4.4 and Table 3 (domain 1.8, 6.1), confirmation per admiralonco
/// `derive_param_confirmed_bor`; see the header.
best_overall best_overall_response(std::vector<dated_response> timepoints, date reference,
                                   const recist_options& options) {
  best_overall out;
  out.source.rule = options.confirmation_required ? "recist_1_1.best_overall_response.confirmed"
                                                  : "recist_1_1.best_overall_response";
  std::stable_sort(timepoints.begin(), timepoints.end(), [](const auto& a, const auto& b) {
    return std::chrono::sys_days{a.date} < std::chrono::sys_days{b.date};
  });
  const auto first_pd = std::find_if(timepoints.begin(), timepoints.end(), [](const auto& t) {
    return t.value == response::progressive_disease;
  });
  if (first_pd != timepoints.end()) timepoints.erase(std::next(first_pd), timepoints.end());
  if (timepoints.empty()) {
    out.source.reason = "no follow-up time point";
    return out;
  }
  const auto is = [&](std::size_t i, response r) { return timepoints[i].value == r; };
  const auto gap = [&](std::size_t i, std::size_t j) {
    return days_between(timepoints[i].date, timepoints[j].date);
  };
  // Returns the confirming time point, if any.
  const auto confirm_cr = [&](std::size_t i) -> std::optional<std::size_t> {
    int ne = 0;
    for (std::size_t j = i + 1; j < timepoints.size(); ++j) {
      if (is(j, response::complete_response) && gap(i, j) >= options.confirmation_min_days) {
        return j;
      }
      if (is(j, response::not_evaluable)) {
        if (++ne > options.max_ne_between) return std::nullopt;
      } else if (!is(j, response::complete_response)) {
        return std::nullopt;
      }
    }
    return std::nullopt;
  };
  const auto confirm_pr = [&](std::size_t i) -> std::optional<std::size_t> {
    int ne = 0;
    int sd = 0;
    bool seen_cr = false;
    for (std::size_t j = i + 1; j < timepoints.size(); ++j) {
      const bool cr = is(j, response::complete_response);
      const bool pr = is(j, response::partial_response);
      if (pr && seen_cr) return std::nullopt;
      if ((cr || pr) && gap(i, j) >= options.confirmation_min_days) return j;
      if (cr) {
        seen_cr = true;
      } else if (is(j, response::not_evaluable)) {
        if (++ne > options.max_ne_between) return std::nullopt;
      } else if (is(j, response::stable_disease)) {
        if (++sd > (options.accept_sd_between ? 1 : 0)) return std::nullopt;
      } else if (!pr) {
        return std::nullopt;
      }
    }
    return std::nullopt;
  };

  response best = response::not_evaluable;
  std::optional<std::size_t> best_at;
  std::optional<std::size_t> confirmed_by;
  std::string why = "no evaluable time point";
  bool any_cr = false;
  for (std::size_t i = 0; i < timepoints.size(); ++i) {
    const response r = timepoints[i].value;
    if (r == response::partial_response && any_cr)
      add_flag(out.flags, recist_flag::cr_followed_by_pr);
    if (r == response::complete_response) any_cr = true;
    const bool late_enough = days_between(reference, timepoints[i].date) >= options.sd_min_days;
    response value = response::not_evaluable;
    std::optional<std::size_t> by;
    std::string reason;
    if (r == response::complete_response || r == response::partial_response) {
      if (!options.confirmation_required) {
        value = r;
        reason = std::string(abbreviation(r)) + " (confirmation not required)";
      } else if (auto j = r == response::complete_response ? confirm_cr(i) : confirm_pr(i)) {
        value = r;
        by = j;
        reason = std::string(abbreviation(r)) + " confirmed by a later assessment at least " +
                 std::to_string(options.confirmation_min_days) + " days after";
      } else if (late_enough) {
        value = response::stable_disease;
        reason = "unconfirmed " + std::string(abbreviation(r)) + " at least " +
                 std::to_string(options.sd_min_days) + " days after the reference counts as SD";
      } else {
        reason = "unconfirmed response before the SD minimum counts as NE";
      }
    } else if (r == response::stable_disease || r == response::non_cr_non_pd) {
      if (late_enough) {
        value = r;
        reason = std::string(abbreviation(r)) + " at least " + std::to_string(options.sd_min_days) +
                 " days after the reference";
      } else {
        reason = std::string(abbreviation(r)) + " before the SD minimum (" +
                 std::to_string(options.sd_min_days) + " days) counts as NE";
      }
    } else if (r == response::progressive_disease) {
      value = r;
      reason = "progressive disease";
    } else {
      reason = "not evaluable";
    }
    if (!best_at || value > best) {
      best = value;
      best_at = i;
      confirmed_by = by;
      why = reason;
    }
  }
  out.value = best;
  out.date = timepoints[*best_at].date;
  if (!timepoints[*best_at].record.empty())
    out.source.records.push_back(timepoints[*best_at].record);
  if (confirmed_by && !timepoints[*confirmed_by].record.empty()) {
    out.source.records.push_back(timepoints[*confirmed_by].record);
  }
  out.source.reason = why;
  if (std::find(out.flags.begin(), out.flags.end(), recist_flag::cr_followed_by_pr) !=
      out.flags.end()) {
    out.source.reason += "; a CR was followed by a PR (RECIST Table 3 note a)";
  }
  return out;
}

best_overall best_overall_response(const recist_result& result, const date_window& window,
                                   const recist_options& options) {
  std::vector<dated_response> points;
  std::optional<date> baseline;
  for (const recist_timepoint& t : result.timepoints) {
    if (t.baseline) {
      baseline = t.date;
      continue;
    }
    points.push_back({t.date, t.overall, detail::pointer_to("tumour_assessments", t.assessment)});
  }
  const date reference = window.start ? *window.start : baseline.value_or(date{});
  best_overall bor = best_overall_response(std::move(points), reference, options);
  return bor;
}

}  // namespace ctm::history
