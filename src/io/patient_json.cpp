// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// The native patient JSON format (docs/formats/patient.md). nlohmann_json stays in this file.
#include "io/json_support.hpp"

#include <ctm/io/patient_json.hpp>
#include <ctm/patient/validate.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <utility>

namespace ctm::io {
namespace {

using detail::child;
using detail::json;
using detail::make_error;
using detail::read_failure;
using detail::record_place;
using ordered_json = nlohmann::ordered_json;

std::optional<truth> parse_truth(std::string_view text) noexcept {
  if (text == "yes") return truth::yes;
  if (text == "no") return truth::no;
  if (text == "unknown") return truth::unknown;
  return std::nullopt;
}

using keys = std::initializer_list<std::string_view>;

// Reads one record from a parsed JSON value.
class reader {
 public:
  reader(const read_options& options, const record_place& place, std::vector<diagnostic>& diags)
      : options_(options), place_(place), diags_(diags) {}

  [[noreturn]] void fail(errc code, std::string message, const std::string& ptr) const {
    throw read_failure{make_error(place_, code, std::move(message), ptr)};
  }

  patient root(const json& v) {
    if (!v.is_object()) fail(errc::json_schema, "a patient record must be a JSON object", "");
    const auto version = v.find("schema_version");
    if (version == v.end()) {
      fail(errc::json_schema, "missing required member 'schema_version'", "/schema_version");
    }
    if (!version->is_number_integer()) {
      fail(errc::json_schema, "schema_version must be an integer", "/schema_version");
    }
    if (*version != patient_schema_version) {
      fail(errc::unsupported_schema_version,
           "unsupported schema_version; this library reads version " +
               std::to_string(patient_schema_version),
           "/schema_version");
    }
    object(v, "",
           {"schema_version", "id", "birth_date", "sex", "location", "max_travel_km", "weights",
            "heights", "diagnoses", "metastases", "biomarkers", "labs", "performance_status",
            "conditions", "treatments", "procedures", "tumour_assessments", "disease_assessments",
            "progressions"});
    patient p;
    required(v, "id", "", [&](const json& x, const std::string& ptr) { p.id = str(x, ptr); });
    optional(v, "birth_date", "",
             [&](const json& x, const std::string& ptr) { p.birth_date = date(x, ptr); });
    optional(v, "sex", "", [&](const json& x, const std::string& ptr) {
      p.sex = enumerated(x, ptr, parse_sex, "sex");
    });
    optional(v, "location", "", [&](const json& x, const std::string& ptr) {
      object(x, ptr, {"latitude", "longitude"});
      geo_point g;
      required(x, "latitude", ptr,
               [&](const json& y, const std::string& q) { g.latitude = number(y, q); });
      required(x, "longitude", ptr,
               [&](const json& y, const std::string& q) { g.longitude = number(y, q); });
      p.location = g;
    });
    optional(v, "max_travel_km", "",
             [&](const json& x, const std::string& ptr) { p.max_travel_km = number(x, ptr); });
    list(v, "weights", "", p.weights,
         [&](const json& x, const std::string& ptr) { return measurement(x, ptr); });
    list(v, "heights", "", p.heights,
         [&](const json& x, const std::string& ptr) { return measurement(x, ptr); });
    list(v, "diagnoses", "", p.diagnoses,
         [&](const json& x, const std::string& ptr) { return read_diagnosis(x, ptr); });
    list(v, "metastases", "", p.metastases,
         [&](const json& x, const std::string& ptr) { return read_metastasis(x, ptr); });
    list(v, "biomarkers", "", p.biomarkers,
         [&](const json& x, const std::string& ptr) { return read_biomarker(x, ptr); });
    list(v, "labs", "", p.labs,
         [&](const json& x, const std::string& ptr) { return read_lab(x, ptr); });
    list(v, "performance_status", "", p.performance,
         [&](const json& x, const std::string& ptr) { return read_performance(x, ptr); });
    list(v, "conditions", "", p.conditions,
         [&](const json& x, const std::string& ptr) { return read_condition(x, ptr); });
    list(v, "treatments", "", p.treatments,
         [&](const json& x, const std::string& ptr) { return read_treatment(x, ptr); });
    list(v, "procedures", "", p.procedures,
         [&](const json& x, const std::string& ptr) { return read_procedure(x, ptr); });
    list(v, "tumour_assessments", "", p.tumour_assessments,
         [&](const json& x, const std::string& ptr) { return read_tumour_assessment(x, ptr); });
    list(v, "disease_assessments", "", p.disease_assessments,
         [&](const json& x, const std::string& ptr) { return read_disease_assessment(x, ptr); });
    list(v, "progressions", "", p.progressions,
         [&](const json& x, const std::string& ptr) { return read_progression(x, ptr); });
    return p;
  }

