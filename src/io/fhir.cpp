// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// FHIR R4 / mCODE bundles -> patient records (docs/import.md). nlohmann_json stays in this file.
// Messages name resource positions and fields only, never values read from the bundle.
#include "io/json_support.hpp"

#include <ctm/io/fhir.hpp>
#include <ctm/io/vocabulary.hpp>
#include <ctm/patient/validate.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>
#include <utility>

namespace ctm::io {
namespace {

using detail::child;
using detail::json;
using detail::make_error;
using detail::read_failure;
using detail::record_place;
using detail::trim;

// Thrown while reading one resource; the resource is skipped, the bundle goes on.
struct bad_shape {
  std::string pointer;
};

constexpr std::string_view loinc_uri = "http://loinc.org";
constexpr std::string_view rxnorm_uri = "http://www.nlm.nih.gov/research/umls/rxnorm";
constexpr std::string_view ucum_uri = "http://unitsofmeasure.org";

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}
bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

// --- typed access: absent or null is "not given", another type throws bad_shape -----------------

const json* member(const json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string str(const json& obj, std::string_view key, const std::string& ptr) {
  const json* v = member(obj, key);
  if (v == nullptr) return {};
  if (!v->is_string()) throw bad_shape{child(ptr, key)};
  return v->get<std::string>();
}

const json* object(const json& obj, std::string_view key, const std::string& ptr) {
  const json* v = member(obj, key);
  if (v != nullptr && !v->is_object()) throw bad_shape{child(ptr, key)};
  return v;
}

template <class F>
void each(const json& obj, std::string_view key, const std::string& ptr, F&& f) {
  const json* v = member(obj, key);
  if (v == nullptr) return;
  const std::string where = child(ptr, key);
  if (!v->is_array()) throw bad_shape{where};
  for (std::size_t i = 0; i < v->size(); ++i) f((*v)[i], child(where, i));
}

std::optional<double> number(const json& obj, std::string_view key, const std::string& ptr) {
  const json* v = member(obj, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) throw bad_shape{child(ptr, key)};
  const double d = v->get<double>();
  if (!std::isfinite(d)) throw bad_shape{child(ptr, key)};
  return d;
}

struct coding {
  std::string system;
  std::string code;
  std::string display;
};

// The codings of a CodeableConcept (also accepts a bare Coding).
std::vector<coding> codings(const json* cc, const std::string& ptr) {
  std::vector<coding> out;
  if (cc == nullptr) return out;
  if (!cc->is_object()) throw bad_shape{ptr};
  if (cc->contains("code") && !cc->contains("coding")) {
    out.push_back(coding{str(*cc, "system", ptr), str(*cc, "code", ptr), str(*cc, "display", ptr)});
    return out;
  }
  each(*cc, "coding", ptr, [&](const json& c, const std::string& p) {
    if (!c.is_object()) throw bad_shape{p};
    out.push_back(coding{str(c, "system", p), str(c, "code", p), str(c, "display", p)});
  });
  return out;
}

std::string concept_text(const json* cc, const std::string& ptr) {
  if (cc == nullptr) return {};
  const std::string text = str(*cc, "text", ptr);
  if (!text.empty()) return text;
  for (const coding& c : codings(cc, ptr)) {
    if (!c.display.empty()) return c.display;
  }
  return {};
}

std::optional<coding> first_of(const std::vector<coding>& cs, std::string_view system) {
  for (const coding& c : cs) {
    if (c.system == system && !c.code.empty()) return c;
  }
  return std::nullopt;
}

bool has_code(const std::vector<coding>& cs, std::initializer_list<std::string_view> codes) {
  for (const coding& c : cs) {
    if (std::find(codes.begin(), codes.end(), c.code) != codes.end()) return true;
  }
  return false;
}

bool has_profile(const json& r, std::string_view fragment) {
  const json* meta = member(r, "meta");
  if (meta == nullptr || !meta->is_object()) return false;
  const json* profiles = member(*meta, "profile");
  if (profiles == nullptr || !profiles->is_array()) return false;
  for (const json& p : *profiles) {
    if (p.is_string() && contains(p.get<std::string>(), fragment)) return true;
  }
  return false;
}

// --- value interpretation -----------------------------------------------------------------------

enum class polarity : std::uint8_t { positive, negative, indeterminate };

std::optional<polarity> polarity_of(const std::vector<coding>& cs, std::string_view text) {
  if (has_code(cs, {"10828004", "LA6576-8", "POS", "LA9633-4", "52101004"}))
    return polarity::positive;
  if (has_code(cs, {"260385009", "LA6577-6", "NEG", "LA9634-2", "2667000"}))
    return polarity::negative;
  if (has_code(cs, {"42425007", "82334004", "LA4259-3", "LA11884-6", "IND", "EQV"})) {
    return polarity::indeterminate;
  }
  std::string words = lowered(text);
  for (const coding& c : cs) words += " " + lowered(c.display);
  if (contains(words, "negative") || contains(words, "not detected") || contains(words, "absent") ||
      contains(words, "stable") || contains(words, "mss") || contains(words, "low")) {
    return polarity::negative;
  }
  if (contains(words, "positive") || contains(words, "detected") || contains(words, "present") ||
      contains(words, "high") || contains(words, "unstable") || contains(words, "msi-h")) {
    return polarity::positive;
  }
  if (contains(words, "equivocal") || contains(words, "indeterminate"))
    return polarity::indeterminate;
  return std::nullopt;
}

// "c3A" / "3A" / "Stage 3A (qualifier value)" / "IV" -> "IIIA" / "IV".
std::string stage_of(std::string_view raw) {
  std::string s = lowered(trim(raw));
  const std::size_t paren = s.find('(');
  if (paren != std::string::npos) s = s.substr(0, paren);
  for (std::string_view prefix : {"stage group ", "stage ", "ajcc "}) {
    const std::size_t at = s.find(prefix);
    if (at != std::string::npos) s = s.substr(at + prefix.size());
  }
  s = std::string(trim(s));
  if (!s.empty() && (s[0] == 'c' || s[0] == 'p') && s.size() > 1 &&
      ((s[1] >= '0' && s[1] <= '4') || s[1] == 'i')) {
    s.erase(0, 1);
  }
  if (s.empty()) return {};
  static constexpr std::array<std::string_view, 5> roman{"0", "I", "II", "III", "IV"};
  std::string out;
  std::size_t i = 0;
  if (s[0] >= '0' && s[0] <= '4') {
    out = roman[static_cast<std::size_t>(s[0] - '0')];
    i = 1;
  } else {
    while (i < s.size() && (s[i] == 'i' || s[i] == 'v'))
      out += static_cast<char>(s[i++] - 'a' + 'A');
    if (out.empty()) return {};
  }
  while (i < s.size() && s[i] >= 'a' && s[i] <= 'c') out += static_cast<char>(s[i++] - 'a' + 'A');
  if (i < s.size() && s[i] != ' ') return {};
  return out;
}

// "American Joint Committee on Cancer cT3" / "cT3" / "T2a" -> "T2a".
std::string tnm_of(std::string_view raw, char letter) {
  const std::string s(trim(raw));
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != letter) continue;
    if (i > 0 && s[i - 1] != ' ' && s[i - 1] != 'c' && s[i - 1] != 'p' && s[i - 1] != 'y') continue;
    std::size_t end = i + 1;
    while (end < s.size() && s[end] != ' ' && s[end] != '(') ++end;
    if (end > i + 1) return s.substr(i, end - i);
  }
  return {};
}

