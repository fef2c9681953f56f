// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// Result documents shared by the ctm tool and the ctm-mpi tool, so that both write the same bytes
// for the same patients (docs/cli.md, docs/scale-out.md).
#include <ctm/batch/engine.hpp>
#include <ctm/core/date.hpp>
#include <ctm/match/matcher.hpp>

#include <span>
#include <string>
#include <vector>

namespace ctm::cli {

/// One patient's result as `ctm match --format json` prints it: one JSON object on one line,
/// ending with '\n'.
std::string json_match_line(const match::match_result& r);

/// One batch item as `ctm match --format json` prints it: the result line, or for a record that
/// could not be read an error object naming its place (never a patient value).
std::string json_match_line(const match::batch_output& out);

/// A feasibility result as `ctm feasibility --format json` prints it (one line, '\n' at the end).
std::string json_feasibility(const match::feasibility_result& f, date as_of);

/// A feasibility result as `ctm feasibility --format text` prints it.
std::string text_feasibility(const match::feasibility_result& f, date as_of);

/// The `--status-only` lines of a batch, from the columnar engine: one line per input, in input
/// order; a usable patient's line is {"patient_id", "as_of", "statuses": [{"trial_id", "status"},
/// ...]} with every candidate trial (ineligible ones too) in catalog order, an unusable input's
/// line is the error object of `json_match_line`. `errors` holds the unusable inputs, for
/// reporting. Runs on `options.threads` workers; never throws except std::bad_alloc.
struct status_batch {
  std::vector<std::string> lines;
  std::vector<match::batch_output> errors;
};
status_batch status_lines(const batch::engine& engine, std::span<const match::batch_input> inputs,
                          date as_of, const batch::batch_options& options);

}  // namespace ctm::cli