 private:
  // --- structure --------------------------------------------------------------------------------

  void object(const json& v, const std::string& ptr, keys known) {
    if (!v.is_object()) fail(errc::json_schema, "expected an object", ptr);
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (std::find(known.begin(), known.end(), std::string_view(it.key())) != known.end()) {
        continue;
      }
      const std::string where = child(ptr, it.key());
      if (options_.strict) fail(errc::unknown_field, "member is not part of the format", where);
      diags_.push_back(diagnostic{severity::warning,
                                  make_error(place_, errc::unknown_field,
                                             "member is not part of the format; ignored", where)});
    }
  }

  template <class F>
  void optional(const json& obj, const char* key, const std::string& ptr, F&& read) {
    const auto it = obj.find(key);
    if (it != obj.end()) read(*it, child(ptr, key));
  }

  template <class F>
  void required(const json& obj, const char* key, const std::string& ptr, F&& read) {
    const auto it = obj.find(key);
    if (it == obj.end()) {
      fail(errc::json_schema, std::string("missing required member '") + key + "'",
           child(ptr, key));
    }
    read(*it, child(ptr, key));
  }

  template <class T, class F>
  void list(const json& obj, const char* key, const std::string& ptr, std::vector<T>& out,
            F&& read_one) {
    optional(obj, key, ptr, [&](const json& arr, const std::string& where) {
      if (!arr.is_array()) fail(errc::json_schema, "expected an array", where);
      out.reserve(arr.size());
      for (std::size_t i = 0; i < arr.size(); ++i) out.push_back(read_one(arr[i], child(where, i)));
    });
  }

  // --- scalars ----------------------------------------------------------------------------------

  std::string str(const json& v, const std::string& ptr) const {
    if (!v.is_string()) fail(errc::json_schema, "expected a string", ptr);
    return v.get<std::string>();
  }

  double number(const json& v, const std::string& ptr) const {
    if (!v.is_number()) fail(errc::json_schema, "expected a number", ptr);
    return v.get<double>();
  }

  std::int32_t integer(const json& v, const std::string& ptr) const {
    if (!v.is_number_integer()) fail(errc::json_schema, "expected an integer", ptr);
    constexpr auto lo = std::numeric_limits<std::int32_t>::min();
    constexpr auto hi = std::numeric_limits<std::int32_t>::max();
    if (v.is_number_unsigned()) {
      const auto u = v.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(hi)) fail(errc::json_schema, "integer out of range", ptr);
      return static_cast<std::int32_t>(u);
    }
    const auto s = v.get<std::int64_t>();
    if (s < lo || s > hi) fail(errc::json_schema, "integer out of range", ptr);
    return static_cast<std::int32_t>(s);
  }

  bool boolean(const json& v, const std::string& ptr) const {
    if (!v.is_boolean()) fail(errc::json_schema, "expected true or false", ptr);
    return v.get<bool>();
  }

  truth tri(const json& v, const std::string& ptr) const {
    const auto t = parse_truth(str(v, ptr));
    if (!t) fail(errc::json_schema, "expected \"yes\", \"no\" or \"unknown\"", ptr);
    return *t;
  }

  partial_date date(const json& v, const std::string& ptr) const {
    auto d = parse_partial_date(str(v, ptr));
    if (!d) fail(d.error().code, d.error().message, ptr);
    return *d;
  }

  ctm::unit unit_of(const json& v, const std::string& ptr) const {
    auto u = parse_unit(str(v, ptr));
    if (!u) fail(u.error().code, u.error().message, ptr);
    return *u;
  }

  template <class E>
  E enumerated(const json& v, const std::string& ptr, std::optional<E> (*parse)(std::string_view),
               std::string_view what) const {
    const auto e = parse(str(v, ptr));
    if (!e) fail(errc::json_schema, "not a known " + std::string(what) + " value", ptr);
    return *e;
  }

