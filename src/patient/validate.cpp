// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include <ctm/patient/validate.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <initializer_list>
#include <string>
#include <unordered_set>

namespace ctm {
namespace {

// Expected dimensions of the eligibility labs (domain definitions, sections 5.3-5.4), by LOINC
// code and by common analyte name. Mass and substance concentration are both accepted where a
// molar mass converts between them. The vocab module's lab catalogue refines this later.
struct analyte_dimensions {
  std::string_view key;
  std::array<dimension, 2> dims;  // the second equals the first when only one fits
};

constexpr dimension number = dimension::number_concentration;
constexpr dimension mass_c = dimension::mass_concentration;
constexpr dimension subst_c = dimension::substance_concentration;
constexpr dimension catalytic = dimension::catalytic_concentration;

constexpr std::array<analyte_dimensions, 50> known_analytes{{
    // LOINC
    {"751-8", {number, number}},
    {"26499-4", {number, number}},
    {"753-4", {number, number}},
    {"777-3", {number, number}},
    {"26515-7", {number, number}},
    {"6690-2", {number, number}},
    {"731-0", {number, number}},
    {"24467-3", {number, number}},
    {"20447-9", {number, number}},
    {"718-7", {mass_c, subst_c}},
    {"2160-0", {mass_c, subst_c}},
    {"38483-4", {mass_c, subst_c}},
    {"1975-2", {mass_c, subst_c}},
    {"1968-7", {mass_c, subst_c}},
    {"2986-8", {mass_c, subst_c}},
    {"1751-7", {mass_c, mass_c}},
    {"2857-1", {mass_c, mass_c}},
    {"98979-8", {dimension::volume_flow_per_area, dimension::volume_flow_per_area}},
    {"33914-3", {dimension::volume_flow_per_area, dimension::volume_flow_per_area}},
    {"2164-2", {dimension::volume_flow, dimension::volume_flow}},
    {"1920-8", {catalytic, catalytic}},
    {"1742-6", {catalytic, catalytic}},
    {"6768-6", {catalytic, catalytic}},
    {"2532-0", {catalytic, catalytic}},
    {"10334-1", {catalytic, catalytic}},
    {"21198-7", {catalytic, catalytic}},
    {"11011-4", {catalytic, catalytic}},
    {"6301-6", {dimension::fraction, dimension::fraction}},
    // analyte names (lower case)
    {"anc", {number, number}},
    {"neutrophils", {number, number}},
    {"platelets", {number, number}},
    {"wbc", {number, number}},
    {"leukocytes", {number, number}},
    {"lymphocytes", {number, number}},
    {"cd4", {number, number}},
    {"hemoglobin", {mass_c, subst_c}},
    {"haemoglobin", {mass_c, subst_c}},
    {"creatinine", {mass_c, subst_c}},
    {"bilirubin", {mass_c, subst_c}},
    {"testosterone", {mass_c, subst_c}},
    {"calcium", {mass_c, subst_c}},
    {"albumin", {mass_c, mass_c}},
    {"psa", {mass_c, mass_c}},
    {"m_protein", {mass_c, mass_c}},
    {"ast", {catalytic, catalytic}},
    {"alt", {catalytic, catalytic}},
    {"ldh", {catalytic, catalytic}},
    {"ca_125", {catalytic, catalytic}},
    {"crcl", {dimension::volume_flow, dimension::volume_flow}},
    {"inr", {dimension::fraction, dimension::fraction}},
}};

const analyte_dimensions* find_analyte(std::string_view key) noexcept {
  for (const auto& a : known_analytes) {
    if (a.key == key) return &a;
  }
  return nullptr;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return out;
}

std::string at(std::string_view list, std::size_t i) {
  std::string out = "/";
  out += list;
  out += '/';
  out += std::to_string(i);
  return out;
}

std::string field(const std::string& base, std::string_view name) {
  std::string out = base;
  out += '/';
  out += name;
  return out;
}

class checker {
 public:
  explicit checker(const patient& p) : birth_(p.birth_date) {}

  std::vector<diagnostic> take() { return std::move(out_); }