struct gene_entry {
  std::string_view hgnc;
  std::string_view symbol;
};
// HGNC ids of genes common in oncology panels (HGNC symbols are free to use).
constexpr std::array<gene_entry, 24> hgnc_genes{{
    {"HGNC:3236", "EGFR"},  {"HGNC:6407", "KRAS"},  {"HGNC:1097", "BRAF"},   {"HGNC:3430", "ERBB2"},
    {"HGNC:427", "ALK"},    {"HGNC:10261", "ROS1"}, {"HGNC:8975", "PIK3CA"}, {"HGNC:1100", "BRCA1"},
    {"HGNC:1101", "BRCA2"}, {"HGNC:11998", "TP53"}, {"HGNC:11389", "STK11"}, {"HGNC:7989", "NRAS"},
    {"HGNC:7029", "MET"},   {"HGNC:9967", "RET"},   {"HGNC:8031", "NTRK1"},  {"HGNC:3467", "ESR1"},
    {"HGNC:5382", "IDH1"},  {"HGNC:5383", "IDH2"},  {"HGNC:3765", "FLT3"},   {"HGNC:6342", "KIT"},
    {"HGNC:9588", "PTEN"},  {"HGNC:391", "AKT1"},   {"HGNC:3689", "FGFR2"},  {"HGNC:3690", "FGFR3"},
}};

std::string gene_symbol(const coding& c) {
  for (const gene_entry& g : hgnc_genes) {
    if (c.code == g.hgnc) return std::string(g.symbol);
  }
  if (!c.display.empty()) return c.display;
  return c.code;
}

// --- bundle layout ------------------------------------------------------------------------------

struct entry {
  const json* resource = nullptr;
  std::string pointer;  // "/entry/3/resource"
  std::string type;
  std::string id;
  std::string full_url;
};

struct vocabularies {
  disease_mapper mappings;
  std::optional<vocab::ontology> diseases;
  std::optional<vocab::drug_catalog> drugs;
  std::optional<vocab::lab_catalog> labs;
};

vocabularies resolve(const fhir_options& o) {
  vocabularies v;
  if (o.mappings) {
    v.mappings = *o.mappings;
  } else if (auto m = bundled_disease_mappings()) {
    v.mappings = *m;
  }
  if (o.diseases) {
    v.diseases = o.diseases;
  } else if (auto d = bundled_ontology()) {
    v.diseases = *d;
  }
  if (o.drugs) {
    v.drugs = o.drugs;
  } else if (auto d = bundled_drug_catalog()) {
    v.drugs = *d;
  }
  if (o.labs) {
    v.labs = o.labs;
  } else if (auto l = bundled_lab_catalog()) {
    v.labs = *l;
  }
  return v;
}

// Reads the resources of one patient.
class patient_builder {
 public:
  patient_builder(const record_place& place, const vocabularies& vocab,
                  const std::map<std::string, std::size_t, std::less<>>& refs,
                  const std::vector<entry>& entries, fhir_patient& out)
      : place_(place),
        vocab_(vocab),
        refs_(refs),
        entries_(entries),
        out_(out),
        p_(out.document.patient) {}

  void run(std::size_t patient_entry, const std::vector<std::size_t>& members) {
    guarded(entries_[patient_entry], [&](const entry& e) { read_patient(e); });
    // Conditions first, so stage observations can find their diagnosis.
    // Medications of all three kinds in bundle order.
    static const std::vector<std::vector<std::string_view>> groups{
        {"Condition"},
        {"Observation"},
        {"MedicationStatement", "MedicationRequest", "MedicationAdministration"},
        {"Procedure"},
        {"DiagnosticReport"}};
    for (const auto& group : groups) {
      for (std::size_t i : members) {
        const entry& e = entries_[i];
        if (std::find(group.begin(), group.end(), e.type) == group.end()) continue;
        guarded(e, [&](const entry& x) { read_resource(x); });
      }
    }
    for (std::size_t i : members) {
      const entry& e = entries_[i];
      static constexpr std::array<std::string_view, 8> read_types{
          "Patient",           "Condition",
          "Observation",       "MedicationStatement",
          "MedicationRequest", "MedicationAdministration",
          "Procedure",         "DiagnosticReport"};
      if (std::find(read_types.begin(), read_types.end(), e.type) == read_types.end() &&
          !referenced_medication(i)) {
        skip(e, "resource type not used");
      }
    }
  }

 private:
  template <class F>
  void guarded(const entry& e, F&& f) {
    try {
      f(e);
    } catch (const bad_shape& b) {
      warn(errc::json_schema, "a member has an unexpected type; the resource was left out",
           b.pointer);
      skip(e, "a member has an unexpected type");
    } catch (const json::exception&) {
      warn(errc::json_schema, "the resource has an unexpected shape; it was left out", e.pointer);
      skip(e, "unexpected shape");
    }
  }

  bool referenced_medication(std::size_t i) const {
    return entries_[i].type == "Medication" &&
           std::find(used_medications_.begin(), used_medications_.end(), i) !=
               used_medications_.end();
  }

  void warn(errc code, std::string message, const std::string& pointer) {
    out_.document.diagnostics.push_back(
        diagnostic{severity::warning, make_error(place_, code, std::move(message), pointer)});
  }

  void skip(const entry& e, std::string reason) {
    out_.skipped.push_back(skipped_resource{place_.prefix + e.pointer, e.type, std::move(reason)});
  }

  std::optional<partial_date> date_at(const json& r, std::string_view key, const std::string& ptr) {
    const std::string text = str(r, key, ptr);
    if (text.empty()) return std::nullopt;
    auto d = parse_partial_date(text);
    if (!d) {
      warn(d.error().code, "not a FHIR date; left out", child(ptr, key));
      return std::nullopt;
    }
    return *d;
  }

  struct period {
    std::optional<partial_date> start;
    std::optional<partial_date> end;
  };

  // effective[x] / performed[x] / onset[x]: a dateTime, an instant or a Period.
  period when(const json& r, std::string_view stem, const std::string& ptr) {
    period out;
    const std::string base(stem);
    if (auto d = date_at(r, base + "DateTime", ptr)) out.start = d;
    if (!out.start) out.start = date_at(r, base + "Instant", ptr);
    if (const json* pd = object(r, base + "Period", ptr)) {
      const std::string pp = child(ptr, base + "Period");
      if (!out.start) out.start = date_at(*pd, "start", pp);
      out.end = date_at(*pd, "end", pp);
    }
    return out;
  }

  std::optional<std::size_t> resolve_ref(const json& r, std::string_view key,
                                         const std::string& ptr) {
    const json* ref = object(r, key, ptr);
    if (ref == nullptr) return std::nullopt;
    const std::string target = str(*ref, "reference", child(ptr, key));
    const auto it = refs_.find(target);
    if (it == refs_.end()) return std::nullopt;
    return it->second;
  }

  // --- Patient ----------------------------------------------------------------------------------

