// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "history/fact_notes.hpp"

#include <ctm/core/assert.hpp>
#include <ctm/history/labs.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace ctm::history {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();
// Creatinine: 1 mg/dL = 88.4 umol/L exactly as domain 4.5 tests it (M = 10000 / 88.4 g/mol).
constexpr molar_mass creatinine_molar_mass{10000.0 / 88.4};

result<quantity> convert_for(const vocab::analyte& a, quantity q, unit to) {
  if (a.molar_mass) return convert(q, to, *a.molar_mass);
  return convert(q, to);
}

bool later(const partial_date& a, const partial_date& b) {
  using std::chrono::sys_days;
  if (sys_days{a.latest} != sys_days{b.latest}) return sys_days{a.latest} > sys_days{b.latest};
  return sys_days{a.earliest} > sys_days{b.earliest};
}

// One result usable for the fact.
struct usable_result {
  std::size_t index = 0;
  partial_date date;
  std::optional<bounds> value;  // canonical unit
  std::optional<qualitative_result> qualitative;
  std::optional<comparator> censor;
  std::optional<double> own_uln;  // canonical unit
  std::optional<double> own_lln;  // canonical unit
};

// The smallest interval holding `out` and `b`.
bounds widen(bounds out, const bounds& b) {
  out.low = std::min(out.low, b.low);
  out.high = std::max(out.high, b.high);
  return out;
}

enum class limit_end : std::uint8_t { low, high };

// A limit of normal for the latest day's results: the results' own range first (every result
// must carry one; several spanned), else the catalogue default for the patient's sex, else the
// general default; with sex not recorded and sex-specific defaults that differ, the bounds span
// both (domain definitions 4.4). A limit must be a positive number in the analyte's unit.
std::pair<std::optional<bounds>, uln_source> limit_of_normal(
    const vocab::analyte& an, const patient& p, const std::vector<const usable_result*>& day,
    const std::optional<unit>& fact_unit, limit_end end) {
  std::optional<bounds> own;  // the span of the results' own limits (positive numbers)
  bool all_own = true;
  for (const usable_result* u : day) {
    const auto& mine = end == limit_end::high ? u->own_uln : u->own_lln;
    if (mine) {
      own = own ? widen(*own, bounds{*mine, *mine}) : bounds{*mine, *mine};
    } else {
      all_own = false;
    }
  }
  if (all_own && own) return {*own, uln_source::result_range};
  const auto limit = [&](const std::optional<vocab::reference_range>& r) -> std::optional<double> {
    if (!r || !fact_unit) return std::nullopt;
    const auto& v = end == limit_end::high ? r->high : r->low;
    if (!v) return std::nullopt;
    const auto c = convert_for(an, quantity{*v, r->unit.value_or(*fact_unit)}, *fact_unit);
    if (!c || !(c->value > 0.0)) return std::nullopt;
    return c->value;
  };
  if (p.sex == sex::female || p.sex == sex::male) {
    const auto& specific = p.sex == sex::female ? an.default_range_female : an.default_range_male;
    if (auto h = limit(specific)) return {bounds{*h, *h}, uln_source::default_by_sex};
    if (auto g = limit(an.default_range)) return {bounds{*g, *g}, uln_source::default_range};
    return {std::nullopt, uln_source::none};
  }
  const auto general = limit(an.default_range);
  auto female = limit(an.default_range_female);
  auto male = limit(an.default_range_male);
  if (!female) female = general;
  if (!male) male = general;
  if (!female || !male) return {std::nullopt, uln_source::none};
  const bounds b{std::min(*female, *male), std::max(*female, *male)};
  return {b, b.is_exact() ? uln_source::default_range : uln_source::default_any_sex};
}

std::string window_text(duration d) { return to_string(d); }

}  // namespace

truth at_least(const bounds& b, double threshold) noexcept {
  if (b.low >= threshold) return truth::yes;
  if (b.high < threshold) return truth::no;
  return truth::unknown;
}

truth at_most(const bounds& b, double threshold) noexcept {
  if (b.high <= threshold) return truth::yes;
  if (b.low > threshold) return truth::no;
  return truth::unknown;
}