  void add(severity s, errc code, std::string message, std::string pointer) {
    out_.push_back(
        diagnostic{s, error{code, std::move(message), location{{}, 0, 0, std::move(pointer)}}});
  }
  void error_at(errc code, std::string message, std::string pointer) {
    add(severity::error, code, std::move(message), std::move(pointer));
  }
  void warning_at(errc code, std::string message, std::string pointer) {
    add(severity::warning, code, std::move(message), std::move(pointer));
  }

  // A dated event: not before birth; optionally required.
  void dated(const std::optional<partial_date>& d, const std::string& pointer,
             std::string_view what, std::optional<severity> required) {
    if (!d) {
      if (required)
        add(*required, errc::missing_value, std::string(what) + " has no date", pointer);
      return;
    }
    if (birth_ && is_before(*d, *birth_) == truth::yes) {
      error_at(errc::inconsistent_dates, std::string(what) + " date precedes the birth date",
               pointer);
    }
  }

  // An end that must not precede its start.
  void ordered(const std::optional<partial_date>& start, const std::optional<partial_date>& end,
               const std::string& end_pointer, std::string_view what) {
    if (start && end && is_before(*end, *start) == truth::yes) {
      error_at(errc::inconsistent_dates, std::string(what) + " ends before it starts", end_pointer);
    }
  }

  // A quantity whose unit must measure one of `dims`; returns false when it does not.
  bool fits(const quantity& q, std::initializer_list<dimension> dims, const std::string& pointer,
            std::string_view what) {
    const dimension d = dimension_of(q.unit);
    if (std::find(dims.begin(), dims.end(), d) == dims.end()) {
      error_at(errc::incompatible_units,
               std::string(what) + " has a unit measuring " + std::string(to_string(d)) +
                   ", which does not fit",
               pointer);
      return false;
    }
    return true;
  }

  // A value that must be finite and not negative.
  bool non_negative(double v, const std::string& pointer, std::string_view what) {
    if (!std::isfinite(v)) {
      error_at(errc::not_a_number, std::string(what) + " is not a finite number", pointer);
      return false;
    }
    if (v < 0) {
      error_at(errc::invalid_value, std::string(what) + " is negative", pointer);
      return false;
    }
    return true;
  }