  // {"value": 4, "unit": "mg/d"}
  quantity quantity_of(const json& v, const std::string& ptr) {
    object(v, ptr, {"value", "unit"});
    quantity q;
    required(v, "value", ptr, [&](const json& x, const std::string& p) { q.value = number(x, p); });
    required(v, "unit", ptr, [&](const json& x, const std::string& p) { q.unit = unit_of(x, p); });
    return q;
  }

  drug drug_of(const json& v, const std::string& ptr) {
    object(v, ptr, {"name", "rxnorm"});
    drug d;
    optional(v, "name", ptr, [&](const json& x, const std::string& p) { d.name = str(x, p); });
    optional(v, "rxnorm", ptr, [&](const json& x, const std::string& p) { d.rxnorm = str(x, p); });
    return d;
  }

  // --- record parts -----------------------------------------------------------------------------

  body_measurement measurement(const json& v, const std::string& ptr) {
    object(v, ptr, {"value", "unit", "date"});
    body_measurement m;
    required(v, "value", ptr,
             [&](const json& x, const std::string& p) { m.value.value = number(x, p); });
    required(v, "unit", ptr,
             [&](const json& x, const std::string& p) { m.value.unit = unit_of(x, p); });
    optional(v, "date", ptr, [&](const json& x, const std::string& p) { m.date = date(x, p); });
    return m;
  }

  diagnosis read_diagnosis(const json& v, const std::string& ptr) {
    object(v, ptr,
           {"code", "system", "text", "date", "kind", "stage", "stage_system", "tnm", "histology",
            "advanced_date"});
    diagnosis d;
    optional(v, "code", ptr, [&](const json& x, const std::string& p) { d.code = str(x, p); });
    optional(v, "system", ptr, [&](const json& x, const std::string& p) { d.system = str(x, p); });
    optional(v, "text", ptr, [&](const json& x, const std::string& p) { d.text = str(x, p); });
    optional(v, "date", ptr, [&](const json& x, const std::string& p) { d.date = date(x, p); });
    optional(v, "kind", ptr, [&](const json& x, const std::string& p) {
      d.kind = enumerated(x, p, parse_diagnosis_kind, "diagnosis kind");
    });
    optional(v, "stage", ptr, [&](const json& x, const std::string& p) { d.stage = str(x, p); });
    optional(v, "stage_system", ptr,
             [&](const json& x, const std::string& p) { d.stage_system = str(x, p); });
    optional(v, "tnm", ptr, [&](const json& x, const std::string& p) {
      object(x, p, {"t", "n", "m", "edition"});
      tnm_stage t;
      optional(x, "t", p, [&](const json& y, const std::string& q) { t.t = str(y, q); });
      optional(x, "n", p, [&](const json& y, const std::string& q) { t.n = str(y, q); });
      optional(x, "m", p, [&](const json& y, const std::string& q) { t.m = str(y, q); });
      optional(x, "edition", p,
               [&](const json& y, const std::string& q) { t.edition = str(y, q); });
      d.tnm = std::move(t);
    });
    optional(v, "histology", ptr,
             [&](const json& x, const std::string& p) { d.histology = str(x, p); });
    optional(v, "advanced_date", ptr,
             [&](const json& x, const std::string& p) { d.advanced_date = date(x, p); });
    return d;
  }

  metastasis read_metastasis(const json& v, const std::string& ptr) {
    object(v, ptr,
           {"site", "text", "date", "symptomatic", "treated", "last_local_therapy", "stable_since",
            "steroid_dose", "steroid"});
    metastasis m;
    required(v, "site", ptr, [&](const json& x, const std::string& p) {
      m.site = enumerated(x, p, parse_metastatic_site, "metastatic site");
    });
    optional(v, "text", ptr, [&](const json& x, const std::string& p) { m.text = str(x, p); });
    optional(v, "date", ptr, [&](const json& x, const std::string& p) { m.date = date(x, p); });
    optional(v, "symptomatic", ptr,
             [&](const json& x, const std::string& p) { m.symptomatic = tri(x, p); });
    optional(v, "treated", ptr,
             [&](const json& x, const std::string& p) { m.treated = tri(x, p); });
    optional(v, "last_local_therapy", ptr,
             [&](const json& x, const std::string& p) { m.last_local_therapy = date(x, p); });
    optional(v, "stable_since", ptr,
             [&](const json& x, const std::string& p) { m.stable_since = date(x, p); });
    optional(v, "steroid_dose", ptr,
             [&](const json& x, const std::string& p) { m.steroid_dose = quantity_of(x, p); });
    optional(v, "steroid", ptr,
             [&](const json& x, const std::string& p) { m.steroid = str(x, p); });
    return m;
  }