std::string_view to_string(uln_source s) noexcept {
  switch (s) {
    case uln_source::result_range:
      return "result_range";
    case uln_source::default_range:
      return "default_range";
    case uln_source::default_by_sex:
      return "default_by_sex";
    case uln_source::default_any_sex:
      return "default_any_sex";
    case uln_source::none:
      break;
  }
  return "none";
}

std::string_view to_string(clearance_method m) noexcept {
  switch (m) {
    case clearance_method::measured:
      return "measured";
    case clearance_method::cockcroft_gault:
      return "cockcroft_gault";
    case clearance_method::none:
      break;
  }
  return "none";
}

// lab_resolution
// ------------------------------------------------------------------------------

lab_resolution::lab_resolution(const patient& p, const vocab::lab_catalog& catalog) {
  results_.reserve(p.labs.size());
  std::vector<std::pair<analyte_id, std::uint32_t>> named;
  named.reserve(p.labs.size());
  for (std::size_t i = 0; i < p.labs.size(); ++i) {
    const lab_result& l = p.labs[i];
    resolved_lab r;
    if (!l.loinc.empty()) r.by_loinc = catalog.find_by_loinc(l.loinc);
    if (!l.analyte.empty()) r.by_name = catalog.find(l.analyte);
    const auto at = static_cast<std::uint32_t>(i);
    if (r.by_loinc) named.emplace_back(*r.by_loinc, at);
    if (r.by_name && r.by_name != r.by_loinc) named.emplace_back(*r.by_name, at);
    results_.push_back(r);
  }
  std::sort(named.begin(), named.end());
  named_.reserve(named.size());
  positions_.reserve(named.size());
  for (const auto& [id, at] : named) {
    named_.push_back(id);
    positions_.push_back(at);
  }
}

std::span<const std::uint32_t> lab_resolution::naming(analyte_id analyte) const noexcept {
  const auto [first, last] = std::equal_range(named_.begin(), named_.end(), analyte);
  return std::span<const std::uint32_t>(positions_)
      .subspan(static_cast<std::size_t>(first - named_.begin()),
               static_cast<std::size_t>(last - first));
}

