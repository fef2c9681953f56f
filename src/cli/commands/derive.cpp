// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// `ctm derive --patient FILE [--as-of DATE] [--preset NAME] [--format text|json]`: prints the facts
// derived from one patient's record (docs/clinical-definitions.md) as a clinician's summary or as
// JSON, with the provenance of every fact and what could not be decided. Uses only the public API.
#include "command.hpp"
#include "output.hpp"

#include <ctm/history/derive.hpp>
#include <ctm/io/patient_json.hpp>
#include <ctm/io/vocabulary.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace ctm::cli {
namespace {

using namespace ctm::history;

struct derive_cli_options {
  std::string patient;
  std::string as_of;
  std::string preset = "auto";
  std::string format = "text";
};

void print(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }

std::string jstr(std::string_view s) { return "\"" + json_escape(s) + "\""; }

/// A date as written (day, month or year), or "between A and B".
std::string show(const partial_date& d) {
  const partial_date as_written = [&] {
    switch (d.precision) {
      case date_precision::day:
        return partial_date::exact(d.earliest);
      case date_precision::month:
        return partial_date::of_month(d.earliest.year(), d.earliest.month());
      case date_precision::year:
        break;
    }
    return partial_date::of_year(d.earliest.year());
  }();
  if (as_written == d) return ctm::to_string(d);
  return "between " + ctm::to_string(d.earliest) + " and " + ctm::to_string(d.latest);
}

std::string show(const std::optional<partial_date>& d) { return d ? show(*d) : "-"; }

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string days_text(const day_range& r) {
  if (r.is_exact()) return std::to_string(r.min) + (r.min == 1 ? " day" : " days");
  return std::to_string(r.min) + " to " + std::to_string(r.max) + " days";
}

std::string response_text(const std::optional<response>& r) {
  return r ? std::string(abbreviation(*r)) : "unknown";
}

std::string setting_text(const line_of_therapy& l) {
  if (!l.setting) return "setting not recorded";
  std::string s(ctm::to_string(*l.setting));
  if (l.setting_inferred) s += " (inferred)";
  return s;
}

std::string count_text(const count_range& r) {
  if (r.is_exact()) return std::to_string(r.min);
  return std::to_string(r.min) + " to " + std::to_string(r.max);
}

/// The drug classes directly above the resolved agents, sorted by code.
std::vector<drug_id> classes_of(const patient_facts& f) {
  std::vector<drug_id> out;
  if (!f.catalog) return out;
  for (const auto& a : f.agents) {
    if (!a.is_resolved() || a.supportive) continue;
    for (const drug_id c : f.catalog->get(a.id).parents) {
      if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
    }
  }
  std::sort(out.begin(), out.end(),
            [&](drug_id x, drug_id y) { return f.catalog->get(x).code < f.catalog->get(y).code; });
  return out;
}

/// Lines of a line's drugs: "bortezomib, lenalidomide (+ dexamethasone)".
std::string drugs_text(const patient_facts& f, const line_of_therapy& l) {
  std::string main;
  std::string companions;
  for (const auto& d : l.drugs) {
    std::string& out = d.role == line_role::companion ? companions : main;
    if (!out.empty()) out += ", ";
    out += f.agents[d.agent].name;
    if (d.role != line_role::regimen && d.role != line_role::companion) {
      out += " [" + std::string(to_string(d.role)) + "]";
    }
  }
  if (!companions.empty()) main += " (with " + companions + ")";
  return main;
}

std::string stop_text(const line_of_therapy& l) {
  if (l.ongoing) return "ongoing";
  if (l.stopped) return "stopped: " + std::string(ctm::to_string(*l.stopped));
  return "stop reason not recorded";
}

std::string ecog_text(const patient_facts& f) {
  if (f.ecog.size() < 6 || !f.ecog[5].score || !f.ecog[5].scale) return "no score in the window";
  const auto& a = f.ecog[5];
  std::string s = *a.scale == performance_scale::ecog ? "ECOG " : "Karnofsky ";
  s += std::to_string(*a.score);
  if (a.date) s += " (" + show(*a.date) + ")";
  if (*a.scale != performance_scale::ecog) {
    for (int n = 0; n <= 5; ++n) {
      if (f.ecog[static_cast<std::size_t>(n)].value == truth::yes) {
        s += ", ECOG <= " + std::to_string(n) + " by the conversion table";
        break;
      }
    }
  }
  return s;
}

std::string lab_value_text(const lab_fact& l) {
  if (l.qualitative) return std::string(ctm::to_string(*l.qualitative));
  if (!l.value) return "no result in the window";
  std::string s;
  if (l.comparator) s += std::string(ctm::to_string(*l.comparator)) + " ";
  s += number(l.value->low);
  if (!l.value->is_exact()) s += " to " + number(l.value->high);
  if (l.unit) s += " " + std::string(ucum_code(*l.unit));
  return s;
}

// Text ----------------------------------------------------------------------------------------

std::string text_report(const patient_facts& f) {
  std::ostringstream o;
  o << "Derived facts as of " << ctm::to_string(f.as_of) << "\n";
  o << "Rules: lines of therapy '" << f.lines_preset << "', refractoriness '" << f.disease_preset
    << "' (disease: " << to_string(f.disease) << ")\n\n";

  o << "Lines of therapy: " << f.lines.size();
  o << " (advanced setting: " << count_text(f.count_lines(line_scope::advanced))
    << "; early setting: " << count_text(f.count_lines(line_scope::early)) << ")\n";
  if (f.lines.empty()) o << "  none recorded\n";
  for (std::size_t i = 0; i < f.lines.size(); ++i) {
    const auto& l = f.lines[i];
    const auto& st = f.line_statuses[i];
    o << "  Line " << l.number << ": " << show(l.start) << " to "
      << (l.ongoing ? "ongoing" : show(l.end)) << ", " << setting_text(l);
    if (!l.regimen_label.empty()) o << ", " << l.regimen_label;
    o << "\n    drugs: " << drugs_text(f, l) << "\n";
    std::vector<std::string> flags;
    if (l.planned_sequence) flags.emplace_back("planned sequence");
    if (l.maintenance != maintenance_kind::none) {
      flags.push_back(std::string(to_string(l.maintenance)) + " maintenance from " +
                      show(l.maintenance_start));
    }
    if (l.substitution_used) flags.emplace_back("substitution");
    if (l.late_addition_used) flags.emplace_back("late addition");
    if (l.gap_exemption_used) flags.emplace_back("gap exemption");
    if (l.uncertain_splits > 0) flags.emplace_back("boundary uncertain");
    if (!flags.empty()) {
      o << "    ";
      for (std::size_t k = 0; k < flags.size(); ++k) o << (k ? "; " : "") << flags[k];
      o << "\n";
    }
    if (!l.procedures.empty()) {
      o << "    procedures:";
      for (const auto& p : l.procedures) o << " " << p;
      o << "\n";
    }
    o << "    best response: " << response_text(l.best_response.value);
    if (l.best_response.value && l.best_response.date)
      o << " (" << show(*l.best_response.date) << ")";
    o << "; progression: " << show(l.progression) << "; " << stop_text(l);
    if (l.closed_by != line_boundary::none) o << "; next line by " << to_string(l.closed_by);
    o << "\n";
    o << "    refractory: " << ctm::to_string(st.refractory.value)
      << "; primary refractory: " << ctm::to_string(st.primary_refractory.value)
      << "; acquired resistance: " << ctm::to_string(st.acquired_resistance.value)
      << "; relapsed: " << ctm::to_string(st.relapsed.value);
    if (st.insufficient_cycles) o << "; insufficient cycles";
    o << "\n      why: " << st.refractory.source.reason << "\n";
  }

  o << "\nResponses\n";
  if (f.responses.empty()) o << "  none recorded\n";
  for (const auto& r : f.responses) {
    o << "  " << show(r.date) << "  " << (r.system ? ctm::to_string(*r.system) : "?") << " "
      << r.category << " -> " << response_text(r.value);
    if (r.line > 0) o << " (line " << r.line << ")";
    o << "\n";
  }

  o << "\nDisease status\n";
  for (const auto& nf : f.disease_facts) {
    o << "  " << nf.name << ": " << ctm::to_string(nf.fact.value) << " - " << nf.fact.source.reason
      << "\n";
  }

  o << "\nDrugs\n";
  for (const auto& a : f.agents) {
    o << "  " << a.name;
    if (!a.is_resolved()) o << " (not in the drug catalog)";
    if (a.supportive) o << " (supportive care)";
    o << ": " << show(a.first_dose) << " to " << (a.ongoing ? "ongoing" : show(a.last_dose));
    if (!a.lines.empty()) {
      o << ", line" << (a.lines.size() > 1 ? "s" : "");
      for (std::size_t k = 0; k < a.lines.size(); ++k) o << (k ? ", " : " ") << a.lines[k];
    }
    o << "\n    exposed " << ctm::to_string(a.exposed.value) << "; refractory "
      << ctm::to_string(a.refractory.value) << "; intolerant " << ctm::to_string(a.intolerant.value)
      << "; progressed on or after " << ctm::to_string(a.progressed_on.value) << "\n";
  }

  const auto classes = classes_of(f);
  if (!classes.empty()) {
    o << "\nDrug classes\n";
    for (const drug_id c : classes) {
      o << "  " << f.catalog->get(c).code << ": exposed " << ctm::to_string(f.exposed(c).value)
        << "; refractory " << ctm::to_string(f.refractory(c).value) << "; intolerant "
        << ctm::to_string(f.intolerant(c).value) << "; progressed on or after "
        << ctm::to_string(f.progressed_on(c).value) << "\n";
    }
  }

  if (!f.platinum.empty()) {
    o << "\nPlatinum-free interval\n";
    for (const auto& p : f.platinum) {
      o << "  line " << p.line << ": last platinum " << show(p.last_platinum_dose)
        << ", progression " << show(p.progression);
      if (p.days) o << ", " << days_text(*p.days);
      o << ": " << (p.category ? std::string(to_string(*p.category)) : "unknown") << "\n";
    }
  }

  o << "\nTime since (as of " << ctm::to_string(f.as_of) << ")\n";
  for (std::size_t k = 0; k < event_kind_count; ++k) {
    const auto& e = f.events[k];
    o << "  " << to_string(static_cast<event_kind>(k)) << ": ";
    if (!e.date) {
      o << "none\n";
    } else if (e.ongoing) {
      o << "ongoing\n";
    } else {
      o << show(*e.date) << " (" << days_text(*e.days_until(f.as_of)) << ")\n";
    }
  }

  o << "\nLaboratory values (most recent in the lab window)\n";
  if (f.labs.empty()) o << "  none\n";
  for (const auto& l : f.labs) {
    o << "  " << l.analyte_code << ": " << lab_value_text(l);
    if (l.date) o << " (" << show(*l.date) << ")";
    if (l.uln_multiple && l.value) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.2f", l.uln_multiple->low);
      o << ", " << buf << " x ULN (" << to_string(l.uln_from) << ")";
    }
    o << "\n";
  }