  void read_patient(const entry& e) {
    const json& r = *e.resource;
    const std::string& ptr = e.pointer;
    p_.id = str(r, "id", ptr);
    const std::string birth = str(r, "birthDate", ptr);
    if (birth.empty()) {
      warn(errc::missing_value, "the Patient has no birth date; age is unknown",
           child(ptr, "birthDate"));
    } else if (auto d = parse_partial_date(birth)) {
      p_.birth_date = *d;
    } else {
      warn(d.error().code, "the birth date is not a FHIR date; age is unknown",
           child(ptr, "birthDate"));
    }
    const std::string gender = str(r, "gender", ptr);
    if (!gender.empty()) {
      if (auto s = parse_sex(gender)) {
        p_.sex = *s;
      } else {
        warn(errc::json_schema, "not a FHIR administrative gender; sex is unknown",
             child(ptr, "gender"));
      }
    }
    each(r, "address", ptr, [&](const json& a, const std::string& ap) {
      each(a, "extension", ap, [&](const json& x, const std::string& xp) {
        if (str(x, "url", xp) != "http://hl7.org/fhir/StructureDefinition/geolocation") return;
        std::optional<double> lat;
        std::optional<double> lon;
        each(x, "extension", xp, [&](const json& y, const std::string& yp) {
          const std::string url = str(y, "url", yp);
          if (url == "latitude") lat = number(y, "valueDecimal", yp);
          if (url == "longitude") lon = number(y, "valueDecimal", yp);
        });
        if (!lat || !lon || p_.location) return;
        if (*lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) {
          warn(errc::value_out_of_range, "the address geolocation is out of range; left out", xp);
          return;
        }
        p_.location = geo_point{*lat, *lon};
      });
    });
  }

  void read_resource(const entry& e) {
    const json& r = *e.resource;
    const std::string status = str(r, "status", e.pointer);
    if (status == "entered-in-error" || status == "cancelled" || status == "not-done" ||
        status == "not-taken" || status == "draft") {
      skip(e, "status says it did not happen or is in error");
      return;
    }
    if (e.type == "Condition") return read_condition(e);
    if (e.type == "Observation") return read_observation(e);
    if (e.type == "Procedure") return read_procedure(e);
    if (e.type == "DiagnosticReport") return read_report(e);
    return read_medication(e);
  }

  // --- Condition --------------------------------------------------------------------------------

  enum class cancer_role : std::uint8_t { none, primary, secondary };

  cancer_role role_of(const json& r, const std::vector<coding>& cs, const std::string& text) const {
    if (has_profile(r, "mcode-secondary-cancer-condition")) return cancer_role::secondary;
    if (has_profile(r, "mcode-primary-cancer-condition")) return cancer_role::primary;
    std::string words = lowered(text);
    for (const coding& c : cs) words += " " + lowered(c.display);
    if (contains(words, "secondary malignant") ||
        contains(words, "metastatic malignant neoplasm to") || contains(words, "metastasis to")) {
      return cancer_role::secondary;
    }
    for (const coding& c : cs) {
      if (const auto sys = mapping_system_of_uri(c.system)) {
        if (vocab_.mappings.map_code(*sys, c.code)) return cancer_role::primary;
        if (*sys == mapping_system::icd10cm && !c.code.empty() &&
            (c.code[0] == 'C' || c.code[0] == 'c')) {
          return cancer_role::primary;
        }
      }
    }
    for (std::string_view w :
         {"malignant", "carcinoma", "cancer", "lymphoma", "leukemia", "leukaemia", "myeloma",
          "sarcoma", "melanoma", "glioblastoma", "neoplasm"}) {
      if (contains(words, w)) return cancer_role::primary;
    }
    return cancer_role::none;
  }

  static std::string system_name(std::string_view uri) {
    if (const auto s = mapping_system_of_uri(uri)) {
      switch (*s) {
        case mapping_system::snomed:
          return "snomed";
        case mapping_system::icd10cm:
          return "icd10";
        case mapping_system::icdo3:
          return "icdo3";
        default:
          break;
      }
    }
    return std::string(uri);
  }

  void read_condition(const entry& e) {
    const json& r = *e.resource;
    const std::string& ptr = e.pointer;
    if (const json* vs = object(r, "verificationStatus", ptr)) {
      const auto cs = codings(vs, child(ptr, "verificationStatus"));
      if (has_code(cs, {"refuted", "entered-in-error"})) {
        skip(e, "verification status says it is refuted or in error");
        return;
      }
    }
    const json* code = object(r, "code", ptr);
    const std::string cptr = child(ptr, "code");
    const std::vector<coding> cs = codings(code, cptr);
    const std::string text = concept_text(code, cptr);
    const period onset = when(r, "onset", ptr);
    std::optional<partial_date> recorded = date_at(r, "recordedDate", ptr);
    std::string histology;
    std::optional<partial_date> asserted;
    each(r, "extension", ptr, [&](const json& x, const std::string& xp) {
      const std::string url = str(x, "url", xp);
      if (contains(url, "histology-morphology-behavior")) {
        for (const coding& c :
             codings(object(x, "valueCodeableConcept", xp), child(xp, "valueCodeableConcept"))) {
          if (!c.code.empty() && histology.empty()) histology = c.code;
        }
      }
      if (contains(url, "condition-assertedDate")) asserted = date_at(x, "valueDateTime", xp);
    });
    const std::optional<partial_date> date =
        onset.start ? onset.start : (asserted ? asserted : recorded);

    switch (role_of(r, cs, text)) {
      case cancer_role::primary:
        return primary_cancer(e, cs, text, date, histology);
      case cancer_role::secondary:
        return secondary_cancer(e, cs, text, date);
      case cancer_role::none:
        break;
    }
    if (cs.empty() && text.empty()) {
      skip(e, "the condition has no code");
      return;
    }
    condition c;
    const std::string first = cs.empty() ? std::string() : cs.front().code;
    c.code = first;
    c.text = text;
    c.onset = onset.start ? onset.start : recorded;
    const period abate = when(r, "abatement", ptr);
    c.end = abate.start;
    static constexpr std::array<std::pair<std::string_view, condition_kind>, 8> kinds{{
        {"86406008", condition_kind::hiv},
        {"165816005", condition_kind::hiv},
        {"66071002", condition_kind::hepatitis_b},
        {"61977001", condition_kind::hepatitis_b},
        {"50711007", condition_kind::hepatitis_c},
        {"128302006", condition_kind::hepatitis_c},
        {"77386006", condition_kind::pregnancy},
        {"234336002", condition_kind::graft_versus_host_disease},
    }};
    for (const coding& cc : cs) {
      for (const auto& [k, kind] : kinds) {
        if (cc.code == k) c.kind = kind;
      }
    }
    c.status = condition_status::active;
    if (const json* cl = object(r, "clinicalStatus", ptr)) {
      const auto st = codings(cl, child(ptr, "clinicalStatus"));
      if (has_code(st, {"inactive", "remission", "resolved"}))
        c.status = condition_status::resolved;
    }
    p_.conditions.push_back(std::move(c));
  }

  void primary_cancer(const entry& e, const std::vector<coding>& cs, const std::string& text,
                      std::optional<partial_date> date, const std::string& histology) {
    const json& r = *e.resource;
    const std::string& ptr = e.pointer;
    diagnosis d;
    d.text = text;
    d.date = date;
    d.histology = histology;
    for (const coding& c : cs) {
      const auto sys = mapping_system_of_uri(c.system);
      if (!sys) continue;
      if (auto mapped = vocab_.mappings.map_code(*sys, c.code); mapped && known_disease(*mapped)) {
        d.code = *mapped;
        d.system = "oncotree";
        break;
      }
    }
    // A histology that maps below the site refines it (breast + infiltrating duct -> IDC).
    if (!histology.empty() && d.system == "oncotree") {
      for (auto sys : {mapping_system::snomed, mapping_system::icdo3}) {
        const auto h = vocab_.mappings.map_code(sys, histology);
        if (h && vocab_.diseases && known_disease(*h)) {
          const auto hist = vocab_.diseases->find(*h);
          const auto site = vocab_.diseases->find(d.code);
          if (hist && site && vocab_.diseases->is_a(*hist, *site) == truth::yes) d.code = *h;
        }
      }
    }
    if (d.code.empty()) {
      if (!cs.empty()) {
        d.code = cs.front().code;
        d.system = system_name(cs.front().system);
      }
      warn(errc::unknown_code,
           "the cancer condition's code is not mapped to a disease code; kept as written",
           child(ptr, "code"));
    }
    // Stage from Condition.stage.summary; the stage observations below may add to it.
    each(r, "stage", ptr, [&](const json& s, const std::string& sp) {
      const json* summary = object(s, "summary", sp);
      const std::string sumptr = child(sp, "summary");
      for (const coding& c : codings(summary, sumptr)) {
        const std::string stage = stage_of(
            !c.display.empty() && c.system != "http://cancerstaging.org" ? c.display : c.code);
        if (!stage.empty() && d.stage.empty()) {
          d.stage = stage;
          d.stage_system = "AJCC";
        }
      }
      if (d.stage.empty()) {
        const std::string stage = stage_of(concept_text(summary, sumptr));
        if (!stage.empty()) {
          d.stage = stage;
          d.stage_system = "AJCC";
        }
      }
      each(s, "assessment", sp, [&](const json& a, const std::string& aq) {
        const std::string target = str(a, "reference", aq);
        if (const auto it = refs_.find(target); it != refs_.end()) {
          stage_owner_[it->second] = p_.diagnoses.size();
        }
      });
    });
    condition_diagnosis_[index_of(e)] = p_.diagnoses.size();
    p_.diagnoses.push_back(std::move(d));
  }