 private:
  std::optional<partial_date> birth_;
  std::vector<diagnostic> out_;
};

void check_body(checker& c, const std::vector<body_measurement>& list, std::string_view name,
                bool weight) {
  const std::string_view what = weight ? "body weight" : "height";
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& m = list[i];
    const std::string base = at(name, i);
    c.dated(m.date, field(base, "date"), what, severity::warning);
    if (!c.fits(m.value, {weight ? dimension::mass : dimension::length}, field(base, "unit"),
                what)) {
      continue;
    }
    if (!c.non_negative(m.value.value, field(base, "value"), what)) continue;
    // Human range, in kg or cm.
    const auto converted = convert(m.value, weight ? unit::kilogram : unit::centimetre);
    if (!converted) continue;
    const double v = converted->value;
    if (v == 0.0) {
      c.error_at(errc::invalid_value, std::string(what) + " is zero", field(base, "value"));
    } else if (weight ? (v < 1.0 || v > 400.0) : (v < 40.0 || v > 250.0)) {
      c.warning_at(
          errc::invalid_value,
          std::string(what) + " is outside the human range " + (weight ? "1-400 kg" : "40-250 cm"),
          field(base, "value"));
    }
  }
}

void check_lab(checker& c, const lab_result& lab, const std::string& base) {
  if (lab.analyte.empty() && lab.loinc.empty()) {
    c.error_at(errc::missing_value, "lab result names neither an analyte nor a LOINC code",
               field(base, "analyte"));
  }
  if (!lab.value && !lab.qualitative) {
    c.error_at(errc::missing_value, "lab result has neither a value nor a qualitative result",
               field(base, "value"));
  }
  c.dated(lab.date, field(base, "date"), "lab result", severity::warning);
  if (lab.value) {
    c.non_negative(lab.value->value, field(base, "value"), "lab value");
    const analyte_dimensions* known = nullptr;
    if (!lab.loinc.empty()) known = find_analyte(lab.loinc);
    if (known == nullptr && !lab.analyte.empty()) known = find_analyte(lower(lab.analyte));
    if (known != nullptr) {
      c.fits(*lab.value, {known->dims[0], known->dims[1]}, field(base, "unit"), "lab value");
    }
  }
  if (lab.comparator && !lab.value) {
    c.error_at(errc::missing_value, "comparator without a value", field(base, "comparator"));
  }
  if (lab.range) {
    const std::string rp = field(base, "reference_range");
    if (lab.range->low && !std::isfinite(*lab.range->low)) {
      c.error_at(errc::not_a_number, "reference range bound is not a finite number",
                 field(rp, "low"));
    }
    if (lab.range->high && !std::isfinite(*lab.range->high)) {
      c.error_at(errc::not_a_number, "reference range bound is not a finite number",
                 field(rp, "high"));
    }
    if (lab.range->low && lab.range->high && *lab.range->low > *lab.range->high) {
      c.error_at(errc::invalid_value, "reference range low bound exceeds the high bound", rp);
    }
    if (!lab.value) {
      c.warning_at(errc::missing_value, "reference range without a numeric value", rp);
    }
  }
}

void check_lesions(checker& c, const tumour_assessment& a, const std::string& base) {
  std::unordered_set<std::string_view> ids;
  for (std::size_t j = 0; j < a.lesions.size(); ++j) {
    const lesion& l = a.lesions[j];
    const std::string lp = base + "/lesions/" + std::to_string(j);
    if (l.id.empty()) {
      c.error_at(errc::missing_value, "lesion has no id", field(lp, "id"));
    } else if (!ids.insert(l.id).second) {
      c.error_at(errc::invalid_value, "lesion id repeats an earlier lesion of the same assessment",
                 field(lp, "id"));
    }
    if (l.diameter_mm) c.non_negative(*l.diameter_mm, field(lp, "diameter_mm"), "lesion diameter");
    if (l.slice_thickness_mm) {
      const double t = *l.slice_thickness_mm;
      if (!std::isfinite(t) || t <= 0) {
        c.error_at(errc::invalid_value, "slice thickness must be a positive number",
                   field(lp, "slice_thickness_mm"));
      }
    }
    if (l.role == lesion_role::target && l.status == lesion_status::unequivocal_progression) {
      c.warning_at(errc::invalid_value,
                   "unequivocal progression is a non-target status; target lesions are measured",
                   field(lp, "status"));
    }
    if (l.equivocal && l.role != lesion_role::new_lesion) {
      c.warning_at(errc::invalid_value, "only a new lesion can be equivocal",
                   field(lp, "equivocal"));
    }
  }
}

}  // namespace

