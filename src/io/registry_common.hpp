// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

// The format-independent half of the registry readers: every reader (API v2 JSON, legacy XML,
// NCI CTS, TrialGPT) fills a `raw_study` with the record's text as written, and `build_trial`
// turns it into a trial document. Private to the library.
#include "core/text.hpp"
#include "io/json_support.hpp"

#include <ctm/io/ctgov.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctm::io::detail {

/// A string from the record and the JSON pointer (or XML path) it came from.
struct sourced {
  std::string text;
  std::string pointer;
};

struct raw_site {
  std::string name;
  std::string city;
  std::string state;
  std::string country;
  std::optional<geo_point> location;
  sourced status;
  std::string pointer;
};

struct raw_arm {
  std::string label;
  std::string description;
  std::vector<std::string> interventions;  // names, possibly "Drug: X"
};

struct raw_intervention {
  std::string type;
  std::string name;
  std::vector<std::string> other_names;
  std::vector<std::string> arms;
  std::string pointer;
};

/// A registry record's fields, as written.
struct raw_study {
  sourced nct_id;
  std::vector<std::string> secondary_ids;
  std::string title;
  std::string official_title;
  std::vector<sourced> phases;
  sourced status;
  std::string sponsor;
  std::vector<sourced> conditions;
  std::vector<sourced> keywords;
  std::vector<sourced> mesh_terms;
  std::string study_type;
  sourced minimum_age;
  sourced maximum_age;
  sourced sex;
  std::optional<bool> healthy_volunteers;
  sourced eligibility_text;
  std::vector<raw_arm> arms;
  std::vector<raw_intervention> interventions;
  std::vector<raw_site> sites;
  std::optional<partial_date> last_update;
  std::optional<partial_date> retrieved;
  std::string registry = "ClinicalTrials.gov";
};

/// The vocabularies a read uses, resolved once per call.
struct registry_vocab {
  std::optional<vocab::ontology> diseases;
  std::optional<vocab::drug_catalog> drugs;
  std::optional<vocab::lab_catalog> labs;
  disease_mapper mappings;
};

registry_vocab resolve_vocab(const registry_options& options);

/// Builds the imported trial; fails only when the record has no usable NCT id.
result<imported_trial> build_trial(raw_study raw, trial_format format, const record_place& place,
                                   const registry_options& options, const registry_vocab& vocab);

/// Registry status text in any of the registries' spellings ("RECRUITING", "Active, not
/// recruiting", NCI CTS "Closed to Accrual").
std::optional<trial_status> map_status(std::string_view text);

/// Registry phase text: "PHASE2", "Phase 1/Phase 2", "Early Phase 1", "N/A", CTS "I_II".
std::optional<std::vector<trial_phase>> map_phases(std::string_view text);

/// "May 11, 2018", "June 2017", "2018-05-11", "2018-05".
std::optional<partial_date> parse_registry_date(std::string_view text);

/// One-line text: runs of white space made one space, ends trimmed.
using ctm::detail::collapse_space;

}  // namespace ctm::io::detail