  biomarker_result read_biomarker(const json& v, const std::string& ptr) {
    object(
        v, ptr,
        {"gene", "alteration", "kind", "status", "value", "scoring", "assay", "specimen", "date"});
    biomarker_result b;
    optional(v, "gene", ptr, [&](const json& x, const std::string& p) { b.gene = str(x, p); });
    optional(v, "alteration", ptr,
             [&](const json& x, const std::string& p) { b.alteration = str(x, p); });
    required(v, "kind", ptr, [&](const json& x, const std::string& p) {
      b.kind = enumerated(x, p, parse_biomarker_kind, "biomarker kind");
    });
    required(v, "status", ptr, [&](const json& x, const std::string& p) {
      b.status = enumerated(x, p, parse_test_status, "test status");
    });
    optional(v, "value", ptr,
             [&](const json& x, const std::string& p) { b.value = quantity_of(x, p); });
    optional(v, "scoring", ptr,
             [&](const json& x, const std::string& p) { b.scoring = str(x, p); });
    optional(v, "assay", ptr, [&](const json& x, const std::string& p) { b.assay = str(x, p); });
    optional(v, "specimen", ptr,
             [&](const json& x, const std::string& p) { b.specimen = str(x, p); });
    optional(v, "date", ptr, [&](const json& x, const std::string& p) { b.date = date(x, p); });
    return b;
  }

  lab_result read_lab(const json& v, const std::string& ptr) {
    object(v, ptr,
           {"analyte", "loinc", "value", "unit", "comparator", "qualitative", "reference_range",
            "date"});
    lab_result l;
    optional(v, "analyte", ptr,
             [&](const json& x, const std::string& p) { l.analyte = str(x, p); });
    optional(v, "loinc", ptr, [&](const json& x, const std::string& p) { l.loinc = str(x, p); });
    const bool has_value = v.contains("value");
    const bool has_unit = v.contains("unit");
    if (has_value != has_unit) {
      fail(errc::json_schema, "a lab value needs both 'value' and 'unit'",
           child(ptr, has_value ? "unit" : "value"));
    }
    if (has_value) {
      quantity q;
      required(v, "value", ptr,
               [&](const json& x, const std::string& p) { q.value = number(x, p); });
      required(v, "unit", ptr,
               [&](const json& x, const std::string& p) { q.unit = unit_of(x, p); });
      l.value = q;
    }
    optional(v, "comparator", ptr, [&](const json& x, const std::string& p) {
      l.comparator = enumerated(x, p, parse_comparator, "comparator");
    });
    optional(v, "qualitative", ptr, [&](const json& x, const std::string& p) {
      l.qualitative = enumerated(x, p, parse_qualitative_result, "qualitative result");
    });
    optional(v, "reference_range", ptr, [&](const json& x, const std::string& p) {
      object(x, p, {"low", "high"});
      reference_range r;
      optional(x, "low", p, [&](const json& y, const std::string& q) { r.low = number(y, q); });
      optional(x, "high", p, [&](const json& y, const std::string& q) { r.high = number(y, q); });
      l.range = r;
    });
    optional(v, "date", ptr, [&](const json& x, const std::string& p) { l.date = date(x, p); });
    return l;
  }

  performance_status read_performance(const json& v, const std::string& ptr) {
    object(v, ptr, {"scale", "value", "date"});
    performance_status s;
    required(v, "scale", ptr, [&](const json& x, const std::string& p) {
      s.scale = enumerated(x, p, parse_performance_scale, "performance scale");
    });
    required(v, "value", ptr,
             [&](const json& x, const std::string& p) { s.value = integer(x, p); });
    optional(v, "date", ptr, [&](const json& x, const std::string& p) { s.date = date(x, p); });
    return s;
  }

