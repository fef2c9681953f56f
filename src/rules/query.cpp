// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "rules/names.hpp"

#include <ctm/rules/fact_source.hpp>
#include <ctm/rules/query.hpp>

#include <array>
#include <utility>

namespace ctm::rules {

fact_source::~fact_source() = default;

namespace {

template <class E, std::size_t N>
using table = std::array<std::pair<E, std::string_view>, N>;

constexpr table<metastatic_site, 10> site_names{
    {{metastatic_site::brain, "brain"},
     {metastatic_site::leptomeningeal, "leptomeningeal"},
     {metastatic_site::liver, "liver"},
     {metastatic_site::bone, "bone"},
     {metastatic_site::lung, "lung"},
     {metastatic_site::lymph_node, "lymph_node"},
     {metastatic_site::adrenal, "adrenal"},
     {metastatic_site::peritoneum, "peritoneum"},
     {metastatic_site::pleura, "pleura"},
     {metastatic_site::skin, "skin"}}};

constexpr table<condition_kind, 10> condition_names{
    {{condition_kind::hiv, "hiv"},
     {condition_kind::hepatitis_b, "hepatitis_b"},
     {condition_kind::hepatitis_c, "hepatitis_c"},
     {condition_kind::pregnancy, "pregnancy"},
     {condition_kind::lactation, "lactation"},
     {condition_kind::autoimmune_disease, "autoimmune_disease"},
     {condition_kind::organ_transplant, "organ_transplant"},
     {condition_kind::second_malignancy, "second_malignancy"},
     {condition_kind::gilbert_syndrome, "gilbert_syndrome"},
     {condition_kind::interstitial_lung_disease, "interstitial_lung_disease"}}};

constexpr table<biomarker_kind, 8> biomarker_kind_names_table{
    {{biomarker_kind::any, "any"},
     {biomarker_kind::mutation, "mutation"},
     {biomarker_kind::amplification, "amplification"},
     {biomarker_kind::deletion, "deletion"},
     {biomarker_kind::fusion, "fusion"},
     {biomarker_kind::expression, "expression"},
     {biomarker_kind::msi, "msi"},
     {biomarker_kind::mmr, "mmr"}}};

constexpr table<biomarker_score, 4> score_names{{{biomarker_score::tmb, "tmb"},
                                                 {biomarker_score::pd_l1_tps, "pd_l1(tps)"},
                                                 {biomarker_score::pd_l1_cps, "pd_l1(cps)"},
                                                 {biomarker_score::pd_l1_ic, "pd_l1(ic)"}}};

constexpr table<therapy_setting, 8> setting_names{
    {{therapy_setting::any, "any"},
     {therapy_setting::neoadjuvant, "neoadjuvant"},
     {therapy_setting::adjuvant, "adjuvant"},
     {therapy_setting::definitive, "definitive"},
     {therapy_setting::induction, "induction"},
     {therapy_setting::consolidation, "consolidation"},
     {therapy_setting::maintenance, "maintenance"},
     {therapy_setting::advanced, "advanced"}}};

constexpr table<agent_status, 4> status_names{{{agent_status::exposed, "exposed_to"},
                                               {agent_status::refractory, "refractory_to"},
                                               {agent_status::intolerant, "intolerant_to"},
                                               {agent_status::progressed_on, "progressed_on"}}};

constexpr table<preset, 12> preset_names{
    {{preset::primary_refractory, "primary_refractory"},
     {preset::relapsed, "relapsed"},
     {preset::relapsed_refractory, "relapsed_refractory"},
     {preset::triple_class_exposed, "triple_class_exposed"},
     {preset::triple_class_refractory, "triple_class_refractory"},
     {preset::penta_refractory, "penta_refractory"},
     {preset::platinum_sensitive, "platinum_sensitive"},
     {preset::platinum_resistant, "platinum_resistant"},
     {preset::platinum_refractory, "platinum_refractory"},
     {preset::castration_resistant, "castration_resistant"},
     {preset::anti_pd1_primary_resistance, "anti_pd1_primary_resistance"},
     {preset::anti_pd1_secondary_resistance, "anti_pd1_secondary_resistance"}}};

constexpr table<event_kind, 11> event_names{
    {{event_kind::last_dose, "last_dose"},
     {event_kind::radiotherapy, "radiotherapy"},
     {event_kind::surgery, "surgery"},
     {event_kind::major_surgery, "major_surgery"},
     {event_kind::minor_surgery, "minor_surgery"},
     {event_kind::transplant, "transplant"},
     {event_kind::autologous_transplant, "autologous_transplant"},
     {event_kind::allogeneic_transplant, "allogeneic_transplant"},
     {event_kind::car_t_infusion, "car_t_infusion"},
     {event_kind::progression, "progression"},
     {event_kind::diagnosis, "diagnosis"}}};

template <class E, std::size_t N>
std::string_view name_of(const table<E, N>& t, E v) noexcept {
  for (const auto& [e, name] : t) {
    if (e == v) return name;
  }
  return "?";
}

template <class E, std::size_t N>
std::optional<E> value_of(const table<E, N>& t, std::string_view s) noexcept {
  for (const auto& [e, name] : t) {
    if (name == s) return e;
  }
  return std::nullopt;
}

template <class E, std::size_t N>
std::string all_names(const table<E, N>& t) {
  std::string out;
  for (const auto& entry : t) {
    if (!out.empty()) out += ", ";
    out += entry.second;
  }
  return out;
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string agent_text(bool is_class, std::string_view code) {
  return std::string(is_class ? "class " : "drug ") + quoted(code);
}

std::string duration_text(const ctm::duration& d) { return ctm::to_string(d); }

}  // namespace

std::string_view to_string(metastatic_site v) noexcept { return name_of(site_names, v); }
std::string_view to_string(condition_kind v) noexcept { return name_of(condition_names, v); }
std::string_view to_string(biomarker_kind v) noexcept {
  return name_of(biomarker_kind_names_table, v);
}
std::string_view to_string(biomarker_score v) noexcept { return name_of(score_names, v); }
std::string_view to_string(therapy_setting v) noexcept { return name_of(setting_names, v); }
std::string_view to_string(agent_status v) noexcept { return name_of(status_names, v); }
std::string_view to_string(preset v) noexcept { return name_of(preset_names, v); }
std::string_view to_string(event_kind v) noexcept { return name_of(event_names, v); }

namespace detail {
std::optional<metastatic_site> parse_metastatic_site(std::string_view s) noexcept {
  return value_of(site_names, s);
}
std::optional<condition_kind> parse_condition_kind(std::string_view s) noexcept {
  return value_of(condition_names, s);
}
std::optional<biomarker_kind> parse_biomarker_kind(std::string_view s) noexcept {
  return value_of(biomarker_kind_names_table, s);
}
std::optional<therapy_setting> parse_therapy_setting(std::string_view s) noexcept {
  if (s == "metastatic") return therapy_setting::advanced;
  return value_of(setting_names, s);
}
std::optional<preset> parse_preset(std::string_view s) noexcept {
  return value_of(preset_names, s);
}
std::optional<event_kind> parse_event_kind(std::string_view s) noexcept {
  return value_of(event_names, s);
}
std::string metastatic_site_names() { return all_names(site_names); }
std::string condition_kind_names() { return all_names(condition_names); }
std::string biomarker_kind_names() { return all_names(biomarker_kind_names_table); }
std::string therapy_setting_names() { return all_names(setting_names) + ", metastatic"; }
std::string event_kind_names() { return all_names(event_names); }
}  // namespace detail

std::string describe(const query& q) {
  struct visitor {
    std::string operator()(const age_query&) const { return "age"; }
    std::string operator()(const sex_query&) const { return "sex"; }
    std::string operator()(const ecog_query&) const { return "ecog"; }
    std::string operator()(const karnofsky_query&) const { return "karnofsky"; }
    std::string operator()(const stage_query&) const { return "stage"; }
    std::string operator()(const measurable_disease_query&) const { return "measurable_disease"; }
    std::string operator()(const lab_query& l) const {
      std::string out = "lab(" + l.code;
      if (l.within) out += ", within " + duration_text(*l.within);
      return out + ")";
    }
    std::string operator()(const diagnosis_query&) const { return "diagnosis"; }
    std::string operator()(const metastasis_query& m) const {
      return "metastases(" + std::string(to_string(m.site)) + ")";
    }
    std::string operator()(const biomarker_query& b) const {
      std::string out = "biomarker(" + quoted(b.gene);
      if (!b.alteration.empty()) out += ", " + quoted(b.alteration);
      if (b.kind != biomarker_kind::any) out += ", kind: " + std::string(to_string(b.kind));
      return out + ")";
    }
    std::string operator()(const biomarker_score_query& b) const {
      return std::string(to_string(b.score));
    }
    std::string operator()(const brain_metastases_query&) const { return "brain_metastases"; }
    std::string operator()(const steroid_dose_query&) const { return "steroid_dose"; }
    std::string operator()(const condition_query& c) const {
      std::string out(to_string(c.kind));
      if (c.within) out += "(within " + duration_text(*c.within) + ")";
      return out;
    }
    std::string operator()(const prior_lines_query& p) const {
      if (p.setting == therapy_setting::any) return "prior_lines";
      return "prior_lines(setting: " + std::string(to_string(p.setting)) + ")";
    }
    std::string operator()(const agent_status_query& a) const {
      std::string out = std::string(to_string(a.status)) + "(" + agent_text(a.is_class, a.code);
      if (a.min_exposure) out += ", exposure >= " + duration_text(*a.min_exposure);
      return out + ")";
    }
    std::string operator()(const last_line_query& l) const {
      return std::string(to_string(l.status)) + "(last_line)";
    }
    std::string operator()(const preset_query& p) const { return std::string(to_string(p.name)); }
    std::string operator()(const best_response_query& b) const {
      if (b.line == 0) return "best_response(last_line)";
      return "best_response(line: " + std::to_string(b.line) + ")";
    }
    std::string operator()(const time_since_query& t) const {
      if (t.event != event_kind::last_dose) {
        return "time_since(" + std::string(to_string(t.event)) + ")";
      }
      if (t.code.empty()) return "time_since(last_dose(any anticancer))";
      return "time_since(last_dose(" + agent_text(t.is_class, t.code) + "))";
    }
    std::string operator()(const half_lives_query& h) const {
      if (h.code.empty()) return "half_lives_since(last_dose(any anticancer))";
      return "half_lives_since(last_dose(" + agent_text(h.is_class, h.code) + "))";
    }
  };
  return std::visit(visitor{}, q);
}

}  // namespace ctm::rules