  bool known_disease(const std::string& code) const {
    return !vocab_.diseases || vocab_.diseases->find(code).has_value();
  }

  std::size_t index_of(const entry& e) const {
    return static_cast<std::size_t>(&e - entries_.data());
  }

  void secondary_cancer(const entry& e, const std::vector<coding>& cs, const std::string& text,
                        std::optional<partial_date> date) {
    const json& r = *e.resource;
    metastasis m;
    m.date = date;
    std::string words = lowered(text);
    for (const coding& c : cs) words += " " + lowered(c.display);
    each(r, "bodySite", e.pointer, [&](const json& b, const std::string& bp) {
      words += " " + lowered(concept_text(&b, bp));
    });
    static constexpr std::array<std::pair<std::string_view, metastatic_site>, 11> sites{{
        {"leptomening", metastatic_site::leptomeningeal},
        {"brain", metastatic_site::brain},
        {"liver", metastatic_site::liver},
        {"bone", metastatic_site::bone},
        {"lymph node", metastatic_site::lymph_node},
        {"lung", metastatic_site::lung},
        {"adrenal", metastatic_site::adrenal},
        {"peritone", metastatic_site::peritoneum},
        {"pleura", metastatic_site::pleura},
        {"skin", metastatic_site::skin},
        {"hepatic", metastatic_site::liver},
    }};
    m.site = metastatic_site::other;
    for (const auto& [w, site] : sites) {
      if (contains(words, w)) {
        m.site = site;
        break;
      }
    }
    if (has_code(cs, {"94222008"})) m.site = metastatic_site::bone;
    if (has_code(cs, {"94381002"})) m.site = metastatic_site::liver;
    if (has_code(cs, {"94391008"})) m.site = metastatic_site::lung;
    if (has_code(cs, {"94225005"})) m.site = metastatic_site::brain;
    if (m.site == metastatic_site::other) {
      m.text = text.empty() ? std::string("metastatic disease, site not recorded") : text;
    }
    p_.metastases.push_back(std::move(m));
  }

  // --- Observation ------------------------------------------------------------------------------

  void read_observation(const entry& e) {
    const json& r = *e.resource;
    const std::string& ptr = e.pointer;
    const json* code = object(r, "code", ptr);
    const std::vector<coding> cs = codings(code, child(ptr, "code"));
    const auto loinc = first_of(cs, loinc_uri);
    const std::string lc = loinc ? loinc->code : std::string();
    const period eff = when(r, "effective", ptr);
    std::optional<partial_date> date = eff.start;
    if (!date) date = date_at(r, "issued", ptr);

    if (lc == "89247-1" || lc == "89243-0") return performance(e, lc == "89247-1", date);
    if (lc == "21908-9" || lc == "21902-2" || lc == "21914-7") return stage_group(e, date);
    if (lc == "21905-5" || lc == "21899-0" || has_code(cs, {"399504009", "384625004"})) {
      return tnm(e, 'T');
    }
    if (lc == "21906-3" || lc == "21900-6" || has_code(cs, {"399534004", "371494008"})) {
      return tnm(e, 'N');
    }
    if (lc == "21907-1" || lc == "21901-4" || has_code(cs, {"399387003", "371497001"})) {
      return tnm(e, 'M');
    }
    if (lc == "69548-6") return variant(e, date);
    if (lc == "97509-4") return disease_status(e, date);
    if (lc == "21889-1") return tumour_size(e, date);
    if (lc == "29463-7" || lc == "8302-2") return body(e, lc == "29463-7", date);
    if (marker(e, lc, date)) return;
    if (lab(e, cs, date)) return;
    skip(e, "observation code not recognised");
  }

  void performance(const entry& e, bool ecog, std::optional<partial_date> date) {
    const json& r = *e.resource;
    const std::string& ptr = e.pointer;
    std::optional<double> value = number(r, "valueInteger", ptr);
    if (!value) {
      if (const json* q = object(r, "valueQuantity", ptr))
        value = number(*q, "value", child(ptr, "valueQuantity"));
    }
    if (!value && ecog) {
      // LOINC answer list LL529-9: LA9622-7 = 0 ... LA9627-6 = 5.
      const auto cs =
          codings(object(r, "valueCodeableConcept", ptr), child(ptr, "valueCodeableConcept"));
      static constexpr std::array<std::string_view, 6> answers{"LA9622-7", "LA9623-5", "LA9624-3",
                                                               "LA9625-0", "LA9626-8", "LA9627-6"};
      for (const coding& c : cs) {
        const auto it = std::find(answers.begin(), answers.end(), c.code);
        if (it != answers.end()) value = static_cast<double>(it - answers.begin());
      }
    }
    const char* scale = ecog ? "ECOG" : "Karnofsky";
    if (!value) {
      warn(errc::missing_value,
           std::string("the ") + scale + " observation has no score; left unknown", ptr);
      skip(e, "performance status without a score");
      return;
    }
    const bool whole = std::floor(*value) == *value;
    const bool valid =
        whole && (ecog ? (*value >= 0 && *value <= 5)
                       : (*value >= 0 && *value <= 100 && std::fmod(*value, 10.0) == 0.0));
    if (!valid) {
      warn(errc::invalid_value,
           std::string("not a valid ") + scale + " score (" +
               (ecog ? "0 to 5" : "0 to 100 in steps of 10") + "); performance status left unknown",
           child(ptr, "valueInteger"));
      skip(e, "impossible performance status score");
      return;
    }
    performance_status ps;
    ps.scale = ecog ? performance_scale::ecog : performance_scale::karnofsky;
    ps.value = static_cast<std::int32_t>(*value);
    ps.date = date;
    p_.performance.push_back(ps);
  }

  // The diagnosis a staging observation belongs to: its focus, the Condition whose stage
  // assessment names it, or the latest primary cancer.
  std::optional<std::size_t> diagnosis_for(const entry& e) {
    const json& r = *e.resource;
    std::optional<std::size_t> found;
    each(r, "focus", e.pointer, [&](const json& f, const std::string& fp) {
      const std::string target = str(f, "reference", fp);
      if (const auto it = refs_.find(target); it != refs_.end() && !found) {
        if (const auto d = condition_diagnosis_.find(it->second); d != condition_diagnosis_.end()) {
          found = d->second;
        }
      }
    });
    if (found) return found;
    if (const auto it = stage_owner_.find(index_of(e)); it != stage_owner_.end()) return it->second;
    if (!p_.diagnoses.empty()) return p_.diagnoses.size() - 1;
    return std::nullopt;
  }

