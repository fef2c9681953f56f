// SPDX-FileCopyrightText: 2026 The ctm authors
// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ctm/export.hpp>
#include <ctm/rules/check.hpp>
#include <ctm/trial/criterion.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// Rule extraction: reading a registry criterion's free text into a rule of the ctm rule language
/// (docs/import.md, "Rule extraction").
namespace ctm {

/// The name and version written into `provenance::extractor` of extracted criteria.
inline constexpr std::string_view extractor_name = "ctm-extract 1";

/// A rule read from one criterion's text. Thread-safety: a value type.
struct extracted_rule {
  /// The rule in the rule language (docs/rule-language.md). It parses, and checks against the
  /// environment given to `extract_rule`, without errors. For an exclusion criterion it states
  /// the excluding condition (`rules::passes` inverts it).
  std::string rule;
  /// What the criterion is about: one of `extraction_kinds()`.
  std::string kind;
  /// The bytes of the criterion text the rule was read from (`text.substr(offset, length)`).
  /// Extraction reads whole criteria, so this is the criterion without its surrounding white
  /// space and final punctuation.
  text_span span;
  /// The extractor's confidence in (0, 1]: higher for short single-fact statements, lower for
  /// lists and conditional thresholds.
  double confidence = 0.0;

  friend bool operator==(const extracted_rule&, const extracted_rule&) = default;
};

/// Options of `extract_rule`.
struct extract_options {
  /// Longer criteria are never extracted: they are compound statements that need review, and
  /// the bound keeps the matching cost linear and small.
  std::size_t max_bytes = 700;
};

/// The kinds `extract_rule` reports, in a fixed order: "age", "performance_status", "lab:anc",
/// "lab:platelets", "lab:haemoglobin", "lab:creatinine" (creatinine or creatinine clearance),
/// "lab:bilirubin", "lab:ast_alt", "lab:panel" (several of these analytes in one criterion),
/// "prior_lines", "progressed_on", "refractory_to", "intolerant_to", "exposed_to",
/// "measurable_disease", "brain_metastases", "washout_therapy", "washout_radiotherapy",
/// "washout_surgery", "pregnancy", "hiv", "hepatitis_b", "hepatitis_c", "viral_infection"
/// (several of HIV, hepatitis B and C together). "contraception" is a labelling kind only: the
/// rule language has no fact for it, so such criteria are never extracted.
CTM_EXPORT const std::vector<std::string_view>& extraction_kinds();

/// Reads one criterion's text (inclusion or exclusion) into a rule, when the whole criterion is
/// one of the supported statements (docs/import.md lists the patterns). Precision comes first:
/// a criterion with any part the extractor does not understand (an exception, a second
/// requirement, an unknown drug, an unconvertible unit) gives nothing, so it stays for manual
/// review. Drug and class names are resolved with `env.drugs`, analytes with `env.labs`; the
/// result is parsed and checked with `rules::check(..., env)` and dropped if that reports an
/// error, so it needs `env.drugs` and `env.labs` for drug and lab statements.
/// Never throws except `std::bad_alloc`. Complexity: linear in `text` (bounded by
/// `max_bytes`). Thread-safety: reentrant; `env` is only read.
CTM_EXPORT std::optional<extracted_rule> extract_rule(std::string_view text, criterion_kind kind,
                                                      const rules::environment& env,
                                                      const extract_options& options = {});

/// Runs `extract_rule` over every criterion that has no rule yet, and gives each one extracted a
/// rule and an `extracted` provenance (confidence, span into the criterion's `text`, and
/// `extractor_name`); the others keep no rule ("needs manual review"). Returns how many got a
/// rule. Thread-safety: reentrant.
CTM_EXPORT std::size_t extract_rules(std::vector<criterion>& criteria,
                                     const rules::environment& env,
                                     const extract_options& options = {});

}  // namespace ctm
