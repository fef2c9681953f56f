// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// `ctm explain --patient FILE --trial ID|FILE [--as-of DATE] [--format json|text]`: one patient
// against one trial, every arm and every criterion with its verdict and reason, the near misses
// and the date from which a washout or waiting period is satisfied. Uses only the public API.
#include "match_support.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ctm::cli {
namespace {

using namespace matching;

struct explain_cli_options {
  common_options common;
  std::string patient;
  std::string trial;
};

// The explained trial's criteria by id (the trial's own and its arms'), so each verdict can show
// the criterion's words and the rule that decided it: an extracted rule stays traceable to its
// text.
using criteria_by_id = std::map<std::string, criterion>;

criteria_by_id criteria_of(const std::vector<trial>& trials, const std::string& id) {
  criteria_by_id out;
  for (const trial& t : trials) {
    if (t.id != id) continue;
    for (const criterion& c : t.criteria) out.emplace(c.id, c);
    for (const arm& a : t.arms) {
      for (const criterion& c : a.criteria) out.emplace(c.id, c);
    }
  }
  return out;
}

// "        text: ...\n        rule: ... (extracted, confidence 0.9)\n".
std::string text_source(const criteria_by_id& by_id, const std::string& id) {
  const auto it = by_id.find(id);
  if (it == by_id.end()) return {};
  const criterion& c = it->second;
  std::string words = c.text;
  for (char& ch : words) {
    if (ch == '\n') ch = ' ';
  }
  std::string s = "        text: " + clip(words, 300) + "\n        rule: ";
  if (!c.rule) return s + "none (needs manual review)\n";
  s += *c.rule + " (" + std::string(ctm::to_string(c.provenance.kind));
  if (c.provenance.confidence) s += ", confidence " + fixed(*c.provenance.confidence, 2);
  return s + ")\n";
}

// json_criterion with the criterion's text, rule and provenance added.
std::string json_source(const criteria_by_id& by_id, const match::criterion_result& r) {
  std::string s = json_criterion(r);
  const auto it = by_id.find(r.id);
  if (it == by_id.end() || s.empty()) return s;
  const criterion& c = it->second;
  s.pop_back();  // the closing brace
  s += ", \"text\": " + jstr(c.text) + ", \"rule\": " + (c.rule ? jstr(*c.rule) : "null") +
       ", \"provenance\": " + jstr(ctm::to_string(c.provenance.kind));
  if (c.provenance.confidence) s += ", \"confidence\": " + fixed(*c.provenance.confidence, 2);
  if (c.provenance.span) {
    s += ", \"span\": {\"offset\": " + std::to_string(c.provenance.span->offset) +
         ", \"length\": " + std::to_string(c.provenance.span->length) + "}";
  }
  return s + "}";
}

std::string text_report(const std::string& patient_id, date as_of, const match::trial_result& t,
                        const criteria_by_id& by_id) {
  std::string s = "Patient " + patient_id + " and " + t.trial_id + " as of " +
                  ctm::to_string(as_of) + "\n  " + t.title +
                  "\n  trial status: " + std::string(ctm::to_string(t.status));
  if (t.nearest_site_km) s += "; nearest recruiting site: " + fixed(*t.nearest_site_km, 0) + " km";
  s += "\n";
  for (std::size_t i = 0; i < t.arms.size(); ++i) {
    const auto& a = t.arms[i];
    s += "\n  " + (a.arm_id.empty() ? std::string("Trial") : "Arm " + a.arm_id) +
         (i == t.best_arm ? " (best)" : "") + ": " + status_word(a.status) + ", score " +
         fixed(a.score.total, 1) + " of " + fixed(a.score.max_possible, 1) + "\n";
    for (const auto& c : a.criteria) s += text_criterion(c, 400) + text_source(by_id, c.id);
    if (a.near_miss) s += "    near miss: only " + *a.near_miss + " rules this arm out\n";
    if (a.eligible_from) {
      s += "    every failing criterion is met from " + ctm::to_string(*a.eligible_from) + "\n";
    }
    if (!a.missing.empty()) {
      s += "    would be decided by:";
      for (const auto& m : a.missing) s += " " + m + ";";
      s += "\n";
    }
    s += "    score parts:";
    for (const auto& c : a.score.components) {
      s += " " + c.name + " " + fixed(c.contribution, 1) + " (" + c.why + ");";
    }
    s += "\n";
  }
  return s;
}

int run_explain(const explain_cli_options& o) {
  const auto as_of = parse_as_of(o.common.as_of);
  if (!as_of) return exit_usage;
  int errors = 0;
  std::string trial_id = o.trial;
  std::vector<trial> trials;
  std::error_code ec;
  if (std::filesystem::exists(o.trial, ec)) {
    trials = load_trials(o.trial, errors);
    if (trials.size() != 1) {
      std::fprintf(stderr, "ctm: --trial FILE must hold exactly one trial\n");
      return exit_input;
    }
    trial_id = trials.front().id;
  } else {
    trials = load_trials(o.common.trials, errors);
  }
  const criteria_by_id by_id = criteria_of(trials, trial_id);
  auto matcher = build_matcher(std::move(trials), o.common);
  if (!matcher) return exit_input;
  const auto patients = load_patients(o.patient);
  if (patients.size() != 1) {
    for (const auto& p : patients) {
      if (p.error) report(*p.error);
    }
    if (patients.size() != 1) std::fprintf(stderr, "ctm: --patient must hold one patient\n");
    return exit_input;
  }
  if (patients.front().error) {
    report(*patients.front().error);
    return exit_input;
  }
  const auto& p = *patients.front().record;
  const auto t = matcher->explain(p, trial_id, *as_of);
  if (!t) {
    report(t.error());
    return exit_input;
  }
  if (o.common.format == "json") {
    std::string s = "{\"patient_id\": " + jstr(p.id) +
                    ", \"as_of\": " + jstr(ctm::to_string(*as_of)) +
                    ", \"result\": " + json_trial(*t) + ", \"arms\": [";
    for (std::size_t i = 0; i < t->arms.size(); ++i) {
      const auto& a = t->arms[i];
      s += std::string(i ? ", " : "") + "{\"arm_id\": " + jstr(a.arm_id) +
           ", \"status\": " + jstr(rules::to_string(a.status)) +
           ", \"score\": " + json_score(a.score) + ", \"criteria\": [";
      for (std::size_t k = 0; k < a.criteria.size(); ++k) {
        s += (k ? ", " : "") + json_source(by_id, a.criteria[k]);
      }
      s += "]";
      if (a.near_miss) s += ", \"near_miss\": " + jstr(*a.near_miss);
      if (a.eligible_from) s += ", \"eligible_from\": " + jstr(ctm::to_string(*a.eligible_from));
      s += ", \"missing\": " + json_strings(a.missing) + "}";
    }
    print(s + "]}\n");
  } else {
    print(text_report(p.id, *as_of, *t, by_id));
  }
  return errors > 0 ? exit_input : exit_ok;
}

void setup(CLI::App& app, const global_options& /*global*/, int& exit) {
  auto o = std::make_shared<explain_cli_options>();
  CLI::App* cmd = app.add_subcommand(
      "explain",
      "Explain one trial for one patient: every arm (open or not) and every criterion with its "
      "verdict (met, not met, unknown) and reason, the facts that would decide the unknowns, the "
      "near misses (ruled out by a single criterion) and the date a washout or waiting period "
      "ends.\n\nExample:\n  ctm explain --patient data/patients/syn_mm_001_myeloma.json "
      "--trial NCT02465060");
  cmd->add_option("--patient", o->patient, "Patient file (ctm JSON or FHIR bundle)")->required();
  cmd->add_option("--trial", o->trial, "Trial id in the catalog, or a trial file")->required();
  add_common(cmd, o->common, true);
  cmd->callback([o, &exit] { exit = run_explain(*o); });
}

const command_registration registration{setup};

}  // namespace
}  // namespace ctm::cli