  void stage_group(const entry& e, std::optional<partial_date>) {
    const json& r = *e.resource;
    const json* v = object(r, "valueCodeableConcept", e.pointer);
    const std::string vp = child(e.pointer, "valueCodeableConcept");
    std::string stage;
    for (const coding& c : codings(v, vp)) {
      if (stage.empty())
        stage = stage_of(c.system == "http://cancerstaging.org" ? c.code : c.display);
      if (stage.empty()) stage = stage_of(c.code);
    }
    if (stage.empty()) stage = stage_of(concept_text(v, vp));
    const auto d = diagnosis_for(e);
    if (stage.empty() || !d) {
      skip(e, stage.empty() ? "stage value not recognised"
                            : "no cancer condition to attach the stage to");
      return;
    }
    diagnosis& dx = p_.diagnoses[*d];
    dx.stage = stage;
    if (dx.stage_system.empty()) dx.stage_system = "AJCC";
  }

  void tnm(const entry& e, char letter) {
    const json& r = *e.resource;
    const json* v = object(r, "valueCodeableConcept", e.pointer);
    const std::string vp = child(e.pointer, "valueCodeableConcept");
    std::string value;
    for (const coding& c : codings(v, vp)) {
      if (value.empty()) value = tnm_of(c.display, letter);
      if (value.empty()) value = tnm_of(c.code, letter);
    }
    if (value.empty()) value = tnm_of(concept_text(v, vp), letter);
    const auto d = diagnosis_for(e);
    if (value.empty() || !d) {
      skip(e, value.empty() ? "TNM value not recognised"
                            : "no cancer condition to attach the stage to");
      return;
    }
    diagnosis& dx = p_.diagnoses[*d];
    if (!dx.tnm) dx.tnm = tnm_stage{};
    (letter == 'T' ? dx.tnm->t : letter == 'N' ? dx.tnm->n : dx.tnm->m) = value;
  }

  void variant(const entry& e, std::optional<partial_date> date) {
    const json& r = *e.resource;
    const std::string& ptr = e.pointer;
    biomarker_result b;
    b.kind = biomarker_kind::mutation;
    b.date = date;
    const auto value =
        codings(object(r, "valueCodeableConcept", ptr), child(ptr, "valueCodeableConcept"));
    const auto pol = polarity_of(value, "");
    b.status = pol == polarity::negative        ? test_status::not_detected
               : pol == polarity::indeterminate ? test_status::indeterminate
                                                : test_status::detected;
    std::string protein;
    std::string dna;
    each(r, "component", ptr, [&](const json& c, const std::string& cp) {
      const auto code = codings(object(c, "code", cp), child(cp, "code"));
      const json* v = object(c, "valueCodeableConcept", cp);
      const std::string vp = child(cp, "valueCodeableConcept");
      const auto vc = codings(v, vp);
      if (has_code(code, {"48018-6"}) && !vc.empty()) b.gene = gene_symbol(vc.front());
      if (has_code(code, {"48005-3"})) protein = vc.empty() ? concept_text(v, vp) : vc.front().code;
      if (has_code(code, {"48004-6"})) dna = vc.empty() ? concept_text(v, vp) : vc.front().code;
      if (code.empty() && !vc.empty() && contains(vc.front().code, "HGNC:"))
        b.gene = gene_symbol(vc.front());
    });
    b.alteration = !protein.empty() ? protein : dna;
    if (b.gene.empty()) {
      skip(e, "genetic variant without a gene");
      return;
    }
    p_.biomarkers.push_back(std::move(b));
  }

  void disease_status(const entry& e, std::optional<partial_date> date) {
    const json& r = *e.resource;
    const auto cs = codings(object(r, "valueCodeableConcept", e.pointer),
                            child(e.pointer, "valueCodeableConcept"));
    std::string category;
    if (has_code(cs, {"268910001"})) category = "improved";
    if (has_code(cs, {"359746009"})) category = "stable";
    if (has_code(cs, {"271299001"})) category = "worsened";
    if (has_code(cs, {"709137006", "260415000"})) category = "not detected";
    if (category.empty()) {
      skip(e, "disease status value not recognised");
      return;
    }
    disease_assessment a;
    a.system = response_system::other;
    a.category = category;
    a.date = date;
    p_.disease_assessments.push_back(a);
    if (category == "worsened") {
      progression_event pe;
      pe.date = date;
      pe.basis = progression_basis::clinical;
      each(r, "extension", e.pointer, [&](const json& x, const std::string& xp) {
        if (!contains(str(x, "url", xp), "evidence-type")) return;
        const auto ev =
            codings(object(x, "valueCodeableConcept", xp), child(xp, "valueCodeableConcept"));
        if (has_code(ev, {"363679005"})) pe.basis = progression_basis::radiographic;
        if (has_code(ev, {"252416005"})) pe.basis = progression_basis::pathological;
        if (has_code(ev, {"386344002"})) pe.basis = progression_basis::biochemical;
      });
      p_.progressions.push_back(pe);
    }
  }

  std::optional<double> millimetres(const json& q, const std::string& qp) {
    const auto value = number(q, "value", qp);
    std::string unit = str(q, "code", qp);
    if (unit.empty()) unit = str(q, "unit", qp);
    if (!value) return std::nullopt;
    if (unit == "mm") return *value;
    if (unit == "cm") return *value * 10.0;
    warn(errc::unknown_unit, "tumour size is not in mm or cm; left out", qp);
    return std::nullopt;
  }

  void tumour_size(const entry& e, std::optional<partial_date> date) {
    const json& r = *e.resource;
    std::optional<double> mm;
    if (const json* q = object(r, "valueQuantity", e.pointer))
      mm = millimetres(*q, child(e.pointer, "valueQuantity"));
    each(r, "component", e.pointer, [&](const json& c, const std::string& cp) {
      if (mm) return;
      if (const json* q = object(c, "valueQuantity", cp))
        mm = millimetres(*q, child(cp, "valueQuantity"));
    });
    if (!mm) {
      skip(e, "tumour size without a length");
      return;
    }
    tumour_assessment t;
    t.date = date;
    lesion l;
    l.id = "L" + std::to_string(p_.tumour_assessments.size() + 1);
    l.role = lesion_role::target;
    l.diameter_mm = mm;
    if (const json* site = object(r, "bodySite", e.pointer))
      l.site = concept_text(site, child(e.pointer, "bodySite"));
    t.lesions.push_back(std::move(l));
    p_.tumour_assessments.push_back(std::move(t));
  }

  void body(const entry& e, bool weight, std::optional<partial_date> date) {
    const json& r = *e.resource;
    const json* q = object(r, "valueQuantity", e.pointer);
    if (q == nullptr) {
      skip(e, "body measurement without a value");
      return;
    }
    const std::string qp = child(e.pointer, "valueQuantity");
    const auto value = number(*q, "value", qp);
    std::string unit = str(*q, "code", qp);
    if (unit.empty()) unit = str(*q, "unit", qp);
    if (!value) {
      skip(e, "body measurement without a value");
      return;
    }
    body_measurement m;
    m.date = date;
    if (weight && (unit == "kg" || unit == "g")) {
      m.value = quantity{*value, unit == "kg" ? unit::kilogram : unit::gram};
    } else if (weight && (unit == "[lb_av]" || unit == "lb" || unit == "lbs")) {
      m.value = quantity{*value * 0.45359237, unit::kilogram};
    } else if (!weight && (unit == "cm" || unit == "m")) {
      m.value = quantity{*value, unit == "cm" ? unit::centimetre : unit::metre};
    } else if (!weight && (unit == "[in_i]" || unit == "in")) {
      m.value = quantity{*value * 2.54, unit::centimetre};
    } else {
      warn(errc::unknown_unit, "body measurement unit not recognised; left out", qp);
      skip(e, "body measurement unit not recognised");
      return;
    }
    (weight ? p_.weights : p_.heights).push_back(m);
  }