  condition read_condition(const json& v, const std::string& ptr) {
    object(v, ptr,
           {"kind", "status", "code", "text", "onset", "end", "date", "on_treatment", "viral_load",
            "cd4_count"});
    condition c;
    required(v, "kind", ptr, [&](const json& x, const std::string& p) {
      c.kind = enumerated(x, p, parse_condition_kind, "condition kind");
    });
    required(v, "status", ptr, [&](const json& x, const std::string& p) {
      c.status = enumerated(x, p, parse_condition_status, "condition status");
    });
    optional(v, "code", ptr, [&](const json& x, const std::string& p) { c.code = str(x, p); });
    optional(v, "text", ptr, [&](const json& x, const std::string& p) { c.text = str(x, p); });
    optional(v, "onset", ptr, [&](const json& x, const std::string& p) { c.onset = date(x, p); });
    optional(v, "end", ptr, [&](const json& x, const std::string& p) { c.end = date(x, p); });
    optional(v, "date", ptr, [&](const json& x, const std::string& p) { c.date = date(x, p); });
    optional(v, "on_treatment", ptr,
             [&](const json& x, const std::string& p) { c.on_treatment = tri(x, p); });
    optional(v, "viral_load", ptr,
             [&](const json& x, const std::string& p) { c.viral_load = quantity_of(x, p); });
    optional(v, "cd4_count", ptr,
             [&](const json& x, const std::string& p) { c.cd4_count = quantity_of(x, p); });
    return c;
  }

  drug_administration read_treatment(const json& v, const std::string& ptr) {
    object(
        v, ptr,
        {"drug", "regimen", "start", "end", "route", "cycles", "dose", "setting", "stop_reason"});
    drug_administration t;
    required(v, "drug", ptr, [&](const json& x, const std::string& p) { t.drug = drug_of(x, p); });
    optional(v, "regimen", ptr,
             [&](const json& x, const std::string& p) { t.regimen = str(x, p); });
    optional(v, "start", ptr, [&](const json& x, const std::string& p) { t.start = date(x, p); });
    optional(v, "end", ptr, [&](const json& x, const std::string& p) { t.end = date(x, p); });
    optional(v, "route", ptr, [&](const json& x, const std::string& p) {
      t.route = enumerated(x, p, parse_route, "route");
    });
    optional(v, "cycles", ptr,
             [&](const json& x, const std::string& p) { t.cycles = integer(x, p); });
    optional(v, "dose", ptr,
             [&](const json& x, const std::string& p) { t.dose = quantity_of(x, p); });
    optional(v, "setting", ptr, [&](const json& x, const std::string& p) {
      t.setting = enumerated(x, p, parse_therapy_setting, "therapy setting");
    });
    optional(v, "stop_reason", ptr, [&](const json& x, const std::string& p) {
      t.stop_reason = enumerated(x, p, parse_stop_reason, "stop reason");
    });
    return t;
  }

  procedure read_procedure(const json& v, const std::string& ptr) {
    object(v, ptr, {"kind", "text", "start", "end", "field", "product", "setting"});
    procedure r;
    required(v, "kind", ptr, [&](const json& x, const std::string& p) {
      r.kind = enumerated(x, p, parse_procedure_kind, "procedure kind");
    });
    optional(v, "text", ptr, [&](const json& x, const std::string& p) { r.text = str(x, p); });
    optional(v, "start", ptr, [&](const json& x, const std::string& p) { r.start = date(x, p); });
    optional(v, "end", ptr, [&](const json& x, const std::string& p) { r.end = date(x, p); });
    optional(v, "field", ptr, [&](const json& x, const std::string& p) { r.field = str(x, p); });
    optional(v, "product", ptr,
             [&](const json& x, const std::string& p) { r.product = drug_of(x, p); });
    optional(v, "setting", ptr, [&](const json& x, const std::string& p) {
      r.setting = enumerated(x, p, parse_therapy_setting, "therapy setting");
    });
    return r;
  }

  lesion read_lesion(const json& v, const std::string& ptr) {
    object(v, ptr,
           {"id", "site", "role", "nodal", "diameter_mm", "slice_thickness_mm", "status",
            "equivocal"});
    lesion l;
    required(v, "id", ptr, [&](const json& x, const std::string& p) { l.id = str(x, p); });
    optional(v, "site", ptr, [&](const json& x, const std::string& p) { l.site = str(x, p); });
    required(v, "role", ptr, [&](const json& x, const std::string& p) {
      l.role = enumerated(x, p, parse_lesion_role, "lesion role");
    });
    optional(v, "nodal", ptr,
             [&](const json& x, const std::string& p) { l.nodal = boolean(x, p); });
    optional(v, "diameter_mm", ptr,
             [&](const json& x, const std::string& p) { l.diameter_mm = number(x, p); });
    optional(v, "slice_thickness_mm", ptr,
             [&](const json& x, const std::string& p) { l.slice_thickness_mm = number(x, p); });
    optional(v, "status", ptr, [&](const json& x, const std::string& p) {
      l.status = enumerated(x, p, parse_lesion_status, "lesion status");
    });
    optional(v, "equivocal", ptr,
             [&](const json& x, const std::string& p) { l.equivocal = boolean(x, p); });
    return l;
  }