std::vector<analyte_id> lab_resolution::analytes() const {
  std::vector<analyte_id> out;
  for (const resolved_lab& r : results_) {
    if (const auto id = r.analyte()) out.push_back(*id);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// latest_lab
// ------------------------------------------------------------------------------

lab_fact latest_lab(const patient& p, analyte_id id, const vocab::lab_catalog& catalog, date as_of,
                    const lab_options& options) {
  return latest_lab(p, lab_resolution(p, catalog), id, catalog, as_of, options);
}

/// Most recent result per analyte (domain 5.3 matching rule), ULN multiple (domain 4.4).
lab_fact latest_lab(const patient& p, const lab_resolution& resolved, analyte_id id,
                    const vocab::lab_catalog& catalog, date as_of, const lab_options& options) {
  CTM_ASSERT(resolved.results().size() == p.labs.size());
  const vocab::analyte& an = catalog.get(id);
  lab_fact fact;
  fact.analyte = id;
  fact.analyte_code = an.code;
  fact.unit = an.unit;
  fact.source.rule = "labs.latest";
  std::vector<usable_result> usable;
  const detail::lookback window(as_of, options.window);

  // Only the results naming the analyte (by LOINC or by text) can match it or conflict with it;
  // they come in record order, so the notes do too.
  for (const std::uint32_t at : resolved.naming(id)) {
    const std::size_t i = at;
    const lab_result& l = p.labs[i];
    const auto pointer = [i](std::string_view field) {
      return detail::pointer_to("labs", i, field);
    };
    // LOINC first; the analyte text only when the catalogue does not know the LOINC code.
    const auto& [by_loinc, by_name] = resolved.results()[i];
    const bool matches = by_loinc ? *by_loinc == id : by_name && *by_name == id;
    if (by_loinc && by_name && *by_loinc != *by_name && (*by_loinc == id || *by_name == id)) {
      detail::add_note(fact.notes, severity::warning, errc::invalid_value,
                       "the analyte name and the LOINC code name different analytes; the LOINC "
                       "code is used",
                       pointer("analyte"));
    }
    if (!matches) continue;
    if (!l.date) {
      detail::add_note(fact.notes, severity::error, errc::missing_value,
                       "a lab result without a date is ignored", pointer("date"));
      continue;
    }
    const truth in = window.contains(*l.date);
    if (is_unknown(in)) {
      detail::add_note(fact.notes, severity::warning, errc::inconsistent_dates,
                       "the result's date is not precise enough to tell whether it falls in the "
                       "window; it is ignored",
                       pointer("date"));
    }
    if (!is_yes(in)) continue;

    usable_result u;
    u.index = i;
    u.date = *l.date;
    u.qualitative = l.qualitative;
    u.censor = l.comparator;
    if (l.value) {
      const quantity q = *l.value;
      if (!std::isfinite(q.value) || q.value < 0.0) {
        detail::add_note(fact.notes, severity::error, errc::invalid_value,
                         "a lab value must be a finite number >= 0; the result is ignored",
                         pointer("value"));
        continue;
      }
      const unit target = an.unit.value_or(q.unit);
      const auto converted = convert_for(an, q, target);
      if (!converted) {
        detail::add_note(fact.notes, severity::error, errc::incompatible_units,
                         "the unit does not fit analyte '" + an.code + "' (canonical unit " +
                             std::string(ucum_code(target)) + "); the result is ignored",
                         pointer("unit"));
        continue;
      }
      const double v = converted->value;
      bounds b{v, v};
      if (l.comparator == comparator::less || l.comparator == comparator::less_or_equal) {
        b.low = 0.0;
      } else if (l.comparator == comparator::greater ||
                 l.comparator == comparator::greater_or_equal) {
        b.high = infinity;
      }
      u.value = b;
      if (l.range && l.range->low && *l.range->low > 0.0) {
        const auto lln = convert_for(an, quantity{*l.range->low, q.unit}, target);
        if (lln && lln->value > 0.0) u.own_lln = lln->value;
      }
      if (l.range && l.range->high) {
        const auto uln = convert_for(an, quantity{*l.range->high, q.unit}, target);
        if (uln && uln->value > 0.0) {
          u.own_uln = uln->value;
        } else {
          detail::add_note(fact.notes, severity::warning, errc::invalid_value,
                           "the result's reference range high is not a positive number; the "
                           "default ULN is used",
                           pointer("reference_range/high"));
        }
      }
      if (!an.unit) fact.unit = q.unit;
    } else if (!l.qualitative) {
      detail::add_note(fact.notes, severity::warning, errc::missing_value,
                       "a lab result without a value or qualitative result is ignored",
                       pointer("value"));
      continue;
    }
    usable.push_back(std::move(u));
  }

  if (usable.empty()) {
    fact.source.reason = "unknown: no usable " + an.code + " result in the " +
                         window_text(options.window) + " window";
    return fact;
  }
  // The most recent day, with every result recorded on it.
  std::vector<const usable_result*> day;
  for (const usable_result& u : usable) {
    if (day.empty() || later(u.date, day.front()->date)) {
      day.assign(1, &u);
    } else if (!later(day.front()->date, u.date)) {
      day.push_back(&u);
    }
  }
  if (day.size() > 1 && options.ties == same_day_rule::last_recorded) {
    detail::add_note(fact.notes, severity::warning, errc::inconsistent_dates,
                     "several results on the most recent day; the last recorded is used",
                     detail::pointer_to("labs", day.back()->index));
    day.erase(day.begin(), std::prev(day.end()));
  }
  fact.date = day.front()->date;
  for (const usable_result* u : day) {
    fact.source.records.push_back(detail::pointer_to("labs", u->index));
  }
  std::optional<bounds> values;  // the span of the day's values
  for (const usable_result* u : day) {
    if (u->value) values = values ? widen(*values, *u->value) : *u->value;
  }
  fact.qualitative = day.front()->qualitative;
  fact.comparator = day.front()->censor;
  for (const usable_result* u : day) {
    if (u->qualitative != fact.qualitative) fact.qualitative.reset();
    if (u->censor != fact.comparator) fact.comparator.reset();
  }
  std::string& reason = fact.source.reason;
  reason.reserve(160 + an.code.size());
  reason += "the most recent ";
  reason += an.code;
  reason += " result in the ";
  reason += window_text(options.window);
  reason += " window";
  if (day.size() > 1) reason += " (" + std::to_string(day.size()) + " results that day, spanned)";
  if (!values) return fact;
  fact.value = values;

  // ULN and LLN: the result's own range first, else the catalogue default for the patient's sex.
  const auto [uln, uln_from] = limit_of_normal(an, p, day, fact.unit, limit_end::high);
  fact.uln_from = uln_from;
  const auto [lln, lln_from] = limit_of_normal(an, p, day, fact.unit, limit_end::low);
  fact.lln = lln;
  fact.lln_from = lln_from;
  if (uln) {
    fact.uln = uln;
    fact.uln_multiple = bounds{fact.value->low / uln->high, fact.value->high / uln->low};
    switch (fact.uln_from) {
      case uln_source::result_range:
        reason += "; ULN from the result's reference range";
        break;
      case uln_source::default_by_sex:
        reason += "; ULN from the catalogue default for the recorded sex";
        break;
      case uln_source::default_any_sex:
        reason +=
            "; ULN from the catalogue defaults for both sexes (sex not recorded), so the "
            "ULN multiple is a range";
        break;
      default:
        reason += "; ULN from the catalogue default range";
        break;
    }
  } else {
    reason += "; no ULN (no reference range on the result and no default)";
  }
  return fact;
}

/// Cockcroft DW, Gault MH, Nephron 1976;16:31-41 (domain 4.5); ideal body weight per Devine BJ,
/// Drug Intell Clin Pharm 1974;8:650; adjusted weight = IBW + 0.4 x (actual - IBW).
result<quantity> cockcroft_gault(int age_years, double weight_kg, double scr_mg_dl, ctm::sex s,
                                 const cockcroft_gault_options& options,
                                 std::optional<double> height_cm) {
  if (age_years < 0 || age_years >= 140) {
    return error{errc::invalid_value, "Cockcroft-Gault needs an age of 0-139 years", {}};
  }
  if (!std::isfinite(weight_kg) || weight_kg <= 0.0) {
    return error{errc::invalid_value, "Cockcroft-Gault needs a positive body weight", {}};
  }
  if (!std::isfinite(scr_mg_dl) || scr_mg_dl <= 0.0) {
    return error{errc::invalid_value, "Cockcroft-Gault needs a positive serum creatinine", {}};
  }
  if (s != sex::female && s != sex::male) {
    return error{errc::invalid_value, "Cockcroft-Gault needs the sex (female or male)", {}};
  }
  double weight = weight_kg;
  if (options.weight != body_weight_kind::actual) {
    if (!height_cm || !std::isfinite(*height_cm) || *height_cm <= 0.0) {
      return error{errc::missing_value, "the ideal or adjusted body weight needs a height", {}};
    }
    const double ideal = (s == sex::male ? 50.0 : 45.5) + 2.3 * (*height_cm / 2.54 - 60.0);
    if (!(ideal > 0.0)) {
      return error{errc::invalid_value, "the height gives no positive ideal body weight", {}};
    }
    weight = options.weight == body_weight_kind::ideal ? ideal
             : weight_kg > ideal                       ? ideal + 0.4 * (weight_kg - ideal)
                                                       : weight_kg;
  }
  double scr = scr_mg_dl;
  if (options.min_creatinine_mg_dl) scr = std::max(scr, *options.min_creatinine_mg_dl);
  double crcl = (140.0 - age_years) * weight / (72.0 * scr);
  if (s == sex::female) crcl *= options.female_factor;
  if (options.max_clearance_ml_min) crcl = std::min(crcl, *options.max_clearance_ml_min);
  return quantity{crcl, unit::millilitre_per_minute};
}

result<quantity> cockcroft_gault(int age_years, double weight_kg, quantity creatinine, ctm::sex s,
                                 const cockcroft_gault_options& options,
                                 std::optional<double> height_cm) {
  const auto mg_dl = convert(creatinine, unit::milligram_per_decilitre, creatinine_molar_mass);
  if (!mg_dl) return mg_dl.error();
  return cockcroft_gault(age_years, weight_kg, mg_dl->value, s, options, height_cm);
}

clearance_fact creatinine_clearance(const patient& p, const vocab::lab_catalog& catalog, date as_of,
                                    const creatinine_clearance_options& options) {
  return creatinine_clearance(p, lab_resolution(p, catalog), catalog, as_of, options);
}

/// Domain definitions 4.4-4.5; see the header.
clearance_fact creatinine_clearance(const patient& p, const lab_resolution& resolved,
                                    const vocab::lab_catalog& catalog, date as_of,
                                    const creatinine_clearance_options& options) {
  clearance_fact fact;
  const auto take_notes = [&](const std::vector<diagnostic>& notes) {
    fact.notes.insert(fact.notes.end(), notes.begin(), notes.end());
  };
  if (options.prefer_measured) {
    if (const auto id = catalog.find(options.measured_analyte)) {
      lab_fact measured = latest_lab(p, resolved, *id, catalog, as_of, options.labs);
      take_notes(measured.notes);
      if (measured.value && measured.unit) {
        const auto lo =
            convert(quantity{measured.value->low, *measured.unit}, unit::millilitre_per_minute);
        const auto hi =
            convert(quantity{measured.value->high, *measured.unit}, unit::millilitre_per_minute);
        if (lo && hi) {
          fact.value = bounds{lo->value, hi->value};
          fact.method = clearance_method::measured;
          fact.source = measured.source;
          fact.source.rule = "labs.creatinine_clearance.measured";
          fact.source.reason = "measured creatinine clearance: " + measured.source.reason;
          return fact;
        }
      }
    }
  }
  fact.source.rule = "labs.creatinine_clearance.cockcroft_gault";

  // Serum creatinine.
  std::optional<bounds> scr;  // mg/dL
  if (const auto id = catalog.find(options.creatinine_analyte)) {
    lab_fact creatinine = latest_lab(p, resolved, *id, catalog, as_of, options.labs);
    take_notes(creatinine.notes);
    if (creatinine.value && creatinine.unit) {
      const auto lo = convert(quantity{creatinine.value->low, *creatinine.unit},
                              unit::milligram_per_decilitre, creatinine_molar_mass);
      const auto hi = std::isfinite(creatinine.value->high)
                          ? convert(quantity{creatinine.value->high, *creatinine.unit},
                                    unit::milligram_per_decilitre, creatinine_molar_mass)
                          : result<quantity>(quantity{infinity, unit::milligram_per_decilitre});
      if (lo && hi) scr = bounds{lo->value, hi->value};
      fact.source.records.insert(fact.source.records.end(), creatinine.source.records.begin(),
                                 creatinine.source.records.end());
    }
  } else {
    detail::add_note(fact.notes, severity::warning, errc::unknown_code,
                     "the lab catalogue has no analyte '" + options.creatinine_analyte + "'", {});
  }
  if (!scr) fact.missing.emplace_back("serum creatinine");

  // Body weight: the most recent in its window (several that day: their span).
  std::optional<bounds> weight;  // kg
  std::optional<partial_date> weight_date;
  for (std::size_t i = 0; i < p.weights.size(); ++i) {
    const body_measurement& w = p.weights[i];
    const std::string pointer = detail::pointer_to("weights", i);
    if (!w.date) {
      detail::add_note(fact.notes, severity::error, errc::missing_value,
                       "a body weight without a date is ignored", pointer + "/date");
      continue;
    }
    const auto kg = convert(w.value, unit::kilogram);
    if (!kg || !std::isfinite(kg->value) || kg->value <= 0.0) {
      detail::add_note(fact.notes, severity::error,
                       kg ? errc::invalid_value : errc::incompatible_units,
                       kg ? "a body weight must be a positive number; it is ignored"
                          : "a body weight must be in a mass unit; it is ignored",
                       pointer + (kg ? "/value" : "/unit"));
      continue;
    }
    if (!is_yes(detail::in_lookback(*w.date, as_of, options.weight_window))) continue;
    if (!weight_date || later(*w.date, *weight_date)) {
      weight = bounds{kg->value, kg->value};
      weight_date = w.date;
      fact.source.records.erase(
          std::remove_if(fact.source.records.begin(), fact.source.records.end(),
                         [](const std::string& r) { return r.rfind("/weights/", 0) == 0; }),
          fact.source.records.end());
      fact.source.records.push_back(pointer);
    } else if (!later(*weight_date, *w.date)) {
      weight->low = std::min(weight->low, kg->value);
      weight->high = std::max(weight->high, kg->value);
      fact.source.records.push_back(pointer);
    }
  }
  if (!weight) fact.missing.emplace_back("body weight");

  // Height, only for the ideal and adjusted weights: the most recent recorded.
  std::optional<double> height;
  if (options.formula.weight != body_weight_kind::actual) {
    std::optional<partial_date> when;
    for (std::size_t i = 0; i < p.heights.size(); ++i) {
      const body_measurement& h = p.heights[i];
      const auto cm = convert(h.value, unit::centimetre);
      if (!cm || !(cm->value > 0.0) || !h.date) continue;
      if (!when || later(*h.date, *when)) {
        height = cm->value;
        when = h.date;
      }
    }
    if (!height) fact.missing.emplace_back("height");
  }

  // Age on the as-of date.
  std::optional<day_range> age;
  if (p.birth_date) {
    age = age_in_years(*p.birth_date, as_of);
    fact.source.records.emplace_back("/birth_date");
    if (age->min < 0 || age->max >= 140) {
      detail::add_note(fact.notes, severity::error, errc::invalid_value,
                       "the birth date gives an age outside 0-139 years on the as-of date",
                       "/birth_date");
      age.reset();
    }
  }
  if (!age) fact.missing.emplace_back("age (birth date)");

  std::vector<ctm::sex> sexes;
  if (p.sex == sex::female || p.sex == sex::male) {
    sexes.push_back(p.sex);
    fact.source.records.emplace_back("/sex");
  } else {
    sexes = {sex::female, sex::male};
  }
  if (!fact.missing.empty()) {
    std::string names;
    for (const std::string& m : fact.missing) names += (names.empty() ? "" : ", ") + m;
    fact.source.reason = "unknown: Cockcroft-Gault needs " + names;
    return fact;
  }

  // Every corner of the input intervals; CrCl is monotone in each input.
  double low = infinity;
  double high = -infinity;
  for (const int years : {age->min, age->max}) {
    for (const double kg : {weight->low, weight->high}) {
      for (const double mg : {scr->low, scr->high}) {
        for (const ctm::sex s : sexes) {
          double value = 0.0;
          if (mg <= 0.0) {
            value = options.formula.min_creatinine_mg_dl
                        ? cockcroft_gault(years, kg, *options.formula.min_creatinine_mg_dl, s,
                                          options.formula, height)
                              .value_or(quantity{infinity, unit::millilitre_per_minute})
                              .value
                        : infinity;
            if (options.formula.max_clearance_ml_min) {
              value = std::min(value, *options.formula.max_clearance_ml_min);
            }
          } else if (!std::isfinite(mg)) {
            value = 0.0;
          } else {
            const auto r = cockcroft_gault(years, kg, mg, s, options.formula, height);
            if (!r) {
              fact.source.reason = "unknown: " + r.error().message;
              return fact;
            }
            value = r->value;
          }
          low = std::min(low, value);
          high = std::max(high, value);
        }
      }
    }
  }
  fact.value = bounds{low, high};
  fact.method = clearance_method::cockcroft_gault;
  fact.source.reason = "Cockcroft-Gault from the most recent serum creatinine and body weight";
  if (sexes.size() > 1) {
    fact.source.reason += "; sex not recorded, so the value spans the female and male formulas";
  }
  if (!age->is_exact()) fact.source.reason += "; the birth date gives a range of ages";
  return fact;
}

}  // namespace ctm::history