  bool marker(const entry& e, const std::string& lc, std::optional<partial_date> date) {
    struct marker_code {
      std::string_view loinc;
      std::string_view gene;
      biomarker_kind kind;
    };
    static constexpr std::array<marker_code, 14> markers{{
        {"16112-5", "ESR1", biomarker_kind::expression},
        {"85337-4", "ESR1", biomarker_kind::expression},
        {"40556-3", "ESR1", biomarker_kind::expression},
        {"16113-3", "PGR", biomarker_kind::expression},
        {"85339-0", "PGR", biomarker_kind::expression},
        {"40557-1", "PGR", biomarker_kind::expression},
        {"48676-1", "ERBB2", biomarker_kind::expression},
        {"85319-2", "ERBB2", biomarker_kind::expression},
        {"18474-7", "ERBB2", biomarker_kind::expression},
        {"85318-4", "ERBB2", biomarker_kind::amplification},
        {"62862-8", "", biomarker_kind::msi},
        {"94077-5", "", biomarker_kind::tmb},
        {"94076-7", "", biomarker_kind::tmb},
        {"85147-1", "CD274", biomarker_kind::pd_l1},
    }};
    const auto it = std::find_if(markers.begin(), markers.end(),
                                 [&](const marker_code& m) { return m.loinc == lc; });
    if (it == markers.end() || lc.empty()) return false;
    const json& r = *e.resource;
    const std::string& ptr = e.pointer;
    // A coded ER/PR/HER2 observation may list several LOINC codes; the more specific one decides.
    const auto cs = codings(object(r, "code", ptr), child(ptr, "code"));
    biomarker_result b;
    b.gene = std::string(it->gene);
    b.kind = it->kind;
    if (has_code(cs, {"85318-4"})) b.kind = biomarker_kind::amplification;
    b.date = date;
    const json* v = object(r, "valueCodeableConcept", ptr);
    const std::string vp = child(ptr, "valueCodeableConcept");
    const json* q = object(r, "valueQuantity", ptr);
    if (q != nullptr) {
      const std::string qp = child(ptr, "valueQuantity");
      const auto value = number(*q, "value", qp);
      std::string unit = str(*q, "code", qp);
      if (unit.empty()) unit = str(*q, "unit", qp);
      if (value && b.kind == biomarker_kind::tmb) {
        b.value = quantity{*value, unit::mutations_per_megabase};
        b.status = test_status::detected;
        p_.biomarkers.push_back(std::move(b));
        return true;
      }
      if (value && unit == "%") {
        b.value = quantity{*value, unit::percent};
        b.status = *value > 0 ? test_status::detected : test_status::not_detected;
        p_.biomarkers.push_back(std::move(b));
        return true;
      }
    }
    auto pol = polarity_of(codings(v, vp), concept_text(v, vp));
    if (!pol) {
      const std::string text = str(r, "valueString", ptr);
      if (!text.empty()) pol = polarity_of({}, text);
    }
    if (!pol) {
      skip(e, "tumour marker value not interpretable");
      return true;
    }
    b.status = *pol == polarity::positive   ? test_status::detected
               : *pol == polarity::negative ? test_status::not_detected
                                            : test_status::indeterminate;
    p_.biomarkers.push_back(std::move(b));
    return true;
  }

  bool lab(const entry& e, const std::vector<coding>& cs, std::optional<partial_date> date) {
    const json& r = *e.resource;
    const std::string& ptr = e.pointer;
    const auto loinc = first_of(cs, loinc_uri);
    if (!loinc) return false;
    std::optional<ctm::analyte_id> analyte;
    if (vocab_.labs) analyte = vocab_.labs->find_by_loinc(loinc->code);
    bool laboratory = false;
    each(r, "category", ptr, [&](const json& c, const std::string& cp) {
      if (has_code(codings(&c, cp), {"laboratory"})) laboratory = true;
    });
    if (!analyte && !laboratory) return false;
    lab_result l;
    l.loinc = loinc->code;
    if (analyte) l.analyte = vocab_.labs->get(*analyte).code;
    l.date = date;
    if (const json* q = object(r, "valueQuantity", ptr)) {
      const std::string qp = child(ptr, "valueQuantity");
      const auto value = number(*q, "value", qp);
      std::string unit_text = str(*q, "code", qp);
      const std::string system = str(*q, "system", qp);
      if (unit_text.empty() || (!system.empty() && system != ucum_uri))
        unit_text = str(*q, "unit", qp);
      if (value) {
        auto u = parse_unit(unit_text.empty() ? "1" : unit_text);
        if (!u) {
          // Only analytes the lab catalog knows are worth a diagnostic; others are left out.
          if (analyte)
            warn(errc::unknown_unit, "the result's unit is not one ctm knows; value left out", qp);
        } else {
          l.value = quantity{*value, *u};
          const std::string cmp = str(*q, "comparator", qp);
          if (!cmp.empty()) l.comparator = parse_comparator(cmp);
          l.range = range_of(r, ptr, *u);
        }
      }
    }
    if (!l.value) {
      const json* v = object(r, "valueCodeableConcept", ptr);
      if (v != nullptr) {
        const auto pol = polarity_of(codings(v, child(ptr, "valueCodeableConcept")),
                                     concept_text(v, child(ptr, "valueCodeableConcept")));
        if (pol) {
          l.qualitative = *pol == polarity::positive   ? qualitative_result::positive
                          : *pol == polarity::negative ? qualitative_result::negative
                                                       : qualitative_result::indeterminate;
        }
      }
    }
    if (!l.value && !l.qualitative) {
      skip(e, "laboratory result without a usable value");
      return true;
    }
    p_.labs.push_back(std::move(l));
    return true;
  }

  std::optional<reference_range> range_of(const json& r, const std::string& ptr, unit result_unit) {
    std::optional<reference_range> out;
    each(r, "referenceRange", ptr, [&](const json& rr, const std::string& rp) {
      if (out) return;
      reference_range range;
      bool usable = true;
      for (const char* bound : {"low", "high"}) {
        const json* q = object(rr, bound, rp);
        if (q == nullptr) continue;
        const std::string qp = child(rp, bound);
        const auto value = number(*q, "value", qp);
        if (!value) continue;
        std::string unit_text = str(*q, "code", qp);
        if (unit_text.empty()) unit_text = str(*q, "unit", qp);
        double v = *value;
        if (!unit_text.empty()) {
          const auto u = parse_unit(unit_text);
          const auto converted =
              u ? convert(quantity{v, *u}, result_unit) : result<quantity>(u.error());
          if (!converted) {
            usable = false;
            continue;
          }
          v = converted->value;
        }
        (std::string_view(bound) == "low" ? range.low : range.high) = v;
      }
      if (!usable) {
        warn(errc::incompatible_units,
             "the reference range's unit does not convert to the result's; range left out", rp);
        return;
      }
      if (range.low || range.high) out = range;
    });
    return out;
  }

  // --- DiagnosticReport -------------------------------------------------------------------------

  void read_report(const entry& e) {
    const auto cs = codings(object(*e.resource, "code", e.pointer), child(e.pointer, "code"));
    // A genomics report (LOINC 81247-9) gathers variant observations that are read on their own.
    if (has_code(cs, {"81247-9", "51969-4"})) return;
    skip(e, "diagnostic report other than a genomics report");
  }