  o << "\nPerformance status: " << ecog_text(f) << "\n";

  o << "\nNot decided, ignored or doubtful\n";
  if (f.notes.empty()) o << "  nothing\n";
  for (const auto& n : f.notes) o << "  " << ctm::to_string(n) << "\n";
  return o.str();
}

// JSON ----------------------------------------------------------------------------------------

std::string json_date(const std::optional<partial_date>& d) { return d ? jstr(show(*d)) : "null"; }

std::string json_strings(const std::vector<std::string>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + jstr(v[i]);
  return s + "]";
}

std::string json_finding(const finding& f) {
  return "{\"value\": " + jstr(ctm::to_string(f.value)) + ", \"rule\": " + jstr(f.source.rule) +
         ", \"preset\": " + jstr(f.preset) + ", \"reason\": " + jstr(f.source.reason) +
         ", \"records\": " + json_strings(f.source.records) + "}";
}

std::string json_report(const patient_facts& f) {
  std::ostringstream o;
  o << "{\n  \"as_of\": " << jstr(ctm::to_string(f.as_of)) << ",\n";
  o << "  \"presets\": {\"lines\": " << jstr(f.lines_preset)
    << ", \"refractory\": " << jstr(f.disease_preset) << "},\n";
  o << "  \"disease\": " << jstr(to_string(f.disease)) << ",\n";
  o << "  \"line_counts\": {";
  bool first = true;
  for (auto scope : {line_scope::any, line_scope::advanced, line_scope::early}) {
    const auto r = f.count_lines(scope);
    o << (first ? "" : ", ") << jstr(to_string(scope)) << ": {\"min\": " << r.min
      << ", \"max\": " << r.max << "}";
    first = false;
  }
  o << "},\n  \"lines\": [";
  for (std::size_t i = 0; i < f.lines.size(); ++i) {
    const auto& l = f.lines[i];
    const auto& st = f.line_statuses[i];
    o << (i ? "," : "") << "\n    {\"number\": " << l.number
      << ", \"start\": " << json_date(l.start)
      << ", \"end\": " << (l.ongoing ? "null" : json_date(l.end))
      << ", \"ongoing\": " << (l.ongoing ? "true" : "false")
      << ", \"setting\": " << (l.setting ? jstr(ctm::to_string(*l.setting)) : "null")
      << ", \"setting_inferred\": " << (l.setting_inferred ? "true" : "false")
      << ", \"advanced\": " << jstr(ctm::to_string(l.advanced))
      << ", \"regimen_label\": " << jstr(l.regimen_label) << ",\n     \"drugs\": [";
    for (std::size_t k = 0; k < l.drugs.size(); ++k) {
      const auto& d = l.drugs[k];
      o << (k ? ", " : "") << "{\"agent\": " << jstr(f.agents[d.agent].code)
        << ", \"role\": " << jstr(to_string(d.role))
        << ", \"first_dose\": " << json_date(d.first_dose)
        << ", \"last_dose\": " << json_date(d.last_dose)
        << ", \"ongoing\": " << (d.ongoing ? "true" : "false")
        << ", \"records\": " << json_strings(d.records) << "}";
    }
    o << "],\n     \"maintenance\": " << jstr(to_string(l.maintenance))
      << ", \"maintenance_start\": " << json_date(l.maintenance_start)
      << ", \"planned_sequence\": " << (l.planned_sequence ? "true" : "false")
      << ", \"substitution\": " << (l.substitution_used ? "true" : "false")
      << ", \"late_addition\": " << (l.late_addition_used ? "true" : "false")
      << ", \"gap_exemption\": " << (l.gap_exemption_used ? "true" : "false")
      << ", \"uncertain_splits\": " << l.uncertain_splits
      << ", \"next_line_by\": " << jstr(to_string(l.closed_by))
      << ",\n     \"procedures\": " << json_strings(l.procedures)
      << ", \"progression\": " << json_date(l.progression)
      << ", \"stopped\": " << (l.stopped ? jstr(ctm::to_string(*l.stopped)) : "null")
      << ",\n     \"best_response\": {\"value\": "
      << (l.best_response.value ? jstr(abbreviation(*l.best_response.value)) : "null")
      << ", \"date\": " << json_date(l.best_response.date)
      << ", \"rule\": " << jstr(l.best_response.source.rule)
      << ", \"records\": " << json_strings(l.best_response.source.records) << "},\n"
      << "     \"refractory\": " << json_finding(st.refractory)
      << ",\n     \"primary_refractory\": " << json_finding(st.primary_refractory)
      << ",\n     \"acquired_resistance\": " << json_finding(st.acquired_resistance)
      << ",\n     \"relapsed\": " << json_finding(st.relapsed)
      << ",\n     \"insufficient_cycles\": " << (st.insufficient_cycles ? "true" : "false")
      << ",\n     \"provenance\": {\"rule\": " << jstr(l.source.rule)
      << ", \"reason\": " << jstr(l.source.reason)
      << ", \"records\": " << json_strings(l.source.records) << "}}";
  }
  o << "\n  ],\n  \"responses\": [";
  for (std::size_t i = 0; i < f.responses.size(); ++i) {
    const auto& r = f.responses[i];
    o << (i ? "," : "") << "\n    {\"date\": " << json_date(r.date)
      << ", \"system\": " << (r.system ? jstr(ctm::to_string(*r.system)) : "null")
      << ", \"category\": " << jstr(r.category)
      << ", \"normalised\": " << (r.value ? jstr(abbreviation(*r.value)) : "null")
      << ", \"line\": " << r.line << ", \"record\": " << jstr(r.record) << "}";
  }
  o << "\n  ],\n  \"disease_facts\": {";
  for (std::size_t i = 0; i < f.disease_facts.size(); ++i) {
    o << (i ? "," : "") << "\n    " << jstr(f.disease_facts[i].name) << ": "
      << json_finding(f.disease_facts[i].fact);
  }
  o << "\n  },\n  \"agents\": [";
  for (std::size_t i = 0; i < f.agents.size(); ++i) {
    const auto& a = f.agents[i];
    o << (i ? "," : "") << "\n    {\"code\": " << jstr(a.code) << ", \"name\": " << jstr(a.name)
      << ", \"in_catalog\": " << (a.is_resolved() ? "true" : "false")
      << ", \"anticancer\": " << (a.anticancer ? "true" : "false")
      << ", \"supportive\": " << (a.supportive ? "true" : "false")
      << ", \"first_dose\": " << json_date(a.first_dose)
      << ", \"last_dose\": " << json_date(a.last_dose)
      << ", \"ongoing\": " << (a.ongoing ? "true" : "false") << ", \"lines\": [";
    for (std::size_t k = 0; k < a.lines.size(); ++k) o << (k ? ", " : "") << a.lines[k];
    o << "],\n     \"exposed\": " << json_finding(a.exposed)
      << ",\n     \"refractory\": " << json_finding(a.refractory)
      << ",\n     \"intolerant\": " << json_finding(a.intolerant)
      << ",\n     \"progressed_on\": " << json_finding(a.progressed_on) << "}";
  }
  o << "\n  ],\n  \"classes\": [";
  const auto classes = classes_of(f);
  for (std::size_t i = 0; i < classes.size(); ++i) {
    const drug_id c = classes[i];
    o << (i ? "," : "") << "\n    {\"code\": " << jstr(f.catalog->get(c).code)
      << ", \"exposed\": " << jstr(ctm::to_string(f.exposed(c).value))
      << ", \"refractory\": " << jstr(ctm::to_string(f.refractory(c).value))
      << ", \"intolerant\": " << jstr(ctm::to_string(f.intolerant(c).value))
      << ", \"progressed_on\": " << jstr(ctm::to_string(f.progressed_on(c).value)) << "}";
  }
  o << "\n  ],\n  \"time_since\": {";
  for (std::size_t k = 0; k < event_kind_count; ++k) {
    const auto& e = f.events[k];
    o << (k ? "," : "") << "\n    " << jstr(to_string(static_cast<event_kind>(k)))
      << ": {\"date\": " << json_date(e.date)
      << ", \"ongoing\": " << (e.ongoing ? "true" : "false");
    if (const auto d = e.days_until(f.as_of)) {
      o << ", \"days_min\": " << d->min << ", \"days_max\": " << d->max;
    }
    o << ", \"records\": " << json_strings(e.source.records) << "}";
  }
  o << "\n  },\n  \"labs\": [";
  for (std::size_t i = 0; i < f.labs.size(); ++i) {
    const auto& l = f.labs[i];
    o << (i ? "," : "") << "\n    {\"analyte\": " << jstr(l.analyte_code)
      << ", \"value\": " << jstr(lab_value_text(l)) << ", \"date\": " << json_date(l.date)
      << ", \"uln_multiple\": "
      << (l.uln_multiple && l.value ? number(l.uln_multiple->low) : "null")
      << ", \"records\": " << json_strings(l.source.records) << "}";
  }
  o << "\n  ],\n  \"performance_status\": " << jstr(ecog_text(f)) << ",\n  \"notes\": [";
  for (std::size_t i = 0; i < f.notes.size(); ++i) {
    const auto& n = f.notes[i];
    o << (i ? "," : "") << "\n    {\"severity\": " << jstr(ctm::to_string(n.severity))
      << ", \"code\": " << jstr(error_tag(n.error.code))
      << ", \"pointer\": " << jstr(n.error.where.pointer)
      << ", \"message\": " << jstr(n.error.message) << "}";
  }
  o << "\n  ]\n}\n";
  return o.str();
}

