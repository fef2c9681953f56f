// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Rank the trials of a catalog for one patient, with the parts of each score and the reasons.
#include "match_example_io.hpp"

#include <cstdio>

int main() {
  const auto matcher = example::make_matcher();
  const auto patient = example::read_patient("data/match_patient.json");
  const auto as_of = ctm::parse_date("2026-11-01").value();

  ctm::match::match_options options;
  options.top_k = 3;
  const auto result = matcher.match(patient, as_of, options);
  std::printf("%zu candidate trials; top %zu:\n", result.candidates, result.results.size());
  for (const auto& t : result.results) {
    const auto& arm = t.best();
    std::printf("%zu. %s%s%s: %s, score %.1f of %.1f", t.rank, t.trial_id.c_str(),
                arm.arm_id.empty() ? "" : " arm ", arm.arm_id.c_str(),
                ctm::rules::to_string(arm.status).data(), arm.score.total, arm.score.max_possible);
    if (t.nearest_site_km) std::printf(", nearest site %.0f km", *t.nearest_site_km);
    std::printf("\n");
    for (const auto& part : arm.score.components) {
      std::printf("     %-12s %6.1f  (%s)\n", part.name.c_str(), part.contribution,
                  part.why.c_str());
    }
    for (const auto& c : arm.criteria) {
      std::printf("     %s %s: %s\n", ctm::to_string(c.passes).data(), c.id.c_str(),
                  c.reason.c_str());
    }
  }
  for (const auto& test : ctm::match::next_tests(result)) {
    std::printf("to test next: %s (decides %zu trial(s))\n", test.fact.c_str(),
                test.trial_ids.size());
  }
}