  // --- Medications ------------------------------------------------------------------------------

  std::optional<ctm::drug_id> find_drug(const std::string& rxnorm, const std::string& text) const {
    if (!vocab_.drugs) return std::nullopt;
    const vocab::drug_catalog& cat = *vocab_.drugs;
    if (!rxnorm.empty()) {
      if (auto id = cat.find_by_rxnorm(rxnorm)) return id;
    }
    if (text.empty()) return std::nullopt;
    if (auto id = cat.find(text)) return id;
    // "Paclitaxel 100 MG Injection", "abemaciclib Oral Product": the leading words.
    std::vector<std::string> words;
    std::istringstream in(text);
    for (std::string w; in >> w;) words.push_back(w);
    for (std::size_t n = std::min<std::size_t>(words.size(), 4); n-- > 1;) {
      std::string prefix;
      for (std::size_t i = 0; i < n; ++i) prefix += (i ? " " : "") + words[i];
      if (auto id = cat.find(prefix)) return id;
    }
    return std::nullopt;
  }

  void read_medication(const entry& e) {
    const json& r = *e.resource;
    const std::string& ptr = e.pointer;
    std::vector<coding> cs;
    std::string text;
    std::string where = child(ptr, "medicationCodeableConcept");
    if (const json* cc = object(r, "medicationCodeableConcept", ptr)) {
      cs = codings(cc, where);
      text = concept_text(cc, where);
    } else if (const auto target = resolve_ref(r, "medicationReference", ptr)) {
      const entry& med = entries_[*target];
      used_medications_.push_back(*target);
      where = med.pointer;
      const json* med_code = object(*med.resource, "code", med.pointer);
      cs = codings(med_code, child(med.pointer, "code"));
      text = concept_text(med_code, child(med.pointer, "code"));
    }
    const auto rx = first_of(cs, rxnorm_uri);
    if (!rx && text.empty()) {
      skip(e, "medication without a code or name");
      return;
    }
    drug_administration d;
    d.drug.rxnorm = rx ? rx->code : std::string();
    if (const auto id = find_drug(d.drug.rxnorm, text)) {
      d.drug.name = vocab_.drugs->get(*id).code;
    } else {
      d.drug.name = text.empty() ? d.drug.rxnorm : text;
      warn(errc::unknown_code, "the medication is not in the drug catalog; kept as written", where);
    }
    if (e.type == "MedicationRequest") {
      d.start = date_at(r, "authoredOn", ptr);
      each(r, "dosageInstruction", ptr, [&](const json& di, const std::string& dp) {
        const json* timing = object(di, "timing", dp);
        if (timing == nullptr) return;
        const json* repeat = object(*timing, "repeat", child(dp, "timing"));
        if (repeat == nullptr) return;
        const period bounds = when(*repeat, "bounds", child(child(dp, "timing"), "repeat"));
        if (bounds.start) d.start = bounds.start;
        if (bounds.end) d.end = bounds.end;
      });
    } else {
      const period p = when(r, "effective", ptr);
      d.start = p.start;
      d.end = p.end;
      if (!d.end && e.type == "MedicationAdministration") d.end = p.start;
    }
    p_.treatments.push_back(std::move(d));
  }

  // --- Procedure --------------------------------------------------------------------------------

  void read_procedure(const entry& e) {
    const json& r = *e.resource;
    const std::string& ptr = e.pointer;
    const json* code = object(r, "code", ptr);
    const auto cs = codings(code, child(ptr, "code"));
    std::string display;
    for (const coding& c : cs) {
      if (!c.display.empty()) {
        display = c.display;
        break;
      }
    }
    const std::string text = concept_text(code, child(ptr, "code"));
    const std::string words = lowered(display + " " + text);
    std::optional<procedure_kind> kind;
    const bool radiation_profile = has_profile(r, "radiation-procedure");
    const bool surgery_profile = has_profile(r, "surgical-procedure");
    if (contains(words, "chimeric antigen receptor") || contains(words, "car-t") ||
        contains(words, "car t")) {
      kind = procedure_kind::car_t_infusion;
    } else if (contains(words, "transplant") &&
               (contains(words, "stem cell") || contains(words, "marrow") ||
                contains(words, "hematopoietic") || contains(words, "haematopoietic"))) {
      kind = contains(words, "autologous") ? procedure_kind::autologous_transplant
             : contains(words, "allogeneic") || contains(words, "allogenic")
                 ? procedure_kind::allogeneic_transplant
                 : procedure_kind::other;
    } else if (radiation_profile ||
               has_code(cs, {"53438000", "448385000", "445232009", "152198000", "399315003",
                             "108290001"}) ||
               contains(words, "radiation therapy") || contains(words, "radiotherapy") ||
               contains(words, "brachytherapy") || contains(words, "radiosurgery")) {
      kind = procedure_kind::radiotherapy;
    } else if (surgery_profile || contains(words, "ectomy") || contains(words, "resection") ||
               contains(words, "excision") || contains(words, "biopsy") ||
               contains(words, "surgery") || contains(words, "surgical")) {
      kind = contains(words, "biopsy") || contains(words, "excision of sentinel")
                 ? procedure_kind::minor_surgery
                 : procedure_kind::major_surgery;
    }
    if (!kind) {
      skip(e, "procedure kind not recorded (not radiotherapy, surgery, transplant or CAR-T)");
      return;
    }
    procedure p;
    p.kind = *kind;
    p.text = text.empty() ? display : text;
    const period when_done = when(r, "performed", ptr);
    p.start = when_done.start;
    p.end = when_done.end;
    if (p.kind != procedure_kind::radiotherapy && p.end && p.start && *p.end == *p.start)
      p.end.reset();
    if (p.kind == procedure_kind::radiotherapy) {
      each(r, "bodySite", ptr, [&](const json& b, const std::string& bp) {
        if (p.field.empty()) p.field = concept_text(&b, bp);
      });
    }
    p_.procedures.push_back(std::move(p));
  }

  const record_place& place_;
  const vocabularies& vocab_;
  const std::map<std::string, std::size_t, std::less<>>& refs_;
  const std::vector<entry>& entries_;
  fhir_patient& out_;
  patient& p_;
  std::map<std::size_t, std::size_t> condition_diagnosis_;  // Condition entry -> diagnosis
  std::map<std::size_t, std::size_t> stage_owner_;          // stage Observation entry -> diagnosis
  std::vector<std::size_t> used_medications_;
};