int run_derive(const derive_cli_options& o) {
  std::ifstream in(o.patient, std::ios::binary);
  if (!in) {
    report(ctm::error{errc::io_open_failed, "cannot read the file",
                      ctm::location{o.patient, 0, 0, {}}});
    return exit_input;
  }
  std::ostringstream text;
  text << in.rdbuf();
  io::read_options read;
  read.source_name = std::filesystem::path(o.patient).filename().string();
  auto doc = io::read_patient(text.str(), read);
  if (!doc) {
    report(doc.error());
    return exit_input;
  }
  for (const auto& d : doc->diagnostics) {
    std::fprintf(stderr, "ctm: %s\n", ctm::to_string(d).c_str());
  }
  date as_of{};
  if (o.as_of.empty()) {
    as_of = date{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  } else {
    auto parsed = parse_date(o.as_of);
    if (!parsed) {
      report(parsed.error());
      return exit_usage;
    }
    as_of = *parsed;
  }
  auto options = derive_options::preset(o.preset);
  if (!options) {
    std::fprintf(stderr, "ctm: unknown preset\n");
    return exit_usage;
  }
  vocabularies vocab;
  auto ontology = io::bundled_ontology();
  auto drugs = io::bundled_drug_catalog();
  auto labs = io::bundled_lab_catalog();
  for (const ctm::error* e : {ontology ? nullptr : &ontology.error(),
                              drugs ? nullptr : &drugs.error(), labs ? nullptr : &labs.error()}) {
    if (e != nullptr) {
      report(*e);
      return exit_input;
    }
  }
  vocab.diseases = *ontology;
  vocab.drugs = *drugs;
  vocab.labs = *labs;
  const patient_facts facts = derive_facts(doc->patient, as_of, vocab, *options);
  print(o.format == "json" ? json_report(facts) : text_report(facts));
  return exit_ok;
}

void setup(CLI::App& app, const global_options& /*global*/, int& exit) {
  auto options = std::make_shared<derive_cli_options>();
  CLI::App* cmd = app.add_subcommand(
      "derive",
      "Derive a patient's facts: lines of therapy, responses, refractory, relapsed, exposed and "
      "intolerant status per line, drug and class, disease status, time since prior therapy, "
      "labs and performance status, each with its provenance (docs/clinical-definitions.md).");
  cmd->add_option("--patient", options->patient, "Patient record in ctm's JSON format")->required();
  cmd->add_option("--as-of", options->as_of, "Date to derive the facts as of (default: today)");
  std::vector<std::string> names;
  for (auto n : derive_options::preset_names()) names.emplace_back(n);
  cmd->add_option("--preset", options->preset,
                  "Rule preset: auto (default: by disease), rwd-default, hess-nsclc, "
                  "imwg-myeloma, scholar-1, iwcll, eln, gcig-ovarian, pcwg3-prostate, generic")
      ->check(CLI::IsMember(names));
  cmd->add_option("--format", options->format, "Output format: text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->callback([options, &exit] { exit = run_derive(*options); });
}

const command_registration registration{setup};

}  // namespace
}  // namespace ctm::cli