  tumour_assessment read_tumour_assessment(const json& v, const std::string& ptr) {
    object(v, ptr, {"date", "method", "lesions", "response"});
    tumour_assessment a;
    optional(v, "date", ptr, [&](const json& x, const std::string& p) { a.date = date(x, p); });
    optional(v, "method", ptr, [&](const json& x, const std::string& p) {
      a.method = enumerated(x, p, parse_imaging_method, "imaging method");
    });
    list(v, "lesions", ptr, a.lesions,
         [&](const json& x, const std::string& p) { return read_lesion(x, p); });
    optional(v, "response", ptr,
             [&](const json& x, const std::string& p) { a.response = str(x, p); });
    return a;
  }

  disease_assessment read_disease_assessment(const json& v, const std::string& ptr) {
    object(v, ptr, {"system", "category", "date", "deauville"});
    disease_assessment a;
    required(v, "system", ptr, [&](const json& x, const std::string& p) {
      a.system = enumerated(x, p, parse_response_system, "response system");
    });
    optional(v, "category", ptr,
             [&](const json& x, const std::string& p) { a.category = str(x, p); });
    optional(v, "date", ptr, [&](const json& x, const std::string& p) { a.date = date(x, p); });
    optional(v, "deauville", ptr,
             [&](const json& x, const std::string& p) { a.deauville = integer(x, p); });
    return a;
  }

  progression_event read_progression(const json& v, const std::string& ptr) {
    object(v, ptr, {"date", "basis", "marker", "criteria"});
    progression_event e;
    optional(v, "date", ptr, [&](const json& x, const std::string& p) { e.date = date(x, p); });
    required(v, "basis", ptr, [&](const json& x, const std::string& p) {
      e.basis = enumerated(x, p, parse_progression_basis, "progression basis");
    });
    optional(v, "marker", ptr, [&](const json& x, const std::string& p) { e.marker = str(x, p); });
    optional(v, "criteria", ptr, [&](const json& x, const std::string& p) {
      e.criteria = enumerated(x, p, parse_response_system, "response system");
    });
    return e;
  }

  const read_options& options_;
  const record_place& place_;
  std::vector<diagnostic>& diags_;
};

// Reads one parsed record; never throws except std::bad_alloc.
result<patient_document> read_value(const json& v, const read_options& options,
                                    const record_place& place) {
  try {
    patient_document doc;
    reader r(options, place, doc.diagnostics);
    doc.patient = r.root(v);
    if (options.validate) {
      for (diagnostic d : validate(doc.patient)) {
        d.error.where.file = std::string(place.file);
        d.error.where.line = place.line;
        d.error.where.pointer = place.prefix + d.error.where.pointer;
        doc.diagnostics.push_back(std::move(d));
      }
    }
    return doc;
  } catch (const read_failure& f) {
    return f.err;
  } catch (const json::exception&) {
    return make_error(place, errc::json_schema, "JSON value of an unexpected shape", "");
  }
}

// --- writing ------------------------------------------------------------------------------------

void put(ordered_json& o, const char* key, const std::string& s) {
  if (!s.empty()) o[key] = s;
}
void put(ordered_json& o, const char* key, const std::optional<partial_date>& d) {
  if (d) o[key] = to_string(*d);
}
void put(ordered_json& o, const char* key, truth t) {
  if (t != truth::unknown) o[key] = std::string(to_string(t));
}
template <class E>
void put_enum(ordered_json& o, const char* key, const std::optional<E>& e) {
  if (e) o[key] = std::string(to_string(*e));
}

ordered_json quantity_json(const quantity& q) {
  ordered_json o = ordered_json::object();
  o["value"] = q.value;
  o["unit"] = std::string(ucum_code(q.unit));
  return o;
}

