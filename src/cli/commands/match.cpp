// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// `ctm match --patients FILE|DIR [--trials FILE|DIR] [--top K] [--as-of DATE]
// [--include-ineligible] [--include-closed] [--format json|text]`: ranks the trials for each
// patient, with the reasons (docs/cli.md, docs/scoring.md). Uses only the public API.
#include "match_support.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <unistd.h>

namespace ctm::cli {
namespace {

using namespace matching;

struct match_cli_options {
  common_options common;
  std::string patients;
  std::size_t top = 10;
  bool include_ineligible = false;
  bool include_closed = false;
  std::size_t reasons = 3;
  std::vector<std::string> phases;
  double within_km = 0.0;
};

std::string text_report(const match::match_result& r, std::size_t reasons) {
  std::string s = "Patient " + r.patient_id + " as of " + ctm::to_string(r.as_of) + ": " +
                  std::to_string(r.results.size()) + " trial" + (r.results.size() == 1 ? "" : "s") +
                  " shown of " + std::to_string(r.candidates) + " candidates (scorer " + r.scorer +
                  ")\n";
  if (r.results.empty()) {
    s += "  no eligible or possibly eligible open trial in the catalog for this patient\n\n";
    return s;
  }
  s += text_table_header();
  for (const auto& t : r.results) s += text_trial_row(t, reasons);
  return s + "\n";
}

std::string json_report(const match::match_result& r) {
  std::string s = "{\"patient_id\": " + jstr(r.patient_id) +
                  ", \"as_of\": " + jstr(ctm::to_string(r.as_of)) +
                  ", \"scorer\": " + jstr(r.scorer) +
                  ", \"candidates\": " + std::to_string(r.candidates) + ", \"results\": [";
  for (std::size_t i = 0; i < r.results.size(); ++i) {
    s += (i ? ", " : "") + json_trial(r.results[i]);
  }
  return s + "]}\n";
}

int run_match(const match_cli_options& o) {
  const auto as_of = parse_as_of(o.common.as_of);
  if (!as_of) return exit_usage;
  int errors = 0;
  auto trials = load_trials(o.common.trials, errors);
  auto matcher = build_matcher(std::move(trials), o.common);
  if (!matcher) return exit_input;
  const auto patients = load_patients(o.patients);

  match::match_options options;
  options.top_k = o.top;
  options.include_ineligible = o.include_ineligible;
  options.include_closed = o.include_closed;
  options.threads = o.common.threads;
  for (const auto& text : o.phases) options.phases.push_back(*parse_trial_phase(text));
  if (o.within_km > 0.0) options.within_km = o.within_km;

  // A progress bar on stderr for long batches, only when stderr is a terminal.
  std::atomic<std::size_t> done{0};
  std::mutex bar;
  const bool show_progress = patients.size() >= 20 && isatty(STDERR_FILENO) != 0;
  if (show_progress) {
    options.on_patient_done = [&] {
      const std::size_t n = ++done;
      const std::lock_guard lock(bar);
      const std::size_t width = 40;
      const std::size_t filled = n * width / patients.size();
      std::fprintf(stderr, "\r[%s%s] %zu/%zu patients", std::string(filled, '#').c_str(),
                   std::string(width - filled, '.').c_str(), n, patients.size());
      if (n == patients.size()) std::fputc('\n', stderr);
    };
  }
  const auto results = matcher->match_batch(patients, *as_of, options);
  for (const auto& r : results) {
    if (r.error) {
      ++errors;
      std::fprintf(stderr, "ctm: patient %s: %s\n", r.label.c_str(),
                   ctm::to_string(*r.error).c_str());
      if (o.common.format == "json") {
        print(json_error(r.label, *r.error) + "\n");
      } else {
        print("Patient " + r.label + ": not matched, the record could not be read (" +
              error_tag(r.error->code) + ")\n\n");
      }
      continue;
    }
    print(o.common.format == "json" ? json_report(*r.result) : text_report(*r.result, o.reasons));
  }
  std::fflush(stdout);
  return errors > 0 ? exit_input : exit_ok;
}

void setup(CLI::App& app, const global_options& /*global*/, int& exit) {
  auto o = std::make_shared<match_cli_options>();
  CLI::App* cmd = app.add_subcommand(
      "match",
      "Rank clinical trials for each patient. Every candidate trial (by disease, open status and "
      "arm) is evaluated criterion by criterion from the patient's derived facts; each result "
      "says eligible, possibly eligible (something is unknown: see 'missing') or ineligible, "
      "with the reason for every criterion and a score whose parts are explained "
      "(docs/scoring.md).\n\nExamples:\n"
      "  ctm match --patients data/patients --top 3\n"
      "  ctm match --patients cohort.jsonl --trials my-trials/ --as-of 2026-11-01 --format json");
  cmd->add_option("--patients", o->patients,
                  "Patient file or directory: ctm patient JSON (single, array or JSON Lines) or "
                  "FHIR bundles")
      ->required();
  add_common(cmd, o->common, true);
  cmd->add_option("--top", o->top, "Trials to show per patient (default 10; 0 = all)");
  cmd->add_option("--reasons", o->reasons, "Reasons shown per trial in text output (default 3)");
  cmd->add_flag("--include-ineligible", o->include_ineligible,
                "Also list ineligible trials (ranked after the others)");
  cmd->add_option("--phase", o->phases,
                  "Only trials of these phases (repeatable): early_phase1, phase1, phase2, "
                  "phase3, phase4, na")
      ->check(CLI::IsMember({"early_phase1", "phase1", "phase2", "phase3", "phase4", "na"}));
  cmd->add_option("--within-km", o->within_km,
                  "Only trials with a site this close to the patient (patients with a location)");
  cmd->add_flag("--include-closed", o->include_closed,
                "Also evaluate trials and arms that are not recruiting");
  cmd->callback([o, &exit] { exit = run_match(*o); });
}

const command_registration registration{setup};

}  // namespace
}  // namespace ctm::cli
