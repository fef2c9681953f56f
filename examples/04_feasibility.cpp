// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
// Feasibility: one trial against a cohort, with an attrition table. A record that cannot be read
// stays in the cohort as an error and is counted, never dropped.
#include "match_example_io.hpp"

#include <cstdio>

int main() {
  const auto matcher = example::make_matcher();
  std::vector<ctm::match::batch_input> cohort;
  for (auto& r : ctm::io::read_patients(example::slurp("data/match_cohort.jsonl"))) {
    ctm::match::batch_input in;
    if (r.document) {
      in.label = r.document->patient.id;
      in.record = r.document->patient;
    } else {
      in.label = "record " + std::to_string(r.index + 1);
      in.error = r.document.error();
    }
    cohort.push_back(std::move(in));
  }
  const auto as_of = ctm::parse_date("2026-11-01").value();
  const auto f = matcher.feasibility("NCT90000001", cohort, as_of).value();
  std::printf("%s over %zu patients (%zu unreadable): %zu eligible, %zu possibly, %zu not\n",
              f.trial_id.c_str(), f.patients, f.errors, f.eligible, f.possibly_eligible,
              f.ineligible);
  std::printf("%-8s %-10s %9s %9s %6s %8s\n", "id", "type", "remaining", "excluded", "alone",
              "unknown");
  for (const auto& r : f.rows) {
    std::printf("%-8s %-10s %9zu %9zu %6zu %8zu\n", r.criterion_id.c_str(),
                ctm::to_string(r.kind).data(), r.remaining_before, r.excluded_in_sequence,
                r.excluded_alone, r.unknown);
  }
}