ordered_json drug_json(const drug& d) {
  ordered_json o = ordered_json::object();
  put(o, "name", d.name);
  put(o, "rxnorm", d.rxnorm);
  return o;
}

template <class T, class F>
void put_list(ordered_json& o, const char* key, const std::vector<T>& items, F&& write_one) {
  if (items.empty()) return;
  ordered_json arr = ordered_json::array();
  for (const T& item : items) arr.push_back(write_one(item));
  o[key] = std::move(arr);
}

ordered_json measurement_json(const body_measurement& m) {
  ordered_json o = ordered_json::object();
  put(o, "date", m.date);
  o["value"] = m.value.value;
  o["unit"] = std::string(ucum_code(m.value.unit));
  return o;
}

ordered_json patient_json(const patient& p) {
  ordered_json o = ordered_json::object();
  o["schema_version"] = patient_schema_version;
  o["id"] = p.id;
  put(o, "birth_date", p.birth_date);
  o["sex"] = std::string(to_string(p.sex));
  if (p.location) {
    ordered_json g = ordered_json::object();
    g["latitude"] = p.location->latitude;
    g["longitude"] = p.location->longitude;
    o["location"] = std::move(g);
  }
  if (p.max_travel_km) o["max_travel_km"] = *p.max_travel_km;
  put_list(o, "weights", p.weights, measurement_json);
  put_list(o, "heights", p.heights, measurement_json);
  put_list(o, "diagnoses", p.diagnoses, [](const diagnosis& d) {
    ordered_json j = ordered_json::object();
    put(j, "code", d.code);
    put(j, "system", d.system);
    put(j, "text", d.text);
    put(j, "date", d.date);
    j["kind"] = std::string(to_string(d.kind));
    put(j, "stage", d.stage);
    put(j, "stage_system", d.stage_system);
    if (d.tnm) {
      ordered_json t = ordered_json::object();
      put(t, "t", d.tnm->t);
      put(t, "n", d.tnm->n);
      put(t, "m", d.tnm->m);
      put(t, "edition", d.tnm->edition);
      j["tnm"] = std::move(t);
    }
    put(j, "histology", d.histology);
    put(j, "advanced_date", d.advanced_date);
    return j;
  });
  put_list(o, "metastases", p.metastases, [](const metastasis& m) {
    ordered_json j = ordered_json::object();
    j["site"] = std::string(to_string(m.site));
    put(j, "text", m.text);
    put(j, "date", m.date);
    put(j, "symptomatic", m.symptomatic);
    put(j, "treated", m.treated);
    put(j, "last_local_therapy", m.last_local_therapy);
    put(j, "stable_since", m.stable_since);
    if (m.steroid_dose) j["steroid_dose"] = quantity_json(*m.steroid_dose);
    put(j, "steroid", m.steroid);
    return j;
  });
  put_list(o, "biomarkers", p.biomarkers, [](const biomarker_result& b) {
    ordered_json j = ordered_json::object();
    put(j, "gene", b.gene);
    put(j, "alteration", b.alteration);
    j["kind"] = std::string(to_string(b.kind));
    j["status"] = std::string(to_string(b.status));
    if (b.value) j["value"] = quantity_json(*b.value);
    put(j, "scoring", b.scoring);
    put(j, "assay", b.assay);
    put(j, "specimen", b.specimen);
    put(j, "date", b.date);
    return j;
  });
  put_list(o, "labs", p.labs, [](const lab_result& l) {
    ordered_json j = ordered_json::object();
    put(j, "analyte", l.analyte);
    put(j, "loinc", l.loinc);
    put(j, "date", l.date);
    put_enum(j, "comparator", l.comparator);
    if (l.value) {
      j["value"] = l.value->value;
      j["unit"] = std::string(ucum_code(l.value->unit));
    }
    put_enum(j, "qualitative", l.qualitative);
    if (l.range) {
      ordered_json r = ordered_json::object();
      if (l.range->low) r["low"] = *l.range->low;
      if (l.range->high) r["high"] = *l.range->high;
      j["reference_range"] = std::move(r);
    }
    return j;
  });
  put_list(o, "performance_status", p.performance, [](const performance_status& s) {
    ordered_json j = ordered_json::object();
    put(j, "date", s.date);
    j["scale"] = std::string(to_string(s.scale));
    j["value"] = s.value;
    return j;
  });
  put_list(o, "conditions", p.conditions, [](const condition& c) {
    ordered_json j = ordered_json::object();
    j["kind"] = std::string(to_string(c.kind));
    j["status"] = std::string(to_string(c.status));
    put(j, "code", c.code);
    put(j, "text", c.text);
    put(j, "onset", c.onset);
    put(j, "end", c.end);
    put(j, "date", c.date);
    put(j, "on_treatment", c.on_treatment);
    if (c.viral_load) j["viral_load"] = quantity_json(*c.viral_load);
    if (c.cd4_count) j["cd4_count"] = quantity_json(*c.cd4_count);
    return j;
  });
  put_list(o, "treatments", p.treatments, [](const drug_administration& t) {
    ordered_json j = ordered_json::object();
    j["drug"] = drug_json(t.drug);
    put(j, "regimen", t.regimen);
    put(j, "start", t.start);
    put(j, "end", t.end);
    put_enum(j, "route", t.route);
    if (t.cycles) j["cycles"] = *t.cycles;
    if (t.dose) j["dose"] = quantity_json(*t.dose);
    put_enum(j, "setting", t.setting);
    put_enum(j, "stop_reason", t.stop_reason);
    return j;
  });
  put_list(o, "procedures", p.procedures, [](const procedure& r) {
    ordered_json j = ordered_json::object();
    j["kind"] = std::string(to_string(r.kind));
    put(j, "text", r.text);
    put(j, "start", r.start);
    put(j, "end", r.end);
    put(j, "field", r.field);
    if (r.product) j["product"] = drug_json(*r.product);
    put_enum(j, "setting", r.setting);
    return j;
  });
  put_list(o, "tumour_assessments", p.tumour_assessments, [](const tumour_assessment& a) {
    ordered_json j = ordered_json::object();
    put(j, "date", a.date);
    put_enum(j, "method", a.method);
    put(j, "response", a.response);
    put_list(j, "lesions", a.lesions, [](const lesion& l) {
      ordered_json k = ordered_json::object();
      k["id"] = l.id;
      put(k, "site", l.site);
      k["role"] = std::string(to_string(l.role));
      if (l.nodal) k["nodal"] = true;
      if (l.diameter_mm) k["diameter_mm"] = *l.diameter_mm;
      if (l.slice_thickness_mm) k["slice_thickness_mm"] = *l.slice_thickness_mm;
      put_enum(k, "status", l.status);
      if (l.equivocal) k["equivocal"] = true;
      return k;
    });
    return j;
  });
  put_list(o, "disease_assessments", p.disease_assessments, [](const disease_assessment& a) {
    ordered_json j = ordered_json::object();
    put(j, "date", a.date);
    j["system"] = std::string(to_string(a.system));
    put(j, "category", a.category);
    if (a.deauville) j["deauville"] = *a.deauville;
    return j;
  });
  put_list(o, "progressions", p.progressions, [](const progression_event& e) {
    ordered_json j = ordered_json::object();
    put(j, "date", e.date);
    j["basis"] = std::string(to_string(e.basis));
    put(j, "marker", e.marker);
    put_enum(j, "criteria", e.criteria);
    return j;
  });
  return o;
}

detail::json_limits limits_of(const read_options& options) {
  return {options.max_bytes, options.max_depth};
}

// Parses one document and reads it.
result<patient_document> read_document(std::string_view text, const read_options& options,
                                       const record_place& place, std::uint32_t first_line) {
  try {
    return read_value(detail::parse_json(text, limits_of(options), place, first_line), options,
                      place);
  } catch (const read_failure& f) {
    return f.err;
  }
}

}  // namespace

result<patient_document> read_patient(std::string_view json_text, const read_options& options) {
  const record_place place{options.source_name, 0, ""};
  return read_document(json_text, options, place, 1);
}

std::string write_patient_line(const patient& p) {
  std::string out = patient_json(p).dump(-1, ' ', false, ordered_json::error_handler_t::replace);
  out += '\n';
  return out;
}

std::string write_patient(const patient& p) {
  std::string out = patient_json(p).dump(2, ' ', false, ordered_json::error_handler_t::replace);
  out += '\n';
  return out;
}

std::vector<patient_record> read_patients(std::string_view text, const read_options& options) {
  return detail::read_records<patient_record>(
      text, options.source_name, limits_of(options),
      [&](const json& v, const record_place& place) { return read_value(v, options, place); });
}

}  // namespace ctm::io
