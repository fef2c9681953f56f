// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Registry JSON: ClinicalTrials.gov API v2 studies (schema: ctg-oas-v2.yaml), NCI CTS trials and
// TrialGPT trials (docs/import.md). nlohmann_json stays in this file.
#include "io/registry_common.hpp"

#include <ctm/io/ctgov.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <initializer_list>
#include <utility>

namespace ctm::io {
namespace {

using detail::json;
using detail::raw_study;
using detail::record_place;
using detail::sourced;

using detail::child;
using detail::read_failure;
using detail::trim;

trial_format object_format(const json& v) {
  if (!v.is_object()) return trial_format::unknown;
  if (v.contains("protocolSection") || v.contains("studies")) return trial_format::ctgov_json;
  if (v.contains("schema_version")) return trial_format::native;
  if (v.contains("nctid") && (v.contains("raw_criteria") || v.contains("title"))) {
    return trial_format::trialgpt_json;
  }
  if (v.contains("nci_id") ||
      (v.contains("nct_id") && (v.contains("eligibility") || v.contains("brief_title") ||
                                v.contains("current_trial_status"))) ||
      (v.contains("data") && v.contains("total"))) {
    return trial_format::nci_cts_json;
  }
  return trial_format::unknown;
}

// Typed access in the house style: absent or null is "not given", another type fails the record.
class reader {
 public:
  explicit reader(const record_place& place) : place_(place) {}

  [[noreturn]] void fail(errc code, std::string message, const std::string& ptr) const {
    throw read_failure{detail::make_error(place_, code, std::move(message), ptr)};
  }

  const json* member(const json& obj, std::string_view key) const {
    if (!obj.is_object()) return nullptr;
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return nullptr;
    return &*it;
  }

  const json* object(const json& obj, std::string_view key, const std::string& ptr) const {
    const json* v = member(obj, key);
    if (v != nullptr && !v->is_object())
      fail(errc::json_schema, "expected an object", child(ptr, key));
    return v;
  }

  std::string str(const json& obj, std::string_view key, const std::string& ptr) const {
    const json* v = member(obj, key);
    if (v == nullptr) return {};
    if (v->is_number()) return v->dump();
    if (!v->is_string()) fail(errc::json_schema, "expected a string", child(ptr, key));
    return v->get<std::string>();
  }

  sourced src(const json& obj, std::string_view key, const std::string& ptr) const {
    return sourced{str(obj, key, ptr), child(ptr, key)};
  }

  std::optional<bool> boolean(const json& obj, std::string_view key, const std::string& ptr) const {
    const json* v = member(obj, key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_boolean()) fail(errc::json_schema, "expected true or false", child(ptr, key));
    return v->get<bool>();
  }

  std::optional<double> number(const json& obj, std::string_view key,
                               const std::string& ptr) const {
    const json* v = member(obj, key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_number()) fail(errc::json_schema, "expected a number", child(ptr, key));
    return v->get<double>();
  }

  // Calls `f(element, pointer)` for each element of an array member.
  template <class F>
  void each(const json& obj, std::string_view key, const std::string& ptr, F&& f) const {
    const json* v = member(obj, key);
    if (v == nullptr) return;
    const std::string where = child(ptr, key);
    if (!v->is_array()) fail(errc::json_schema, "expected an array", where);
    for (std::size_t i = 0; i < v->size(); ++i) f((*v)[i], child(where, i));
  }

  std::vector<sourced> strings(const json& obj, std::string_view key,
                               const std::string& ptr) const {
    std::vector<sourced> out;
    each(obj, key, ptr, [&](const json& e, const std::string& p) {
      if (e.is_null()) return;
      if (!e.is_string()) fail(errc::json_schema, "expected a string", p);
      out.push_back(sourced{e.get<std::string>(), p});
    });
    return out;
  }

