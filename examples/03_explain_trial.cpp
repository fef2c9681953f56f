// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Explain one trial for one patient: every criterion with its verdict and reason, the near miss
// and the date the washout is complete.
#include "match_example_io.hpp"

#include <cstdio>

int main() {
  const auto matcher = example::make_matcher();
  const auto patient = example::read_patient("data/match_patient.json");
  const auto as_of = ctm::parse_date("2026-11-01").value();

  const auto trial = matcher.explain(patient, "NCT90000007", as_of).value();
  const auto& arm = trial.best();
  std::printf("%s: %s\n", trial.trial_id.c_str(), ctm::rules::to_string(arm.status).data());
  for (const auto& c : arm.criteria) {
    const char* verdict = c.verdict == ctm::truth::yes  ? "met"
                          : c.verdict == ctm::truth::no ? "not met"
                                                        : "unknown";
    std::printf("  %s (%s) %s: %s\n", c.id.c_str(), ctm::to_string(c.kind).data(), verdict,
                c.reason.c_str());
  }
  if (arm.near_miss)
    std::printf("near miss: only %s rules the patient out\n", arm.near_miss->c_str());
  if (arm.eligible_from) {
    std::printf("eligible from %s if nothing else changes\n",
                ctm::to_string(*arm.eligible_from).c_str());
  }
}
