// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#include "report.hpp"

#include "commands/match_support.hpp"

namespace ctm::cli {

using namespace matching;

std::string json_match_line(const match::match_result& r) {
  std::string s = "{\"patient_id\": " + jstr(r.patient_id) +
                  ", \"as_of\": " + jstr(ctm::to_string(r.as_of)) +
                  ", \"scorer\": " + jstr(r.scorer) +
                  ", \"candidates\": " + std::to_string(r.candidates) + ", \"results\": [";
  for (std::size_t i = 0; i < r.results.size(); ++i) {
    s += (i ? ", " : "") + json_trial(r.results[i]);
  }
  return s + "]}\n";
}

std::string json_match_line(const match::batch_output& out) {
  if (out.error) return json_error(out.label, *out.error) + "\n";
  return json_match_line(*out.result);
}

std::string json_feasibility(const match::feasibility_result& f, date as_of) {
  std::string s = "{\"trial_id\": " + jstr(f.trial_id) + ", \"arm_id\": " + jstr(f.arm_id) +
                  ", \"as_of\": " + jstr(ctm::to_string(as_of)) +
                  ", \"patients\": " + std::to_string(f.patients) +
                  ", \"errors\": " + std::to_string(f.errors) +
                  ", \"eligible\": " + std::to_string(f.eligible) +
                  ", \"possibly_eligible\": " + std::to_string(f.possibly_eligible) +
                  ", \"ineligible\": " + std::to_string(f.ineligible) + ", \"attrition\": [";
  for (std::size_t i = 0; i < f.rows.size(); ++i) {
    const auto& r = f.rows[i];
    s += std::string(i ? ", " : "") + "{\"criterion\": " + jstr(r.criterion_id) +
         ", \"type\": " + jstr(ctm::to_string(r.kind)) +
         ", \"remaining_before\": " + std::to_string(r.remaining_before) +
         ", \"excluded_in_sequence\": " + std::to_string(r.excluded_in_sequence) +
         ", \"excluded_alone\": " + std::to_string(r.excluded_alone) +
         ", \"unknown\": " + std::to_string(r.unknown) + "}";
  }
  return s + "]}\n";
}

std::string text_feasibility(const match::feasibility_result& f, date as_of) {
  std::string s = "Feasibility of " + f.trial_id +
                  (f.arm_id.empty() ? std::string() : " arm " + f.arm_id) + " as of " +
                  ctm::to_string(as_of) + " over " + std::to_string(f.patients) + " patients";
  if (f.errors > 0) s += " (" + std::to_string(f.errors) + " unreadable)";
  s += "\n  eligible " + std::to_string(f.eligible) + ", possibly eligible " +
       std::to_string(f.possibly_eligible) + ", ineligible " + std::to_string(f.ineligible) +
       "\n\n  " + pad("criterion", 12) + pad("type", 11) + lpad("remaining", 10) +
       lpad("excluded", 10) + lpad("alone", 7) + lpad("unknown", 9) + "  text\n";
  for (const auto& r : f.rows) {
    s += "  " + pad(r.criterion_id, 12) + pad(std::string(ctm::to_string(r.kind)), 11) +
         lpad(std::to_string(r.remaining_before), 10) +
         lpad(std::to_string(r.excluded_in_sequence), 10) +
         lpad(std::to_string(r.excluded_alone), 7) + lpad(std::to_string(r.unknown), 9) + "  " +
         clip(r.text, 70) + "\n";
  }
  return s;
}

status_batch status_lines(const batch::engine& engine, std::span<const match::batch_input> inputs,
                          date as_of, const batch::batch_options& options) {
  const batch::cohort cohort = engine.load(inputs, as_of, options);
  const batch::run_result run = engine.run(cohort, options);
  const auto& ids = cohort.patient_ids();
  const auto& trial_ids = engine.trial_ids();
  status_batch out;
  out.lines.reserve(inputs.size());
  // The cohort keeps every input with a record, and lists the others as errors, both in input
  // order: merge them back into it.
  std::size_t usable = 0;
  std::size_t failed = 0;
  std::size_t pair = 0;
  const std::string as_of_text = jstr(ctm::to_string(as_of));
  for (const auto& in : inputs) {
    if (!in.error && in.record && usable < ids.size()) {
      std::string s = "{\"patient_id\": " + jstr(ids[usable]) + ", \"as_of\": " + as_of_text +
                      ", \"statuses\": [";
      bool first = true;
      for (; pair < run.pairs.size() && run.pairs[pair].patient == usable; ++pair) {
        s += std::string(first ? "" : ", ") +
             "{\"trial_id\": " + jstr(trial_ids[run.pairs[pair].trial]) +
             ", \"status\": " + jstr(rules::to_string(run.pairs[pair].status)) + "}";
        first = false;
      }
      out.lines.push_back(s + "]}\n");
      ++usable;
      continue;
    }
    if (failed < cohort.errors().size() && cohort.errors()[failed].error) {
      const auto& e = cohort.errors()[failed++];
      out.lines.push_back(json_match_line(e));
      out.errors.push_back(e);
    }
  }
  return out;
}

}  // namespace ctm::cli
