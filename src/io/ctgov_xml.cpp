// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Legacy ClinicalTrials.gov `<clinical_study>` XML (public.xsd of 2017-2019 downloads). pugixml
// stays in this file (docs/adr/0006-xml-parser.md).
#include "io/registry_common.hpp"

#include <ctm/io/ctgov.hpp>

#include <algorithm>
#include <pugixml.hpp>
#include <string>
#include <utility>

namespace ctm::io {
namespace {

using detail::raw_study;
using detail::record_place;
using detail::sourced;

std::string text_of(const pugi::xml_node& n) { return n.child_value(); }

// The text of `path` ("eligibility/criteria/textblock") below `n`; empty when absent.
std::string at(const pugi::xml_node& n, const char* path) {
  pugi::xml_node cur = n;
  std::string_view rest = path;
  while (!rest.empty() && cur) {
    const std::size_t slash = rest.find('/');
    const std::string name(rest.substr(0, slash));
    cur = cur.child(name.c_str());
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  }
  return cur ? text_of(cur) : std::string();
}

// Location paths for diagnostics, written like JSON pointers ("/clinical_study/condition/2").
std::string path(std::string_view parent, std::string_view name, std::size_t index) {
  return std::string(parent) + "/" + std::string(name) + "/" + std::to_string(index);
}

// A textblock keeps the record's line breaks and indentation: the splitter reads both.
std::string textblock(const pugi::xml_node& n) {
  std::string s = text_of(n);
  // Drop the leading blank line and trailing indentation the XML layout adds.
  const std::size_t first = s.find_first_not_of("\r\n");
  if (first == std::string::npos) return {};
  s.erase(0, first);
  const std::size_t last = s.find_last_not_of(" \t\r\n");
  s.erase(last + 1);
  return s;
}

std::size_t depth_of(pugi::xml_node root) {
  std::size_t deepest = 0;
  struct walker : pugi::xml_tree_walker {
    std::size_t* deepest = nullptr;
    bool for_each(pugi::xml_node&) override {
      *deepest = std::max(*deepest, static_cast<std::size_t>(depth()) + 1);
      return true;
    }
  } w;
  w.deepest = &deepest;
  root.traverse(w);
  return deepest;
}

raw_study read_study(const pugi::xml_node& cs) {
  raw_study s;
  const std::string p = "/clinical_study";
  s.nct_id = sourced{at(cs, "id_info/nct_id"), p + "/id_info/nct_id"};
  const pugi::xml_node ids = cs.child("id_info");
  s.secondary_ids.push_back(text_of(ids.child("org_study_id")));
  for (pugi::xml_node n : ids.children("secondary_id")) s.secondary_ids.push_back(text_of(n));
  s.title = at(cs, "brief_title");
  s.official_title = at(cs, "official_title");
  s.sponsor = at(cs, "sponsors/lead_sponsor/agency");
  s.status = sourced{at(cs, "overall_status"), p + "/overall_status"};
  const std::string phase = at(cs, "phase");
  if (!phase.empty()) s.phases.push_back(sourced{phase, p + "/phase"});
  s.study_type = at(cs, "study_type");
  std::size_t i = 0;
  for (pugi::xml_node n : cs.children("condition")) {
    s.conditions.push_back(sourced{text_of(n), path(p, "condition", i++)});
  }
  i = 0;
  for (pugi::xml_node n : cs.children("keyword")) {
    s.keywords.push_back(sourced{text_of(n), path(p, "keyword", i++)});
  }
  i = 0;
  for (pugi::xml_node n : cs.child("condition_browse").children("mesh_term")) {
    s.mesh_terms.push_back(sourced{text_of(n), path(p + "/condition_browse", "mesh_term", i++)});
  }

  const pugi::xml_node el = cs.child("eligibility");
  const std::string ep = p + "/eligibility";
  s.eligibility_text =
      sourced{textblock(el.child("criteria").child("textblock")), ep + "/criteria/textblock"};
  s.minimum_age = sourced{text_of(el.child("minimum_age")), ep + "/minimum_age"};
  s.maximum_age = sourced{text_of(el.child("maximum_age")), ep + "/maximum_age"};
  s.sex = sourced{text_of(el.child("gender")), ep + "/gender"};
  const std::string hv = detail::collapse_space(text_of(el.child("healthy_volunteers")));
  if (hv == "Yes" || hv == "Accepts Healthy Volunteers") s.healthy_volunteers = true;
  if (hv == "No") s.healthy_volunteers = false;

  for (pugi::xml_node a : cs.children("arm_group")) {
    detail::raw_arm arm;
    arm.label = text_of(a.child("arm_group_label"));
    arm.description = text_of(a.child("description"));
    s.arms.push_back(std::move(arm));
  }
  i = 0;
  for (pugi::xml_node n : cs.children("intervention")) {
    detail::raw_intervention ri;
    ri.type = text_of(n.child("intervention_type"));
    ri.name = text_of(n.child("intervention_name"));
    for (pugi::xml_node o : n.children("other_name")) ri.other_names.push_back(text_of(o));
    for (pugi::xml_node o : n.children("arm_group_label")) ri.arms.push_back(text_of(o));
    ri.pointer = path(p, "intervention", i++);
    s.interventions.push_back(std::move(ri));
  }
  i = 0;
  for (pugi::xml_node n : cs.children("location")) {
    detail::raw_site site;
    const pugi::xml_node f = n.child("facility");
    site.name = text_of(f.child("name"));
    site.city = at(f, "address/city");
    site.state = at(f, "address/state");
    site.country = at(f, "address/country");
    site.pointer = path(p, "location", i++);
    site.status = sourced{text_of(n.child("status")), site.pointer + "/status"};
    s.sites.push_back(std::move(site));
  }
  std::string updated = at(cs, "last_update_posted");
  if (updated.empty()) updated = at(cs, "last_update_submitted");
  if (updated.empty()) updated = at(cs, "lastchanged_date");
  s.last_update = detail::parse_registry_date(updated);
  // "ClinicalTrials.gov processed this data on May 11, 2018"
  const std::string downloaded = at(cs, "required_header/download_date");
  const std::size_t on = downloaded.rfind(" on ");
  if (on != std::string::npos) s.retrieved = detail::parse_registry_date(downloaded.substr(on + 4));
  return s;
}

}  // namespace

std::vector<imported_trial_record> read_ctgov_xml(std::string_view text,
                                                  const registry_options& options) {
  std::vector<imported_trial_record> out;
  const record_place place{options.source_name, 0, ""};
  const auto fail = [&](errc code, std::string message, std::uint32_t line = 0) {
    ctm::error e = detail::make_error(place, code, std::move(message), "");
    e.where.line = line;
    out.push_back(imported_trial_record{0, line, std::move(e)});
    return out;
  };
  if (text.size() > options.max_bytes) {
    return fail(errc::input_too_large, "document exceeds the size limit of " +
                                           std::to_string(options.max_bytes) + " bytes");
  }
  pugi::xml_document doc;
  // parse_default: elements, text, CDATA, escapes and end-of-line normalisation. No DOCTYPE
  // processing, so no external entities are fetched or expanded.
  const pugi::xml_parse_result parsed =
      doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    std::uint32_t line = 1;
    const auto offset = static_cast<std::size_t>(std::max<std::ptrdiff_t>(parsed.offset, 0));
    for (std::size_t k = 0; k < offset && k < text.size(); ++k) {
      if (text[k] == '\n') ++line;
    }
    return fail(errc::xml_syntax, std::string("malformed XML: ") + parsed.description(), line);
  }
  if (depth_of(doc) > options.max_depth) {
    return fail(errc::input_too_large,
                "nesting exceeds the depth limit of " + std::to_string(options.max_depth));
  }
  const pugi::xml_node cs = doc.child("clinical_study");
  if (!cs) {
    return fail(errc::unsupported_format, "not a ClinicalTrials.gov <clinical_study> document");
  }
  const detail::registry_vocab vocab = detail::resolve_vocab(options);
  out.push_back(imported_trial_record{
      0, 0, detail::build_trial(read_study(cs), trial_format::ctgov_xml, place, options, vocab)});
  return out;
}

}  // namespace ctm::io