std::vector<diagnostic> validate(const patient& p, const validate_options& options) {
  checker c(p);

  if (p.location) {
    const auto& g = *p.location;
    if (!std::isfinite(g.latitude) || g.latitude < -90.0 || g.latitude > 90.0) {
      c.error_at(errc::invalid_value, "latitude must be within -90 to 90 degrees",
                 "/location/latitude");
    }
    if (!std::isfinite(g.longitude) || g.longitude < -180.0 || g.longitude > 180.0) {
      c.error_at(errc::invalid_value, "longitude must be within -180 to 180 degrees",
                 "/location/longitude");
    }
  }
  if (p.max_travel_km) c.non_negative(*p.max_travel_km, "/max_travel_km", "travel distance");

  check_body(c, p.weights, "weights", true);
  check_body(c, p.heights, "heights", false);

  for (std::size_t i = 0; i < p.diagnoses.size(); ++i) {
    const diagnosis& d = p.diagnoses[i];
    const std::string base = at("diagnoses", i);
    if (d.code.empty() && d.text.empty()) {
      c.error_at(errc::missing_value, "diagnosis has neither a code nor a text",
                 field(base, "code"));
    } else if (!d.code.empty() && options.is_known_diagnosis &&
               !options.is_known_diagnosis(d.code, d.system)) {
      c.warning_at(errc::unknown_code, "diagnosis code is not in the vocabulary; kept as written",
                   field(base, "code"));
    }
    c.dated(d.date, field(base, "date"), "diagnosis", severity::warning);
    c.dated(d.advanced_date, field(base, "advanced_date"), "advanced disease", std::nullopt);
    if (d.date && d.advanced_date && is_before(*d.advanced_date, *d.date) == truth::yes) {
      c.warning_at(errc::inconsistent_dates, "advanced disease is dated before the diagnosis",
                   field(base, "advanced_date"));
    }
  }

  for (std::size_t i = 0; i < p.metastases.size(); ++i) {
    const metastasis& m = p.metastases[i];
    const std::string base = at("metastases", i);
    if (m.site == metastatic_site::other && m.text.empty()) {
      c.warning_at(errc::missing_value, "metastatic site 'other' has no description",
                   field(base, "text"));
    }
    c.dated(m.date, field(base, "date"), "metastasis", std::nullopt);
    c.dated(m.last_local_therapy, field(base, "last_local_therapy"), "local therapy", std::nullopt);
    c.dated(m.stable_since, field(base, "stable_since"), "stability", std::nullopt);
    if (m.treated == truth::no && m.last_local_therapy) {
      c.warning_at(errc::invalid_value, "local therapy date given for an untreated metastasis",
                   field(base, "last_local_therapy"));
    }
    if (m.steroid_dose) {
      const std::string sp = field(base, "steroid_dose");
      if (c.fits(*m.steroid_dose, {dimension::mass_rate}, field(sp, "unit"), "steroid dose")) {
        c.non_negative(m.steroid_dose->value, field(sp, "value"), "steroid dose");
      }
    }
  }

  for (std::size_t i = 0; i < p.biomarkers.size(); ++i) {
    const biomarker_result& b = p.biomarkers[i];
    const std::string base = at("biomarkers", i);
    const bool needs_gene =
        b.kind == biomarker_kind::mutation || b.kind == biomarker_kind::amplification ||
        b.kind == biomarker_kind::deletion || b.kind == biomarker_kind::fusion ||
        b.kind == biomarker_kind::expression;
    if (needs_gene && b.gene.empty()) {
      c.error_at(errc::missing_value, "biomarker result of this kind names no gene",
                 field(base, "gene"));
    }
    c.dated(b.date, field(base, "date"), "biomarker result", std::nullopt);
    if (b.value) {
      const std::string vp = field(base, "value");
      bool unit_ok = true;
      if (b.kind == biomarker_kind::tmb) {
        unit_ok = c.fits(*b.value, {dimension::per_megabase}, field(vp, "unit"), "TMB");
      } else if (b.kind == biomarker_kind::pd_l1) {
        unit_ok = c.fits(*b.value, {dimension::fraction}, field(vp, "unit"), "PD-L1 score");
      }
      if (unit_ok && c.non_negative(b.value->value, field(vp, "value"), "biomarker value") &&
          b.value->unit == unit::percent && b.value->value > 100.0) {
        c.error_at(errc::invalid_value, "percentage exceeds 100", field(vp, "value"));
      }
    }
  }

  for (std::size_t i = 0; i < p.labs.size(); ++i) check_lab(c, p.labs[i], at("labs", i));

  for (std::size_t i = 0; i < p.performance.size(); ++i) {
    const performance_status& s = p.performance[i];
    const std::string base = at("performance_status", i);
    c.dated(s.date, field(base, "date"), "performance status", severity::warning);
    if (s.scale == performance_scale::ecog && (s.value < 0 || s.value > 5)) {
      c.error_at(errc::invalid_value, "ECOG performance status must be 0-5", field(base, "value"));
    } else if (s.scale == performance_scale::karnofsky &&
               (s.value < 0 || s.value > 100 || s.value % 10 != 0)) {
      c.error_at(errc::invalid_value, "Karnofsky score must be 0-100 in steps of 10",
                 field(base, "value"));
    }
  }

  for (std::size_t i = 0; i < p.conditions.size(); ++i) {
    const condition& k = p.conditions[i];
    const std::string base = at("conditions", i);
    c.dated(k.onset, field(base, "onset"), "condition onset", std::nullopt);
    c.dated(k.end, field(base, "end"), "condition end", std::nullopt);
    c.dated(k.date, field(base, "date"), "condition status", std::nullopt);
    c.ordered(k.onset, k.end, field(base, "end"), "condition");
    if (k.viral_load) {
      const std::string vp = field(base, "viral_load");
      if (c.fits(*k.viral_load,
                 {dimension::number_concentration, dimension::catalytic_concentration},
                 field(vp, "unit"), "viral load")) {
        c.non_negative(k.viral_load->value, field(vp, "value"), "viral load");
      }
    }
    if (k.cd4_count) {
      const std::string cp = field(base, "cd4_count");
      if (c.fits(*k.cd4_count, {dimension::number_concentration}, field(cp, "unit"), "CD4 count")) {
        c.non_negative(k.cd4_count->value, field(cp, "value"), "CD4 count");
      }
    }
  }

  for (std::size_t i = 0; i < p.treatments.size(); ++i) {
    const drug_administration& t = p.treatments[i];
    const std::string base = at("treatments", i);
    const std::string dp = field(base, "drug");
    if (t.drug.name.empty() && t.drug.rxnorm.empty()) {
      c.error_at(errc::missing_value, "drug administration names no drug", field(dp, "name"));
    } else if (options.is_known_drug && !options.is_known_drug(t.drug.name, t.drug.rxnorm)) {
      c.warning_at(errc::unknown_code,
                   "drug is not in the catalog; kept as written and matched by name only",
                   field(dp, "name"));
    }
    c.dated(t.start, field(base, "start"), "drug administration", severity::warning);
    c.dated(t.end, field(base, "end"), "drug administration end", std::nullopt);
    c.ordered(t.start, t.end, field(base, "end"), "drug administration");
    if (t.cycles && *t.cycles < 0) {
      c.error_at(errc::invalid_value, "cycle count is negative", field(base, "cycles"));
    }
    if (t.dose) c.non_negative(t.dose->value, field(base, "dose") + "/value", "dose");
  }

  for (std::size_t i = 0; i < p.procedures.size(); ++i) {
    const procedure& r = p.procedures[i];
    const std::string base = at("procedures", i);
    c.dated(r.start, field(base, "start"), "procedure", severity::warning);
    c.dated(r.end, field(base, "end"), "procedure end", std::nullopt);
    c.ordered(r.start, r.end, field(base, "end"), "procedure");
    if (r.product && r.product->name.empty() && r.product->rxnorm.empty()) {
      c.error_at(errc::missing_value, "cell product names no product", field(base, "product/name"));
    } else if (r.product && options.is_known_drug &&
               !options.is_known_drug(r.product->name, r.product->rxnorm)) {
      c.warning_at(errc::unknown_code,
                   "cell product is not in the catalog; kept as written and matched by name only",
                   field(base, "product/name"));
    }
  }

  for (std::size_t i = 0; i < p.tumour_assessments.size(); ++i) {
    const tumour_assessment& a = p.tumour_assessments[i];
    const std::string base = at("tumour_assessments", i);
    c.dated(a.date, field(base, "date"), "tumour assessment", severity::error);
    check_lesions(c, a, base);
  }

  for (std::size_t i = 0; i < p.disease_assessments.size(); ++i) {
    const disease_assessment& a = p.disease_assessments[i];
    const std::string base = at("disease_assessments", i);
    c.dated(a.date, field(base, "date"), "disease assessment", severity::error);
    if (a.category.empty()) {
      c.error_at(errc::missing_value, "disease assessment has no response category",
                 field(base, "category"));
    }
    if (a.deauville) {
      if (*a.deauville < 1 || *a.deauville > 5) {
        c.error_at(errc::invalid_value, "Deauville score must be 1-5", field(base, "deauville"));
      } else if (a.system != response_system::lugano) {
        c.warning_at(errc::invalid_value, "Deauville score outside a Lugano assessment",
                     field(base, "deauville"));
      }
    }
  }

  for (std::size_t i = 0; i < p.progressions.size(); ++i) {
    const progression_event& e = p.progressions[i];
    const std::string base = at("progressions", i);
    c.dated(e.date, field(base, "date"), "progression", severity::error);
    if (e.basis == progression_basis::biochemical && e.marker.empty()) {
      c.warning_at(errc::missing_value, "biochemical progression names no marker",
                   field(base, "marker"));
    }
  }

  return c.take();
}

}  // namespace ctm