  std::optional<geo_point> geo(const json& obj, std::string_view key,
                               const std::string& ptr) const {
    const json* g = object(obj, key, ptr);
    if (g == nullptr) return std::nullopt;
    const std::string p = child(ptr, key);
    const auto lat = number(*g, "lat", p);
    const auto lon = number(*g, "lon", p);
    if (!lat || !lon) return std::nullopt;
    return geo_point{*lat, *lon};
  }

 private:
  const record_place& place_;
};

std::vector<std::string> values(const std::vector<sourced>& s) {
  std::vector<std::string> out;
  for (const sourced& x : s) out.push_back(x.text);
  return out;
}

// --- ClinicalTrials.gov API v2 ------------------------------------------------------------------

raw_study read_v2(const json& v, const reader& r) {
  raw_study s;
  if (!v.is_object()) r.fail(errc::json_schema, "a study must be a JSON object", "");
  const json* ps = r.object(v, "protocolSection", "");
  if (ps == nullptr)
    r.fail(errc::json_schema, "the study has no protocolSection", "/protocolSection");
  const std::string p = "/protocolSection";
  const json empty = json::object();
  const auto module = [&](std::string_view name) -> std::pair<const json&, std::string> {
    const json* m = r.object(*ps, name, p);
    return {m != nullptr ? *m : empty, child(p, name)};
  };

  const auto [id, idp] = module("identificationModule");
  s.nct_id = r.src(id, "nctId", idp);
  s.title = r.str(id, "briefTitle", idp);
  s.official_title = r.str(id, "officialTitle", idp);
  if (const json* org = r.object(id, "orgStudyIdInfo", idp)) {
    s.secondary_ids.push_back(r.str(*org, "id", child(idp, "orgStudyIdInfo")));
  }
  r.each(id, "secondaryIdInfos", idp, [&](const json& e, const std::string& q) {
    s.secondary_ids.push_back(r.str(e, "id", q));
  });

  const auto [st, stp] = module("statusModule");
  s.status = r.src(st, "overallStatus", stp);
  if (const json* lu = r.object(st, "lastUpdatePostDateStruct", stp)) {
    s.last_update =
        detail::parse_registry_date(r.str(*lu, "date", child(stp, "lastUpdatePostDateStruct")));
  }

  const auto [sp, spp] = module("sponsorCollaboratorsModule");
  if (const json* lead = r.object(sp, "leadSponsor", spp)) {
    s.sponsor = r.str(*lead, "name", child(spp, "leadSponsor"));
  }

  const auto [cm, cmp] = module("conditionsModule");
  s.conditions = r.strings(cm, "conditions", cmp);
  s.keywords = r.strings(cm, "keywords", cmp);

  const auto [dm, dmp] = module("designModule");
  s.study_type = r.str(dm, "studyType", dmp);
  s.phases = r.strings(dm, "phases", dmp);

  const auto [em, emp] = module("eligibilityModule");
  s.eligibility_text = r.src(em, "eligibilityCriteria", emp);
  s.minimum_age = r.src(em, "minimumAge", emp);
  s.maximum_age = r.src(em, "maximumAge", emp);
  s.sex = r.src(em, "sex", emp);
  s.healthy_volunteers = r.boolean(em, "healthyVolunteers", emp);

  const auto [am, amp] = module("armsInterventionsModule");
  r.each(am, "armGroups", amp, [&](const json& e, const std::string& q) {
    detail::raw_arm a;
    a.label = r.str(e, "label", q);
    a.description = r.str(e, "description", q);
    a.interventions = values(r.strings(e, "interventionNames", q));
    s.arms.push_back(std::move(a));
  });
  r.each(am, "interventions", amp, [&](const json& e, const std::string& q) {
    detail::raw_intervention i;
    i.type = r.str(e, "type", q);
    i.name = r.str(e, "name", q);
    i.other_names = values(r.strings(e, "otherNames", q));
    i.arms = values(r.strings(e, "armGroupLabels", q));
    i.pointer = q;
    s.interventions.push_back(std::move(i));
  });

  const auto [lm, lmp] = module("contactsLocationsModule");
  r.each(lm, "locations", lmp, [&](const json& e, const std::string& q) {
    detail::raw_site site;
    site.name = r.str(e, "facility", q);
    site.city = r.str(e, "city", q);
    site.state = r.str(e, "state", q);
    site.country = r.str(e, "country", q);
    site.status = r.src(e, "status", q);
    site.location = r.geo(e, "geoPoint", q);
    site.pointer = q;
    s.sites.push_back(std::move(site));
  });

  // MeSH terms of the conditions, from the derived section.
  if (const json* ds = r.object(v, "derivedSection", "")) {
    if (const json* cb = r.object(*ds, "conditionBrowseModule", "/derivedSection")) {
      r.each(*cb, "meshes", "/derivedSection/conditionBrowseModule",
             [&](const json& e, const std::string& q) {
               s.mesh_terms.push_back(r.src(e, "term", q));
             });
    }
  }
  return s;
}

// --- NCI Clinical Trials Search API v2 ----------------------------------------------------------

raw_study read_cts(const json& v, const reader& r) {
  raw_study s;
  s.registry = "NCI CTS";
  if (!v.is_object()) r.fail(errc::json_schema, "a trial must be a JSON object", "");
  s.nct_id = r.src(v, "nct_id", "");
  for (const char* key : {"nci_id", "protocol_id", "ctep_id", "dcp_id", "ccr_id"}) {
    const std::string id = r.str(v, key, "");
    if (!id.empty()) s.secondary_ids.push_back(id);
  }
  s.title = r.str(v, "brief_title", "");
  s.official_title = r.str(v, "official_title", "");
  const sourced phase = r.src(v, "phase", "");
  if (!phase.text.empty()) s.phases.push_back(phase);
  s.status = r.src(v, "current_trial_status", "");
  s.sponsor = r.str(v, "lead_org", "");
  s.study_type = r.str(v, "study_protocol_type", "");
  s.last_update = detail::parse_registry_date(r.str(v, "record_verification_date", ""));
  s.keywords = r.strings(v, "keywords", "");

  // Diseases: the trial-level main types and subtypes (and the lead disease); stages, grades and
  // findings alone say too little about the disease.
  r.each(v, "diseases", "", [&](const json& d, const std::string& q) {
    if (!d.is_object()) r.fail(errc::json_schema, "expected an object", q);
    const std::string indicator = r.str(d, "inclusion_indicator", q);
    if (!indicator.empty() && indicator != "TRIAL") return;
    bool lead = false;
    if (const json* l = r.member(d, "is_lead_disease"); l != nullptr && l->is_boolean()) {
      lead = l->get<bool>();
    }
    bool useful = lead;
    r.each(d, "type", q, [&](const json& t, const std::string&) {
      if (t.is_string() && (t == "maintype" || t == "subtype")) useful = true;
    });
    if (useful) s.conditions.push_back(r.src(d, "name", q));
  });

  if (const json* el = r.object(v, "eligibility", "")) {
    if (const json* st = r.object(*el, "structured", "/eligibility")) {
      const std::string p = "/eligibility/structured";
      s.minimum_age = r.src(*st, "min_age", p);
      s.maximum_age = r.src(*st, "max_age", p);
      s.sex = r.src(*st, "sex", p);
      s.healthy_volunteers = r.boolean(*st, "accepts_healthy_volunteers", p);
    }
    // The unstructured criteria are already one per item: written as a bulleted text with
    // headings so the same splitter numbers them.
    struct item {
      bool inclusion = true;
      double order = 0;
      std::string text;
    };
    std::vector<item> items;
    r.each(*el, "unstructured", "/eligibility", [&](const json& e, const std::string& q) {
      item it;
      it.inclusion = r.boolean(e, "inclusion_indicator", q).value_or(true);
      it.order = r.number(e, "display_order", q).value_or(static_cast<double>(items.size()));
      it.text = detail::collapse_space(r.str(e, "description", q));
      if (!it.text.empty()) items.push_back(std::move(it));
    });
    std::stable_sort(items.begin(), items.end(),
                     [](const item& a, const item& b) { return a.order < b.order; });
    std::string text;
    for (bool inclusion : {true, false}) {
      text += inclusion ? "Inclusion Criteria:\n" : "\nExclusion Criteria:\n";
      for (const item& it : items) {
        if (it.inclusion == inclusion) text += "* " + it.text + "\n";
      }
    }
    s.eligibility_text = sourced{items.empty() ? std::string() : text, "/eligibility/unstructured"};
  }

  r.each(v, "arms", "", [&](const json& a, const std::string& q) {
    detail::raw_arm arm;
    arm.label = r.str(a, "name", q);
    if (arm.label.empty()) arm.label = r.str(a, "arm_name", q);
    arm.description = r.str(a, "description", q);
    if (arm.description.empty()) arm.description = r.str(a, "arm_description", q);
    r.each(a, "interventions", q, [&](const json& i, const std::string& iq) {
      std::string name = r.str(i, "intervention_name", iq);
      if (name.empty()) name = r.str(i, "name", iq);
      if (name.empty()) return;
      if (std::find(arm.interventions.begin(), arm.interventions.end(), name) ==
          arm.interventions.end()) {
        arm.interventions.push_back(name);
      }
      const auto known =
          std::find_if(s.interventions.begin(), s.interventions.end(),
                       [&](const detail::raw_intervention& x) { return x.name == name; });
      if (known != s.interventions.end()) {
        if (std::find(known->arms.begin(), known->arms.end(), arm.label) == known->arms.end()) {
          known->arms.push_back(arm.label);
        }
        return;
      }
      detail::raw_intervention ri;
      ri.name = name;
      ri.type = r.str(i, "intervention_type", iq);
      if (ri.type.empty()) ri.type = r.str(i, "type", iq);
      // CTS writes "Procedure/Surgery", "Drug", "Biological", "Radiation", "Other".
      ri.other_names = values(r.strings(i, "synonyms", iq));
      ri.arms.push_back(arm.label);
      ri.pointer = iq;
      s.interventions.push_back(std::move(ri));
    });
    s.arms.push_back(std::move(arm));
  });

  r.each(v, "sites", "", [&](const json& e, const std::string& q) {
    detail::raw_site site;
    site.name = r.str(e, "org_name", q);
    site.city = r.str(e, "org_city", q);
    site.state = r.str(e, "org_state_or_province", q);
    site.country = r.str(e, "org_country", q);
    site.status = r.src(e, "recruitment_status", q);
    site.location = r.geo(e, "org_coordinates", q);
    site.pointer = q;
    s.sites.push_back(std::move(site));
  });
  return s;
}

// --- TrialGPT -----------------------------------------------------------------------------------

raw_study read_trialgpt(const json& v, const reader& r) {
  raw_study s;
  s.registry = "ClinicalTrials.gov (TrialGPT)";
  s.nct_id = r.src(v, "nctid", "");
  s.title = r.str(v, "title", "");
  s.phases = r.strings(v, "phases", "");
  s.status = r.src(v, "overall_status", "");
  s.study_type = r.str(v, "study_type", "");
  s.conditions = r.strings(v, "condition", "");
  s.eligibility_text = r.src(v, "raw_criteria", "");
  s.minimum_age = r.src(v, "minimum_age", "");
  s.maximum_age = r.src(v, "maximum_age", "");
  s.sex = r.src(v, "sex", "");
  return s;
}

// One JSON value that should be one record; search responses expand to several.
void read_value(const json& v, const registry_options& options, const detail::registry_vocab& vocab,
                record_place place, std::vector<imported_trial_record>& out) {
  const std::size_t index = out.size();
  try {
    const trial_format format = object_format(v);
    if (format == trial_format::ctgov_json && v.contains("studies")) {
      const json& studies = v["studies"];
      if (!studies.is_array()) {
        throw read_failure{
            detail::make_error(place, errc::json_schema, "expected an array", "/studies")};
      }
      for (std::size_t i = 0; i < studies.size(); ++i) {
        record_place p = place;
        p.prefix += "/studies/" + std::to_string(i);
        read_value(studies[i], options, vocab, std::move(p), out);
      }
      return;
    }
    if (format == trial_format::nci_cts_json && v.contains("data") && !v.contains("nci_id")) {
      const json& data = v["data"];
      if (!data.is_array()) {
        throw read_failure{
            detail::make_error(place, errc::json_schema, "expected an array", "/data")};
      }
      for (std::size_t i = 0; i < data.size(); ++i) {
        record_place p = place;
        p.prefix += "/data/" + std::to_string(i);
        read_value(data[i], options, vocab, std::move(p), out);
      }
      return;
    }
    const reader r(place);
    raw_study raw;
    switch (format) {
      case trial_format::ctgov_json:
        raw = read_v2(v, r);
        break;
      case trial_format::nci_cts_json:
        raw = read_cts(v, r);
        break;
      case trial_format::trialgpt_json:
        raw = read_trialgpt(v, r);
        break;
      case trial_format::native:
        r.fail(errc::unsupported_format,
               "a native ctm trial document, not a registry record; read it with read_trials", "");
      case trial_format::ctgov_xml:
      case trial_format::unknown:
        r.fail(errc::unsupported_format,
               "not a registry record (ClinicalTrials.gov API v2 study, NCI CTS or TrialGPT trial)",
               "");
    }
    out.push_back(imported_trial_record{
        index, place.line, detail::build_trial(std::move(raw), format, place, options, vocab)});
  } catch (const read_failure& f) {
    out.push_back(imported_trial_record{index, place.line, f.err});
  } catch (const json::exception&) {
    out.push_back(imported_trial_record{
        index, place.line,
        detail::make_error(place, errc::json_schema, "JSON value of an unexpected shape", "")});
  }
}

}  // namespace

trial_format detect_trial_format(std::string_view text) {
  std::string_view body = text;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  const std::string_view content = trim(body);
  if (content.empty()) return trial_format::unknown;
  if (content.front() == '<') {
    return content.find("<clinical_study") != std::string_view::npos ? trial_format::ctgov_xml
                                                                     : trial_format::unknown;
  }
  if (content.front() != '{' && content.front() != '[') return trial_format::unknown;
  try {
    if (detail::detect_layout(body) == detail::record_layout::json_lines) {
      const std::size_t end = content.find('\n');
      return object_format(json::parse(trim(content.substr(0, end))));
    }
    const json v = json::parse(content);
    if (v.is_array()) return v.empty() ? trial_format::unknown : object_format(v.front());
    return object_format(v);
  } catch (const json::exception&) {
    // Not parseable as a whole: guess from the text so the reader reports the syntax error.
    if (content.find("\"protocolSection\"") != std::string_view::npos)
      return trial_format::ctgov_json;
    if (content.find("\"schema_version\"") != std::string_view::npos) return trial_format::native;
    return trial_format::unknown;
  }
}

std::vector<imported_trial_record> read_registry_json(std::string_view text,
                                                      const registry_options& options) {
  std::vector<imported_trial_record> out;
  if (trim(text).empty()) return out;
  const detail::registry_vocab vocab = detail::resolve_vocab(options);
  detail::for_each_document(
      text, options.source_name, {options.max_bytes, options.max_depth},
      [&](const json& v, const record_place& place, std::uint32_t) {
        read_value(v, options, vocab, place, out);
      },
      [&](const ctm::error& e, std::uint32_t line) {
        out.push_back(imported_trial_record{out.size(), line, e});
      });
  return out;
}

}  // namespace ctm::io