// Reads one parsed bundle (or bare Patient) into one record per Patient.
void read_bundle(const json& v, const fhir_options& options, const vocabularies& vocab,
                 const record_place& place, std::vector<fhir_record>& out) {
  const auto fail = [&](errc code, std::string message, const std::string& pointer) {
    out.push_back(
        fhir_record{out.size(), place.line, make_error(place, code, std::move(message), pointer)});
  };
  if (!v.is_object()) return fail(errc::json_schema, "a FHIR resource must be a JSON object", "");
  const json* rt = member(v, "resourceType");
  if (rt == nullptr || !rt->is_string()) {
    return fail(errc::unsupported_format, "not a FHIR resource (no resourceType)", "/resourceType");
  }
  std::vector<entry> entries;
  if (*rt == "Patient") {
    entries.push_back(entry{&v, "", "Patient", v.value("id", std::string()), ""});
  } else if (*rt == "Bundle") {
    const json* list = member(v, "entry");
    if (list != nullptr && !list->is_array())
      return fail(errc::json_schema, "expected an array", "/entry");
    if (list != nullptr) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        const json& en = (*list)[i];
        const std::string ep = "/entry/" + std::to_string(i);
        entry e;
        e.pointer = ep + "/resource";
        if (!en.is_object()) continue;
        if (const json* fu = member(en, "fullUrl"); fu != nullptr && fu->is_string())
          e.full_url = fu->get<std::string>();
        const json* res = member(en, "resource");
        if (res == nullptr || !res->is_object()) {
          e.type = "(none)";
          entries.push_back(std::move(e));
          continue;
        }
        e.resource = res;
        if (const json* t = member(*res, "resourceType"); t != nullptr && t->is_string())
          e.type = t->get<std::string>();
        if (const json* id = member(*res, "id"); id != nullptr && id->is_string())
          e.id = id->get<std::string>();
        entries.push_back(std::move(e));
      }
    }
  } else {
    return fail(errc::unsupported_format, "not a FHIR Bundle or Patient resource", "/resourceType");
  }

  std::map<std::string, std::size_t, std::less<>> refs;
  std::vector<std::size_t> patients;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const entry& e = entries[i];
    if (e.resource == nullptr) continue;
    if (!e.full_url.empty()) refs.emplace(e.full_url, i);
    if (!e.id.empty()) {
      refs.emplace(e.type + "/" + e.id, i);
      refs.emplace("urn:uuid:" + e.id, i);
      refs.emplace(e.id, i);
    }
    if (e.type == "Patient") patients.push_back(i);
  }
  if (patients.empty()) {
    return fail(errc::unsupported_format, "the bundle has no Patient resource", "/entry");
  }

  // Which patient each resource belongs to.
  std::vector<std::vector<std::size_t>> members(patients.size());
  std::vector<skipped_resource> orphans;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const entry& e = entries[i];
    if (e.resource == nullptr) {
      orphans.push_back(
          skipped_resource{place.prefix + e.pointer, e.type, "entry without a resource"});
      continue;
    }
    if (e.type == "Patient") continue;
    std::optional<std::size_t> owner;
    if (patients.size() == 1) {
      owner = 0;
    } else {
      for (const char* key : {"subject", "patient"}) {
        const json* ref = member(*e.resource, key);
        if (ref == nullptr || !ref->is_object()) continue;
        const json* target = member(*ref, "reference");
        if (target == nullptr || !target->is_string()) continue;
        const auto it = refs.find(target->get<std::string>());
        if (it == refs.end()) continue;
        const auto p = std::find(patients.begin(), patients.end(), it->second);
        if (p != patients.end()) owner = static_cast<std::size_t>(p - patients.begin());
      }
    }
    if (owner) {
      members[*owner].push_back(i);
    } else if (e.type != "Medication") {
      orphans.push_back(skipped_resource{place.prefix + e.pointer, e.type,
                                         "its subject is not one of the bundle's patients"});
    }
  }
  // Medications are shared: every patient may refer to them.
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].type != "Medication" || patients.size() == 1) continue;
    for (auto& m : members) m.push_back(i);
  }

  for (std::size_t n = 0; n < patients.size(); ++n) {
    fhir_patient fp;
    fp.resources = members[n].size() + 1;
    patient_builder builder(place, vocab, refs, entries, fp);
    builder.run(patients[n], members[n]);
    fp.skipped.insert(fp.skipped.end(), orphans.begin(), orphans.end());
    if (options.validate) {
      for (diagnostic d : validate(fp.document.patient)) {
        d.error.where.file = place.file;
        d.error.where.line = place.line;
        fp.document.diagnostics.push_back(std::move(d));
      }
    }
    out.push_back(fhir_record{out.size(), place.line, std::move(fp)});
  }
}

void read_value(const json& v, const fhir_options& options, const vocabularies& vocab,
                const record_place& place, std::vector<fhir_record>& out) {
  try {
    read_bundle(v, options, vocab, place, out);
  } catch (const json::exception&) {
    out.push_back(
        fhir_record{out.size(), place.line,
                    make_error(place, errc::json_schema, "JSON value of an unexpected shape", "")});
  }
}

}  // namespace

bool is_fhir_json(std::string_view text) {
  std::string_view body = trim(text);
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  if (body.empty() || (body.front() != '{' && body.front() != '[')) return false;
  try {
    json v;
    if (detail::detect_layout(body) == detail::record_layout::json_lines) {
      v = json::parse(trim(body.substr(0, body.find('\n'))));
    } else {
      v = json::parse(body);
      if (v.is_array() && !v.empty()) v = v.front();
    }
    return v.is_object() && v.contains("resourceType");
  } catch (const json::exception&) {
    // Unparseable: a "resourceType" near the start is the best guess (the reader then reports it).
    return body.substr(0, 512).find("\"resourceType\"") != std::string_view::npos;
  }
}

std::vector<fhir_record> read_fhir(std::string_view text, const fhir_options& options) {
  std::vector<fhir_record> out;
  if (trim(text).empty()) return out;
  const vocabularies vocab = resolve(options);
  detail::for_each_document(
      text, options.source_name, {options.max_bytes, options.max_depth},
      [&](const json& v, const record_place& place, std::uint32_t) {
        if (!v.is_array()) return read_value(v, options, vocab, place, out);
        // An array with no FHIR resource in it is one unsupported input, not one failure per
        // element.
        if (std::none_of(v.begin(), v.end(), [](const json& e) {
              return e.is_object() && e.contains("resourceType");
            })) {
          throw read_failure{make_error(place, errc::unsupported_format,
                                        "not FHIR: the array holds no FHIR resource", "")};
        }
        for (std::size_t i = 0; i < v.size(); ++i) {
          read_value(v[i], options, vocab, record_place{place.file, 0, "/" + std::to_string(i)},
                     out);
        }
      },
      [&](const ctm::error& e, std::uint32_t line) {
        out.push_back(fhir_record{out.size(), line, e});
      },
      /*split_arrays=*/false);
  return out;
}

namespace {

void read_patient_file(const std::filesystem::path& file, const fhir_options& options,
                       std::vector<patient_record>& out) {
  const std::string name = file.string();
  auto read = detail::read_input_file(file, options.max_bytes);
  if (!read) {
    out.push_back(patient_record{out.size(), 0, read.error()});
    return;
  }
  const std::string text = std::move(*read);
  if (is_fhir_json(text)) {
    fhir_options named = options;
    named.source_name = name;
    for (fhir_record& r : read_fhir(text, named)) {
      if (r.patient) {
        out.push_back(patient_record{out.size(), r.line, std::move(r.patient->document)});
      } else {
        out.push_back(patient_record{out.size(), r.line, r.patient.error()});
      }
    }
    return;
  }
  read_options native;
  native.source_name = name;
  native.validate = options.validate;
  native.max_bytes = options.max_bytes;
  for (patient_record& r : read_patients(text, native)) {
    r.index = out.size();
    out.push_back(std::move(r));
  }
}

}  // namespace

std::vector<patient_record> read_patients_any(const std::filesystem::path& path,
                                              const fhir_options& options) {
  std::vector<patient_record> out;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    std::vector<std::filesystem::path> files;
    for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      const std::string ext = it->path().extension().string();
      if (it->is_regular_file(ec) && (ext == ".json" || ext == ".jsonl" || ext == ".ndjson")) {
        files.push_back(it->path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) read_patient_file(f, options, out);
    return out;
  }
  if (!std::filesystem::exists(path, ec)) {
    out.push_back(patient_record{
        0, 0, ctm::error{errc::io_open_failed, "cannot open the file", {path.string(), 0, 0, ""}}});
    return out;
  }
  read_patient_file(path, options, out);
  return out;
}

}  // namespace ctm::io
