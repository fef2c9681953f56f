// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// `ctm feasibility --trial ID|FILE --patients FILE|DIR [--arm ID] [--as-of DATE]
// [--format json|text]`: one trial against a cohort, counts per status and an attrition table
// (per criterion: excluded in sequence, excluded on its own, unknown). Uses only the public API.
#include "match_support.hpp"
#include "report.hpp"

#include <memory>

namespace ctm::cli {
namespace {

using namespace matching;

struct feasibility_cli_options {
  common_options common;
  std::string trial;
  std::string patients;
  std::string arm;
};

int run_feasibility(const feasibility_cli_options& o) {
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
  auto matcher = build_matcher(std::move(trials), o.common);
  if (!matcher) return exit_input;
  const auto cohort = load_patients(o.patients);
  for (const auto& p : cohort) {
    if (p.error) {
      std::fprintf(stderr, "ctm: patient %s: %s\n", p.label.c_str(),
                   ctm::to_string(*p.error).c_str());
      ++errors;
    }
  }
  match::match_options options;
  options.threads = o.common.threads;
  const auto f = matcher->feasibility(trial_id, cohort, *as_of, options, o.arm);
  if (!f) {
    report(f.error());
    return exit_input;
  }
  print(o.common.format == "json" ? json_feasibility(*f, *as_of) : text_feasibility(*f, *as_of));
  return errors > 0 ? exit_input : exit_ok;
}

void setup(CLI::App& app, const global_options& /*global*/, int& exit) {
  auto o = std::make_shared<feasibility_cli_options>();
  CLI::App* cmd = app.add_subcommand(
      "feasibility",
      "One trial against a cohort (the reverse of match): how many patients are eligible, "
      "possibly eligible and ineligible, and an attrition table in the manner of OHDSI ATLAS: "
      "per criterion, the patients still in before it, those it excludes in sequence and on its "
      "own, and those for whom it is unknown.\n\nExample:\n  ctm feasibility --trial "
      "NCT02465060 --patients data/patients");
  cmd->add_option("--trial", o->trial, "Trial id in the catalog, or a trial file")->required();
  cmd->add_option("--patients", o->patients, "Patient file or directory")->required();
  cmd->add_option("--arm", o->arm, "Arm whose criteria to add (default: the first open arm)");
  add_common(cmd, o->common, true);
  cmd->callback([o, &exit] { exit = run_feasibility(*o); });
}

const command_registration registration{setup};

}  // namespace
}  // namespace ctm::cli
