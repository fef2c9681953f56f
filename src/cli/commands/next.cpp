// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// `ctm next --patient FILE [--trials FILE|DIR] [--as-of DATE] [--format json|text]`: what to
// test next, the unknown facts ranked by how many possibly-eligible trials each would help
// decide. Uses only the public API.
#include "match_support.hpp"

#include <memory>

namespace ctm::cli {
namespace {

using namespace matching;

struct next_cli_options {
  common_options common;
  std::string patient;
  std::size_t top = 0;
};

int run_next(const next_cli_options& o) {
  const auto as_of = parse_as_of(o.common.as_of);
  if (!as_of) return exit_usage;
  int errors = 0;
  auto matcher = build_matcher(load_trials(o.common.trials, errors), o.common);
  if (!matcher) return exit_input;
  const auto patients = load_patients(o.patient);
  if (patients.size() != 1 || patients.front().error) {
    for (const auto& p : patients) {
      if (p.error) report(*p.error);
    }
    if (patients.size() != 1) std::fprintf(stderr, "ctm: --patient must hold one patient\n");
    return exit_input;
  }
  const auto& p = *patients.front().record;
  match::match_options options;
  options.include_ineligible = false;  // only possibly-eligible trials can be decided by a test
  const auto r = matcher->match(p, *as_of, options);
  auto tests = match::next_tests(r);
  if (o.top > 0 && tests.size() > o.top) tests.resize(o.top);
  if (o.common.format == "json") {
    std::string s = "{\"patient_id\": " + jstr(p.id) +
                    ", \"as_of\": " + jstr(ctm::to_string(*as_of)) + ", \"tests\": [";
    for (std::size_t i = 0; i < tests.size(); ++i) {
      s += std::string(i ? ", " : "") + "{\"fact\": " + jstr(tests[i].fact) +
           ", \"trials\": " + std::to_string(tests[i].trial_ids.size()) +
           ", \"trial_ids\": " + json_strings(tests[i].trial_ids) + "}";
    }
    print(s + "]}\n");
  } else {
    std::string s =
        "What to test next for patient " + p.id + " as of " + ctm::to_string(*as_of) + "\n";
    if (tests.empty()) s += "  nothing: no possibly-eligible trial is waiting for a fact\n";
    for (const auto& t : tests) {
      s += "  " + t.fact + " would help decide " + std::to_string(t.trial_ids.size()) + " trial" +
           (t.trial_ids.size() == 1 ? "" : "s") + ":";
      for (const auto& id : t.trial_ids) s += " " + id;
      s += "\n";
    }
    print(s);
  }
  return errors > 0 ? exit_input : exit_ok;
}

void setup(CLI::App& app, const global_options& /*global*/, int& exit) {
  auto o = std::make_shared<next_cli_options>();
  CLI::App* cmd = app.add_subcommand(
      "next",
      "What to test next for one patient: the unknown facts (an ECOG assessment, a KRAS result, "
      "a recent ANC) ranked by how many possibly-eligible trials each would help decide.\n\n"
      "Example:\n  ctm next --patient data/patients/syn_nsclc_004_egfr_lung.json");
  cmd->add_option("--patient", o->patient, "Patient file (ctm JSON or FHIR bundle)")->required();
  cmd->add_option("--top", o->top, "Show only the first N facts (default: all)");
  add_common(cmd, o->common, true);
  cmd->callback([o, &exit] { exit = run_next(*o); });
}

const command_registration registration{setup};

}  // namespace
}  // namespace ctm::cli
