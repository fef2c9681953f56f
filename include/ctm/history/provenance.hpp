// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

namespace ctm::history {

/// Where a derived fact comes from: the rule that derived it, the records it read and why it has
/// the value it has.
///
/// `records` are RFC 6901 JSON pointers into the patient's native JSON form ("/labs/7",
/// "/tumour_assessments/2/lesions/0"). `reason` names rules, thresholds and record kinds, never a
/// recorded value, so it can be logged; the values themselves are in the fact's own fields.
/// Thread-safety: a value type.
struct provenance {
  std::string rule;                  ///< e.g. "recist_1_1.best_overall_response"
  std::vector<std::string> records;  ///< JSON pointers of the records used
  std::string reason;                ///< why the fact has its value (or is unknown)

  friend bool operator==(const provenance&, const provenance&) = default;
};

}  // namespace ctm::history
